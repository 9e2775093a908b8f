package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.benchmodels.ClassifierModel;
import io.vouch.benchmodels.OpGraphs;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.SoftmaxOp;
import io.vouch.zk.InvalidProofException;
import io.vouch.zk.field.Goldilocks;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A softmax's division by its rows' reciprocals (proof format 12): y = ⌊(e·R + 2^(K−1))/2^K⌋ with R
 * = ⌊Q·2^K/E⌋, proved by e·R + 2^(K−1) = 2^K·y + rem value by value (rem ∈ [0, 2^K)), E·R + r1 =
 * Q·2^K and r1 + (E − 1 − r1) = E − 1 row by row (both range-checked). A hostile prover rewrites
 * one row of the committed witness and keeps everything else consistent; each rewrite is refused by
 * the check it targets, and the same rewrite machinery with honest values verifies.
 */
class SoftmaxDivisionTest {
  private static final ZkModel MODEL;
  private static final byte[] X;
  private static final byte[] REQUEST = RandomModels.requestId(93);

  static {
    ClassifierModel m = OpGraphs.SOFTMAX.build(21);
    MODEL = ZkCompiler.compile(OnnxModelFile.parse(m.onnx()), m.inputs(1, 64), 0.9).model();
    X = MODEL.quantizeInput(m.inputs(5, 1)[0]);
  }

  private static final String OUTPUTS = "its outputs are not round(e·R/2^K)";
  private static final String LOOKUPS = "lookups do not match the tables";

  @Test
  void theRowRewrittenWithItsOwnValuesVerifies() {
    ProvedInference p = ZkProver.prove(MODEL, REQUEST, X, rewrite(0, false));
    ZkVerifier.verify(MODEL.verifyingKey(), REQUEST, X, p.logits(), p.proof().toBytes());
  }

  @Test
  void anOutputOneAboveItsDivisionIsRefused() {
    // y + 1 with its remainder kept: e·R + 2^(K−1) ≠ 2^K·y + rem
    assertRefused(valueRewrite(1, 0), OUTPUTS);
  }

  @Test
  void anOutputOneBelowWithItsRemainderRaisedByTwoToTheKIsRefused() {
    // the identity holds, but rem ≥ 2^K leaves its range: only the range check stops it
    assertRefused(valueRewrite(-1, 1), LOOKUPS);
  }

  @Test
  void aReciprocalOneTooLargeIsRefused() {
    // every value's y and rem recomputed for R + 1: r1 = Q·2^K − E·(R + 1) is negative
    assertRefused(rewrite(1, false), LOOKUPS);
  }

  @Test
  void aReciprocalOneTooSmallIsRefused() {
    // every value's y and rem recomputed for R − 1: r1 = Q·2^K − E·(R − 1) ≥ E, so E − 1 − r1 < 0
    assertRefused(rewrite(-1, false), LOOKUPS);
  }

  @Test
  void aReciprocalOffItsRowsDivisionWithInRangeRemaindersIsRefused() {
    // R + 1 with r1 and E − 1 − r1 kept (in range): E·R + r1 ≠ Q·2^K
    assertRefused(rewrite(1, true), OUTPUTS);
  }

  private static void assertRefused(UnaryOperator<long[]> tamper, String reason) {
    ProvedInference p = ZkProver.prove(MODEL, REQUEST, X, tamper);
    assertThatThrownBy(() ->
            ZkVerifier.verify(MODEL.verifyingKey(), REQUEST, X, p.logits(), p.proof().toBytes()))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining(reason);
  }

  private record Softmax(
      SoftmaxOp sm,
      WitnessPlan.Vec[] v,
      WitnessPlan.Layout l,
      WitnessPlan.Layout rl,
      int width,
      int limbs) {
    static Softmax of(WitnessPlan plan) {
      int j = 0;
      while (!(plan.model.ops().get(j) instanceof SoftmaxOp)) {
        j++;
      }
      SoftmaxOp sm = (SoftmaxOp) plan.model.ops().get(j);
      return new Softmax(
          sm,
          plan.vectors[j],
          plan.layoutOf(plan.model.tensorOf(j)),
          WitnessPlan.rowLayout(sm, plan.logWidth),
          plan.width,
          plan.limbs[j]);
    }

    int at(WitnessPlan.Vec vec, int position) {
      return vec.firstRow() * width + position;
    }

    long get(long[] w, int kind, int position) {
      return Goldilocks.toSigned(w[at(v[kind], position)]);
    }
  }

  /**
   * Changes one value's y by {@code dy} and its remainder by {@code dRem}·2^K (a value where the
   * result stays a valid int8 in [0, Q]); everything else as committed.
   */
  private static UnaryOperator<long[]> valueRewrite(int dy, int dRem) {
    Softmax s = Softmax.of(MODEL.plan());
    int k = s.sm().reciprocalShift();
    return w -> {
      for (int i = 0; i < s.sm().outputShape().size(); i++) {
        int p = s.l().physical(i);
        long y = s.get(w, WitnessPlan.SM_Y, p);
        if (y + dy < 0 || y + dy > s.sm().outputMax()) {
          continue;
        }
        long rem = s.get(w, WitnessPlan.SM_REM, p);
        w[s.at(s.v()[WitnessPlan.SM_Y], p)] = Goldilocks.fromSigned(y + dy);
        w[s.at(s.v()[WitnessPlan.SM_REM], p)] = Goldilocks.fromSigned(rem + ((long) dRem << k));
        return w;
      }
      throw new AssertionError("no value to rewrite");
    };
  }

  /**
   * Rewrites the first row with its reciprocal moved by {@code dR}: every value's y and remainder
   * recomputed for it, and the row's r1 and E − 1 − r1 recomputed too unless {@code keepRow}.
   */
  private static UnaryOperator<long[]> rewrite(int dR, boolean keepRow) {
    int row = 0;
    Softmax s = Softmax.of(MODEL.plan());
    SoftmaxOp sm = s.sm();
    int k = sm.reciprocalShift(), n = sm.length();
    long scaled = (long) sm.outputMax() << k;
    assertThat(WitnessPlan.limbs(k)).as("one remainder limb").isEqualTo(1);
    return w -> {
      int rp = s.rl().physical(row);
      int recip = WitnessPlan.smReciprocal(sm), rowRem = WitnessPlan.smRowRemainder(sm);
      long reciprocal = Goldilocks.toSigned(w[s.at(s.v()[recip], rp)]) + dR;
      long sum = 0;
      for (int c = 0; c < n; c++) {
        sum += s.get(w, WitnessPlan.SM_E, s.l().physical(row * n + c));
      }
      w[s.at(s.v()[recip], rp)] = Goldilocks.fromSigned(reciprocal);
      if (!keepRow) {
        long r1 = scaled - sum * reciprocal;
        Witness.putLimbs(w, s.width(), s.v(), rowRem, s.limbs(), rp, r1);
        Witness.putLimbs(w, s.width(), s.v(), rowRem + s.limbs(), s.limbs(), rp, sum - 1 - r1);
      }
      for (int c = 0; c < n; c++) {
        int p = s.l().physical(row * n + c);
        long e = s.get(w, WitnessPlan.SM_E, p);
        long y = sm.divide(e, reciprocal);
        w[s.at(s.v()[WitnessPlan.SM_Y], p)] = Goldilocks.fromSigned(y);
        w[s.at(s.v()[WitnessPlan.SM_REM], p)] =
            Goldilocks.fromSigned(e * reciprocal + (1L << (k - 1)) - (y << k));
      }
      return w;
    };
  }
}
