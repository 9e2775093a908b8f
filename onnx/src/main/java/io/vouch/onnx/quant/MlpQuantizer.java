package io.vouch.onnx.quant;

import ai.onnx.proto.OnnxMl;
import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.InvalidModelException;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a float ONNX MLP into the {@link IntegerModel} the ZK level proves: symmetric per-tensor
 * int8 weights (scale max|W|/127), int32 biases at the accumulator scale, activation scales
 * calibrated as the maximum absolute value seen on the calibration inputs, and per-layer integer
 * requantization q = (ε·z + 2^(s−1)) &gt;&gt; s with ε/2^s ≈ s_in·s_w/s_out (s = 20 while ε keeps
 * at least 8 bits, see {@link #requantization}; the next layer takes the scale ε/2^s really gives).
 *
 * <p>Graph: a chain of dense layers, Gemm (alpha = beta = 1, transA = 0) or MatMul + Add (bias),
 * each optionally followed by Relu and/or Clip; BatchNormalization folded into a dense layer;
 * Flatten, Reshape, Identity and Dropout pass through ({@link #SUPPORTED_OPS}). Any other op is
 * refused with its name and node. The last dense layer outputs int64 logits (scale {@link
 * IntegerModel#logitScale()}).
 *
 * <p><b>BatchNormalization</b> (inference mode, [N, C] activations, one output, {@code epsilon}
 * default 1e-5) is the per-channel affine map y = a·x + d with a = γ/√(var + ε), d = β − mean·a,
 * folded in floats before anything is quantized. Right after a Gemm/MatMul (before its activation)
 * it scales that layer's rows: W' = diag(a)·W, b' = a·b + d = (b − mean)·a + β. On the input of a
 * dense layer (on the graph input, or after the previous layer's activation) it folds into that
 * layer's columns: W' = W·diag(a), b' = b + W·d. A normalization with an activation or nothing
 * dense after it, a training-mode node (more than one output, {@code training_mode = 1}) or a
 * channel count that differs from the adjacent layer's width is refused, naming the node.
 *
 * <p><b>Clip</b> (bounds from constant scalar initializers from opset 11, from the {@code min} /
 * {@code max} attributes before; a bound of ±FLT_MAX or ±∞ counts as absent) fuses into the dense
 * layer before it like Relu, and Relu/Clip chains fuse into one interval [lo, hi]. The integer
 * model has two clamps, so three intervals are exact and everything else is refused, naming the
 * node, its bounds and these forms:
 *
 * <ul>
 *   <li>[0, hi] (Relu; Clip(0, hi), also Relu then Clip): the ReLU clamp [0, 127] with scale B/127,
 *       where B = min(hi, calibrated max of the clipped output). When the clip binds on the
 *       calibration inputs, B = hi: code 127 is exactly hi and every input above it saturates
 *       there, as the float Clip does. When it never binds, B is the calibrated max (finer steps)
 *       and the int8 range saturates there, as it does for any max-calibrated activation.
 *   <li>[−m, m]: the CLAMP [−128, 127] with scale 2B/255, B = min(m, calibrated max |output|), and
 *       a half-step output offset (mid-rise: code q stands for scale·(q + ½)), so −128 is exactly
 *       −B and 127 exactly B. The offset costs nothing in the integer model: −½ code folds into
 *       this layer's bias, +½·ΣW into the next layer's.
 *   <li>no bound (a layer without activation, or Clip without min and max, an Identity): the CLAMP
 *       with scale (calibrated max |output|)/127.
 * </ul>
 *
 * <p>A Clip on the last layer is refused (the integer model's logits are unclamped), as is a Clip
 * with no dense layer before it, and so is a Relu on the last layer (the integer logits would not
 * be the float model's outputs).
 *
 * <p>Acceptance (ZKML.md): top-1 of the integer logits must agree with the float model on at least
 * 99 % of the calibration inputs, else {@link QuantizationAccuracyException}.
 */
public final class MlpQuantizer {
  public static final Set<String> SUPPORTED_OPS =
      Set.of(
          "Gemm",
          "MatMul",
          "Add",
          "Relu",
          "Clip",
          "BatchNormalization",
          "Flatten",
          "Reshape",
          "Identity",
          "Dropout");

  /** Smallest accepted top-1 agreement between integer and float model on calibration inputs. */
  public static final double MIN_AGREEMENT = 0.99;

  /** ONNX's default {@code epsilon} of BatchNormalization. */
  static final float DEFAULT_BATCH_NORM_EPSILON = 1e-5f;

  private static final int MAX_SHIFT = 40;

  private static final String CLIP_FORMS =
      "the integer model represents [0, max] (a ReLU clamp; max may be absent), [-m, m] (a"
          + " symmetric clamp) or no bound";

  private MlpQuantizer() {}

  /** The integer model and how often its top-1 matched the float model on calibration inputs. */
  public record Quantization(IntegerModel model, double topOneAgreement) {}

  /**
   * A dense layer in floats: weights row-major out × in, outputs clipped to [low, high] (an
   * infinite bound is no bound; [0, ∞) is ReLU).
   */
  record FloatLayer(
      int outputs, int inputs, double[] weights, double[] bias, double low, double high) {
    double[] forward(double[] x) {
      double[] y = new double[outputs];
      for (int o = 0; o < outputs; o++) {
        double s = bias[o];
        for (int i = 0; i < inputs; i++) {
          s += weights[o * inputs + i] * x[i];
        }
        y[o] = Math.min(high, Math.max(low, s));
      }
      return y;
    }
  }

  /**
   * How a hidden layer's int8 codes q stand for real values: real = scale·(q − zeroPoint), clamped
   * by the activation.
   */
  record OutputRange(Activation activation, double scale, double zeroPoint) {}

  /**
   * The output range of a hidden layer whose float outputs are clipped to [low, high] (a form
   * {@link #readLayers} accepted) and reached at most {@code calibratedMaxAbs} in absolute value on
   * the calibration inputs; the rules are in the class documentation.
   */
  static OutputRange outputRange(double low, double high, double calibratedMaxAbs) {
    double bound = Math.min(high, calibratedMaxAbs);
    if (low == Double.NEGATIVE_INFINITY && high == Double.POSITIVE_INFINITY) {
      return new OutputRange(Activation.CLAMP, scaleFor(bound), 0);
    }
    if (low == 0 && high > 0) {
      return new OutputRange(Activation.RELU, scaleFor(bound), 0);
    }
    if (low == -high && high > 0) {
      return new OutputRange(Activation.CLAMP, bound > 0 ? 2 * bound / 255 : 1.0, -0.5);
    }
    throw new IllegalArgumentException(
        "no int8 output range for [" + low + ", " + high + "]; " + CLIP_FORMS);
  }

  /**
   * Whether this quantizer takes the model: one input, one output, only {@link #SUPPORTED_OPS}, and
   * every node continuing a single chain from the input (its first input is the previous node's
   * output), from an input of one vector per row ([N, D] or [D]: a MatMul over [N, T, D] is a
   * graph). Other graphs go to {@link GraphQuantizer}.
   */
  public static boolean handles(OnnxModelFile file) {
    if (file.inputs().size() != 1
        || file.outputs().size() != 1
        || file.inputs().get(0).shape().length > 2) {
      return false;
    }
    String current = file.inputs().get(0).name();
    for (OnnxNode node : file.nodes()) {
      if (!SUPPORTED_OPS.contains(node.opType())
          || node.inputs().isEmpty()
          || node.outputs().isEmpty()
          || !node.inputs().contains(current)) {
        return false;
      }
      for (String in : node.inputs()) {
        // anything read besides the chain's value must be a constant (weights, bias, bounds)
        if (!in.isEmpty() && !in.equals(current) && file.constant(in).isEmpty()) {
          return false;
        }
      }
      current = node.outputs().get(0);
    }
    return current.equals(file.outputs().get(0).name());
  }

  /** Quantizes and requires {@link #MIN_AGREEMENT} top-1 agreement on the calibration inputs. */
  public static Quantization quantize(OnnxModelFile file, float[][] calibration) {
    return quantize(file, calibration, MIN_AGREEMENT);
  }

  /** Quantizes and requires the given top-1 agreement (0..1) on the calibration inputs. */
  public static Quantization quantize(
      OnnxModelFile file, float[][] calibration, double minAgreement) {
    if (calibration.length == 0) {
      throw new IllegalArgumentException("quantization needs at least one calibration input");
    }
    List<FloatLayer> layers = readLayers(file);
    int inputs = layers.get(0).inputs();
    // calibration: max |value| of the input and of every hidden layer's (clipped) output
    double[] maxAbs = new double[layers.size()];
    double inputMin = Double.POSITIVE_INFINITY, inputMax = Double.NEGATIVE_INFINITY;
    for (float[] x : calibration) {
      if (x.length != inputs) {
        throw new IllegalArgumentException(
            "calibration input has " + x.length + " values; the model takes " + inputs);
      }
      double[] a = toDoubles(x);
      for (double v : a) {
        inputMin = Math.min(inputMin, v);
        inputMax = Math.max(inputMax, v);
      }
      for (int l = 0; l + 1 < layers.size(); l++) {
        a = layers.get(l).forward(a);
        for (double v : a) {
          maxAbs[l + 1] = Math.max(maxAbs[l + 1], Math.abs(v));
        }
      }
    }
    // the input is quantized asymmetrically over its calibrated range (all 256 codes in use);
    // the zero point folds into the first layer's bias: W·(x_q − zp) = W·x_q − zp·ΣW
    double range = Math.max(inputMax, 0) - Math.min(inputMin, 0);
    double inputScale = range > 0 ? range / 255 : 1.0;
    int zeroPoint =
        (int) Math.max(-128, Math.min(127, Math.round(-128 - Math.min(inputMin, 0) / inputScale)));
    List<DenseLayer> quantized = new ArrayList<>();
    double inScale = inputScale;
    double inZeroPoint = zeroPoint;
    double logitScale = 1;
    for (int l = 0; l < layers.size(); l++) {
      FloatLayer f = layers.get(l);
      double wMax = 0;
      for (double w : f.weights()) {
        wMax = Math.max(wMax, Math.abs(w));
      }
      double wScale = scaleFor(wMax);
      byte[] w = new byte[f.weights().length];
      for (int i = 0; i < w.length; i++) {
        w[i] = (byte) Math.max(-127, Math.min(127, Math.round(f.weights()[i] / wScale)));
      }
      double accScale = inScale * wScale;
      boolean last = l == layers.size() - 1;
      LayerOutput output;
      OutputRange outRange = null;
      double outOffset = 0; // the output zero point in accumulator units: q = round(M·z + zp)
      if (last) {
        output = new LayerOutput.Logits();
        logitScale = accScale;
      } else {
        outRange = outputRange(f.low(), f.high(), maxAbs[l + 1]);
        LayerOutput.Requantized rq =
            requantization(accScale / outRange.scale(), outRange.activation());
        output = rq;
        outOffset = outRange.zeroPoint() * Math.pow(2, rq.shift()) / rq.multiplier();
      }
      int[] b = new int[f.outputs()];
      for (int i = 0; i < b.length; i++) {
        double exact = f.bias()[i] / accScale + outOffset;
        // the input zero point folds into the bias: W·(a_q − zp) = W·a_q − zp·ΣW; an integer
        // one (the model input's) is subtracted after rounding, a half one (mid-rise) before
        long sum = inZeroPoint == 0 ? 0 : rowSum(w, i, f.inputs());
        long v =
            inZeroPoint == Math.rint(inZeroPoint)
                ? Math.round(exact) - (long) inZeroPoint * sum
                : Math.round(exact - inZeroPoint * sum);
        if (Math.abs(v) > Integer.MAX_VALUE) {
          throw new InvalidModelException(
              "bias "
                  + i
                  + " of dense layer "
                  + l
                  + " does not fit int32 at the accumulator scale");
        }
        b[i] = (int) v;
      }
      quantized.add(new DenseLayer(f.outputs(), f.inputs(), w, b, output));
      if (!last) {
        // the scale the integer activations really have: ε/2^s rounds accScale/scale, and
        // carrying the rounding into the next layer (its bias and multiplier) keeps the error
        // from piling up as a bias/activation mismatch
        var rq = (LayerOutput.Requantized) output;
        inScale = accScale * Math.pow(2, rq.shift()) / rq.multiplier();
        inZeroPoint = outRange.zeroPoint();
      }
    }
    IntegerModel model =
        new IntegerModel(new InputQuantization(inputScale, zeroPoint), quantized, logitScale);
    double agreement = agreement(model, layers, calibration);
    if (agreement < minAgreement) {
      throw new QuantizationAccuracyException(
          String.format(
              "quantized top-1 agrees with the float model on %.2f %% of %d calibration inputs;"
                  + " at least %.0f %% is required. Calibrate on inputs like the ones the model"
                  + " will see, or keep this model at the VANILLA/TEE levels",
              100 * agreement, calibration.length, 100 * minAgreement));
    }
    return new Quantization(model, agreement);
  }

  private static long rowSum(byte[] w, int row, int inputs) {
    long sum = 0;
    for (int k = 0; k < inputs; k++) {
      sum += w[row * inputs + k];
    }
    return sum;
  }

  /**
   * The shift the ZK proof handles cheapest: a remainder of at most 20 bits is two 10-bit range
   * lookups (zk/README.md), against four at s = 40.
   */
  static final int PREFERRED_SHIFT = 20;

  /**
   * ε ≥ 2^(8 − 1): ε/2^s then misses m by at most 2^-8 relative. The error is the same factor for
   * every neuron of the layer (a gain: it commutes with ReLU and moves only the saturation point),
   * and below half an int8 step at full scale.
   */
  static final int MIN_MULTIPLIER_BITS = 8;

  /**
   * ε and s with ε/2^s ≈ m: s = {@link #PREFERRED_SHIFT} unless ε would then have fewer than {@link
   * #MIN_MULTIPLIER_BITS} bits (s grows, up to {@link #MAX_SHIFT}) or 31 or more (s shrinks).
   */
  static LayerOutput.Requantized requantization(double m, Activation activation) {
    if (!(m > 0) || Double.isInfinite(m)) {
      throw new InvalidModelException("requantization factor must be positive and finite: " + m);
    }
    int shift = PREFERRED_SHIFT;
    while (shift < MAX_SHIFT
        && Math.round(m * Math.pow(2, shift)) < 1L << (MIN_MULTIPLIER_BITS - 1)) {
      shift++;
    }
    while (shift > 1 && Math.round(m * Math.pow(2, shift)) >= 1L << 31) {
      shift--;
    }
    long multiplier = Math.round(m * Math.pow(2, shift));
    if (multiplier < 1 || multiplier >= 1L << 31) {
      throw new InvalidModelException(
          "requantization factor " + m + " is outside what a 31-bit multiplier and shift express");
    }
    return new LayerOutput.Requantized(multiplier, shift, activation);
  }

  private static double scaleFor(double maxAbs) {
    return maxAbs > 0 ? maxAbs / 127 : 1.0;
  }

  static double agreement(IntegerModel model, List<FloatLayer> layers, float[][] inputs) {
    int same = 0;
    for (float[] x : inputs) {
      double[] a = toDoubles(x);
      for (FloatLayer layer : layers) {
        a = layer.forward(a);
      }
      long[] logits = IntegerEngine.run(model, model.input().quantize(x));
      if (argmax(a) == argmax(logits)) {
        same++;
      }
    }
    return (double) same / inputs.length;
  }

  private static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private static int argmax(long[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private static double[] toDoubles(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  /**
   * Follows the chain from the graph input to the graph output, collecting dense layers with batch
   * normalizations folded in and activations fused.
   */
  static List<FloatLayer> readLayers(OnnxModelFile file) {
    file.requireOps(SUPPORTED_OPS);
    if (file.inputs().size() != 1 || file.outputs().size() != 1) {
      throw new InvalidModelException(
          "an MLP for quantization has one input and one output; this graph has "
              + file.inputs().size()
              + " and "
              + file.outputs().size());
    }
    List<OnnxMl.NodeProto> protos = file.proto().getGraph().getNodeList();
    List<OnnxNode> nodes = file.nodes();
    String current = file.inputs().get(0).name();
    List<FloatLayer> layers = new ArrayList<>();
    PendingLayer pending = null;
    Affine inputNormalization = null; // a BatchNormalization waiting for the next dense layer
    for (int n = 0; n < nodes.size(); n++) {
      OnnxNode node = nodes.get(n);
      OnnxMl.NodeProto proto = protos.get(n);
      List<String> in = node.inputs();
      requireInput(node, current, node.opType().equals("Add") ? -1 : 0);
      switch (node.opType()) {
        case "Gemm" -> {
          if (attributeInt(proto, "transA", 0) != 0
              || attributeFloat(proto, "alpha", 1f) != 1f
              || attributeFloat(proto, "beta", 1f) != 1f) {
            throw new InvalidModelException(
                "Gemm at node '" + node.label() + "' must have transA = 0 and alpha = beta = 1");
          }
          flush(layers, pending);
          Tensor w = initializer(file, node, in.get(1));
          pending = PendingLayer.of(node, w, attributeInt(proto, "transB", 0) == 1);
          if (in.size() > 2 && !in.get(2).isEmpty()) {
            pending.addBias(node, initializer(file, node, in.get(2)));
          }
          pending.normalizeInputs(node, inputNormalization);
          inputNormalization = null;
        }
        case "MatMul" -> {
          flush(layers, pending);
          pending = PendingLayer.of(node, initializer(file, node, in.get(1)), false);
          pending.normalizeInputs(node, inputNormalization);
          inputNormalization = null;
        }
        case "Add" -> {
          if (pending == null || pending.activated() || pending.hasBias) {
            throw new InvalidModelException(
                "Add at node '" + node.label() + "' is supported only as the bias of a MatMul");
          }
          int data = in.get(0).equals(current) ? 0 : 1;
          requireInput(node, current, data);
          pending.addBias(node, initializer(file, node, in.get(1 - data)));
        }
        case "Relu" -> activate(node, pending, inputNormalization, 0, Double.POSITIVE_INFINITY);
        case "Clip" -> {
          double[] bounds = clipBounds(file, node, proto);
          if (bounds[0] != Double.NEGATIVE_INFINITY || bounds[1] != Double.POSITIVE_INFINITY) {
            activate(node, pending, inputNormalization, bounds[0], bounds[1]);
          } // a Clip without bounds is an Identity
        }
        case "BatchNormalization" -> {
          Affine bn = batchNormalization(file, node, proto);
          if (pending != null && !pending.activated()) {
            pending.normalizeOutputs(node, bn);
          } else {
            inputNormalization = inputNormalization == null ? bn : inputNormalization.then(bn);
          }
        }
        default -> {} // Flatten, Reshape, Identity, Dropout
      }
      current = node.outputs().get(0);
    }
    if (inputNormalization != null) {
      throw new InvalidModelException(
          "BatchNormalization at node '"
              + inputNormalization.node()
              + "' has no Gemm or MatMul after it to fold into, and a Relu/Clip (or the graph"
              + " input) before it; it folds only into an adjacent dense layer: move it between"
              + " the last Gemm/MatMul and its activation, or drop it");
    }
    if (pending != null && pending.clipNode == null && pending.activated()) {
      throw new InvalidModelException(
          "Relu at node '"
              + pending.activationNode
              + "' follows the last Gemm/MatMul, but the integer model's last layer outputs"
              + " unclamped int64 logits, so proofs would attest values the float model never"
              + " returns; remove the Relu after the last Gemm/MatMul (top-1 decisions do not"
              + " change unless every logit is negative), or keep the model at the VANILLA/TEE"
              + " levels");
    }
    if (pending != null && pending.clipNode != null) {
      throw new InvalidModelException(
          "Clip at node '"
              + pending.clipNode
              + "' bounds the model's output, but the integer model's last layer outputs"
              + " unclamped int64 logits; remove the Clip after the last Gemm/MatMul (it changes"
              + " no top-1 decision it does not tie)");
    }
    flush(layers, pending);
    if (!current.equals(file.outputs().get(0).name()) || layers.isEmpty()) {
      throw new InvalidModelException(
          "the graph is not a single chain of dense layers from its input to its output");
    }
    for (int l = 1; l < layers.size(); l++) {
      if (layers.get(l).inputs() != layers.get(l - 1).outputs()) {
        throw new InvalidModelException(
            "dense layer "
                + l
                + " takes "
                + layers.get(l).inputs()
                + " inputs but receives "
                + layers.get(l - 1).outputs());
      }
    }
    return layers;
  }

  /** Fuses a Relu or a bounded Clip into the dense layer before it. */
  private static void activate(
      OnnxNode node, PendingLayer pending, Affine inputNormalization, double lo, double hi) {
    if (inputNormalization != null) {
      throw new InvalidModelException(
          "BatchNormalization at node '"
              + inputNormalization.node()
              + "' is followed by "
              + node.opType()
              + " at node '"
              + node.label()
              + "' before any Gemm or MatMul, so it cannot be folded into a dense layer; put it"
              + " right after a Gemm/MatMul (before the activation) or right before one");
    }
    if (pending == null) {
      throw new InvalidModelException(
          node.opType() + " at node '" + node.label() + "' must follow a Gemm or MatMul");
    }
    pending.clip(node, lo, hi);
  }

  /** The bounds of a Clip, ±∞ where it has none. */
  private static double[] clipBounds(OnnxModelFile file, OnnxNode node, OnnxMl.NodeProto proto) {
    double lo = Double.NEGATIVE_INFINITY;
    double hi = Double.POSITIVE_INFINITY;
    List<String> in = node.inputs();
    if (file.opsetVersion() >= 11) {
      if (in.size() > 1 && !in.get(1).isEmpty()) {
        lo = clipBound(file, node, in.get(1), "min");
      }
      if (in.size() > 2 && !in.get(2).isEmpty()) {
        hi = clipBound(file, node, in.get(2), "max");
      }
    } else {
      lo = attributeFloat(proto, "min", Float.NEGATIVE_INFINITY);
      hi = attributeFloat(proto, "max", Float.POSITIVE_INFINITY);
    }
    if (Double.isNaN(lo) || Double.isNaN(hi)) {
      throw new InvalidModelException("Clip at node '" + node.label() + "' has a NaN bound");
    }
    // ONNX's defaults are the float extremes: they bound nothing
    return new double[] {
      lo <= -Float.MAX_VALUE ? Double.NEGATIVE_INFINITY : lo,
      hi >= Float.MAX_VALUE ? Double.POSITIVE_INFINITY : hi
    };
  }

  private static double clipBound(OnnxModelFile file, OnnxNode node, String name, String which) {
    Tensor t = initializer(file, node, name);
    if (t.elementCount() != 1) {
      throw new InvalidModelException(
          "Clip at node '"
              + node.label()
              + "' needs its "
              + which
              + " to be a scalar; '"
              + name
              + "' has "
              + t.elementCount()
              + " values");
    }
    return t.getAsDouble(0);
  }

  /** An inference-mode BatchNormalization as the per-channel affine map a·x + d. */
  private static Affine batchNormalization(
      OnnxModelFile file, OnnxNode node, OnnxMl.NodeProto proto) {
    long outputs = node.outputs().stream().filter(o -> !o.isEmpty()).count();
    if (outputs > 1 || attributeInt(proto, "training_mode", 0) != 0) {
      throw new InvalidModelException(
          "BatchNormalization at node '"
              + node.label()
              + "' is in training mode ("
              + (outputs > 1 ? outputs + " outputs" : "training_mode = 1")
              + "); only inference mode folds into a dense layer: export the model with"
              + " model.eval() so the node has one output and uses its running mean and variance");
    }
    List<String> in = node.inputs();
    if (in.size() < 5 || in.subList(1, 5).contains("")) {
      throw new InvalidModelException(
          "BatchNormalization at node '"
              + node.label()
              + "' needs scale, bias, mean and variance inputs");
    }
    double[] gamma = values(initializer(file, node, in.get(1)));
    double[] beta = values(initializer(file, node, in.get(2)));
    double[] mean = values(initializer(file, node, in.get(3)));
    double[] variance = values(initializer(file, node, in.get(4)));
    int c = gamma.length;
    if (beta.length != c || mean.length != c || variance.length != c) {
      throw new InvalidModelException(
          "BatchNormalization at node '"
              + node.label()
              + "' has scale, bias, mean and variance of lengths "
              + c
              + ", "
              + beta.length
              + ", "
              + mean.length
              + ", "
              + variance.length
              + "; they need one value per channel each");
    }
    double epsilon = attributeFloat(proto, "epsilon", DEFAULT_BATCH_NORM_EPSILON);
    double[] a = new double[c];
    double[] d = new double[c];
    for (int i = 0; i < c; i++) {
      double denominator = variance[i] + epsilon;
      if (!(denominator > 0) || Double.isInfinite(denominator)) {
        throw new InvalidModelException(
            "BatchNormalization at node '"
                + node.label()
                + "' has variance + epsilon = "
                + denominator
                + " at channel "
                + i
                + "; it must be positive and finite");
      }
      a[i] = gamma[i] / Math.sqrt(denominator);
      d[i] = beta[i] - mean[i] * a[i];
    }
    return new Affine(node.label(), a, d);
  }

  /** y = scale·x + shift per channel, from the BatchNormalization at {@code node}. */
  private record Affine(String node, double[] scale, double[] shift) {
    /** This map followed by {@code next}. */
    Affine then(Affine next) {
      if (next.scale.length != scale.length) {
        throw new InvalidModelException(
            "BatchNormalization at node '"
                + next.node
                + "' has "
                + next.scale.length
                + " channels but follows '"
                + node
                + "' with "
                + scale.length);
      }
      double[] a = new double[scale.length];
      double[] d = new double[scale.length];
      for (int i = 0; i < a.length; i++) {
        a[i] = next.scale[i] * scale[i];
        d[i] = next.scale[i] * shift[i] + next.shift[i];
      }
      return new Affine(node, a, d);
    }
  }

  private static final class PendingLayer {
    final int outputs;
    final int inputs;
    final double[] weights;
    final double[] bias;
    boolean hasBias;
    double low = Double.NEGATIVE_INFINITY;
    double high = Double.POSITIVE_INFINITY;
    String clipNode; // the last bounded Clip fused into this layer, for errors
    String activationNode; // the last Relu or bounded Clip fused into this layer, for errors

    private PendingLayer(int outputs, int inputs, double[] weights) {
      this.outputs = outputs;
      this.inputs = inputs;
      this.weights = weights;
      this.bias = new double[outputs];
    }

    /** From an initializer [in, out] (MatMul, Gemm transB = 0) or [out, in] (transB = 1). */
    static PendingLayer of(OnnxNode node, Tensor w, boolean outByIn) {
      int[] s = w.shape();
      if (s.length != 2) {
        throw new InvalidModelException(
            "weights of node '" + node.label() + "' must be a matrix, got rank " + s.length);
      }
      double[] v = values(w);
      int out = outByIn ? s[0] : s[1];
      int in = outByIn ? s[1] : s[0];
      double[] rowMajor = new double[out * in];
      for (int o = 0; o < out; o++) {
        for (int i = 0; i < in; i++) {
          rowMajor[o * in + i] = outByIn ? v[o * in + i] : v[i * out + o];
        }
      }
      return new PendingLayer(out, in, rowMajor);
    }

    boolean activated() {
      return low != Double.NEGATIVE_INFINITY || high != Double.POSITIVE_INFINITY;
    }

    /** Adds a bias (the Gemm's C or the Add after a MatMul) to what is already folded in. */
    void addBias(OnnxNode node, Tensor b) {
      double[] v = values(b);
      if (v.length != outputs) {
        throw new InvalidModelException(
            "bias of node '"
                + node.label()
                + "' has "
                + v.length
                + " values for "
                + outputs
                + " outputs");
      }
      for (int o = 0; o < outputs; o++) {
        bias[o] += v[o];
      }
      hasBias = true;
    }

    /** Folds a normalization of this layer's output: W' = diag(a)·W, b' = a·b + d. */
    void normalizeOutputs(OnnxNode node, Affine bn) {
      if (bn.scale().length != outputs) {
        throw new InvalidModelException(
            "BatchNormalization at node '"
                + node.label()
                + "' has "
                + bn.scale().length
                + " channels, but the dense layer before it has "
                + outputs
                + " outputs; only [N, C] activations are supported");
      }
      for (int o = 0; o < outputs; o++) {
        for (int i = 0; i < inputs; i++) {
          weights[o * inputs + i] *= bn.scale()[o];
        }
        bias[o] = bn.scale()[o] * bias[o] + bn.shift()[o];
      }
    }

    /** Folds a normalization of this layer's input: W' = W·diag(a), b' = b + W·d. */
    void normalizeInputs(OnnxNode node, Affine bn) {
      if (bn == null) {
        return;
      }
      if (bn.scale().length != inputs) {
        throw new InvalidModelException(
            "BatchNormalization at node '"
                + bn.node()
                + "' has "
                + bn.scale().length
                + " channels, but the dense layer after it ('"
                + node.label()
                + "') takes "
                + inputs
                + " inputs; only [N, C] activations are supported");
      }
      for (int o = 0; o < outputs; o++) {
        double shift = 0;
        for (int i = 0; i < inputs; i++) {
          shift += weights[o * inputs + i] * bn.shift()[i];
          weights[o * inputs + i] *= bn.scale()[i];
        }
        bias[o] += shift;
      }
    }

    /** Fuses clip(·, lo, hi) after what is fused already: clips compose into one interval. */
    void clip(OnnxNode node, double lo, double hi) {
      double newLow = Math.min(hi, Math.max(lo, low));
      double newHigh = Math.min(hi, Math.max(lo, high));
      boolean representable =
          (newLow == 0 && newHigh > 0)
              || (newLow == -newHigh && newHigh > 0 && Double.isFinite(newHigh));
      if (!representable) {
        String own = "[" + lo + ", " + hi + "]";
        String fused = "[" + newLow + ", " + newHigh + "]";
        throw new InvalidModelException(
            node.opType()
                + " at node '"
                + node.label()
                + "' bounds its input to "
                + own
                + (own.equals(fused) ? "" : " (with the Relu/Clip before it: " + fused + ")")
                + "; "
                + CLIP_FORMS
                + ". Change the bounds to one of these forms (rescaling the layers around it if"
                + " need be), or keep the model at the VANILLA/TEE levels");
      }
      low = newLow;
      high = newHigh;
      if (node.opType().equals("Clip")) {
        clipNode = node.label();
      }
      activationNode = node.label();
    }
  }

  /** An initializer's values as doubles, whatever its numeric element type. */
  private static double[] values(Tensor t) {
    double[] v = new double[Math.toIntExact(t.elementCount())];
    for (int i = 0; i < v.length; i++) {
      v[i] = t.getAsDouble(i);
    }
    return v;
  }

  private static void flush(List<FloatLayer> layers, PendingLayer p) {
    if (p != null) {
      layers.add(new FloatLayer(p.outputs, p.inputs, p.weights, p.bias, p.low, p.high));
    }
  }

  /** Requires input {@code index} to be the chain's current value (any input when negative). */
  private static void requireInput(OnnxNode node, String current, int index) {
    boolean continues =
        index < 0
            ? node.inputs().contains(current)
            : node.inputs().size() > index && node.inputs().get(index).equals(current);
    if (!continues) {
      throw new InvalidModelException(
          "node '" + node.label() + "' does not continue the chain from '" + current + "'");
    }
  }

  private static Tensor initializer(OnnxModelFile file, OnnxNode node, String name) {
    return file.initializer(name)
        .orElseThrow(() ->
            new InvalidModelException(
                "node '" + node.label() + "' needs '" + name + "' to be a constant initializer"));
  }

  private static long attributeInt(OnnxMl.NodeProto node, String name, long fallback) {
    return node.getAttributeList().stream()
        .filter(a -> a.getName().equals(name))
        .mapToLong(OnnxMl.AttributeProto::getI)
        .findFirst()
        .orElse(fallback);
  }

  private static float attributeFloat(OnnxMl.NodeProto node, String name, float fallback) {
    return node.getAttributeList().stream()
        .filter(a -> a.getName().equals(name))
        .map(OnnxMl.AttributeProto::getF)
        .findFirst()
        .orElse(fallback);
  }
}
