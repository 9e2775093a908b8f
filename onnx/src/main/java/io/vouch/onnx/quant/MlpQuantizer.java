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
 * requantization q = (ε·z + 2^(s−1)) &gt;&gt; s with ε/2^s ≈ s_in·s_w/s_out (ε just below 2^31, s ≤
 * 40).
 *
 * <p>Graph: a chain of Gemm (alpha = beta = 1, transA = 0) or MatMul + Add (bias), each optionally
 * followed by Relu; Flatten, Reshape, Identity and Dropout pass through. Any other op is refused
 * with its name and node. The last dense layer outputs int64 logits (scale {@link
 * IntegerModel#logitScale()}).
 *
 * <p>Acceptance (ZKML.md): top-1 of the integer logits must agree with the float model on at least
 * 99 % of the calibration inputs, else {@link QuantizationAccuracyException}.
 */
public final class MlpQuantizer {
  public static final Set<String> SUPPORTED_OPS =
      Set.of("Gemm", "MatMul", "Add", "Relu", "Flatten", "Reshape", "Identity", "Dropout");

  /** Smallest accepted top-1 agreement between integer and float model on calibration inputs. */
  public static final double MIN_AGREEMENT = 0.99;

  private static final int MAX_SHIFT = 40;

  private MlpQuantizer() {}

  /** The integer model and how often its top-1 matched the float model on calibration inputs. */
  public record Quantization(IntegerModel model, double topOneAgreement) {}

  /** A dense layer in floats: weights row-major out × in. */
  record FloatLayer(int outputs, int inputs, double[] weights, double[] bias, boolean relu) {
    double[] forward(double[] x) {
      double[] y = new double[outputs];
      for (int o = 0; o < outputs; o++) {
        double s = bias[o];
        for (int i = 0; i < inputs; i++) {
          s += weights[o * inputs + i] * x[i];
        }
        y[o] = relu ? Math.max(0, s) : s;
      }
      return y;
    }
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
    // calibration: max |value| of the input and of every hidden layer's output
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
      int[] b = new int[f.outputs()];
      for (int i = 0; i < b.length; i++) {
        long v = Math.round(f.bias()[i] / accScale);
        if (l == 0) {
          long rowSum = 0;
          for (int k = 0; k < f.inputs(); k++) {
            rowSum += w[i * f.inputs() + k];
          }
          v -= (long) zeroPoint * rowSum;
        }
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
      boolean last = l == layers.size() - 1;
      LayerOutput output;
      if (last) {
        output = new LayerOutput.Logits();
        logitScale = accScale;
      } else {
        double outScale = scaleFor(maxAbs[l + 1]);
        output = requantization(accScale / outScale, f.relu() ? Activation.RELU : Activation.CLAMP);
        inScale = outScale;
      }
      quantized.add(new DenseLayer(f.outputs(), f.inputs(), w, b, output));
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

  /** ε and s with ε/2^s ≈ m, ε in [2^30, 2^31) when the shift allows it. */
  static LayerOutput.Requantized requantization(double m, Activation activation) {
    if (!(m > 0) || Double.isInfinite(m)) {
      throw new InvalidModelException("requantization factor must be positive and finite: " + m);
    }
    int shift = MAX_SHIFT;
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

  /** Follows the chain from the graph input to the graph output, collecting dense layers. */
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
    for (int n = 0; n < nodes.size(); n++) {
      OnnxNode node = nodes.get(n);
      OnnxMl.NodeProto proto = protos.get(n);
      List<String> in = node.inputs();
      switch (node.opType()) {
        case "Gemm" -> {
          requireInput(node, current, 0);
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
        }
        case "MatMul" -> {
          requireInput(node, current, 0);
          flush(layers, pending);
          pending = PendingLayer.of(node, initializer(file, node, in.get(1)), false);
        }
        case "Add" -> {
          if (pending == null || pending.relu || pending.hasBias) {
            throw new InvalidModelException(
                "Add at node '" + node.label() + "' is supported only as the bias of a MatMul");
          }
          int data = in.get(0).equals(current) ? 0 : 1;
          requireInput(node, current, data);
          pending.addBias(node, initializer(file, node, in.get(1 - data)));
        }
        case "Relu" -> {
          requireInput(node, current, 0);
          if (pending == null || pending.relu) {
            throw new InvalidModelException(
                "Relu at node '" + node.label() + "' must follow a Gemm or MatMul");
          }
          pending.relu = true;
        }
        default -> requireInput(node, current, 0); // Flatten, Reshape, Identity, Dropout
      }
      current = node.outputs().get(0);
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

  private static final class PendingLayer {
    final int outputs;
    final int inputs;
    final double[] weights;
    final double[] bias;
    boolean hasBias;
    boolean relu;

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
      System.arraycopy(v, 0, bias, 0, outputs);
      hasBias = true;
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
      layers.add(new FloatLayer(p.outputs, p.inputs, p.weights, p.bias, p.relu));
    }
  }

  private static void requireInput(OnnxNode node, String current, int index) {
    if (node.inputs().size() <= index || !node.inputs().get(index).equals(current)) {
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
