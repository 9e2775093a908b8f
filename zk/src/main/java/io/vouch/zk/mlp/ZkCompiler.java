package io.vouch.zk.mlp;

import io.vouch.core.tensor.DType;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.TensorSpec;
import io.vouch.onnx.quant.AccuracyThresholds;
import io.vouch.onnx.quant.GraphQuantizer;
import io.vouch.onnx.quant.MlpQuantizer;
import io.vouch.onnx.quant.OnnxRuntimeAgreement;
import io.vouch.onnx.quant.OutputAccuracy;
import io.vouch.onnx.quant.QuantizationAccuracyException;

/**
 * ONNX model → quantized {@link io.vouch.onnx.quant.IntegerModel} (an MLP through {@link
 * MlpQuantizer}, any other graph through {@link GraphQuantizer}) → registered {@link ZkModel} →
 * {@link ZkModelFile} bytes: the one path {@code vouch zk compile} and {@code vouch model push
 * --levels zkml} share, so that both give the same ZK model id for the same file.
 *
 * <p>Without explicit calibration inputs it calibrates on {@value #DEFAULT_CALIBRATION_INPUTS}
 * inputs uniform in [0, 1) drawn with seed {@value #DEFAULT_CALIBRATION_SEED}: deterministic, so
 * anyone can recompute the model id from the ONNX file alone, but right for pixel-like inputs only
 * (pass real inputs for anything else); token-id inputs get ids uniform over their embedding
 * table's rows.
 *
 * <p>Failures: {@link io.vouch.onnx.InvalidModelException} for an unsupported op (its message names
 * the op and the node) or a malformed graph, {@link
 * io.vouch.onnx.quant.QuantizationAccuracyException} when int8 agrees too rarely with float, {@link
 * UnprovableModelException} / {@link IllegalArgumentException} for a model the prover cannot take.
 */
public final class ZkCompiler {
  /** Seed of the generated calibration inputs when none are given. */
  public static final long DEFAULT_CALIBRATION_SEED = 1;

  /** How many generated calibration inputs when none are given. */
  public static final int DEFAULT_CALIBRATION_INPUTS = 256;

  private ZkCompiler() {}

  /**
   * A compiled model: registered, with its agreement with ONNX Runtime on the calibration inputs
   * (per output: top-1, cosine similarity, max relative error, and the measure it was held to) and
   * the file bytes to store.
   *
   * @param calibrationInputs how many inputs the scales were calibrated on
   */
  public record Compiled(ZkModel model, OnnxRuntimeAgreement agreement, int calibrationInputs) {
    /** The first output's top-1 agreement. */
    public double topOneAgreement() {
      return agreement.topOne();
    }

    /** The first output's mean cosine similarity. */
    public double meanCosine() {
      return agreement.meanCosine();
    }

    /** The {@link ZkModelFile} encoding (model and id). */
    public byte[] fileBytes() {
      return ZkModelFile.encode(model.integerModel(), model.modelId());
    }
  }

  /** Compiles with the default seeded calibration and {@link AccuracyThresholds#defaults()}. */
  public static Compiled compile(OnnxModelFile file) {
    return compile(file, null, AccuracyThresholds.defaults());
  }

  /**
   * Compiles with the given calibration inputs ({@code null}: the default seeded ones), least top-1
   * agreement in [0, 1] and the other thresholds at their defaults.
   */
  public static Compiled compile(OnnxModelFile file, float[][] calibration, double minAgreement) {
    if (!(minAgreement >= 0 && minAgreement <= 1)) {
      throw new IllegalArgumentException("the least top-1 agreement must be in [0, 1]");
    }
    return compile(file, calibration, AccuracyThresholds.topOne(minAgreement));
  }

  /**
   * Compiles with the given calibration inputs ({@code null}: the default seeded ones) and holds
   * every output to its measure against ONNX Runtime ({@link AccuracyThresholds#refusal}).
   *
   * @throws QuantizationAccuracyException naming the first output that falls short
   */
  public static Compiled compile(
      OnnxModelFile file, float[][] calibration, AccuracyThresholds thresholds) {
    float[][] inputs = calibration != null ? calibration : defaultCalibration(file);
    // no check inside the quantizer: the figures of record are against ONNX Runtime itself,
    // whichever quantizer ran, and each output is held to its own measure below
    MlpQuantizer.Quantization q = GraphQuantizer.quantizeModel(file, inputs, 0);
    OnnxRuntimeAgreement ort =
        OnnxRuntimeAgreement.measure(file, q.model(), inputs, thresholds.task());
    for (OutputAccuracy a : ort.outputs()) {
      var refusal = thresholds.refusal(a, inputs.length);
      if (refusal.isPresent()) {
        throw new QuantizationAccuracyException(refusal.get());
      }
    }
    return new Compiled(ZkModel.register(q.model()), ort, inputs.length);
  }

  /**
   * The deterministic default calibration set for this model's input size: values uniform in [0,
   * 1), and for an integer input (token ids) ids uniform over the rows of the embedding tables that
   * read it (the smallest, when several do).
   */
  public static float[][] defaultCalibration(OnnxModelFile file) {
    boolean tokens =
        file.inputs().stream().anyMatch(s -> s.dtype() == DType.INT64 || s.dtype() == DType.INT32);
    java.util.SplittableRandom r = new java.util.SplittableRandom(DEFAULT_CALIBRATION_SEED);
    if (!tokens) {
      // row by row, value by value: the draws anyone recomputes the model id with
      float[][] out = new float[DEFAULT_CALIBRATION_INPUTS][inputSize(file)];
      for (float[] x : out) {
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) r.nextDouble();
        }
      }
      return out;
    }
    float[][] out = new float[DEFAULT_CALIBRATION_INPUTS][inputSize(file)];
    for (float[] x : out) {
      int at = 0;
      for (TensorSpec spec : file.inputs()) {
        int n = inputSize(spec);
        int range = tokenRange(file, spec);
        for (int i = 0; i < n; i++) {
          x[at++] = range > 0 ? r.nextInt(range) : (float) r.nextDouble();
        }
      }
    }
    return out;
  }

  /**
   * How {@link #defaultCalibration} draws one input of the model: token ids uniform in [0, {@code
   * tokenRange}) for an integer input read by an embedding ({@code table} names the constant it
   * indexes, the smallest when several do), values uniform in [0, 1) otherwise ({@code tokenRange}
   * 0, {@code table} null). What {@code vouch zk compile} tells its user it calibrated on.
   */
  public record GeneratedInput(
      String name, DType dtype, int[] shape, int tokenRange, String table) {
    public GeneratedInput {
      shape = shape.clone();
    }

    @Override
    public int[] shape() {
      return shape.clone();
    }

    /** {@code tokens int64 [N, 32]: ids uniform in [0, 2304), the rows of table 'embedding'}. */
    public String describe() {
      String dims =
          java.util.Arrays.stream(shape)
              .mapToObj(d -> d == TensorSpec.DYNAMIC ? "N" : Integer.toString(d))
              .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
      return name
          + " "
          + dtype.jsonName()
          + " "
          + dims
          + ": "
          + (tokenRange > 0
              ? "ids uniform in [0, " + tokenRange + "), the rows of table '" + table + "'"
              : "values uniform in [0, 1)");
    }
  }

  /**
   * What {@link #defaultCalibration} generates for each input of {@code file}, in input order.
   *
   * @throws IllegalArgumentException for an integer input that indexes no constant table
   */
  public static java.util.List<GeneratedInput> defaultCalibrationInputs(OnnxModelFile file) {
    java.util.List<GeneratedInput> out = new java.util.ArrayList<>();
    for (TensorSpec spec : file.inputs()) {
      int range = tokenRange(file, spec);
      out.add(
          new GeneratedInput(
              spec.name(),
              spec.dtype(),
              spec.shape(),
              range,
              range > 0 ? tokenTable(file, spec) : null));
    }
    return out;
  }

  /** The name of the smallest constant table a Gather reads with this input's ids. */
  private static String tokenTable(OnnxModelFile file, TensorSpec spec) {
    String best = null;
    int rows = Integer.MAX_VALUE;
    for (var node : file.nodes()) {
      if (node.opType().equals("Gather") && node.inputs().get(1).equals(spec.name())) {
        var table = file.constant(node.inputs().get(0));
        if (table.isPresent() && table.get().shape()[0] < rows) {
          rows = table.get().shape()[0];
          best = node.inputs().get(0);
        }
      }
    }
    return best;
  }

  /** Rows of the smallest constant table a Gather reads with this input's ids, or 0. */
  static int tokenRange(OnnxModelFile file, TensorSpec spec) {
    if (spec.dtype() != DType.INT64 && spec.dtype() != DType.INT32) {
      return 0;
    }
    int range = Integer.MAX_VALUE;
    for (var node : file.nodes()) {
      if (node.opType().equals("Gather") && node.inputs().get(1).equals(spec.name())) {
        var table = file.constant(node.inputs().get(0));
        if (table.isPresent()) {
          range = Math.min(range, table.get().shape()[0]);
        }
      }
    }
    if (range == Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "integer input '"
              + spec.name()
              + "' indexes no constant table; give real calibration inputs (--calibration)");
    }
    return range;
  }

  static int inputSize(TensorSpec spec) {
    int[] shape = spec.shape();
    int size = 1;
    for (int i = shape.length > 1 ? 1 : 0; i < shape.length; i++) {
      size *= shape[i];
    }
    return size;
  }

  /** Flattened size of all inputs together, batch axes excluded. */
  static int inputSize(OnnxModelFile file) {
    int total = 0;
    for (TensorSpec spec : file.inputs()) {
      int[] shape = spec.shape();
      int size = 1;
      for (int i = shape.length > 1 ? 1 : 0; i < shape.length; i++) {
        if (shape[i] == TensorSpec.DYNAMIC) {
          throw new IllegalArgumentException(
              "the input shape has a dynamic axis; give real calibration inputs (--calibration)");
        }
        size *= shape[i];
      }
      total += size;
    }
    return total;
  }
}
