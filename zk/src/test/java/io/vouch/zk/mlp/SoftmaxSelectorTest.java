package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.benchmodels.ClassifierModel;
import io.vouch.benchmodels.OpGraphs;
import io.vouch.benchmodels.SequenceModels;
import io.vouch.benchmodels.SequenceModels.EncoderShape;
import io.vouch.benchmodels.TokenClassifier;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.ModelOutput;
import io.vouch.onnx.quant.SoftmaxOp;
import io.vouch.zk.InvalidProofException;
import io.vouch.zk.field.Goldilocks;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A softmax's row maximum is proved by its selector (proof format 9): a prover that raises one
 * row's maximum by one — every other committed value of the row recomputed to match, so that only
 * the maximum is false — is refused whether its selector stays where it was, moves to a padding
 * column or is dropped; the same rewrite with the true maximum verifies, so the refusals come from
 * the selector's checks and not from the rewrite.
 */
class SoftmaxSelectorTest {
  /** Rows of 36 values (padding columns 36..63) over a Conv's requantized outputs. */
  private static final ZkModel MODEL;

  private static final byte[] X;
  private static final byte[] REQUEST = RandomModels.requestId(91);

  static {
    ClassifierModel m = OpGraphs.SOFTMAX.build(21);
    MODEL = ZkCompiler.compile(OnnxModelFile.parse(m.onnx()), m.inputs(1, 64), 0.9).model();
    X = MODEL.quantizeInput(m.inputs(5, 1)[0]);
  }

  private enum Selector {
    KEPT,
    ON_PADDING,
    DROPPED
  }

  @Test
  void theRewriteWithTheTrueMaximumVerifies() {
    ProvedInference p = ZkProver.prove(MODEL, REQUEST, X, rewrite(0, Selector.KEPT));
    ZkVerifier.verify(MODEL.verifyingKey(), REQUEST, X, p.logits(), p.proof().toBytes());
  }

  @Test
  void aMaximumAboveEveryValueIsRefusedWithTheSelectorWhereItWas() {
    assertRefused(rewrite(1, Selector.KEPT), "some row's maximum is none of its values");
  }

  @Test
  void aSelectorMovedToAPaddingColumnIsRefused() {
    // the padding column's d is 0 (its lookup allows [−256, 0]): without the check's 257 there,
    // this selector would pass
    assertRefused(rewrite(1, Selector.ON_PADDING), "some row's maximum is none of its values");
  }

  @Test
  void aRowWithoutASelectorIsRefused() {
    assertRefused(rewrite(1, Selector.DROPPED), "a row's selector does not sum to one");
  }

  /**
   * Attention over 256 tokens: softmax rows of 256 values, refused before format 9 (rows of at most
   * 128: the zero-check had degree L + 1), compiled from ONNX, proved and verified now.
   */
  @Test
  void attentionOver256TokensIsProvable() {
    TokenClassifier encoder =
        SequenceModels.encoder(new EncoderShape("LONG_ATTENTION", 256, 64, 16, 1, 32, 1), 7);
    ZkModel zk =
        ZkCompiler.compile(OnnxModelFile.parse(encoder.onnx()), encoder.inputs(1, 16), 0.8).model();
    int longest = 0;
    for (IntegerOp op : zk.integerModel().ops()) {
      if (op instanceof SoftmaxOp sm) {
        longest = Math.max(longest, sm.length());
      }
    }
    assertThat(longest).isEqualTo(256).isLessThanOrEqualTo(ZkModel.MAX_ROW);
    byte[] x = zk.quantizeInput(encoder.inputs(3, 1)[0]);
    ProvedInference p = ZkProver.prove(zk, REQUEST, x);
    assertThat(p.logits()).containsExactly(IntegerEngine.run(zk.integerModel(), x));
    ZkVerifier.verify(zk.verifyingKey(), REQUEST, x, p.logits(), p.proof().toBytes());
    long[] wrong = p.logits();
    wrong[0] += 1;
    assertThatThrownBy(
            () -> ZkVerifier.verify(zk.verifyingKey(), REQUEST, x, wrong, p.proof().toBytes()))
        .isInstanceOf(InvalidProofException.class);
    assertThat(zk.soundnessBits()).isGreaterThanOrEqualTo(100);
  }

  /** One row of 4,096 values proves and verifies; a row of 4,097 is refused at registration. */
  @Test
  void rowsOf4096ValuesProveAndLongerRowsAreRefused() {
    for (int length : new int[] {4096, 4097}) {
      IntegerModel mlp = RandomModels.mlp(5, 4, length, 2);
      IntegerOp hidden = mlp.ops().get(0); // int8 outputs (requantized)
      long[] exp = new long[256];
      for (int d = 0; d < exp.length; d++) {
        exp[d] = Math.round(4096 * Math.exp(-0.05 * d));
      }
      SoftmaxOp softmax = new SoftmaxOp(1, hidden.outputShape(), 1, 1, length, exp, 127);
      IntegerModel model =
          new IntegerModel(
              mlp.inputs(),
              java.util.List.of(hidden, softmax),
              java.util.List.of(new ModelOutput("probabilities", 2, 1.0 / 127)));
      if (length > ZkModel.MAX_ROW) {
        assertThatThrownBy(() -> ZkModel.register(model))
            .isInstanceOf(UnprovableModelException.class)
            .hasMessageContaining("softmax rows of up to 4096 values are provable");
        continue;
      }
      ZkModel zk = ZkModel.register(model);
      byte[] x = RandomModels.input(6, 4);
      ProvedInference p = ZkProver.prove(zk, REQUEST, x);
      assertThat(p.logits()).containsExactly(IntegerEngine.run(model, x));
      ZkVerifier.verify(zk.verifyingKey(), REQUEST, x, p.logits(), p.proof().toBytes());
    }
  }

  private static void assertRefused(UnaryOperator<long[]> tamper, String reason) {
    ProvedInference p = ZkProver.prove(MODEL, REQUEST, X, tamper);
    assertThatThrownBy(() ->
            ZkVerifier.verify(MODEL.verifyingKey(), REQUEST, X, p.logits(), p.proof().toBytes()))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining(reason);
  }

  /**
   * Rewrites the first row whose outputs stay the same with its maximum raised by {@code raise}: m,
   * d = m − x, e = exp[d], the division's remainders and the row's reciprocal R and remainders
   * recomputed; y unchanged.
   */
  private static UnaryOperator<long[]> rewrite(int raise, Selector selector) {
    WitnessPlan plan = MODEL.plan();
    int j = 0;
    while (!(plan.model.ops().get(j) instanceof SoftmaxOp)) {
      j++;
    }
    SoftmaxOp sm = (SoftmaxOp) plan.model.ops().get(j);
    WitnessPlan.Vec[] v = plan.vectors[j];
    WitnessPlan.Layout l = plan.layoutOf(plan.model.tensorOf(j));
    WitnessPlan.Layout rl = WitnessPlan.rowLayout(sm, plan.logWidth);
    int width = plan.width, n = sm.length(), limbs = plan.limbs[j];
    assertThat(l.stride()).as("padding columns").isGreaterThan(n);
    long[] exp = sm.exp();
    long scaled = (long) sm.outputMax() << sm.reciprocalShift();
    return w -> {
      for (int r = 0; r < sm.rowCount(); r++) {
        int mAt = v[v.length - 1].firstRow() * width + rl.physical(r);
        long m = Goldilocks.toSigned(w[mAt]) + raise;
        long[] d = new long[n], e = new long[n], y = new long[n];
        long sum = 0;
        boolean fits = true;
        for (int c = 0; c < n; c++) {
          int p = l.physical(r * n + c);
          d[c] = Goldilocks.toSigned(w[v[WitnessPlan.SM_D].firstRow() * width + p]) + raise;
          y[c] = Goldilocks.toSigned(w[v[WitnessPlan.SM_Y].firstRow() * width + p]);
          fits &= d[c] <= 255;
          e[c] = fits ? exp[(int) d[c]] : 0;
          sum += e[c];
        }
        long reciprocal = sum == 0 ? 0 : sm.reciprocal(sum);
        for (int c = 0; c < n && fits; c++) {
          fits = sm.divide(e[c], reciprocal) == y[c]; // the outputs stay the same
        }
        if (!fits) {
          continue;
        }
        w[mAt] = Goldilocks.fromSigned(m);
        int row = rl.physical(r);
        int k = sm.reciprocalShift();
        long r1 = scaled - sum * reciprocal;
        int rowRem = WitnessPlan.smRowRemainder(sm);
        Witness.putLimbs(w, width, v, WitnessPlan.smReciprocal(sm), 1, row, reciprocal);
        Witness.putLimbs(w, width, v, rowRem, limbs, row, r1);
        Witness.putLimbs(w, width, v, rowRem + limbs, limbs, row, sum - 1 - r1);
        for (int c = 0; c < n; c++) {
          int p = l.physical(r * n + c);
          w[v[WitnessPlan.SM_D].firstRow() * width + p] = Goldilocks.fromSigned(d[c]);
          w[v[WitnessPlan.SM_E].firstRow() * width + p] = e[c];
          long rem = e[c] * reciprocal + (1L << (k - 1)) - (y[c] << k);
          Witness.putLimbs(w, width, v, WitnessPlan.SM_REM, 1, p, rem);
        }
        int s = v[WitnessPlan.smSelector(sm)].firstRow() * width + l.physical(r * n);
        if (selector != Selector.KEPT) {
          java.util.Arrays.fill(w, s, s + l.stride(), 0); // the row's selector cleared
        }
        if (selector == Selector.ON_PADDING) {
          w[s + n + 4] = 1;
        }
        return w;
      }
      throw new AssertionError("no row keeps its outputs with its maximum raised");
    };
  }
}
