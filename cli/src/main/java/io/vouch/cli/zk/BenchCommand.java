package io.vouch.cli.zk;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.benchmodels.ZkBenchmarkModels;
import io.vouch.benchmodels.ZkBenchmarkModels.BenchModel;
import io.vouch.cli.ExitCodes;
import io.vouch.cli.Failure;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.zk.exec.Parallel;
import io.vouch.zk.mlp.ProvedInference;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkProver;
import io.vouch.zk.mlp.ZkVerifier;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vouch bench zkml}: a quick in-process measurement of the ZKML level (medians over a few
 * rounds after warm-up). The numbers of record come from the JMH suite in {@code bench/} ({@code
 * bench/run-zkml.sh}); this command is for a fast look on any machine.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Quick in-process measurements of the ZKML level.",
      "The JMH suite in bench/ has the figures of record."
    },
    subcommands = {BenchCommand.Zkml.class})
public final class BenchCommand implements Runnable {
  private static final int WARMUP_ROUNDS = 5;
  private static final long WARMUP_NANOS =
      6_000_000_000L; // JMH's 3 × 2 s: C2 needs it with the helper spinning

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * One model's medians. The allocation figures are bytes allocated per proof (per verification) by
   * every thread of this JVM, the prover's helper thread included ({@link #allocatedBytes}); NaN
   * where the JVM cannot count them.
   */
  public record Row(
      BenchModel model,
      double soundnessBits,
      double registerMillis,
      double inferenceMicros,
      double proveMillis,
      double verifyMillis,
      int proofBytes,
      double proveAllocatedBytes,
      double verifyAllocatedBytes,
      double inferenceCpuMicros,
      double proveCpuMillis,
      double verifyCpuMillis) {
    public double proverOverInference() {
      return proveMillis * 1000 / inferenceMicros;
    }

    /**
     * CPU time of a proof (every thread of the process) over that of an integer inference: the
     * ratio that holds on a machine shared with other work, where wall-clock time does not.
     */
    public double proverCpuOverInference() {
      return proveCpuMillis * 1000 / inferenceCpuMicros;
    }
  }

  private static final java.lang.management.OperatingSystemMXBean OS =
      ManagementFactory.getOperatingSystemMXBean();

  /** CPU nanoseconds of every thread of this process so far, or −1 where unknown. */
  static long processCpuNanos() {
    return OS instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }

  @Command(
      name = "zkml",
      mixinStandardHelpOptions = true,
      description = {
        "Measure integer inference, prove, verify and proof size of the ZKML level per model.",
        "Models: MNIST_MLP (784-128-10, seeded), SUPPORT_INTENTS (the demo model on a held-out"
            + " message), DENSE_4M (2048-1024-1024-1024-10), LENET5 (LeNet-5 on 28×28), CNN_264K (a CIFAR-sized CNN"
            + " of 263,330 parameters), KWS_HEAD (a keyword-spotting head with a decomposed"
            + " layer norm and sigmoid scores), TRANSFORMER_250K (a 2-layer transformer encoder"
            + " of 250,250 parameters over 32 tokens). Warm-up rounds first, then the median"
            + " of --rounds; prove includes serialization, verify includes parsing. Uses every"
            + " available core (the prover runs weight folds on a second one).",
        "prove MB: megabytes (10^6 B) allocated per proof by all threads, the prover's helper"
            + " included: an upper bound on the memory a proof needs beyond the loaded model.",
        "agree %%: top-1 agreement of the integer model with ONNX Runtime on the inputs it was"
            + " calibrated on."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  vouch bench zkml", "  vouch bench zkml --models MNIST_MLP --rounds 3 --json"})
  static final class Zkml implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--rounds", defaultValue = "5", description = "Measured rounds (default 5).")
    int rounds;

    @Option(
        names = "--models",
        split = ",",
        defaultValue =
            "MNIST_MLP,SUPPORT_INTENTS,DENSE_4M,LENET5,CNN_264K,KWS_HEAD,TRANSFORMER_250K",
        description = "Which models (default all): ${COMPLETION-CANDIDATES}.")
    List<ZkBenchmarkModels.Kind> models;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      if (rounds < 1) {
        return Failure.usage("--rounds must be at least 1").report(spec.commandLine(), null, null);
      }
      PrintWriter out = spec.commandLine().getOut();
      int threads = Parallel.threads(); // the prover's, not the machine's
      if (!json) {
        out.printf(
            "%-16s %-26s %9s %11s %10s %10s %10s %9s %8s %9s %9s %6s %7s %4s%n",
            "model",
            "shape",
            "params",
            "infer µs",
            "prove ms",
            "verify ms",
            "proof B",
            "prove MB",
            "prove/inf",
            "CPU p/inf",
            "CPU v/p",
            "bits",
            "agree %",
            "thr");
      }
      ArrayNode rows = ZkCommand.JSON.createArrayNode();
      // every model's proving first, each after a prover-only warm-up as long as JMH's: measured
      // with a 2 s warm-up shared with the verifier, the prover's large methods were not yet fully
      // compiled (C2 competes for the two cores with the prover's helper thread) and proofs took
      // up to 4× the steady-state time that JMH and a long-running node see
      List<Proving> proving = new ArrayList<>();
      for (ZkBenchmarkModels.Kind kind : models) {
        proving.add(measureProving(kind.build(), rounds));
      }
      for (Proving p : proving) {
        Row row = measureVerifying(p, rounds);
        if (json) {
          rows.add(toJson(row, threads));
        } else {
          out.printf(
              Locale.ROOT,
              "%-16s %-26s %9d %11.1f %10.2f %10.2f %10d %9.3f %8.1f× %8.1f× %9.3f %6.1f %7.2f %4d%n",
              row.model().name(),
              row.model().shape(),
              row.model().parameters(),
              row.inferenceMicros(),
              row.proveMillis(),
              row.verifyMillis(),
              row.proofBytes(),
              row.proveAllocatedBytes() / 1e6,
              row.proverOverInference(),
              row.proverCpuOverInference(),
              row.verifyCpuMillis() / row.proveCpuMillis(),
              row.soundnessBits(),
              100 * row.model().topOneAgreement(),
              threads);
          out.flush();
        }
      }
      if (json) {
        out.println(rows.toPrettyString());
      } else {
        out.println(
            "medians of "
                + rounds
                + " rounds after warm-up; prove MB = allocated per proof, all threads;"
                + " CPU p/inf = process CPU of a proof over that of an inference, CPU v/p = of a"
                + " verification over a proof (both hold under load, wall-clock figures do not);"
                + " bits = soundness of one proof of the model (union bound, zk/README.md);"
                + " agree = top-1 agreement of the integer model with ONNX Runtime on its"
                + " calibration inputs;"
                + " v1 proofs are not zero-knowledge");
      }
      return ExitCodes.OK;
    }

    private static ObjectNode toJson(Row row, int threads) {
      ObjectNode o = ZkCommand.JSON.createObjectNode();
      o.put("model", row.model().name());
      o.put("shape", row.model().shape());
      o.put("parameters", row.model().parameters());
      o.put("topOneAgreement", row.model().topOneAgreement());
      o.put("registerMillis", row.registerMillis());
      o.put("inferenceMicros", row.inferenceMicros());
      o.put("proveMillis", row.proveMillis());
      o.put("verifyMillis", row.verifyMillis());
      o.put("proofBytes", row.proofBytes());
      putBytes(o, "proveAllocatedBytes", row.proveAllocatedBytes());
      putBytes(o, "verifyAllocatedBytes", row.verifyAllocatedBytes());
      o.put("proverOverInference", row.proverOverInference());
      o.put("inferenceCpuMicros", row.inferenceCpuMicros());
      o.put("proveCpuMillis", row.proveCpuMillis());
      o.put("verifyCpuMillis", row.verifyCpuMillis());
      o.put("proverCpuOverInference", row.proverCpuOverInference());
      o.put("soundnessBits", row.soundnessBits());
      o.put("threads", threads);
      return o;
    }

    private static void putBytes(ObjectNode o, String field, double bytes) {
      if (Double.isNaN(bytes)) {
        o.putNull(field);
      } else {
        o.put(field, Math.round(bytes));
      }
    }
  }

  private static final com.sun.management.ThreadMXBean ALLOCATION = allocationCounter();

  private static com.sun.management.ThreadMXBean allocationCounter() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
        && t.isThreadAllocatedMemorySupported()) {
      if (!t.isThreadAllocatedMemoryEnabled()) {
        t.setThreadAllocatedMemoryEnabled(true);
      }
      return t;
    }
    return null;
  }

  /**
   * Bytes allocated on the heap so far by every thread of this JVM, live or terminated (so the
   * prover's helper thread, {@link Parallel}, is counted), or -1 where the JVM cannot tell. The
   * same counter as JMH's {@code -prof gc} ({@code gc.alloc.rate.norm}).
   */
  static long allocatedBytes() {
    return ALLOCATION == null ? -1 : ALLOCATION.getTotalThreadAllocatedBytes();
  }

  private static double perRun(long before, long after, int runs) {
    return before < 0 || after < 0 ? Double.NaN : (double) (after - before) / runs;
  }

  /** Registers, warms up, then takes the median of {@code rounds} measurements of each step. */
  public static Row measure(BenchModel bench, int rounds) {
    return measureVerifying(measureProving(bench, rounds), rounds);
  }

  /** A registered model with its inference and prover medians and one proof to verify. */
  record Proving(
      BenchModel bench,
      ZkModel zk,
      byte[] input,
      byte[] request,
      double registerMillis,
      double inferenceMicros,
      double proveMillis,
      double proveAllocatedBytes,
      double inferenceCpuMicros,
      double proveCpuMillis,
      ProvedInference proved,
      byte[] proof) {}

  static Proving measureProving(BenchModel bench, int rounds) {
    long start = System.nanoTime();
    ZkModel zk = ZkModel.register(bench.model());
    double registerMillis = (System.nanoTime() - start) / 1e6;
    byte[] x = bench.input();
    byte[] request = new byte[32];
    Arrays.fill(request, (byte) 0x5a);
    // JIT warm-up: at least WARMUP_ROUNDS rounds and WARMUP_NANOS of work before measuring
    long warmupEnd = System.nanoTime() + WARMUP_NANOS;
    int warmup = 0;
    while (warmup < WARMUP_ROUNDS || System.nanoTime() < warmupEnd) {
      ZkProver.prove(zk, request, x).proof().toBytes();
      IntegerEngine.run(bench.model(), x);
      warmup++;
    }
    // inference is short: time a batch of runs per round so the clock's granularity does not matter
    int inferenceRuns = (int) Math.max(1, Math.min(2_000, 50_000_000L / bench.macs()));
    // and proofs back to back, as a prover under load runs them (a lone proof after a pause pays
    // for waking the prover's helper thread)
    int proofRuns = proofRuns(bench);
    double[] infer = new double[rounds];
    double[] prove = new double[rounds];
    double[] proveAllocated = new double[rounds];
    double[] inferCpu = new double[rounds];
    double[] proveCpu = new double[rounds];
    ProvedInference proved = null;
    byte[] proof = null;
    long sink = 0;
    for (int r = -1; r < rounds; r++) {
      long c0 = processCpuNanos();
      long t0 = System.nanoTime();
      for (int i = 0; i < inferenceRuns; i++) {
        sink += IntegerEngine.run(bench.model(), x)[0];
      }
      long a1 = allocatedBytes();
      long t1 = System.nanoTime();
      long c1 = processCpuNanos();
      for (int i = 0; i < proofRuns; i++) {
        proved = ZkProver.prove(zk, request, x);
        proof = proved.proof().toBytes();
      }
      long t2 = System.nanoTime();
      long c2 = processCpuNanos();
      long a2 = allocatedBytes();
      if (r >= 0) {
        infer[r] = (t1 - t0) / 1e3 / inferenceRuns;
        prove[r] = (t2 - t1) / 1e6 / proofRuns;
        proveAllocated[r] = perRun(a1, a2, proofRuns);
        inferCpu[r] = (c1 - c0) / 1e3 / inferenceRuns;
        proveCpu[r] = (c2 - c1) / 1e6 / proofRuns;
      }
    }
    if (sink == 42) {
      System.out.print(""); // keeps the inference loop observable to the JIT
    }
    return new Proving(
        bench,
        zk,
        x,
        request,
        registerMillis,
        median(infer),
        median(prove),
        median(proveAllocated),
        median(inferCpu),
        median(proveCpu),
        proved,
        proof);
  }

  static Row measureVerifying(Proving p, int rounds) {
    long warmupEnd = System.nanoTime() + WARMUP_NANOS / 2;
    int warmup = 0;
    while (warmup < WARMUP_ROUNDS || System.nanoTime() < warmupEnd) {
      ZkVerifier.verify(
          p.zk().verifyingKey(), p.request(), p.input(), p.proved().logits(), p.proof());
      warmup++;
    }
    int runs = proofRuns(p.bench());
    double[] verify = new double[rounds];
    double[] verifyAllocated = new double[rounds];
    double[] verifyCpu = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long a0 = allocatedBytes();
      long c0 = processCpuNanos();
      long t0 = System.nanoTime();
      for (int i = 0; i < runs; i++) {
        ZkVerifier.verify(
            p.zk().verifyingKey(), p.request(), p.input(), p.proved().logits(), p.proof());
      }
      verify[r] = (System.nanoTime() - t0) / 1e6 / runs;
      verifyCpu[r] = (processCpuNanos() - c0) / 1e6 / runs;
      verifyAllocated[r] = perRun(a0, allocatedBytes(), runs);
    }
    return new Row(
        p.bench(),
        p.zk().soundnessBits(),
        p.registerMillis(),
        p.inferenceMicros(),
        p.proveMillis(),
        median(verify),
        p.proof().length,
        p.proveAllocatedBytes(),
        median(verifyAllocated),
        p.inferenceCpuMicros(),
        p.proveCpuMillis(),
        median(verifyCpu));
  }

  private static int proofRuns(BenchModel bench) {
    return (int)
        Math.max(1, Math.min(20, 2_000_000L / Math.max(bench.parameters(), bench.macs() / 8)));
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
