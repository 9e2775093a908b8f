package io.vouch.bench.zk;

import io.vouch.benchmodels.LargeModels;
import io.vouch.benchmodels.SequenceModels;
import io.vouch.benchmodels.ZkBenchmarkModels.BenchModel;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.OutputAccuracy;
import io.vouch.zk.mlp.ProvedInference;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkProver;
import io.vouch.zk.mlp.ZkVerifier;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Issue 13's larger targets, too slow for JMH's timed iterations (a proof takes seconds to tens of
 * seconds): a main with warm-up, like {@code HttpLoadTest}. {@code java -Xmx14g -cp
 * bench/target/vouch-benchmarks.jar io.vouch.bench.zk.ZkmlLargeModels [MODEL [CALIBRATION [WARMUP
 * [ROUNDS]]]]}, MODEL one of {@code BERT_22M} (the default), {@code TRANSFORMER_250K} (a
 * cross-check against the JMH figures), {@code tokens,vocabulary,width,heads,mlp,layers} (an
 * encoder of that shape), {@code GPT2_SMALL} or {@code
 * gpt:tokens,vocabulary,width,heads,mlp,layers} (a causal decoder, {@link SequenceModels#decoder}).
 * {@code vouch bench zkml --models BERT_22M,GPT2_SMALL} builds the same models the same way.
 *
 * <p>Builds the seeded model and compiles it like {@code vouch zk compile} ({@link
 * LargeModels.Spec#build}: ONNX Runtime calibration on CALIBRATION token sequences around the
 * prototypes, quantization, every output's agreement with ONNX Runtime under the measure its shape
 * chooses; then registration — the weight commitments), then WARMUP proofs (each verified), then
 * ROUNDS rounds of one integer inference (the baseline, {@link IntegerEngine#run}), one proof on
 * the two-thread prover (wall clock; and the CPU time of the whole process over it, which counts
 * the helper thread and the collector) and one verification. Prints medians, proof bytes, soundness
 * bits, the peak heap (the sum of the heap pools' peak usage) and the peak resident set size
 * ({@code VmHWM}).
 */
public final class ZkmlLargeModels {
  private ZkmlLargeModels() {}

  public static void main(String[] args) throws IOException {
    String name = args.length > 0 ? args[0] : "BERT_22M";
    int calibration = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    LargeModels.Spec spec = LargeModels.named(name);
    print(
        "%s; max heap %.1f GB, load average %.2f",
        spec.description(),
        Runtime.getRuntime().maxMemory() / 1e9,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    long t0 = System.nanoTime();
    // built, calibrated and quantized as `vouch bench zkml` does, measured against ONNX Runtime
    // output by output (what ZkCompiler.compile does before it registers)
    BenchModel bench = spec.build(calibration);
    long t1 = System.nanoTime();
    ZkModel zk = ZkModel.register(bench.model());
    long t2 = System.nanoTime();
    System.gc();
    OutputAccuracy first = bench.agreement().outputs().get(0);
    print(
        "built and compiled (calibration on %d inputs, quantization, agreement) in %.1f s,"
            + " registered (weight commitments) in %.1f s; %s of output %s (chosen from its"
            + " shape): top-1 agreement with ONNX Runtime %.3f, mean cosine %.4f, max relative"
            + " error %.4f; soundness %.1f bits; %d ops; heap in use after a full collection"
            + " %.2f GB (the registered model); weight commitments hold %.3f GB (%s)",
        calibration,
        (t1 - t0) / 1e9,
        (t2 - t1) / 1e9,
        first.measure().label(),
        first.name(),
        first.topOne(),
        first.meanCosine(),
        first.maxRelativeError(),
        zk.soundnessBits(),
        zk.integerModel().ops().size(),
        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1e9,
        zk.weightCommitmentBytes() / 1e9,
        String.format(
            Locale.ROOT,
            "%d of %d matrices keep their encoded columns, the others int8 weights and Merkle"
                + " trees only, opened columns computed; budget %,d bytes",
            zk.weightMatricesKeptEncoded(),
            zk.verifyingKey().weightRoots().size(),
            ZkModel.encodedWeightBudget()));
    byte[] input = bench.input();
    bench = null;
    byte[] request = new byte[32];
    Arrays.fill(request, (byte) 0x5a);
    for (int i = 0; i < warmup; i++) {
      long s = System.nanoTime();
      ProvedInference warm = ZkProver.prove(zk, request, input);
      byte[] warmProof = warm.proof().toBytes();
      double warmProve = (System.nanoTime() - s) / 1e9;
      s = System.nanoTime();
      // the verifier warmed up too: a round's first verification is otherwise its JIT's
      ZkVerifier.verify(zk.verifyingKey(), request, input, warm.logits(), warmProof);
      print(
          "warm-up proof %d: %.2f s, its verification %.3f s",
          i + 1, warmProve, (System.nanoTime() - s) / 1e9);
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    double[] infer = new double[rounds], inferCpu = new double[rounds];
    double[] prove = new double[rounds], proveCpu = new double[rounds];
    double[] verify = new double[rounds];
    int bytes = 0;
    for (int i = 0; i < rounds; i++) {
      long c = threads.getCurrentThreadCpuTime(), s = System.nanoTime();
      long[] expected = IntegerEngine.run(zk.integerModel(), input);
      infer[i] = (System.nanoTime() - s) / 1e9;
      inferCpu[i] = (threads.getCurrentThreadCpuTime() - c) / 1e9;
      long pc = os.getProcessCpuTime();
      s = System.nanoTime();
      ProvedInference proved = ZkProver.prove(zk, request, input);
      byte[] proof = proved.proof().toBytes();
      prove[i] = (System.nanoTime() - s) / 1e9;
      proveCpu[i] = (os.getProcessCpuTime() - pc) / 1e9;
      if (!Arrays.equals(proved.logits(), expected)) {
        throw new IllegalStateException("the proof's outputs differ from the integer inference");
      }
      s = System.nanoTime();
      ZkVerifier.verify(zk.verifyingKey(), request, input, proved.logits(), proof);
      verify[i] = (System.nanoTime() - s) / 1e9;
      bytes = proof.length;
      print(
          "round %d: inference %.3f s (CPU %.3f s), prove %.2f s (process CPU %.2f s), verify"
              + " %.3f s, load average %.2f",
          i + 1,
          infer[i],
          inferCpu[i],
          prove[i],
          proveCpu[i],
          verify[i],
          os.getSystemLoadAverage());
    }
    double mi = median(infer), mp = median(prove), mv = median(verify);
    long peakHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peakHeap += pool.getPeakUsage().getUsed();
      }
    }
    print(
        "median of %d: inference %.3f s (CPU %.3f s), prove %.2f s = %.1f× the inference (process"
            + " CPU %.2f s), verify %.3f s = %.3f of prove; proof %,d bytes; soundness %.1f bits;"
            + " peak heap %.2f GB (sum of pools' peaks), peak RSS %s",
        rounds,
        mi,
        median(inferCpu),
        mp,
        mp / mi,
        median(proveCpu),
        mv,
        mv / mp,
        bytes,
        zk.soundnessBits(),
        peakHeap / 1e9,
        peakRss());
  }

  static String peakRss() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return "unknown";
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmHWM:")) {
        long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
        return String.format(Locale.ROOT, "%.2f GB", kb * 1024 / 1e9);
      }
    }
    return "unknown";
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static void print(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
    System.out.flush();
  }
}
