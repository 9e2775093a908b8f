package io.vouch.benchmodels;

import io.vouch.demo.DemoModel;
import io.vouch.demo.LabelledText;
import io.vouch.demo.text.HashedBagOfWords;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.AccuracyMeasure;
import io.vouch.onnx.quant.AccuracyThresholds;
import io.vouch.onnx.quant.ConvOp;
import io.vouch.onnx.quant.DenseOp;
import io.vouch.onnx.quant.ElementwiseOp;
import io.vouch.onnx.quant.GatherOp;
import io.vouch.onnx.quant.GraphQuantizer;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.LayerNormOp;
import io.vouch.onnx.quant.MatMulOp;
import io.vouch.onnx.quant.OnnxRuntimeAgreement;
import io.vouch.onnx.quant.OutputAccuracy;
import io.vouch.onnx.quant.QuantizationAccuracyException;
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

  /**
   * A model ready to register and prove.
   *
   * @param agreement the integer model's figures against ONNX Runtime on its calibration inputs,
   *     output by output, each held to the measure {@link AccuracyMeasure#forOutput} chooses from
   *     the output's shape (as {@code vouch zk compile} does)
   * @param parameters weights and biases of the float model
   */
  public record BenchModel(
      String name,
      String shape,
      IntegerModel model,
      byte[] input,
      OnnxRuntimeAgreement agreement,
      long parameters) {
    public BenchModel {
      input = input.clone();
    }

    @Override
    public byte[] input() {
      return input.clone();
    }

    /** The first output's top-1 agreement with ONNX Runtime on the calibration inputs. */
    public double topOneAgreement() {
      return agreement.topOne();
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

  /**
   * Weights and per-channel biases of the Dense and Conv ops, embedding tables, layer norms' scales
   * and shifts, learned positions.
   */
  static long parameters(IntegerModel model) {
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
   * The models of the ZKML targets (ZKML.md, issue 13), by name, each with its {@link ZkTarget} and
   * the heap it needs ({@link #minHeapBytes}).
   */
  public enum Kind {
    /** 784-128-10 ReLU MLP, seeded random weights: the MNIST-sized target model. */
    MNIST_MLP(ZkTarget.COMMON),
    /** The demo support-intent classifier (512-64-8), calibrated on its held-out messages. */
    SUPPORT_INTENTS(ZkTarget.COMMON),
    /** 2048-1024-1024-1024-10 ReLU MLP, seeded: about 4.2 M parameters. */
    DENSE_4M(ZkTarget.COMMON),
    /** LeNet-5 on 28×28 ({@link ConvNets#lenet5}), seeded, 61,706 parameters. */
    LENET5(ZkTarget.prove(10)),
    /** A CIFAR-sized CNN on 3×32×32 ({@link ConvNets#cnn264k}), seeded, 263,330 parameters. */
    CNN_264K(ZkTarget.prove(60)),
    /**
     * A keyword-spotting head ({@link SequenceModels#keywordSpotter}): 32 frames of 40 features,
     * decomposed layer normalization, mean pooling, 10 sigmoid scores; 3,402 parameters.
     */
    KWS_HEAD(ZkTarget.COMMON),
    /**
     * A 2-layer transformer encoder over 32 int64 tokens ({@link
     * SequenceModels#transformerEncoder}): width 64, 4 heads, MLP 256, 250,250 parameters.
     */
    TRANSFORMER_250K(ZkTarget.prove(100)),
    /**
     * The BERT-style encoder ({@link SequenceModels#BERT_22M} through {@link LargeModels}): 128
     * tokens, 6 layers of width 384, 12 heads, 22,421,002 parameters. Minutes to build and compile,
     * and {@link ZkBenchmarkModels#LARGE_HEAP} of heap.
     */
    BERT_22M(ZkTarget.prove(3_000), LARGE_HEAP),
    /**
     * The GPT-2-small-shaped decoder ({@link SequenceModels#GPT2_SMALL} through {@link
     * LargeModels}): 32 tokens, 12 layers of width 768, 50,257 next-token logits, 123,677,952
     * parameters. Minutes to build and compile, and {@link ZkBenchmarkModels#LARGE_HEAP} of heap.
     */
    GPT2_SMALL(new ZkTarget(15_000, 16_000_000_000L), LARGE_HEAP);

    private final ZkTarget target;
    private final long minHeapBytes;

    Kind(ZkTarget target) {
      this(target, 0);
    }

    Kind(ZkTarget target, long minHeapBytes) {
      this.target = target;
      this.minHeapBytes = minHeapBytes;
    }

    /** Issue 13's targets for this model. */
    public ZkTarget target() {
      return target;
    }

    /**
     * The least heap ({@code -Xmx}) to build, compile and prove this model in one JVM, 0 where any
     * default heap does.
     */
    public long minHeapBytes() {
      return minHeapBytes;
    }

    public BenchModel build() {
      return switch (this) {
        case MNIST_MLP -> randomMlp("MNIST_MLP", 7, 784, 128, 10);
        case SUPPORT_INTENTS -> supportIntents();
        case DENSE_4M -> randomMlp("DENSE_4M", 7, 2048, 1024, 1024, 1024, 10);
        case LENET5 -> classifier(ConvNets.lenet5(7), "1×28×28 c6-c16-120-84-10");
        case CNN_264K -> classifier(ConvNets.cnn264k(7), "3×32×32 conv3×3 32-64-64, pools, 200-10");
        case KWS_HEAD -> classifier(SequenceModels.keywordSpotter(7), "32×40 64, LN, mean, 10 σ");
        case TRANSFORMER_250K -> transformer();
        case BERT_22M, GPT2_SMALL ->
            LargeModels.named(name()).build(LargeModels.DEFAULT_CALIBRATION);
      };
    }
  }

  /**
   * The heap BERT_22M and GPT2_SMALL are given at least (bench/README.md "Registered weight
   * memory"): with the registered weights in their compact form GPT-2 compiled and proved under
   * {@code -Xmx4g} (near the floor: two full collections during the compile) and {@code -Xmx6g};
   * BERT's compile held at most 5.85 GB live under the old, larger form. 8 GB leaves both a margin.
   */
  public static final long LARGE_HEAP = 8L << 30;

  private ZkBenchmarkModels() {}

  /**
   * A seeded random ReLU MLP ({@link SeededModels#randomMlpOnnx}) quantized on {@value
   * #CALIBRATION_INPUTS} seeded inputs uniform in [0, 1), with one more such input to prove.
   */
  public static BenchModel randomMlp(String name, long seed, int... sizes) {
    OnnxModelFile file = OnnxModelFile.parse(SeededModels.randomMlpOnnx(seed, sizes));
    float[][] calibration = SeededModels.randomInputs(seed + 1, CALIBRATION_INPUTS, sizes[0]);
    return quantized(
        name,
        shape(sizes),
        file,
        calibration,
        SeededModels.randomInputs(seed + 2, 1, sizes[0])[0],
        AccuracyThresholds.topOne(RANDOM_MODEL_MIN_AGREEMENT),
        -1);
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
    BenchModel b =
        quantized(
            "SUPPORT_INTENTS",
            "",
            OnnxModelFile.parse(demo.onnx()),
            calibration,
            calibration[0],
            AccuracyThresholds.defaults(),
            -1);
    IntegerModel model = b.model();
    int[] sizes = new int[model.ops().size() + 1];
    sizes[0] = model.inputSize();
    for (int l = 0; l < model.ops().size(); l++) {
      sizes[l + 1] = model.ops().get(l).outputShape().size();
    }
    return new BenchModel(b.name(), shape(sizes), model, b.input(), b.agreement(), b.parameters());
  }

  /**
   * A seeded CNN classifier quantized by {@link GraphQuantizer} on {@value #CALIBRATION_INPUTS}
   * inputs around its class centres (top-1 against ONNX Runtime at least 99 %), with one more such
   * input to prove.
   */
  public static BenchModel classifier(ClassifierModel m, String shape) {
    return quantized(
        m.name(),
        shape,
        OnnxModelFile.parse(m.onnx()),
        m.inputs(1, CALIBRATION_INPUTS),
        m.inputs(2, 1)[0],
        AccuracyThresholds.defaults(),
        -1);
  }

  /**
   * The transformer encoder quantized on {@value #CALIBRATION_INPUTS} token sequences around its
   * class prototypes (top-1 against ONNX Runtime at least 99 %), with one more to prove.
   */
  public static BenchModel transformer() {
    TokenClassifier m = SequenceModels.transformerEncoder(7);
    return quantized(
        m.name(),
        "32 tokens, 2×(d64 h4 ff256)",
        OnnxModelFile.parse(m.onnx()),
        m.inputs(1, CALIBRATION_INPUTS),
        m.inputs(2, 1)[0],
        AccuracyThresholds.defaults(),
        -1);
  }

  /**
   * Quantizes {@code file} on the calibration inputs as {@code vouch zk compile} does ({@link
   * GraphQuantizer#quantizeModel}, then every output measured against ONNX Runtime under the
   * measure its shape chooses and held to {@code thresholds}), with {@code input} quantized to
   * prove.
   *
   * @param parameters the float model's parameters, or -1 to count them from the integer ops
   * @throws QuantizationAccuracyException naming the first output that falls short
   */
  public static BenchModel quantized(
      String name,
      String shape,
      OnnxModelFile file,
      float[][] calibration,
      float[] input,
      AccuracyThresholds thresholds,
      long parameters) {
    IntegerModel model = GraphQuantizer.quantizeModel(file, calibration, 0).model();
    OnnxRuntimeAgreement agreement =
        OnnxRuntimeAgreement.measure(file, model, calibration, thresholds.task());
    for (OutputAccuracy a : agreement.outputs()) {
      var refusal = thresholds.refusal(a, calibration.length);
      if (refusal.isPresent()) {
        throw new QuantizationAccuracyException(name + ": " + refusal.get());
      }
    }
    return new BenchModel(
        name,
        shape,
        model,
        model.quantizeInputs(input),
        agreement,
        parameters >= 0 ? parameters : parameters(model));
  }

  static String shape(int... sizes) {
    return Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining("-"));
  }
}
