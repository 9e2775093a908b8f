package io.vouch.bench.zk;

import io.vouch.benchmodels.ZkBenchmarkModels;
import io.vouch.benchmodels.ZkBenchmarkModels.BenchModel;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.zk.mlp.ProvedInference;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkProver;
import io.vouch.zk.mlp.ZkVerifier;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One trial of the bisection for the free heap a proof needs beyond the loaded model, run by {@code
 * bench/run-zkml-heap.sh} in a fresh JVM per trial: {@code java -XX:+UseSerialGC -Xms<H> -Xmx<H>
 * -Xmn8m -XX:SurvivorRatio=6 -cp bench/target/vouch-benchmarks.jar io.vouch.bench.zk.ZkmlHeapProbe
 * MODEL HEADROOM_KB PROOFS [WARMUP_PROOFS [prove|infer]]}.
 *
 * <p>Builds and registers the model, drops everything but the registered model and the input,
 * forces a full collection (with the serial collector, used heap after {@code System.gc()} is the
 * live data: the loaded model), then fills the heap with ballast until only {@code HEADROOM_KB} of
 * {@link Runtime#maxMemory()} is free, and proves {@code PROOFS} times (the proof includes its
 * serialization, as in {@link ZkmlBenchmarks#prove}); the last proof must verify. With {@code
 * WARMUP_PROOFS} = 0 (the default) nothing is proved before the ballast, so lazily built prover
 * state (twiddle tables, say) counts against the headroom and the proofs run mostly interpreted (no
 * escape analysis); warm-up proofs before the ballast give the figure of a warm prover. The {@code
 * infer} workload runs integer inferences of the same model instead of proofs: a JVM that keeps
 * almost nothing live still needs some free heap (thread-local allocation buffers, the collector's
 * spaces), and the smallest headroom of that workload is the floor to subtract from the proofs' to
 * get the peak live heap of a proof. Also printed: the bytes allocated per measured proof by all
 * threads, and by the prover's helper thread alone. Exit 0: everything fitted; exit 3: {@link
 * OutOfMemoryError}.
 */
public final class ZkmlHeapProbe {
  static final int OUT_OF_MEMORY = 3;
  private static final int CHUNK = 1 << 20;
  private static final int MIN_CHUNK = 4 << 10;

  /**
   * The {@code infer} workload: integer inferences per "proof", enough to allocate more than a
   * proof does, so that it goes through as many collections; its smallest headroom is the floor the
   * collector and thread-local allocation buffers need whatever runs.
   */
  static final int INFERENCES_PER_PROOF = 200;

  private ZkmlHeapProbe() {}

  public static void main(String[] args) {
    if (args.length < 3 || args.length > 5) {
      System.err.println(
          "usage: ZkmlHeapProbe MODEL HEADROOM_KB PROOFS [WARMUP_PROOFS [prove|infer]]");
      System.exit(2);
    }
    ZkBenchmarkModels.Kind kind = ZkBenchmarkModels.Kind.valueOf(args[0]);
    long headroom = Long.parseLong(args[1]) * 1024;
    int proofs = Integer.parseInt(args[2]);
    int warmup = args.length >= 4 ? Integer.parseInt(args[3]) : 0;
    boolean infer = args.length == 5 && args[4].equals("infer");
    if (args.length == 5 && !infer && !args[4].equals("prove")) {
      System.err.println("workload must be prove or infer: " + args[4]);
      System.exit(2);
    }

    Loaded loaded = load(kind);
    ZkModel registered = loaded.registered();
    byte[] input = loaded.input();
    loaded = null;
    byte[] requestId = new byte[32];
    Arrays.fill(requestId, (byte) 0x5a);
    long[] expected = IntegerEngine.run(registered.integerModel(), input);
    for (int i = 0; i < warmup; i++) {
      if (infer) {
        IntegerEngine.run(registered.integerModel(), input);
      } else {
        prove(registered, requestId, input);
      }
    }

    // looked up (and the counters read once) before the heap is full
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long helper =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("vouch-zk-helper"))
            .mapToLong(Thread::threadId)
            .findFirst()
            .orElse(-1);
    threads.getTotalThreadAllocatedBytes();
    if (helper >= 0) {
      threads.getThreadAllocatedBytes(helper);
    }
    List<byte[]> ballast = new ArrayList<>();
    long ballastBytes = 0;
    long used = liveAfterFullGc();
    int chunk = CHUNK;
    // a few rounds: the first fill's pressure clears soft references (JDK caches) that a full
    // collection on an empty heap keeps, which frees room to fill again; smaller chunks when the
    // last free space is split between generations
    for (int round = 0; round < 16 && chunk >= MIN_CHUNK; round++) {
      long toFill = Runtime.getRuntime().maxMemory() - used - headroom;
      if (toFill < 64) {
        break;
      }
      try {
        while (toFill >= 64) {
          // an array costs its length plus a 16-byte header
          int size = (int) Math.min(chunk, toFill - 16);
          ballast.add(new byte[size]);
          ballastBytes += size + 16L;
          toFill -= size + 16L;
        }
      } catch (OutOfMemoryError e) {
        chunk /= 2;
      }
      used = liveAfterFullGc();
    }
    long model = used - ballastBytes;
    long free = Runtime.getRuntime().maxMemory() - used;

    int proved = 0; // proofs, or rounds of inferences
    byte[] proof = null;
    long[] logits = null;
    boolean outOfMemory = false;
    long allocatedBefore = threads.getTotalThreadAllocatedBytes();
    long helperBefore = helper < 0 ? 0 : threads.getThreadAllocatedBytes(helper);
    try {
      for (; proved < proofs; proved++) {
        proof = null; // the previous proof is garbage while the next one is made, as on a node
        if (infer) {
          for (int i = 0; i < INFERENCES_PER_PROOF; i++) {
            logits = IntegerEngine.run(registered.integerModel(), input);
          }
        } else {
          proof = prove(registered, requestId, input);
        }
      }
    } catch (OutOfMemoryError e) {
      outOfMemory = true;
    }
    long allocated = threads.getTotalThreadAllocatedBytes() - allocatedBefore;
    long helperAllocated = helper < 0 ? 0 : threads.getThreadAllocatedBytes(helper) - helperBefore;
    int chunks = ballast.size();
    ballast = null;
    System.out.printf(
        Locale.ROOT,
        "model=%s maxMemory=%d loadedModel=%d free=%d headroomRequested=%d ballastChunks=%d"
            + " warmup=%d proofs=%d/%d allocatedPerProof=%d helperAllocatedPerProof=%d %s%n",
        kind,
        Runtime.getRuntime().maxMemory(),
        model,
        free,
        headroom,
        chunks,
        warmup,
        proved,
        proofs,
        allocated / Math.max(1, proved),
        helperAllocated / Math.max(1, proved),
        outOfMemory ? "OUT_OF_MEMORY" : "OK");
    if (outOfMemory) {
      System.exit(OUT_OF_MEMORY);
    }
    // the proofs are real: the last one verifies (after the ballast is released)
    if (infer
        ? !Arrays.equals(logits, expected)
        : !ZkVerifier.isValid(registered.verifyingKey(), requestId, input, expected, proof)) {
      System.err.println("the last proof does not verify");
      System.exit(1);
    }
  }

  private record Loaded(ZkModel registered, byte[] input) {}

  /** In its own frame, so that nothing of the build (ONNX model, calibration) stays reachable. */
  private static Loaded load(ZkBenchmarkModels.Kind kind) {
    BenchModel bench = kind.build();
    return new Loaded(ZkModel.register(bench.model()), bench.input());
  }

  /** One proof with its serialization, as {@link ZkmlBenchmarks#prove}. */
  private static byte[] prove(ZkModel registered, byte[] requestId, byte[] input) {
    ProvedInference p = ZkProver.prove(registered, requestId, input);
    return p.proof().toBytes();
  }

  /** Used heap after two full collections: with the serial collector, the live data. */
  static long liveAfterFullGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
