package io.vouch.zk.mlp;

import io.vouch.benchmodels.ZkBenchmarkModels;
import io.vouch.onnx.quant.IntegerModel;

/**
 * Prints, for a benchmark model batched at 1, 8 and 32 items ({@link BatchedModel}), the witness
 * and lookups of the plan, the proof bytes and the soundness per component (a main for
 * bench/README.md's "Batch proving"). Arguments: the model kind (default LENET5), then the batch
 * sizes (default 1 8 32).
 */
public final class BatchPlanProbe {
  public static void main(String[] args) {
    ZkBenchmarkModels.Kind kind =
        ZkBenchmarkModels.Kind.valueOf(args.length > 0 ? args[0] : "LENET5");
    ZkBenchmarkModels.BenchModel bench = kind.build();
    int[] sizes =
        args.length > 1
            ? java.util.Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
            : new int[] {1, 8, 32};
    for (int items : sizes) {
      IntegerModel batched = BatchedModel.of(bench.model(), items);
      ZkModel zk = ZkModel.register(batched);
      byte[] x = new byte[items * bench.input().length];
      for (int n = 0; n < items; n++) {
        System.arraycopy(bench.input(), 0, x, n * bench.input().length, bench.input().length);
      }
      int bytes = ZkProver.prove(zk, new byte[32], x).proof().toBytes().length;
      System.out.println(kind + " × " + items + ": proof " + bytes + " bytes");
      PlanStatsProbe.report(kind + " × " + items, zk);
    }
  }
}
