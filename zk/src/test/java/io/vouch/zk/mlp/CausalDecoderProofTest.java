package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.benchmodels.SequenceModels;
import io.vouch.benchmodels.SequenceModels.DecoderShape;
import io.vouch.benchmodels.TokenClassifier;
import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.EngineOptions;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.OnnxRuntimeAgreement;
import io.vouch.zk.InvalidProofException;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GPT-2-shaped causal decoder builder ({@link SequenceModels#decoder}) at a small shape (8
 * tokens, 300 ids, width 160, 5 heads of 32, 1 layer): the float model is causal, the compiled one
 * agrees with ONNX Runtime, and its next-token logits are proved and verified; a wrong logit is
 * refused. The GPT-2-small shape itself is measured in bench/ ({@code ZkmlLargeModels}).
 */
class CausalDecoderProofTest {
  static final DecoderShape SMALL = new DecoderShape("SMALL_DECODER", 8, 300, 160, 5, 320, 1);
  static TokenClassifier decoder;
  static ZkCompiler.Compiled zk;
  static final byte[] REQUEST = RandomModels.requestId(15);

  @BeforeAll
  static void compile() {
    decoder = SequenceModels.decoder(SMALL, 7);
    zk = ZkCompiler.compile(OnnxModelFile.parse(decoder.onnx()), decoder.inputs(1, 64), 0);
  }

  @Test
  void gpt2SmallHas124MParameters() {
    assertThat(SequenceModels.GPT2_SMALL.parameters()).isEqualTo(123_677_952L);
  }

  /**
   * Causal: read out at position 2, the logits do not depend on tokens 3.. — in float up to the
   * mask's e^-12, in the integer model exactly (the exponential table rounds the masked weights to
   * 0) — and do depend on token 0.
   */
  @Test
  void theDecoderIsCausal() {
    TokenClassifier early = SequenceModels.decoder(SMALL, 7, 2);
    float[] tokens = early.inputs(5, 1)[0];
    float[] later = tokens.clone();
    for (int i = 3; i < later.length; i++) {
      later[i] = (later[i] + 1 + i) % SMALL.vocabulary();
    }
    float[] first = tokens.clone();
    first[0] = (first[0] + 1) % SMALL.vocabulary();
    try (OnnxRuntimeEngine engine =
        OnnxRuntimeEngine.load(OnnxModelFile.parse(early.onnx()), EngineOptions.DEFAULT)) {
      float[] a = run(engine, tokens), b = run(engine, later), c = run(engine, first);
      double future = 0, past = 0, scale = 0;
      for (int i = 0; i < a.length; i++) {
        future = Math.max(future, Math.abs(a[i] - b[i]));
        past = Math.max(past, Math.abs(a[i] - c[i]));
        scale = Math.max(scale, Math.abs(a[i]));
      }
      assertThat(future).isLessThan(1e-3 * scale);
      assertThat(past).isGreaterThan(1e-2 * scale);
    }
    ZkModel m =
        ZkCompiler.compile(OnnxModelFile.parse(early.onnx()), early.inputs(1, 32), 0).model();
    long[] a = IntegerEngine.run(m.integerModel(), m.quantizeInput(tokens));
    assertThat(IntegerEngine.run(m.integerModel(), m.quantizeInput(later))).containsExactly(a);
    assertThat(IntegerEngine.run(m.integerModel(), m.quantizeInput(first))).isNotEqualTo(a);
  }

  private static float[] run(OnnxRuntimeEngine engine, float[] tokens) {
    long[] ids = new long[tokens.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (long) tokens[i];
    }
    return engine
        .run(Map.of("tokens", Tensor.ofLongs(new int[] {1, ids.length}, ids)))
        .get("output")
        .toFloats();
  }

  @Test
  void itAgreesWithOnnxRuntimeOnFreshTokens() {
    OnnxRuntimeAgreement fresh =
        OnnxRuntimeAgreement.measure(
            OnnxModelFile.parse(decoder.onnx()), zk.model().integerModel(), decoder.inputs(2, 30));
    assertThat(fresh.meanCosine()).isGreaterThanOrEqualTo(0.99);
    assertThat(zk.model().soundnessBits()).isGreaterThanOrEqualTo(100);
  }

  @Test
  void itsNextTokenLogitsProveAndVerifyAndAWrongOneIsRefused() {
    ZkModel m = zk.model();
    byte[] x = m.quantizeInput(decoder.inputs(3, 1)[0]);
    ProvedInference proved = ZkProver.prove(m, REQUEST, x);
    assertThat(proved.logits())
        .hasSize(SMALL.vocabulary())
        .containsExactly(IntegerEngine.run(m.integerModel(), x));
    byte[] proof = proved.proof().toBytes();
    ZkVerifier.verify(m.verifyingKey(), REQUEST, x, proved.logits(), proof);
    for (int i = 0; i < proved.logits().length; i += 37) {
      long[] wrong = proved.logits();
      wrong[i] += 1;
      assertThatThrownBy(() -> ZkVerifier.verify(m.verifyingKey(), REQUEST, x, wrong, proof))
          .isInstanceOf(InvalidProofException.class);
    }
  }
}
