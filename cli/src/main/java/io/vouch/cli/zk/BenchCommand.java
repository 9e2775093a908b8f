package io.vouch.cli.zk;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.benchmodels.ZkBenchmarkModels;
import io.vouch.benchmodels.ZkBenchmarkModels.BenchModel;
import io.vouch.benchmodels.ZkTarget;
import io.vouch.cli.ExitCodes;
import io.vouch.cli.Failure;
import io.vouch.onnx.quant.AccuracyThresholds;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.OutputAccuracy;
import io.vouch.zk.exec.Parallel;
import io.vouch.zk.mlp.ProvedInference;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkProver;
import io.vouch.zk.mlp.ZkVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
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
   * where the JVM cannot count them. {@code memory}: the peaks from the model's build to its last
   * proof ({@link Memory}).
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
      double verifyCpuMillis,
      Memory memory) {
    public double proverOverInference() {
      return proveMillis * 1000 / inferenceMicros;
    }

    /** Wall-clock time of a verification over that of a proof. */
    public double verifyOverProve() {
      return verifyMillis / proveMillis;
    }

    /**
     * CPU time of a proof (every thread of the process) over that of an integer inference: the
     * ratio that holds on a machine shared with other work, where wall-clock time does not.
     */
    public double proverCpuOverInference() {
      return proveCpuMillis * 1000 / inferenceCpuMicros;
    }

    /** CPU time of a verification over that of a proof; NaN where either is unknown. */
    public double verifyCpuOverProve() {
      return verifyCpuMillis / proveCpuMillis;
    }

    /**
     * The targets of {@code target} this row misses (wall-clock medians of this run; memory as
     * {@link Memory#forTarget}); empty when every one is met.
     */
    public List<String> missed(ZkTarget target) {
      return target.missed(
          proveMillis, proverOverInference(), verifyOverProve(), soundnessBits, memory.forTarget());
    }
  }

  /**
   * What a model took of this JVM's memory from its build (a full collection first) to its last
   * proof: the sum of the heap pools' peak usage (garbage not yet collected included, so the
   * collector's pacing shows in it: an upper bound of the heap the model needs, not the least heap
   * it runs in) and the peak resident set size of the process (Linux's {@code VmHWM}, heap and
   * native memory such as ONNX Runtime's), reset at the model's start where the kernel allows it
   * ({@code rssSinceModel}), otherwise since the JVM started. NaN where unknown.
   */
  public record Memory(double peakHeapBytes, double peakRssBytes, boolean rssSinceModel) {
    /** The figure a memory target is held to: the peak RSS where known, else the peak heap. */
    public double forTarget() {
      return Double.isNaN(peakRssBytes) ? peakHeapBytes : peakRssBytes;
    }
  }

  /** Starts a memory window: a full collection, then the heap pools' and the RSS peaks reset. */
  static boolean startMemoryWindow() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
        pool.resetPeakUsage();
      }
    }
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5"); // resets VmHWM to the current RSS
      return true;
    } catch (IOException | RuntimeException e) {
      return false; // not Linux, or not allowed: the peak is the process's
    }
  }

  /** The peaks since {@link #startMemoryWindow}. */
  static Memory endMemoryWindow(boolean rssReset) {
    long heap = 0;
    boolean any = false;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        heap += pool.getPeakUsage().getUsed();
        any = true;
      }
    }
    double rss = Double.NaN;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: unknown
    }
    return new Memory(any ? heap : Double.NaN, rss, rssReset && !Double.isNaN(rss));
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
        "Measure integer inference, prove, verify, proof size, soundness, agreement with ONNX"
            + " Runtime and memory of the ZKML level per model, each row against the project's"
            + " ZKML targets (listed below the table).",
        "Models: MNIST_MLP (784-128-10, seeded), SUPPORT_INTENTS (the demo model on a held-out"
            + " message), DENSE_4M (2048-1024-1024-1024-10), LENET5 (LeNet-5 on 28×28), CNN_264K"
            + " (a CIFAR-sized CNN of 263,330 parameters), KWS_HEAD (a keyword-spotting head with"
            + " a decomposed layer norm and sigmoid scores), TRANSFORMER_250K (a 2-layer"
            + " transformer encoder of 250,250 parameters over 32 tokens); and, only when named"
            + " in --models, BERT_22M (a BERT-style encoder of 22.4M parameters over 128 tokens)"
            + " and GPT2_SMALL (a GPT-2-small-shaped decoder of 123.7M parameters over 32"
            + " tokens), which take minutes and a heap of 8 GB each (JAVA_OPTS=-Xmx8g)."
            + " Warm-up rounds first, then the median of --rounds; prove includes serialization,"
            + " verify includes parsing. Uses every available core (the prover runs weight folds"
            + " on a second one).",
        "prove MB: megabytes (10^6 B) allocated per proof by all threads, the prover's helper"
            + " included: an upper bound on the memory a proof needs beyond the loaded model.",
        "heap MB, RSS MB: the peaks from the model's build to its last proof.",
        "agreement: the integer model against ONNX Runtime on its calibration inputs, per"
            + " output under the measure its shape chooses, as vouch zk compile does: top-1 for"
            + " one axis of classes, cosine for rows of vectors, max relative error for one value"
            + " per row.",
        "target: met, or the targets the row misses (prove time, prover over inference,"
            + " verification over proof, soundness bits, memory)."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  vouch bench zkml",
        "  vouch bench zkml --models MNIST_MLP --rounds 3 --json",
        "  vouch bench zkml --models BERT_22M --rounds 3   # JAVA_OPTS=-Xmx8g first"
      })
  static final class Zkml implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--rounds", defaultValue = "5", description = "Measured rounds (default 5).")
    int rounds;

    @Option(
        names = "--models",
        split = ",",
        defaultValue =
            "MNIST_MLP,SUPPORT_INTENTS,DENSE_4M,LENET5,CNN_264K,KWS_HEAD,TRANSFORMER_250K",
        description =
            "Which models, comma-separated: ${COMPLETION-CANDIDATES}. The default is every"
                + " model but BERT_22M and GPT2_SMALL, which need a heap of 8 GB.")
    List<ZkBenchmarkModels.Kind> models;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    private static final String HEADER =
        "%-16s %-40s %11s %10s %10s %10s %11s %9s %8s %8s %9s %12s %9s %8s %6s %-14s %4s %s%n";

    private static final String ROW =
        "%-16s %-40s %,11d %10.1f %10.2f %10.2f %,11d %9.3f %8.0f %8.0f %8.1f× %12.3f %9s"
            + " %8s %6.1f %-14s %4d %s%n";

    @Override
    public Integer call() {
      if (rounds < 1) {
        return Failure.usage("--rounds must be at least 1").report(spec.commandLine(), null, null);
      }
      String heap = heapRefusal(models, Runtime.getRuntime().maxMemory());
      if (heap != null) {
        return Failure.usage(heap).report(spec.commandLine(), null, null);
      }
      PrintWriter out = spec.commandLine().getOut();
      int threads = Parallel.threads(); // the prover's, not the machine's
      if (!json) {
        out.printf(
            HEADER,
            "model",
            "shape",
            "params",
            "infer µs",
            "prove ms",
            "verify ms",
            "proof B",
            "prove MB",
            "heap MB",
            "RSS MB",
            "prove/inf",
            "verify/prove",
            "CPU p/inf",
            "CPU v/p",
            "bits",
            "agreement",
            "thr",
            "target");
      }
      ArrayNode rows = ZkCommand.JSON.createArrayNode();
      java.util.function.Consumer<Row> emit =
          row -> {
            if (json) {
              rows.add(toJson(row, threads));
            } else {
              printRow(out, row, threads);
            }
          };
      // every small model's proving first, each after a prover-only warm-up as long as JMH's:
      // measured with a 2 s warm-up shared with the verifier, the prover's large methods were not
      // yet fully compiled (C2 competes for the two cores with the prover's helper thread) and
      // proofs took up to 4× the steady-state time that JMH and a long-running node see
      List<Proving> proving = new ArrayList<>();
      for (ZkBenchmarkModels.Kind kind : models) {
        if (kind.minHeapBytes() == 0) {
          proving.add(measureProving(kind::build, rounds));
        }
      }
      for (Proving p : proving) {
        emit.accept(measureVerifying(p, rounds));
      }
      proving.clear();
      // the large ones one at a time, each released before the next: two do not fit a heap
      for (ZkBenchmarkModels.Kind kind : models) {
        if (kind.minHeapBytes() > 0) {
          Row row;
          try {
            row = measureVerifying(measureProving(kind::build, rounds), rounds);
          } catch (OutOfMemoryError e) {
            // the model and its proofs were this call's alone: unreachable now, the heap is free
            long maxHeap = Runtime.getRuntime().maxMemory();
            long more = (maxHeap >> 30) + 3;
            return Failure.usage(
                    String.format(
                        Locale.ROOT,
                        "%s ran out of this JVM's heap (%.1f GB) while it was measured. Give the"
                            + " JVM more heap, e.g. JAVA_OPTS=-Xmx%dg vouch bench zkml --models %s,"
                            + " on a machine with that much free memory",
                        kind.name(),
                        maxHeap / (double) (1L << 30),
                        more,
                        kind.name()))
                .report(spec.commandLine(), null, null);
          }
          emit.accept(row);
        }
      }
      if (json) {
        out.println(rows.toPrettyString());
      } else {
        printNotes(out);
      }
      return ExitCodes.OK;
    }

    private void printRow(PrintWriter out, Row row, int threads) {
      List<String> missed = row.missed(kindOf(row).target());
      out.printf(
          Locale.ROOT,
          ROW,
          row.model().name(),
          row.model().shape(),
          row.model().parameters(),
          row.inferenceMicros(),
          row.proveMillis(),
          row.verifyMillis(),
          row.proofBytes(),
          row.proveAllocatedBytes() / 1e6,
          row.memory().peakHeapBytes() / 1e6,
          row.memory().peakRssBytes() / 1e6,
          row.proverOverInference(),
          row.verifyOverProve(),
          orNotAvailable(row.proverCpuOverInference(), "%.1f×"),
          orNotAvailable(row.verifyCpuOverProve(), "%.3f"),
          row.soundnessBits(),
          agreement(row.model()),
          threads,
          missed.isEmpty() ? "met" : "not met: " + String.join(", ", missed));
      out.flush();
    }

    private void printNotes(PrintWriter out) {
      out.println();
      out.println(
          "Medians of "
              + rounds
              + " rounds after warm-up, on "
              + Parallel.threads()
              + " prover threads (thr); prove includes serialization, verify includes parsing.");
      out.println(
          "prove MB: bytes allocated per proof by every thread (the prover's helper included),"
              + " 10^6 B: an upper bound on what a proof needs beyond the loaded model.");
      out.println(
          "heap MB: peak heap in use (sum of the heap pools' peaks, garbage not yet collected"
              + " included) from the model's build to its last proof, after a full collection;"
              + " the collector's pacing shows in it, so it bounds the heap the model needs from"
              + " above, not the least heap it runs in (bench/run-zkml-heap.sh bisects that);"
              + " the small models measured before, held for their verification, are in it.");
      out.println(
          "RSS MB: peak resident memory of the process (VmHWM: heap and native, ONNX Runtime's"
              + " calibration included) over the same span where Linux lets it be reset, else"
              + " since the JVM started (--json: peakRssSince); the collector does not give the"
              + " heap back, so it includes what earlier models made the JVM take.");
      out.println(
          "prove/inf, verify/prove: wall-clock ratios of this run; CPU p/inf, CPU v/p: the same"
              + " in process CPU time (all threads), which hold under load where wall clock does"
              + " not (n/a where this system has no process CPU clock); each round times enough"
              + " runs of a step to span 0.25 s, 25 ticks of the 10 ms CPU clock.");
      out.println("bits: soundness of one proof of the model (union bound, zk/README.md).");
      out.println(
          "agreement: the integer model against ONNX Runtime on its calibration inputs, per"
              + " output under the measure its shape chooses (as vouch zk compile): top-1 ="
              + " share of rows with the same argmax (one axis of classes), cos = mean cosine"
              + " similarity of rows (rows of vectors), rel = max error over the output's full"
              + " scale (one value per row).");
      out.println(
          "target: the project's ZKML targets (issue 13; 2 cores, warm JVM, batch 1), judged on this run's"
              + " wall-clock medians (memory on the peak RSS); a loaded machine misses time"
              + " targets it meets when idle. Every model: "
              + ZkTarget.COMMON.describe()
              + ".");
      for (ZkBenchmarkModels.Kind kind : models) {
        if (!kind.target().equals(ZkTarget.COMMON)) {
          out.println("  " + kind.name() + ": " + kind.target().describe() + ".");
        }
      }
      out.println("v1 proofs are not zero-knowledge.");
    }

    private static ZkBenchmarkModels.Kind kindOf(Row row) {
      return ZkBenchmarkModels.Kind.valueOf(row.model().name());
    }

    /** Each output's figure under its measure: {@code top-1 99.22%}, {@code cos 0.9962}, …. */
    static String agreement(BenchModel model) {
      List<String> parts = new ArrayList<>();
      for (OutputAccuracy a : model.agreement().outputs()) {
        parts.add(
            switch (a.measure()) {
              case TOP_ONE -> String.format(Locale.ROOT, "top-1 %.2f%%", 100 * a.topOne());
              case COSINE -> String.format(Locale.ROOT, "cos %.4f", a.meanCosine());
              case RELATIVE_ERROR -> String.format(Locale.ROOT, "rel %.4f", a.maxRelativeError());
            });
      }
      return String.join(" ", parts);
    }

    /** The figure an output is held to under its measure. */
    static double value(OutputAccuracy a) {
      return switch (a.measure()) {
        case TOP_ONE -> a.topOne();
        case COSINE -> a.meanCosine();
        case RELATIVE_ERROR -> a.maxRelativeError();
      };
    }

    /**
     * Why this JVM's heap ({@code maxHeap} bytes) is too small for the models asked for, naming the
     * heap they need and how to give it; null when it is large enough (the large models run one at
     * a time, so the largest need counts). A 2 % margin allows for the JVM's rounding of -Xmx.
     */
    static String heapRefusal(List<ZkBenchmarkModels.Kind> models, long maxHeap) {
      long need = 0;
      List<String> large = new ArrayList<>();
      for (ZkBenchmarkModels.Kind kind : models) {
        if (kind.minHeapBytes() > 0) {
          need = Math.max(need, kind.minHeapBytes());
          large.add(kind.name());
        }
      }
      if (need == 0 || maxHeap >= need * 0.98) {
        return null;
      }
      long gib = (need + (1L << 30) - 1) >> 30;
      return String.format(
          Locale.ROOT,
          "%s need%s a Java heap of at least %d GB and this JVM's is %.1f GB: nothing was started."
              + " Give the JVM more heap, e.g. JAVA_OPTS=-Xmx%dg vouch bench zkml --models %s"
              + " (or java -Xmx%dg … when starting the CLI's jar yourself), on a machine with that"
              + " much free memory; the other models run in the default heap",
          String.join(" and ", large),
          large.size() == 1 ? "s" : "",
          gib,
          maxHeap / (double) (1L << 30),
          gib,
          String.join(",", large),
          gib);
    }

    private static ObjectNode toJson(Row row, int threads) {
      ObjectNode o = ZkCommand.JSON.createObjectNode();
      o.put("model", row.model().name());
      o.put("shape", row.model().shape());
      o.put("parameters", row.model().parameters());
      o.put("topOneAgreement", row.model().topOneAgreement());
      ArrayNode agreement = o.putArray("agreement");
      for (OutputAccuracy a : row.model().agreement().outputs()) {
        ObjectNode n = agreement.addObject();
        n.put("output", a.name());
        n.put("measure", a.measure().label());
        n.put("task", AccuracyThresholds.taskName(a.measure()));
        n.put("value", value(a));
        n.put("topOneAgreement", a.topOne());
        n.put("meanCosineSimilarity", a.meanCosine());
        n.put("worstCosineSimilarity", a.worstCosine());
        n.put("maxRelativeError", a.maxRelativeError());
        n.put("rows", a.rows());
        n.put("rowLength", a.rowLength());
      }
      o.put("agreementReference", "ONNX Runtime");
      o.put("agreementInputs", row.model().agreement().inputs());
      o.put("registerMillis", row.registerMillis());
      o.put("inferenceMicros", row.inferenceMicros());
      o.put("proveMillis", row.proveMillis());
      o.put("verifyMillis", row.verifyMillis());
      o.put("proofBytes", row.proofBytes());
      putBytes(o, "proveAllocatedBytes", row.proveAllocatedBytes());
      putBytes(o, "verifyAllocatedBytes", row.verifyAllocatedBytes());
      putBytes(o, "peakHeapBytes", row.memory().peakHeapBytes());
      putBytes(o, "peakRssBytes", row.memory().peakRssBytes());
      o.put("peakRssSince", row.memory().rssSinceModel() ? "model build" : "JVM start");
      o.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
      o.put("proverOverInference", row.proverOverInference());
      o.put("verifyOverProve", row.verifyOverProve());
      putFigure(o, "inferenceCpuMicros", row.inferenceCpuMicros());
      putFigure(o, "proveCpuMillis", row.proveCpuMillis());
      putFigure(o, "verifyCpuMillis", row.verifyCpuMillis());
      putFigure(o, "proverCpuOverInference", row.proverCpuOverInference());
      putFigure(o, "verifyCpuOverProve", row.verifyCpuOverProve());
      o.put("soundnessBits", row.soundnessBits());
      o.put("threads", threads);
      ZkTarget target = kindOf(row).target();
      ObjectNode t = o.putObject("target");
      if (Double.isNaN(target.proveMillis())) {
        t.putNull("proveMillis");
      } else {
        t.put("proveMillis", target.proveMillis());
      }
      t.put("maxProverOverInference", ZkTarget.MAX_PROVER_OVER_INFERENCE);
      t.put("maxVerifyOverProve", ZkTarget.MAX_VERIFY_OVER_PROVE);
      t.put("minSoundnessBits", ZkTarget.MIN_SOUNDNESS_BITS);
      if (target.memoryBytes() > 0) {
        t.put("memoryBytes", target.memoryBytes());
      } else {
        t.putNull("memoryBytes");
      }
      List<String> missed = row.missed(target);
      t.put("met", missed.isEmpty());
      ArrayNode m = t.putArray("missed");
      missed.forEach(m::add);
      return o;
    }

    /** A figure, or null where it is unknown (NaN is not JSON). */
    private static void putFigure(ObjectNode o, String field, double value) {
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        o.putNull(field);
      } else {
        o.put(field, value);
      }
    }

    private static String orNotAvailable(double value, String format) {
      return Double.isNaN(value) || Double.isInfinite(value)
          ? "n/a"
          : String.format(Locale.ROOT, format, value);
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
    return measureVerifying(measureProving(() -> bench, rounds), rounds);
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
      byte[] proof,
      Memory memory) {}

  /**
   * Builds the model, registers it, warms up, and takes the medians of inference and proving over
   * {@code rounds}; the memory peaks span all of it.
   */
  static Proving measureProving(Supplier<BenchModel> build, int rounds) {
    boolean rssReset = startMemoryWindow();
    BenchModel bench = build.get();
    long start = System.nanoTime();
    ZkModel zk = ZkModel.register(bench.model());
    double registerMillis = (System.nanoTime() - start) / 1e6;
    byte[] x = bench.input();
    byte[] request = new byte[32];
    Arrays.fill(request, (byte) 0x5a);
    // JIT warm-up: at least WARMUP_ROUNDS rounds and WARMUP_NANOS of work before measuring
    long warmupEnd = System.nanoTime() + WARMUP_NANOS;
    int warmup = 0;
    long proofNanos = 0, inferenceNanos = 0;
    while (warmup < warmupRounds(bench) || System.nanoTime() < warmupEnd) {
      long t0 = System.nanoTime();
      ZkProver.prove(zk, request, x).proof().toBytes();
      long t1 = System.nanoTime();
      IntegerEngine.run(bench.model(), x);
      proofNanos = t1 - t0;
      inferenceNanos = System.nanoTime() - t1;
      warmup++;
    }
    // each round times enough runs to span ROUND_NANOS, so that neither the wall clock nor the
    // process CPU clock (which the JDK reads in 10 ms ticks on Linux) rounds a short step to zero;
    // proofs run back to back, as a prover under load runs them (a lone proof after a pause pays
    // for waking the prover's helper thread)
    int inferenceRuns = runsPerRound(inferenceNanos);
    int proofRuns = runsPerRound(proofNanos);
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
        proved = null; // the last proof is garbage while the next is made (GPT-2's: 111 MB)
        proof = null;
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
        inferCpu[r] = cpuPerRun(c0, c1, inferenceRuns) / 1e3;
        proveCpu[r] = cpuPerRun(c1, c2, proofRuns) / 1e6;
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
        proof,
        endMemoryWindow(rssReset));
  }

  /** Five warm-up rounds at least, one for a model whose proof takes seconds. */
  private static int warmupRounds(BenchModel bench) {
    return bench.parameters() > 10_000_000 ? 1 : WARMUP_ROUNDS;
  }

  static Row measureVerifying(Proving p, int rounds) {
    long warmupEnd = System.nanoTime() + WARMUP_NANOS / 2;
    int warmup = 0;
    long verifyNanos = 0;
    while (warmup < warmupRounds(p.bench()) || System.nanoTime() < warmupEnd) {
      long t0 = System.nanoTime();
      ZkVerifier.verify(
          p.zk().verifyingKey(), p.request(), p.input(), p.proved().logits(), p.proof());
      verifyNanos = System.nanoTime() - t0;
      warmup++;
    }
    int runs = runsPerRound(verifyNanos);
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
      verifyCpu[r] = cpuPerRun(c0, processCpuNanos(), runs) / 1e6;
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
        median(verifyCpu),
        p.memory());
  }

  /**
   * How long one measured round of a step lasts at least: 25 ticks of the process CPU clock where
   * it ticks every 10 ms, so a CPU figure is within 4 % of what was spent.
   */
  static final long ROUND_NANOS = 250_000_000L;

  /** Runs of a step that took {@code nanos} once (warm) so that a round spans ROUND_NANOS. */
  static int runsPerRound(long nanos) {
    return (int) Math.max(1, Math.min(1_000_000, ROUND_NANOS / Math.max(1, nanos) + 1));
  }

  /**
   * Process CPU nanoseconds per run between two readings of {@link #processCpuNanos}, or NaN where
   * the clock is unknown or did not move (no figure rather than a ratio of zero or infinity).
   */
  static double cpuPerRun(long before, long after, int runs) {
    return before < 0 || after <= before ? Double.NaN : (double) (after - before) / runs;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
