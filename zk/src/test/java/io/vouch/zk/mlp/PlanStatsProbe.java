package io.vouch.zk.mlp;

import io.vouch.benchmodels.SequenceModels;
import io.vouch.onnx.OnnxModelFile;

/**
 * Prints where the sequence models' (or, with the argument {@code cnn}, LeNet-5's and the 264k
 * CNN's) committed values and lookups go, and their soundness per component in bits (a main for
 * tuning and for zk/README.md's table).
 */
public final class PlanStatsProbe {
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("cnn")) {
      for (var m :
          java.util.List.of(
              io.vouch.benchmodels.ConvNets.lenet5(5), io.vouch.benchmodels.ConvNets.cnn264k(5))) {
        report(
            m.name(),
            ZkCompiler.compile(OnnxModelFile.parse(m.onnx()), m.inputs(1, 128), 0.99).model());
      }
      return;
    }
    var t = SequenceModels.transformerEncoder(7);
    report(
        "TRANSFORMER_250K",
        ZkCompiler.compile(OnnxModelFile.parse(t.onnx()), t.inputs(1, 128), 0.99).model());
    var k = SequenceModels.keywordSpotter(7);
    report(
        "KWS_HEAD",
        ZkCompiler.compile(OnnxModelFile.parse(k.onnx()), k.inputs(1, 128), 0.99).model());
  }

  static void report(String name, ZkModel zk) {
    WitnessPlan plan = zk.plan();
    System.out.println(
        name
            + ": width "
            + plan.width
            + ", rows "
            + plan.rowCount
            + ", committed "
            + (long) plan.rowCount * plan.width
            + ", lookup leaves "
            + plan.usedLeaves
            + " in "
            + plan.instances.size()
            + " GKRs");
    java.util.Map<String, long[]> byKind = new java.util.TreeMap<>();
    for (int j = 0; j < plan.model.ops().size(); j++) {
      long rows = 0;
      for (var v : plan.vectors[j]) {
        rows += v.rows();
      }
      byKind.computeIfAbsent(plan.model.ops().get(j).kind(), x -> new long[1])[0] +=
          rows * plan.width;
    }
    byKind.forEach((kind, v) -> System.out.println("  " + kind + ": committed " + v[0]));
    for (int j = 0; j < plan.model.ops().size(); j++) {
      if (plan.fusedPool(j)) {
        System.out.println(
            "  op "
                + j
                + ": pooled before requantizing, differences of "
                + plan.diffBits[j]
                + " bits in "
                + plan.diffLimbs(j)
                + " limb(s)");
      }
    }
    double total = 0;
    for (var e : Soundness.terms(plan).entrySet()) {
      total += e.getValue();
      System.out.printf(
          "  %s: 2^%.1f%n",
          e.getKey(), e.getValue() == 0 ? 0 : Math.log(e.getValue()) / Math.log(2));
    }
    System.out.printf(
        "  total: 2^%.1f (%.1f bits)%n", Math.log(total) / Math.log(2), Soundness.bits(plan));
  }
}
