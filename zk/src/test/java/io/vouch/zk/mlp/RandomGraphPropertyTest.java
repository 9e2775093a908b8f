package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.onnx.quant.DenseOp;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.MatMulOp;
import io.vouch.onnx.quant.TableOp;
import io.vouch.zk.field.Goldilocks;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random DAGs ({@link RandomGraphs}: several inputs and outputs, convolutions of every
 * geometry, pooling, residual and per-channel elementwise ops, wiring): the honest proof verifies
 * and its outputs are the reference engine's; a wrong output, a changed committed value anywhere in
 * the witness, a proof for another input, and a proof for another request are all refused.
 */
class RandomGraphPropertyTest {
  static LongStream seeds() {
    return LongStream.range(1, 81);
  }

  @Test
  void theSeedsCoverEveryOpKindPublicTablesAndInt8Outputs() {
    Set<String> seen = new TreeSet<>();
    for (long seed : seeds().toArray()) {
      IntegerModel model = RandomGraphs.graph(seed);
      WitnessPlan plan = WitnessPlan.of(model);
      for (int j = 0; j < model.ops().size(); j++) {
        IntegerOp op = model.ops().get(j);
        seen.add(op.getClass().getSimpleName());
        if (op instanceof MatMulOp mm && mm.batch() > 1) {
          seen.add("batched MatMulOp");
        }
        if (op instanceof io.vouch.onnx.quant.SoftmaxOp sm && sm.batch() > 1) {
          seen.add("batched SoftmaxOp");
        }
        if (op instanceof io.vouch.onnx.quant.LayerNormOp ln && ln.batch() > 1) {
          seen.add("batched LayerNormOp");
        }
        if (op instanceof DenseOp d && d.rows() > 1) {
          seen.add("row-wise DenseOp");
        }
        if (op instanceof io.vouch.onnx.quant.ElementwiseOp && plan.isPublic(model.tensorOf(j))) {
          seen.add("public elementwise");
        }
        if (op instanceof TableOp && plan.isPublic(model.tensorOf(j))) {
          seen.add("public table");
        }
        if (Relations.isInt8Output(model, j)) {
          seen.add("int8 output");
        }
      }
    }
    assertThat(seen)
        .contains(
            "ConvOp",
            "MaxPoolOp",
            "AveragePoolOp",
            "ElementwiseOp",
            "WiringOp",
            "TableOp",
            "ProductOp",
            "MatMulOp",
            "batched MatMulOp",
            "SoftmaxOp",
            "LayerNormOp",
            "batched LayerNormOp",
            "batched SoftmaxOp",
            "row-wise DenseOp",
            "DenseOp",
            "public table",
            "GatherOp",
            "public elementwise",
            "int8 output");
  }

  /**
   * Whether a witness entry is one no relation reads: a per-row vector's positions beyond its cube
   * of rows (its domain is padded up to the witness width; what sits there proves nothing).
   */
  /** Whether byte i of the statement's input belongs to an index input (token ids). */
  static boolean isIndexByte(IntegerModel model, int i) {
    int at = 0;
    for (var in : model.inputs()) {
      int n = in.shape().size() * in.bytesPerValue();
      if (i < at + n) {
        return in.isIndex();
      }
      at += n;
    }
    return false;
  }

  static boolean unread(WitnessPlan plan, int entry) {
    for (int j = 0; j < plan.model.ops().size(); j++) {
      IntegerOp op = plan.model.ops().get(j);
      WitnessPlan.Vec[] v = plan.vectors[j];
      for (int k = plan.kinds(j); k < v.length; k++) {
        WitnessPlan.Layout l = WitnessPlan.rowLayout(op, plan.logWidth);
        int from = v[k].firstRow() * plan.width;
        int cube = WitnessPlan.nextPowerOfTwo(l.channels()) * l.stride();
        if (entry >= from + cube && entry < from + v[k].rows() * plan.width) {
          return true;
        }
      }
    }
    return false;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void honestProofsVerifyAndEverythingElseIsRefused(long seed) {
    IntegerModel model = RandomGraphs.graph(seed);
    ZkModel zk = ZkModel.register(model);
    byte[] x = RandomGraphs.input(model, seed);
    byte[] request = RandomModels.requestId(seed);
    ProvedInference proved = ZkProver.prove(zk, request, x);
    byte[] proof = proved.proof().toBytes();
    VerifyingKey key = zk.verifyingKey();
    assertThat(proved.logits()).containsExactly(IntegerEngine.run(model, x));
    assertThat(ZkVerifier.isValid(key, request, x, proved.logits(), proof))
        .as("seed " + seed + ": " + model.ops())
        .isTrue();

    var rnd = new SplittableRandom(seed * 31);
    long[] wrong = proved.logits();
    wrong[rnd.nextInt(wrong.length)] += rnd.nextBoolean() ? 1 : -1;
    assertThat(ZkVerifier.isValid(key, request, x, wrong, proof)).as("wrong output").isFalse();

    byte[] otherInput = x.clone();
    int flip = rnd.nextInt(x.length);
    while (isIndexByte(model, flip)) {
      flip = rnd.nextInt(x.length);
    }
    otherInput[flip] ^= 1;
    assertThat(ZkVerifier.isValid(key, request, otherInput, proved.logits(), proof))
        .as("other input")
        .isFalse();

    if (model.inputs().get(model.inputs().size() - 1).isIndex()) {
      // another token (still a valid id): the embedding the verifier computes differs
      var tokens = model.inputs().get(model.inputs().size() - 1);
      int n = tokens.shape().size();
      int at = x.length - 4 * n;
      int p = rnd.nextInt(n);
      int id = IntegerModel.index(java.util.Arrays.copyOfRange(x, at, x.length), p);
      int next = (id + 1) % tokens.indexRange();
      byte[] otherTokens = x.clone();
      otherTokens[at + 4 * p] = (byte) next;
      otherTokens[at + 4 * p + 1] = (byte) (next >>> 8);
      if (next != id) {
        assertThat(ZkVerifier.isValid(key, request, otherTokens, proved.logits(), proof))
            .as("other tokens")
            .isFalse();
      }
    }

    byte[] otherRequest = request.clone();
    otherRequest[0] ^= 1;
    assertThat(ZkVerifier.isValid(key, otherRequest, x, proved.logits(), proof))
        .as("other request")
        .isFalse();

    WitnessPlan plan = zk.plan();
    int entry = rnd.nextInt(plan.rowCount * plan.width);
    while (unread(plan, entry)) {
      entry = rnd.nextInt(plan.rowCount * plan.width);
    }
    long delta = 1 + rnd.nextInt(300);
    int at = entry;
    UnaryOperator<long[]> tamper =
        w -> {
          w[at] = Goldilocks.add(w[at], delta);
          return w;
        };
    ProvedInference cheat = ZkProver.prove(zk, request, x, tamper);
    assertThat(ZkVerifier.isValid(key, request, x, cheat.logits(), cheat.proof().toBytes()))
        .as("seed " + seed + ": witness entry " + entry + " changed by " + delta)
        .isFalse();
  }
}
