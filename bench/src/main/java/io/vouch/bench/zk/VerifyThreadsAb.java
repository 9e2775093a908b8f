package io.vouch.bench.zk;

import io.vouch.benchmodels.ZkBenchmarkModels;
import io.vouch.benchmodels.ZkBenchmarkModels.BenchModel;
import io.vouch.zk.exec.Parallel;
import io.vouch.zk.mlp.ProvedInference;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkProver;
import io.vouch.zk.mlp.ZkVerifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A/B of the verifier's deferred checks in one JVM: the same proof verified with the checks handed
 * to the helper thread as the verifier meets them (as {@link ZkVerifier} runs) and with every check
 * on the calling thread ({@link Parallel#onThisThread}), alternately (A B B A ...), each
 * verification's wall-clock time recorded; prints the medians and their ratio. Alternating in one
 * process puts both under the same load, which a loaded machine needs (JMH's {@code verify} and
 * {@code verifyOnOneThread} run minutes apart). It proves once, before measuring: verify ÷ prove is
 * {@code vouch bench zkml}'s. Arguments: {@code MODEL... [--rounds N]} (400 by default, after as
 * many of warm-up), MODEL a {@link ZkBenchmarkModels.Kind}.
 */
public final class VerifyThreadsAb {
  private VerifyThreadsAb() {}

  public static void main(String[] args) {
    int rounds = 400;
    List<ZkBenchmarkModels.Kind> kinds = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--rounds")) {
        rounds = Integer.parseInt(args[++i]);
      } else {
        kinds.add(ZkBenchmarkModels.Kind.valueOf(args[i]));
      }
    }
    for (ZkBenchmarkModels.Kind kind : kinds) {
      System.out.println(run(kind, rounds));
    }
  }

  /** Medians of {@code rounds} verifications each way, after as many of warm-up. */
  static String run(ZkBenchmarkModels.Kind kind, int rounds) {
    BenchModel bench = kind.build();
    ZkModel zk = ZkModel.register(bench.model());
    byte[] input = bench.input();
    byte[] request = new byte[32];
    Arrays.fill(request, (byte) 0x5a);
    ProvedInference proved = ZkProver.prove(zk, request, input);
    byte[] proof = proved.proof().toBytes();
    Runnable helper =
        () -> ZkVerifier.verify(zk.verifyingKey(), request, input, proved.logits(), proof);
    Runnable inline =
        () ->
            Parallel.onThisThread(() -> {
              helper.run();
              return null;
            });
    long[][] times = new long[2][rounds];
    for (int i = -rounds; i < rounds; i++) {
      for (int k = 0; k < 2; k++) {
        int which = (i & 1) == 0 ? k : 1 - k;
        long start = System.nanoTime();
        (which == 0 ? helper : inline).run();
        long took = System.nanoTime() - start;
        if (i >= 0) {
          times[which][i] = took;
        }
      }
    }
    double withHelper = median(times[0]), oneThread = median(times[1]);
    return String.format(
        Locale.ROOT,
        "%-16s verify %.3f ms (deferred checks on the helper) vs %.3f ms (one thread): %.2f;"
            + " medians of %d rounds",
        kind,
        withHelper / 1e6,
        oneThread / 1e6,
        withHelper / oneThread,
        rounds);
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }
}
