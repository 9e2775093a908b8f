package io.vouch.benchmodels;

import io.vouch.demo.DemoModel;
import io.vouch.demo.LabelledText;
import io.vouch.demo.text.HashedBagOfWords;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.ConvOp;
import io.vouch.onnx.quant.DenseOp;
import io.vouch.onnx.quant.ElementwiseOp;
import io.vouch.onnx.quant.GatherOp;
import io.vouch.onnx.quant.GraphQuantizer;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.LayerNormOp;
import io.vouch.onnx.quant.MatMulOp;
import io.vouch.onnx.quant.MlpQuantizer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The models ZKML performance is reported on, built the same way by {@code vouch bench zkml} and by
 * the JMH suite in {@code bench/}: a quantized {@link IntegerModel} plus one int8 input to prove.
 */
public final class ZkBenchmarkModels {
  /**
   * Top-1 agreement required of the seeded random models. Random weights leave near-tied logits on
   * random inputs, so a few flips under int8 rounding say nothing about a trained model; the
   * measured agreement is reported beside every figure.
   */
  static final double RANDOM_MODEL_MIN_AGREEMENT = 0.9;

  private static final int CALIBRATION_INPUTS = 128;

  /** A model ready to register and prove. */
  public record BenchModel(
      String name, String shape, IntegerModel model, byte[] input, double topOneAgreement) {
    public BenchModel {
      input = input.clone();
    }

    @Override
    public byte[] input() {
      return input.clone();
    }

    /** Weights and per-channel biases of the Dense and Conv ops. */
    public long parameters() {
      long n = 0;
      for (IntegerOp op : model.ops()) {
        switch (op) {
          case DenseOp d -> n += (long) d.outputs() * d.inputSize() + d.outputs();
          case ConvOp c -> n += c.weightsView().length + c.outChannels();
          case GatherOp g -> n += g.tableView().length;
          case LayerNormOp l -> n += 2L * l.length();
          case ElementwiseOp e when e.bias().length > 1 && e.inputs().length == 1 ->
              n += e.bias().length; // a per-value constant: learned positions
          default -> {}
        }
      }
      return n;
    }

    /**
     * Multiply-accumulates of one integer inference (Dense and Conv; pooling and the rest add
     * little).
     */
    public long macs() {
      long n = 0;
      for (IntegerOp op : model.ops()) {
        switch (op) {
          case ConvOp c ->
              n += (long) c.outputShape().size() * c.groupInputChannels() * c.window().kernelSize();
          case DenseOp d -> n += (long) d.rows() * d.outputs() * d.inputSize();
          case MatMulOp m -> n += (long) m.batch() * m.m() * m.k() * m.n();
          default -> n += op.outputShape().size();
        }
      }
      return n;
    }
  }

  /** The models of the ZKML targets (ZKML.md), by name. */
  public enum Kind {
    /** 784-128-10 ReLU MLP, seeded random weights: the MNIST-sized target model. */
    MNIST_MLP,
    /** The demo support-intent classifier (512-64-8), calibrated on its held-out messages. */
    SUPPORT_INTENTS,
    /** 2048-1024-1024-1024-10 ReLU MLP, seeded: about 4.2 M parameters. */
    DENSE_4M,
    /** LeNet-5 on 28×28 ({@link ConvNets#lenet5}), seeded, 61,706 parameters. */
    LENET5,
    /** A CIFAR-sized CNN on 3×32×32 ({@link ConvNets#cnn264k}), seeded, 263,330 parameters. */
    CNN_264K,
    /**
     * A keyword-spotting head ({@link SequenceModels#keywordSpotter}): 32 frames of 40 features,
     * decomposed layer normalization, mean pooling, 10 sigmoid scores; 3,402 parameters.
     */
    KWS_HEAD,
    /**
     * A 2-layer transformer encoder over 32 int64 tokens ({@link
     * SequenceModels#transformerEncoder}): width 64, 4 heads, MLP 256, 250,250 parameters.
     */
    TRANSFORMER_250K;

    public BenchModel build() {
      return switch (this) {
        case MNIST_MLP -> randomMlp("MNIST_MLP", 7, 784, 128, 10);
        case SUPPORT_INTENTS -> supportIntents();
        case DENSE_4M -> randomMlp("DENSE_4M", 7, 2048, 1024, 1024, 1024, 10);
        case LENET5 -> classifier(ConvNets.lenet5(7), "1×28×28 c6-c16-120-84-10");
        case CNN_264K -> classifier(ConvNets.cnn264k(7), "3×32×32 conv3×3 32-64-64, pools, 200-10");
        case KWS_HEAD -> classifier(SequenceModels.keywordSpotter(7), "32×40 64, LN, mean, 10 σ");
        case TRANSFORMER_250K -> transformer();
      };
    }
  }

  private ZkBenchmarkModels() {}

  /**
   * A seeded random ReLU MLP ({@link SeededModels#randomMlpOnnx}) quantized on {@value
   * #CALIBRATION_INPUTS} seeded inputs uniform in [0, 1), with one more such input to prove.
   */
  public static BenchModel randomMlp(String name, long seed, int... sizes) {
    OnnxModelFile file = OnnxModelFile.parse(SeededModels.randomMlpOnnx(seed, sizes));
    float[][] calibration = SeededModels.randomInputs(seed + 1, CALIBRATION_INPUTS, sizes[0]);
    MlpQuantizer.Quantization q =
        MlpQuantizer.quantize(file, calibration, RANDOM_MODEL_MIN_AGREEMENT);
    byte[] input = q.model().input().quantize(SeededModels.randomInputs(seed + 2, 1, sizes[0])[0]);
    return new BenchModel(name, shape(sizes), q.model(), input, q.topOneAgreement());
  }

  /**
   * The demo model ({@link DemoModel#build()}), quantized with its own held-out messages featurized
   * by {@link HashedBagOfWords} as calibration set; the input proved is the first held-out message.
   */
  public static BenchModel supportIntents() {
    DemoModel demo = DemoModel.build();
    HashedBagOfWords featurizer = HashedBagOfWords.withDefaultBuckets();
    List<LabelledText> heldOut = demo.heldOut();
    float[][] calibration = new float[heldOut.size()][];
    for (int i = 0; i < calibration.length; i++) {
      calibration[i] = featurizer.vectorize(heldOut.get(i).text());
    }
    MlpQuantizer.Quantization q =
        MlpQuantizer.quantize(OnnxModelFile.parse(demo.onnx()), calibration);
    IntegerModel model = q.model();
    int[] sizes = new int[model.ops().size() + 1];
    sizes[0] = model.inputSize();
    for (int l = 0; l < model.ops().size(); l++) {
      sizes[l + 1] = model.ops().get(l).outputShape().size();
    }
    byte[] input = model.input().quantize(calibration[0]);
    return new BenchModel("SUPPORT_INTENTS", shape(sizes), model, input, q.topOneAgreement());
  }

  /**
   * A seeded CNN classifier quantized by {@link GraphQuantizer} on {@value #CALIBRATION_INPUTS}
   * inputs around its class centres (top-1 against ONNX Runtime at least 99 %), with one more such
   * input to prove.
   */
  public static BenchModel classifier(ClassifierModel m, String shape) {
    OnnxModelFile file = OnnxModelFile.parse(m.onnx());
    MlpQuantizer.Quantization q =
        GraphQuantizer.quantize(file, m.inputs(1, CALIBRATION_INPUTS), MlpQuantizer.MIN_AGREEMENT);
    byte[] input = q.model().quantizeInputs(m.inputs(2, 1)[0]);
    return new BenchModel(m.name(), shape, q.model(), input, q.topOneAgreement());
  }

  /**
   * The transformer encoder quantized on {@value #CALIBRATION_INPUTS} token sequences around its
   * class prototypes (top-1 against ONNX Runtime at least 99 %), with one more to prove.
   */
  public static BenchModel transformer() {
    TokenClassifier m = SequenceModels.transformerEncoder(7);
    OnnxModelFile file = OnnxModelFile.parse(m.onnx());
    MlpQuantizer.Quantization q =
        GraphQuantizer.quantize(file, m.inputs(1, CALIBRATION_INPUTS), MlpQuantizer.MIN_AGREEMENT);
    byte[] input = q.model().quantizeInputs(m.inputs(2, 1)[0]);
    return new BenchModel(
        m.name(), "32 tokens, 2×(d64 h4 ff256)", q.model(), input, q.topOneAgreement());
  }

  static String shape(int... sizes) {
    return Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining("-"));
  }
}
