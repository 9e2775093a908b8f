package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.benchmodels.ZkBenchmarkModels;
import io.vouch.onnx.quant.ElementwiseOp;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.WiringOp;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The verifier's prepared key ({@link PreparedKey}): computed from the key alone, it gives the same
 * field elements as the per-proof computation it replaces, and it cannot be used to accept a proof
 * made for another model.
 */
class PreparedKeyTest {
  private static GoldilocksExt2[] randomPoint(SplittableRandom rnd, int n) {
    GoldilocksExt2[] r = new GoldilocksExt2[n];
    for (int i = 0; i < n; i++) {
      r[i] =
          new GoldilocksExt2(
              Goldilocks.reduce64(rnd.nextLong()), Goldilocks.reduce64(rnd.nextLong()));
    }
    return r;
  }

  /** Every op's bias term from the prepared factors equals the term summed value by value. */
  private static int checkBiasTerms(IntegerModel model, SplittableRandom rnd) {
    ZkModel zk = ZkModel.register(model);
    WitnessPlan plan = zk.verifyingKey().plan();
    PreparedKey prepared = zk.verifyingKey().prepared();
    int checked = 0;
    for (int j = 0; j < model.ops().size(); j++) {
      IntegerOp op = model.ops().get(j);
      long[] b = Relations.biasOf(op);
      if (b == null || plan.isPublic(model.tensorOf(j))) {
        continue;
      }
      WitnessPlan.Layout lo = plan.layoutOf(model.tensorOf(j));
      for (int trial = 0; trial < 3; trial++) {
        GoldilocksExt2[] r = randomPoint(rnd, lo.domainBits());
        assertThat(prepared.biasTerm(j, lo, r))
            .as("op %d (%s)", j, op.kind())
            .isEqualTo(Relations.biasTerm(lo, r, b, op, !plan.prePool[j]));
      }
      checked++;
    }
    return checked;
  }

  @Test
  void biasTermsEqualTheValueByValueSumOnRandomGraphs() {
    SplittableRandom rnd = new SplittableRandom(17);
    int checked = 0;
    for (long seed = 1; seed <= 40; seed++) {
      checked += checkBiasTerms(RandomGraphs.graph(seed), rnd);
    }
    assertThat(checked).isGreaterThan(40);
  }

  @Test
  void biasTermsEqualTheValueByValueSumOnTheBenchmarkModels() {
    SplittableRandom rnd = new SplittableRandom(19);
    for (ZkBenchmarkModels.Kind kind :
        new ZkBenchmarkModels.Kind[] {
          ZkBenchmarkModels.Kind.LENET5, ZkBenchmarkModels.Kind.TRANSFORMER_250K
        }) {
      assertThat(checkBiasTerms(kind.build().model(), rnd)).as(kind.name()).isGreaterThan(3);
    }
  }

  /** A bias that is neither per channel nor shared by the channels keeps every product. */
  @Test
  void aBiasThatDoesNotFactorIsKeptPerValue() {
    WitnessPlan.Layout l = new WitnessPlan.Layout(3, 5, 8, 5);
    long[] bias = new long[15];
    for (int i = 0; i < bias.length; i++) {
      bias[i] = i * i - 7;
    }
    ElementwiseOp op = null;
    for (long seed = 1; seed <= 40 && op == null; seed++) {
      for (IntegerOp o : RandomGraphs.graph(seed).ops()) {
        if (o instanceof ElementwiseOp e && e.requantization() != null) {
          op = e;
          break;
        }
      }
    }
    assertThat(op).isNotNull();
    PreparedKey.Bias factored = PreparedKey.factor(l, bias, op, true);
    assertThat(factored.full()).isNotNull();
    long[] uniform = new long[15];
    Arrays.fill(uniform, 9);
    assertThat(PreparedKey.factor(l, uniform, op, true).full()).isNull();
  }

  /** The prepared wiring maps are the ops' own source maps in physical indices. */
  @Test
  void wiringMapsAreTheOpsSourceMaps() {
    int wirings = 0;
    for (long seed = 1; seed <= 40; seed++) {
      IntegerModel model = RandomGraphs.graph(seed);
      ZkModel zk = ZkModel.register(model);
      WitnessPlan plan = zk.verifyingKey().plan();
      PreparedKey prepared = zk.verifyingKey().prepared();
      for (int j = 0; j < model.ops().size(); j++) {
        if (!(model.ops().get(j) instanceof WiringOp w) || plan.isPublic(model.tensorOf(j))) {
          continue;
        }
        wirings++;
        WitnessPlan.Layout lo = plan.layoutOf(model.tensorOf(j));
        int[] at = new int[w.inputs().length];
        for (int v = 0; v < w.outputShape().size(); v++) {
          int i = w.sourceInputAt(v);
          if (i < 0) {
            continue;
          }
          WitnessPlan.Layout li = plan.layoutOf(w.inputs()[i]);
          assertThat(prepared.wiringOutputs(j, i)[at[i]]).isEqualTo(lo.physical(v));
          assertThat(prepared.wiringSources(j, i)[at[i]])
              .isEqualTo(li.physical(w.sourceIndexAt(v)));
          at[i]++;
        }
        for (int i = 0; i < at.length; i++) {
          assertThat(prepared.wiringOutputs(j, i)).hasSize(at[i]);
        }
      }
    }
    assertThat(wirings).isGreaterThan(5);
  }

  /**
   * Both wiring sums (one eq table over ρ's domain, or eq from two half tables per copy) are the
   * same field element.
   */
  @Test
  void wiringSumsAgreeBetweenTheTwoEvaluations() {
    SplittableRandom rnd = new SplittableRandom(23);
    for (int k = 1; k <= 12; k++) {
      GoldilocksExt2[] rho = randomPoint(rnd, k);
      GoldilocksExt2[] r = randomPoint(rnd, 6);
      long[] eqR = io.vouch.zk.field.Multilinear.eqTable(r);
      for (int copies : new int[] {1, 3, (1 << k) / 3 + 1, 1 << k}) {
        int[] out = new int[copies], in = new int[copies];
        GoldilocksExt2 expected = GoldilocksExt2.ZERO;
        long[] eqRho = io.vouch.zk.field.Multilinear.eqTable(rho);
        for (int v = 0; v < copies; v++) {
          out[v] = rnd.nextInt(64);
          in[v] = rnd.nextInt(1 << k);
          expected =
              expected.add(GoldilocksExt2.at(eqR, out[v]).mul(GoldilocksExt2.at(eqRho, in[v])));
        }
        long[] g = ZkVerifier.wiringSumForTest(eqR, out, in, rho);
        assertThat(new GoldilocksExt2(g[0], g[1])).isEqualTo(expected);
      }
    }
  }

  /**
   * A key prepared by verifying its own model's proofs refuses a proof for another model (and the
   * other model's key, prepared too, still accepts it): the preparation lives in the key it was
   * computed from.
   */
  @Test
  void aPreparedKeyRefusesAProofForAnotherModel() {
    IntegerModel a = RandomGraphs.graph(3);
    IntegerModel b = RandomGraphs.graph(4);
    ZkModel za = ZkModel.register(a);
    ZkModel zb = ZkModel.register(b);
    byte[] request = RandomModels.requestId(7);
    byte[] xa = RandomGraphs.input(a, 3);
    byte[] xb = RandomGraphs.input(b, 4);
    ProvedInference pa = ZkProver.prove(za, request, xa);
    ProvedInference pb = ZkProver.prove(zb, request, xb);
    byte[] proofA = pa.proof().toBytes();
    byte[] proofB = pb.proof().toBytes();
    // prepare both keys by verifying their own proofs
    assertThat(ZkVerifier.isValid(za.verifyingKey(), request, xa, pa.logits(), proofA)).isTrue();
    assertThat(ZkVerifier.isValid(zb.verifyingKey(), request, xb, pb.logits(), proofB)).isTrue();
    assertThat(za.verifyingKey().prepared()).isNotSameAs(zb.verifyingKey().prepared());
    if (xa.length == xb.length) {
      assertThat(ZkVerifier.isValid(za.verifyingKey(), request, xb, pb.logits(), proofB)).isFalse();
    }
    if (xb.length == xa.length) {
      assertThat(ZkVerifier.isValid(zb.verifyingKey(), request, xa, pa.logits(), proofA)).isFalse();
    }
    // the statement of the other proof under this key (same input and outputs where they fit)
    assertThat(safeIsValid(za.verifyingKey(), request, xa, pa.logits(), proofB)).isFalse();
    assertThat(safeIsValid(zb.verifyingKey(), request, xb, pb.logits(), proofA)).isFalse();
    // and the keys still accept their own proofs afterwards
    assertThat(ZkVerifier.isValid(za.verifyingKey(), request, xa, pa.logits(), proofA)).isTrue();
    assertThat(ZkVerifier.isValid(zb.verifyingKey(), request, xb, pb.logits(), proofB)).isTrue();
  }

  private static boolean safeIsValid(
      VerifyingKey key, byte[] request, byte[] x, long[] logits, byte[] proof) {
    try {
      return ZkVerifier.isValid(key, request, x, logits, proof);
    } catch (IllegalArgumentException e) {
      return false; // a statement of the wrong shape for this key
    }
  }
}
