package io.vouch.bench.zk;

import io.vouch.benchmodels.ZkBenchmarkModels;
import io.vouch.benchmodels.ZkBenchmarkModels.BenchModel;
import io.vouch.zk.exec.Parallel;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkModel.WeightForm;
import io.vouch.zk.mlp.ZkProver;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * A/B of the registered weight forms in one JVM: the same model registered {@link
 * WeightForm#ENCODED} and {@link WeightForm#COMPACT}, proved alternately on this thread ({@link
 * Parallel#onThisThread}), each proof's thread CPU time recorded; prints the medians, their ratio
 * and whether the proofs were byte-identical. Alternating in one process puts both forms under the
 * same load, which a loaded machine needs. Arguments: {@code MODEL [ROUNDS]}, MODEL a {@link
 * ZkBenchmarkModels.Kind}.
 */
public final class WeightFormAb {
  private WeightFormAb() {}

  public static void main(String[] args) {
    ZkBenchmarkModels.Kind kind = ZkBenchmarkModels.Kind.valueOf(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    BenchModel bench = kind.build();
    ZkModel encoded = ZkModel.register(bench.model(), WeightForm.ENCODED);
    ZkModel compact = ZkModel.register(bench.model(), WeightForm.COMPACT);
    byte[] input = bench.input();
    byte[] request = new byte[32];
    Arrays.fill(request, (byte) 0x5a);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[][] cpu = new double[2][rounds];
    byte[][] last = new byte[2][];
    ZkModel[] forms = {encoded, compact};
    for (int i = -rounds / 4; i < rounds; i++) {
      for (int f = 0; f < 2; f++) {
        ZkModel zk = forms[(i & 1) == 0 ? f : 1 - f];
        int which = zk == encoded ? 0 : 1;
        long c = threads.getCurrentThreadCpuTime();
        byte[] proof =
            Parallel.onThisThread(() -> ZkProver.prove(zk, request, input).proof().toBytes());
        if (i >= 0) {
          cpu[which][i] = (threads.getCurrentThreadCpuTime() - c) / 1e6;
        }
        last[which] = proof;
      }
    }
    double a = median(cpu[0]), b = median(cpu[1]);
    System.out.printf(
        Locale.ROOT,
        "%s: %d rounds alternating, one thread; CPU per proof (median) ENCODED %.2f ms, COMPACT"
            + " %.2f ms, COMPACT ÷ ENCODED %.3f; weight commitments %,d vs %,d bytes; proofs"
            + " byte-identical: %s; load average %.2f%n",
        kind,
        rounds,
        a,
        b,
        b / a,
        encoded.weightCommitmentBytes(),
        compact.weightCommitmentBytes(),
        Arrays.equals(last[0], last[1]),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
