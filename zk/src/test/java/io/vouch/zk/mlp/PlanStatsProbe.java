package io.vouch.zk.mlp;

import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.build.SequenceModels;

/** Prints where a model's committed values and lookups go (a main for tuning). */
public final class PlanStatsProbe {
  public static void main(String[] args) {
    var m = SequenceModels.transformerEncoder(7);
    var zk = ZkCompiler.compile(OnnxModelFile.parse(m.onnx()), m.inputs(1, 128), 0.99).model();
    WitnessPlan plan = zk.plan();
    System.out.println(
        "width "
            + plan.width
            + " rows "
            + plan.rowCount
            + " committed "
            + (long) plan.rowCount * plan.width
            + " leaves "
            + plan.usedLeaves
            + " instances "
            + plan.instances.size());
    java.util.Map<String, long[]> byKind = new java.util.TreeMap<>();
    for (int j = 0; j < plan.model.ops().size(); j++) {
      var op = plan.model.ops().get(j);
      long rows = 0;
      for (var v : plan.vectors[j]) rows += v.rows();
      byKind.computeIfAbsent(op.kind(), k -> new long[3])[0] += rows * plan.width;
    }
    for (var slot : plan.slots) {
      // attribute leaves by the op owning the first column
      int row = slot.columns()[0].firstRow();
      for (int j = 0; j < plan.model.ops().size(); j++) {
        for (var v : plan.vectors[j]) {
          if (v.firstRow() == row)
            byKind.get(plan.model.ops().get(j).kind())[1] +=
                (long) slot.columns()[0].rows() * plan.width;
        }
      }
    }
    byKind.forEach((k, v) -> System.out.println(k + ": committed " + v[0] + " leaves " + v[1]));
    System.out.println(Soundness.terms(plan));
  }
}
