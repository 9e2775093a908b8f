package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.benchmodels.ClassifierModel;
import io.vouch.benchmodels.SequenceModels;
import io.vouch.benchmodels.TokenClassifier;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.DenseOp;
import io.vouch.onnx.quant.ElementwiseOp;
import io.vouch.onnx.quant.GatherOp;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.LayerNormOp;
import io.vouch.onnx.quant.OnnxRuntimeAgreement;
import io.vouch.onnx.quant.SoftmaxOp;
import io.vouch.onnx.quant.TableOp;
import io.vouch.zk.InvalidProofException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's sequence models, built by {@link SequenceModels}, compiled from ONNX, proved and
 * verified: the 2-layer transformer encoder of 250,250 parameters over int64 tokens and the
 * keyword-spotting head with the exporters' decomposed layer normalization and sigmoid outputs.
 * Both agree with ONNX Runtime on inputs they were not calibrated on; a wrong output, a tampered
 * proof and a graph with one weight, constant or edge changed under the original id are refused.
 */
class SequenceModelsProofTest {
  static TokenClassifier transformer;
  static ZkCompiler.Compiled transformerZk;
  static ClassifierModel kws;
  static ZkCompiler.Compiled kwsZk;
  static final byte[] REQUEST = RandomModels.requestId(13);

  @BeforeAll
  static void compile() {
    transformer = SequenceModels.transformerEncoder(7);
    transformerZk =
        ZkCompiler.compile(
            OnnxModelFile.parse(transformer.onnx()), transformer.inputs(1, 128), 0.99);
    kws = SequenceModels.keywordSpotter(7);
    kwsZk = ZkCompiler.compile(OnnxModelFile.parse(kws.onnx()), kws.inputs(1, 128), 0.99);
  }

  private static void provesAndVerifies(ZkModel zk, float[] input) {
    byte[] x = zk.quantizeInput(input);
    ProvedInference proved = ZkProver.prove(zk, REQUEST, x);
    assertThat(proved.logits()).containsExactly(IntegerEngine.run(zk.integerModel(), x));
    byte[] proof = proved.proof().toBytes();
    ZkVerifier.verify(zk.verifyingKey(), REQUEST, x, proved.logits(), proof);
    for (int i = 0; i < proved.logits().length; i += 3) {
      long[] wrong = proved.logits();
      wrong[i] += 1;
      assertThatThrownBy(() -> ZkVerifier.verify(zk.verifyingKey(), REQUEST, x, wrong, proof))
          .isInstanceOf(InvalidProofException.class);
    }
  }

  @Test
  void theTransformerHasAQuarterMillionParametersAndEveryTransformerOp() {
    IntegerModel m = transformerZk.model().integerModel();
    long parameters = 0;
    List<String> kinds = new ArrayList<>();
    for (IntegerOp op : m.ops()) {
      kinds.add(op.getClass().getSimpleName());
      parameters +=
          switch (op) {
            case DenseOp d -> (long) d.outputs() * d.inputSize() + d.outputs();
            case GatherOp g -> g.tableView().length;
            case LayerNormOp l -> 2L * l.length();
            case ElementwiseOp e when e.bias().length > 1 -> e.bias().length; // positions
            default -> 0;
          };
    }
    assertThat(parameters).isEqualTo(250_250);
    assertThat(kinds)
        .contains(
            "GatherOp",
            "LayerNormOp",
            "MatMulOp",
            "SoftmaxOp",
            "TableOp",
            "WiringOp",
            "ElementwiseOp",
            "DenseOp");
    assertThat(transformerZk.model().soundnessBits()).isGreaterThanOrEqualTo(100);
  }

  @Test
  void theTransformerAgreesWithOnnxRuntimeOnFreshTokens() {
    assertThat(transformerZk.topOneAgreement()).isGreaterThanOrEqualTo(0.99);
    OnnxRuntimeAgreement fresh =
        OnnxRuntimeAgreement.measure(
            OnnxModelFile.parse(transformer.onnx()),
            transformerZk.model().integerModel(),
            transformer.inputs(2, 100));
    assertThat(fresh.topOne()).isGreaterThanOrEqualTo(0.98);
    assertThat(fresh.meanCosine()).isGreaterThanOrEqualTo(0.99);
  }

  @Test
  void theTransformerProvesAndVerifies() {
    provesAndVerifies(transformerZk.model(), transformer.inputs(3, 1)[0]);
  }

  @Test
  void anyChangedByteOfATransformerProofIsRejected() {
    ZkModel zk = transformerZk.model();
    byte[] x = zk.quantizeInput(transformer.inputs(4, 1)[0]);
    ProvedInference proved = ZkProver.prove(zk, REQUEST, x);
    byte[] proof = proved.proof().toBytes();
    var rnd = new java.util.SplittableRandom(19);
    for (int i = 0; i < 40; i++) {
      byte[] tampered = proof.clone();
      int at = i < 10 ? i : rnd.nextInt(proof.length);
      tampered[at] ^= (byte) (1 + rnd.nextInt(255));
      assertThat(ZkVerifier.isValid(zk.verifyingKey(), REQUEST, x, proved.logits(), tampered))
          .as("byte " + at)
          .isFalse();
    }
  }

  @Test
  void anotherTokenIsAnotherStatement() {
    ZkModel zk = transformerZk.model();
    float[] tokens = transformer.inputs(5, 1)[0];
    byte[] x = zk.quantizeInput(tokens);
    ProvedInference proved = ZkProver.prove(zk, REQUEST, x);
    tokens[7] = (tokens[7] + 1) % SequenceModels.VOCABULARY;
    byte[] other = zk.quantizeInput(tokens);
    assertThat(
            ZkVerifier.isValid(
                zk.verifyingKey(), REQUEST, other, proved.logits(), proved.proof().toBytes()))
        .isFalse();
  }

  @Test
  void aTokenOutsideTheVocabularyIsRefusedBeforeProving() {
    float[] tokens = transformer.inputs(6, 1)[0];
    tokens[0] = SequenceModels.VOCABULARY;
    assertThatThrownBy(() -> transformerZk.model().quantizeInput(tokens))
        .hasMessageContaining("indices in [0, 2304)");
  }

  /** Proves with a changed graph and verifies under the original key: refused. */
  private static void refusedUnderTheOriginalId(UnaryOperator<IntegerOp> change, Class<?> kind) {
    refusedUnderTheOriginalId(change, kind::isInstance);
  }

  private static void refusedUnderTheOriginalId(
      UnaryOperator<IntegerOp> change, java.util.function.Predicate<IntegerOp> which) {
    ZkModel original = transformerZk.model();
    IntegerModel m = original.integerModel();
    List<IntegerOp> ops = new ArrayList<>(m.ops());
    for (int j = 0; j < ops.size(); j++) {
      if (which.test(ops.get(j))) {
        ops.set(j, change.apply(ops.get(j)));
        break;
      }
    }
    ZkModel other = ZkModel.register(new IntegerModel(m.inputs(), ops, m.outputs()));
    assertThat(other.modelId()).isNotEqualTo(original.modelId());
    byte[] x = original.quantizeInput(transformer.inputs(8, 1)[0]);
    ProvedInference proved = ZkProver.prove(other, REQUEST, x);
    assertThat(
            ZkVerifier.isValid(
                original.verifyingKey(), REQUEST, x, proved.logits(), proved.proof().toBytes()))
        .isFalse();
  }

  @Test
  void oneChangedProjectionWeightUnderTheSameIdIsRefused() {
    refusedUnderTheOriginalId(
        op -> {
          DenseOp d = (DenseOp) op;
          byte[] w = d.weights();
          w[5] ^= 1;
          return new DenseOp(
              d.input(), d.inputSize(), d.outputs(), w, d.bias(), d.requantization(), d.rows());
        },
        DenseOp.class);
  }

  @Test
  void oneChangedEmbeddingValueUnderTheSameIdIsRefused() {
    refusedUnderTheOriginalId(
        op -> {
          GatherOp g = (GatherOp) op;
          byte[] t = g.table();
          for (int i = 0; i < t.length; i++) {
            t[i] ^= 1; // every row: whichever tokens the input holds
          }
          return new GatherOp(g.indices(), g.vocabulary(), g.width(), t, g.outputShape());
        },
        GatherOp.class);
  }

  @Test
  void oneChangedLayerNormScaleUnderTheSameIdIsRefused() {
    refusedUnderTheOriginalId(
        op -> {
          LayerNormOp l = (LayerNormOp) op;
          long[] g = l.gamma();
          g[3] += 1;
          return new LayerNormOp(
              l.input(),
              l.outputShape(),
              l.batch(),
              l.rows(),
              l.length(),
              g,
              l.beta(),
              l.epsilon(),
              l.precision(),
              l.requantization());
        },
        LayerNormOp.class);
  }

  @Test
  void oneChangedExponentialUnderTheSameIdIsRefused() {
    refusedUnderTheOriginalId(
        op -> {
          SoftmaxOp s = (SoftmaxOp) op;
          long[] e = s.exp();
          e[1] -= 1;
          return new SoftmaxOp(
              s.input(), s.outputShape(), s.batch(), s.rows(), s.length(), e, s.outputMax());
        },
        SoftmaxOp.class);
  }

  @Test
  void oneChangedResidualEdgeUnderTheSameIdIsRefused() {
    // the first residual Add reads the stream and the attention; make it read the attention twice
    refusedUnderTheOriginalId(
        op -> {
          ElementwiseOp e = (ElementwiseOp) op;
          int[] in = e.inputs();
          in[0] = in[1];
          return new ElementwiseOp(
              in, e.outputShape(), e.multipliers(), e.bias(), e.requantization());
        },
        op -> op instanceof ElementwiseOp e && e.inputs().length == 2);
  }

  @Test
  void theKeywordSpotterAgreesWithOnnxRuntimeAndProvesItsSigmoidScores() {
    assertThat(kwsZk.topOneAgreement()).isGreaterThanOrEqualTo(0.99);
    IntegerModel m = kwsZk.model().integerModel();
    assertThat(m.producer(m.outputs().get(0).tensor())).isInstanceOf(TableOp.class);
    assertThat(m.ops()).anyMatch(LayerNormOp.class::isInstance);
    OnnxRuntimeAgreement fresh =
        OnnxRuntimeAgreement.measure(OnnxModelFile.parse(kws.onnx()), m, kws.inputs(2, 100));
    assertThat(fresh.topOne()).isGreaterThanOrEqualTo(0.98);
    assertThat(fresh.meanCosine()).isGreaterThanOrEqualTo(0.99);
    assertThat(kwsZk.model().soundnessBits()).isGreaterThanOrEqualTo(100);
    provesAndVerifies(kwsZk.model(), kws.inputs(3, 1)[0]);
  }
}
