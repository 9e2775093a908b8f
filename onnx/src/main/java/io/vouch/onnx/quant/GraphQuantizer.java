package io.vouch.onnx.quant;

import ai.onnx.proto.OnnxMl;
import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.EngineOptions;
import io.vouch.onnx.InvalidModelException;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxNode;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a float ONNX graph (a DAG: several inputs and outputs, residual Adds, Concats) into the
 * {@link IntegerModel} the ZK level proves. Calibration runs ONNX Runtime itself with every
 * intermediate tensor exposed ({@link OnnxRuntimeEngine#loadRecording}): the ranges of all
 * activations and their shapes come from the runtime the model will be compared with, not from a
 * second float engine.
 *
 * <p><b>Quantization rules</b>, per op (scales are per tensor, real = scale·(code − zero point)):
 *
 * <ul>
 *   <li><b>Inputs</b>: asymmetric int8 over the calibrated range (zero point folded into the biases
 *       of the Conv/Gemm/MatMul that read them; a Conv with padding then gets a bias per output
 *       value, since padded taps read real 0) when only such ops read the input, symmetric
 *       otherwise.
 *   <li><b>Conv, Gemm, MatMul</b> (constant weights): symmetric int8 weights per output channel
 *       (scale max|W_c|/127), int64 bias at the accumulator scale, requantization with one
 *       multiplier per channel and a common shift ({@link #multipliers}). BatchNormalization and
 *       Add/Sub/Mul/Div by a per-channel constant directly after one (before its activation) fold
 *       into its weights and bias in floats; Relu and Clip fuse into its clamp. An op whose output
 *       is a graph output keeps one weight scale (so its int64 logits share one scale) and is not
 *       requantized.
 *   <li><b>Activations</b> (the fused clip interval [lo, hi]): [0, hi] → the ReLU clamp [0, 127]
 *       with scale min(hi, calibrated max)/127; no bound → the int8 clamp with scale (calibrated
 *       max |x|)/127; [−m, m] → the int8 clamp with scale min(m, calibrated max |x|)/127 (code −128
 *       is −1.008·m, the one step a symmetric code cannot avoid). Other intervals are refused.
 *   <li><b>MaxPool</b>: the input's scale and zero point (max commutes with the increasing map from
 *       codes to reals): exact, no rounding.
 *   <li><b>AveragePool, GlobalAveragePool</b>: window sums requantized with ε/2^s ≈ s_in/(s_out·n)
 *       for n taps; when taps per window differ ({@code count_include_pad = 0} with padding) each
 *       output position weighs its sum by round(4096/n_p).
 *   <li><b>Add, Sub</b> between two activations of one shape, and <b>Add/Sub/Mul/Div by a
 *       constant</b> (scalar or per channel) on an activation: an {@link ElementwiseOp} z = Σ_j
 *       m_j·x_j + b with m_j = round(c_j·s_j/s_out·2^s), requantized by 2^s; a standalone
 *       BatchNormalization and a Relu that has nothing to fuse into are the same op.
 *   <li><b>Concat</b>: a {@link WiringOp} at the largest input scale; inputs at another scale are
 *       rescaled by an elementwise op first. <b>Transpose</b>: wiring (the batch axis stays first).
 *       <b>Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout</b>: nothing (the same values);
 *       a consumer that reads channels (Conv, pooling, elementwise) of a reshaped tensor gets a
 *       wiring copy in its shape.
 *   <li><b>Constant</b> nodes and initializers are constants anywhere.
 * </ul>
 *
 * <p>Any op outside {@link #SUPPORTED_OPS} is refused with every such op and node named at once.
 *
 * <p><b>Acceptance</b>: top-1 of the integer outputs must agree with ONNX Runtime's on at least the
 * given share of the calibration inputs ({@link MlpQuantizer#MIN_AGREEMENT} by default), else
 * {@link QuantizationAccuracyException}.
 */
public final class GraphQuantizer {
  public static final Set<String> SUPPORTED_OPS =
      Set.of(
          "Conv",
          "Gemm",
          "MatMul",
          "Relu",
          "Clip",
          "BatchNormalization",
          "MaxPool",
          "AveragePool",
          "GlobalAveragePool",
          "Add",
          "Sub",
          "Mul",
          "Div",
          "Concat",
          "Transpose",
          "Reshape",
          "Flatten",
          "Squeeze",
          "Unsqueeze",
          "Constant",
          "Identity",
          "Dropout",
          "Sigmoid",
          "Tanh",
          "Erf",
          "Gelu",
          "Exp",
          "Reciprocal",
          "Sqrt",
          "Softmax",
          "LayerNormalization",
          "ReduceMean",
          "Pow",
          "Gather",
          "Split",
          "Slice");

  /**
   * A model input for ONNX Runtime from float values: floats, or the integers they hold for an
   * int64/int32 input (token ids).
   */
  static Tensor inputTensor(TensorSpec spec, int[] shape, float[] values) {
    return switch (spec.dtype()) {
      case INT64 -> {
        long[] v = new long[values.length];
        for (int i = 0; i < v.length; i++) {
          v[i] = Math.round(values[i]);
        }
        yield Tensor.ofLongs(shape, v);
      }
      case INT32 -> {
        int[] v = new int[values.length];
        for (int i = 0; i < v.length; i++) {
          v[i] = Math.round(values[i]);
        }
        yield Tensor.ofInts(shape, v);
      }
      default -> Tensor.ofFloats(shape, values);
    };
  }

  static boolean isIndexInput(TensorSpec spec) {
    return spec.dtype() == io.vouch.core.tensor.DType.INT64
        || spec.dtype() == io.vouch.core.tensor.DType.INT32;
  }

  /** Bits of a softmax's largest exponential, exp[0] = 2^12 (onnx/README.md has the bound). */
  static final int SOFTMAX_EXP_BITS = 12;

  /** Position weights of an average pool whose windows hold different numbers of taps. */
  static final int AVERAGE_WEIGHT_UNIT = 4096;

  /** Calibration inputs per ONNX Runtime call when the batch axis is dynamic. */
  private static final int CALIBRATION_BATCH = 32;

  private static final String CLIP_FORMS =
      "the integer model represents [0, max] (a ReLU clamp; max may be absent), [-m, m] (a"
          + " symmetric clamp) or no bound";

  private GraphQuantizer() {}

  /**
   * Quantizes an MLP with {@link MlpQuantizer} (whose rules for chains of dense layers, clips and
   * batch normalizations stay exactly as they were) and any other graph with this quantizer.
   */
  public static MlpQuantizer.Quantization quantizeModel(
      OnnxModelFile file, float[][] calibration, double minAgreement) {
    if (MlpQuantizer.handles(file)) {
      return MlpQuantizer.quantize(file, calibration, minAgreement);
    }
    return quantize(file, calibration, minAgreement);
  }

  /** Quantizes a graph and requires the given top-1 agreement with ONNX Runtime. */
  public static MlpQuantizer.Quantization quantize(
      OnnxModelFile file, float[][] calibration, double minAgreement) {
    if (calibration.length == 0) {
      throw new IllegalArgumentException("quantization needs at least one calibration input");
    }
    file.requireOps(SUPPORTED_OPS);
    Calibration cal = Calibration.run(file, calibration);
    Builder b = new Builder(file, cal);
    IntegerModel model = b.build();
    double agreement = agreement(model, calibration, cal.outputs);
    if (agreement < minAgreement) {
      throw new QuantizationAccuracyException(
          String.format(
              java.util.Locale.ROOT,
              "quantized top-1 agrees with ONNX Runtime on %.2f %% of %d calibration inputs;"
                  + " at least %.0f %% is required. Calibrate on inputs like the ones the model"
                  + " will see, or keep this model at the VANILLA/TEE levels",
              100 * agreement,
              calibration.length,
              100 * minAgreement));
    }
    return new MlpQuantizer.Quantization(model, agreement);
  }

  /** Share of inputs whose integer top-1 (first output) equals ONNX Runtime's. */
  static double agreement(IntegerModel model, float[][] inputs, float[][] reference) {
    int width = model.shapeOf(model.outputs().get(0).tensor()).size();
    int same = 0;
    for (int r = 0; r < inputs.length; r++) {
      long[] logits = IntegerEngine.run(model, model.quantizeInputs(inputs[r]));
      int best = 0;
      for (int i = 1; i < width; i++) {
        if (logits[i] > logits[best]) {
          best = i;
        }
      }
      int expected = 0;
      for (int i = 1; i < width; i++) {
        if (reference[r][i] > reference[r][expected]) {
          expected = i;
        }
      }
      if (best == expected) {
        same++;
      }
    }
    return (double) same / inputs.length;
  }

  /**
   * Largest shift whose remainder the proof range-checks with one lookup (a table of 2^15 rows);
   * above it the remainder takes two 10-bit lookups.
   */
  static final int SINGLE_LOOKUP_SHIFT = 15;

  /**
   * A requantization shift for the given ratios ε_c/2^s: the smallest s ≤ {@value
   * #SINGLE_LOOKUP_SHIFT} that gives every nonzero ε at least 8 bits (one remainder lookup per
   * value in the proof instead of two), else 20 (two 10-bit lookups) unless the smallest ε would
   * then have fewer than 8 bits (s grows, up to 40); the largest ε stays below 2^31.
   */
  static int shiftFor(double[] ratios) {
    double min = Double.POSITIVE_INFINITY, max = 0;
    for (double r : ratios) {
      double a = Math.abs(r);
      if (a > 0) {
        min = Math.min(min, a);
        max = Math.max(max, a);
      }
    }
    if (max == 0) {
      return MlpQuantizer.PREFERRED_SHIFT;
    }
    double least = 1 << (MlpQuantizer.MIN_MULTIPLIER_BITS - 1);
    for (int s = 1; s <= SINGLE_LOOKUP_SHIFT; s++) {
      if (min * Math.pow(2, s) >= least && max * Math.pow(2, s) < (1L << 31) - 1) {
        return s;
      }
    }
    int shift = MlpQuantizer.PREFERRED_SHIFT;
    while (shift < 40
        && min * Math.pow(2, shift) < least
        && max * Math.pow(2, shift + 1) < (1L << 31) - 1) {
      shift++;
    }
    while (shift > 1 && max * Math.pow(2, shift) >= (1L << 31) - 1) {
      shift--;
    }
    return shift;
  }

  /** Per-channel requantization multipliers ε_c = round(ratio_c·2^s), at least 1. */
  static Requantization multipliers(double[] ratios, Activation activation) {
    int shift = shiftFor(ratios);
    long[] eps = new long[ratios.length];
    for (int c = 0; c < eps.length; c++) {
      if (!(ratios[c] > 0) || Double.isInfinite(ratios[c])) {
        throw new InvalidModelException("requantization factor must be positive and finite");
      }
      eps[c] = Math.max(1, Math.round(ratios[c] * Math.pow(2, shift)));
    }
    boolean uniform = Arrays.stream(eps).allMatch(e -> e == eps[0]);
    return new Requantization(uniform ? new long[] {eps[0]} : eps, shift, activation);
  }

  // ---------------------------------------------------------------------------------------------
  // calibration

  /** What ONNX Runtime computed on the calibration inputs. */
  static final class Calibration {
    final Map<String, int[]> dims = new HashMap<>(); // per tensor, batch axis included (as 1)
    final Map<String, double[]> range = new HashMap<>(); // min, max
    float[][] outputs; // first graph output per calibration input

    static Calibration run(OnnxModelFile file, float[][] calibration) {
      List<String> names = new ArrayList<>();
      for (OnnxNode node : file.nodes()) {
        if (node.opType().equals("Constant")) {
          continue;
        }
        for (String out : node.outputs()) {
          if (!out.isEmpty()) {
            names.add(out);
          }
        }
      }
      List<TensorSpec> inputs = file.inputs();
      int total = inputs.stream().mapToInt(GraphQuantizer::valuesPerExample).sum();
      for (float[] x : calibration) {
        if (x.length != total) {
          throw new IllegalArgumentException(
              "calibration input has " + x.length + " values; the model takes " + total);
        }
      }
      boolean dynamic =
          inputs.stream().allMatch(s -> s.shape().length > 0 && s.shape()[0] == TensorSpec.DYNAMIC);
      Calibration cal = new Calibration();
      cal.outputs = new float[calibration.length][];
      String firstOutput = file.outputs().get(0).name();
      try (OnnxRuntimeEngine engine =
          OnnxRuntimeEngine.loadRecording(file, names, EngineOptions.DEFAULT)) {
        int step = dynamic ? CALIBRATION_BATCH : 1;
        for (int from = 0; from < calibration.length; from += step) {
          int n = Math.min(step, calibration.length - from);
          Map<String, Tensor> feed = new LinkedHashMap<>();
          int offset = 0;
          for (TensorSpec spec : inputs) {
            int per = valuesPerExample(spec);
            float[] flat = new float[n * per];
            for (int r = 0; r < n; r++) {
              System.arraycopy(calibration[from + r], offset, flat, r * per, per);
            }
            int[] shape = spec.shape().clone();
            if (shape.length > 0) {
              shape[0] = n;
            }
            feed.put(spec.name(), inputTensor(spec, shape, flat));
            offset += per;
          }
          Map<String, Tensor> out = engine.runRecording(feed);
          for (Map.Entry<String, Tensor> e : out.entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype() != io.vouch.core.tensor.DType.FLOAT32) {
              continue;
            }
            int[] shape = t.shape().clone();
            if (shape.length > 0) {
              shape[0] = 1;
            }
            cal.dims.putIfAbsent(e.getKey(), shape);
            float[] v = t.toFloats();
            double[] r = cal.range.computeIfAbsent(e.getKey(), k -> new double[] {0, 0});
            for (float f : v) {
              r[0] = Math.min(r[0], f);
              r[1] = Math.max(r[1], f);
            }
            if (e.getKey().equals(firstOutput)) {
              int per = v.length / n;
              for (int r2 = 0; r2 < n; r2++) {
                cal.outputs[from + r2] = Arrays.copyOfRange(v, r2 * per, (r2 + 1) * per);
              }
            }
          }
        }
      }
      // graph inputs
      int offset = 0;
      for (TensorSpec spec : inputs) {
        int per = valuesPerExample(spec);
        double lo = 0, hi = 0;
        for (float[] x : calibration) {
          for (int i = offset; i < offset + per; i++) {
            lo = Math.min(lo, x[i]);
            hi = Math.max(hi, x[i]);
          }
        }
        cal.range.put(spec.name(), new double[] {lo, hi});
        int[] shape = spec.shape().clone();
        if (shape.length > 0) {
          shape[0] = 1;
        }
        cal.dims.put(spec.name(), shape);
        offset += per;
      }
      return cal;
    }

    double[] rangeOf(String name) {
      double[] r = range.get(name);
      if (r == null) {
        throw new InvalidModelException("ONNX Runtime returned no float value for '" + name + "'");
      }
      return r;
    }
  }

  private static int valuesPerExample(TensorSpec spec) {
    int[] shape = spec.shape();
    int n = 1;
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] == TensorSpec.DYNAMIC) {
        throw new InvalidModelException(
            "input '"
                + spec.name()
                + "' has a dynamic axis besides the batch axis; give it a size");
      }
      n *= shape[i];
    }
    if (shape.length > 0 && shape[0] != TensorSpec.DYNAMIC && shape[0] != 1) {
      throw new InvalidModelException(
          "input '" + spec.name() + "' has batch size " + shape[0] + "; use 1 or a dynamic axis");
    }
    return n;
  }

  /** The logical shape of an ONNX tensor of dims [1, ...]: NCHW, NCL, NC or a vector. */
  static TensorShape shapeOf(String name, int[] dims) {
    return switch (dims.length) {
      case 0 -> TensorShape.vector(1);
      case 1 -> TensorShape.vector(dims[0]);
      case 2 -> TensorShape.vector(dims[1]);
      case 3 -> new TensorShape(dims[1], 1, dims[2]);
      case 4 -> new TensorShape(dims[1], dims[2], dims[3]);
      default ->
          throw new InvalidModelException(
              "tensor '" + name + "' has rank " + dims.length + "; ranks up to 4 are supported");
    };
  }

  // ---------------------------------------------------------------------------------------------
  // the graph

  /** An index input (token ids) of the model under construction. */
  record Indices(int id, int[] dims, int range) {}

  /** An int8 tensor of the model under construction, with its scale and code range. */
  record Act(int id, int[] dims, double scale, int zeroPoint, int lo, int hi) {
    TensorShape shape() {
      return shapeOf("tensor " + id, dims);
    }
  }

  /** A requantizing op not yet emitted: later Relu/Clip/BatchNormalization/... may fuse in. */
  abstract static class Pending {
    String name; // the ONNX name of its current output
    String node; // the ONNX node that started it
    int[] dims;
    double low = Double.NEGATIVE_INFINITY, high = Double.POSITIVE_INFINITY;
    String clipNode;

    boolean activated() {
      return low != Double.NEGATIVE_INFINITY || high != Double.POSITIVE_INFINITY;
    }

    int channels() {
      return shapeOf(name, dims).channels();
    }
  }

  /** Conv or Gemm/MatMul with float weights (out × per-output) and per-channel bias. */
  static final class PendingLinear extends Pending {
    Act input;
    boolean conv;
    double[] weights;
    double[] bias;
    int outChannels;
    int groups = 1;
    Window window;
    int rows = 1; // > 1: the same weights on every row of a [1, rows, in] input (MatMul)
  }

  /**
   * A product of two activations not yet emitted: a matrix product (MatMul of two activations) or
   * an elementwise one (Mul); scalar Mul/Div after it fold into its coefficient.
   */
  static final class PendingProduct extends Pending {
    Act left, right;
    boolean matrix;
    int batch, m, k, n;
    double coefficient = 1;
  }

  /** How a constant broadcasts against an activation [1, ...]. */
  enum Broadcast {
    SCALAR,
    /** one value per channel (axis 1) */
    CHANNEL,
    /** one value per index of the last axis (rank ≥ 3) */
    LAST,
    /** one value per value */
    VALUE
  }

  /** real_out = Σ_j coefficient_j[c]·real_j + constant[c or i]. */
  static final class PendingElementwise extends Pending {
    final List<Act> inputs = new ArrayList<>();
    final List<double[]> coefficients = new ArrayList<>(); // per channel, or one
    double[] constant = {0}; // per channel, one, or per value (length = size)
  }

  /**
   * A table op not yet emitted: it reads inScale·x + inShift (a scalar affine before it, fused) and
   * gives outScale·f(...) + outShift (scalar affine maps and clips after it fold in too), so a
   * chain like Div → Erf → Add → Mul-by-constant is one table computed in reals.
   */
  static final class PendingTable extends Pending {
    Act input;
    double inScale = 1, inShift = 0;
    java.util.function.DoubleUnaryOperator function;
    String functionName;
    double outScale = 1, outShift = 0;

    double apply(double x) {
      return outScale * function.applyAsDouble(inScale * x + inShift) + outShift;
    }
  }

  /**
   * A selection of another tensor's values not yet emitted (Transpose, Split, Slice, Gather by
   * constant indices): output value i is value index[i] of the source. Reshapes keep it pending and
   * a selection of it composes, so a Split → Reshape → Transpose chain is one wiring op.
   */
  static final class PendingWiring extends Pending {
    Act source;
    int[] index;
  }

  /** A layer normalization over the last axis not yet emitted; scale and shift fold in. */
  static final class PendingLayerNorm extends Pending {
    Act input;
    int batch, rows, length;
    double[] gamma, beta;
    double epsilon;
  }

  /** The exporters' decomposed layer normalization, found before the nodes are visited. */
  record LayerNormPattern(String input, String output, double epsilon, String firstNode) {}

  static final class PendingAverage extends Pending {
    Act input;
    Window window;
    boolean countIncludePad;
  }

  private static final class Builder {
    final OnnxModelFile file;
    final Calibration cal;
    final Map<String, Object> values = new HashMap<>(); // ONNX name → Act | Pending
    final Map<String, Integer> consumers = new HashMap<>();
    final List<ModelInput> inputs = new ArrayList<>();
    final List<IntegerOp> ops = new ArrayList<>();

    final Map<String, List<OnnxNode>> readers = new HashMap<>();
    final Map<String, LayerNormPattern> layerNormsAt = new HashMap<>(); // by first node label
    final Set<String> absorbed = new java.util.HashSet<>(); // node labels inside a pattern

    Builder(OnnxModelFile file, Calibration cal) {
      this.file = file;
      this.cal = cal;
      for (OnnxNode node : file.nodes()) {
        for (String in : node.inputs()) {
          consumers.merge(in, 1, Integer::sum);
          readers.computeIfAbsent(in, k -> new ArrayList<>()).add(node);
        }
      }
      for (TensorSpec out : file.outputs()) {
        consumers.merge(out.name(), 1, Integer::sum);
      }
      findLayerNorms();
    }

    /** The one node reading {@code name} (and nothing else reading it), or null. */
    OnnxNode soleReader(String name, String opType) {
      List<OnnxNode> r = readers.getOrDefault(name, List.of());
      return r.size() == 1
              && consumers.getOrDefault(name, 0) == 1
              && r.get(0).opType().equals(opType)
          ? r.get(0)
          : null;
    }

    /**
     * Finds x − mean(x) over the last axis divided by √(mean((x − mean)²) + ε): ReduceMean → Sub →
     * Pow(·, 2) (or Mul by itself) → ReduceMean → Add ε → Sqrt → Div, the centred value read by
     * exactly the Pow and the Div. Such a chain becomes one layer normalization.
     */
    void findLayerNorms() {
      for (OnnxNode mean : file.nodes()) {
        if (!mean.opType().equals("ReduceMean") || !reducesLastAxis(mean)) {
          continue;
        }
        String x = mean.inputs().get(0);
        OnnxNode sub = soleReader(mean.outputs().get(0), "Sub");
        if (sub == null
            || !sub.inputs().get(0).equals(x)
            || !sub.inputs().get(1).equals(mean.outputs().get(0))) {
          continue;
        }
        String d = sub.outputs().get(0);
        List<OnnxNode> uses = readers.getOrDefault(d, List.of()).stream().distinct().toList();
        OnnxNode square = null, div = null;
        for (OnnxNode u : uses) {
          if (isSquareOf(u, d)) {
            square = u;
          } else if (u.opType().equals("Div") && u.inputs().get(0).equals(d)) {
            div = u;
          }
        }
        boolean graphOutput = file.outputs().stream().anyMatch(o -> o.name().equals(d));
        if (uses.size() != 2 || graphOutput) {
          continue;
        }
        if (square == null || div == null) {
          continue;
        }
        OnnxNode var = soleReader(square.outputs().get(0), "ReduceMean");
        if (var == null || !reducesLastAxis(var)) {
          continue;
        }
        OnnxNode add = soleReader(var.outputs().get(0), "Add");
        if (add == null) {
          continue;
        }
        String epsName =
            add.inputs().get(0).equals(var.outputs().get(0))
                ? add.inputs().get(1)
                : add.inputs().get(0);
        Tensor eps = file.constant(epsName).orElse(null);
        if (eps == null || eps.elementCount() != 1) {
          continue;
        }
        OnnxNode sqrt = soleReader(add.outputs().get(0), "Sqrt");
        if (sqrt == null
            || soleReader(sqrt.outputs().get(0), "Div") != div
            || !div.inputs().get(1).equals(sqrt.outputs().get(0))) {
          continue;
        }
        layerNormsAt.put(
            mean.label(),
            new LayerNormPattern(x, div.outputs().get(0), eps.getAsDouble(0), mean.label()));
        for (OnnxNode n : List.of(sub, square, var, add, sqrt, div)) {
          absorbed.add(n.label());
        }
      }
    }

    /** Pow(d, 2) or Mul(d, d). */
    boolean isSquareOf(OnnxNode u, String d) {
      if (u.opType().equals("Mul")) {
        return u.inputs().get(0).equals(d) && u.inputs().get(1).equals(d);
      }
      if (u.opType().equals("Pow") && u.inputs().get(0).equals(d)) {
        Tensor e = file.constant(u.inputs().get(1)).orElse(null);
        return e != null && e.elementCount() == 1 && e.getAsDouble(0) == 2.0;
      }
      return false;
    }

    /** Whether a ReduceMean averages exactly the last axis and keeps its dims. */
    boolean reducesLastAxis(OnnxNode node) {
      OnnxMl.NodeProto proto = protoOf(node);
      if (attrInt(proto, "keepdims", 1) != 1) {
        return false;
      }
      long[] axes = reduceAxes(node, proto);
      int[] dims = cal.dims.get(node.inputs().get(0));
      if (axes == null || axes.length != 1 || dims == null) {
        return false;
      }
      long a = axes[0] < 0 ? axes[0] + dims.length : axes[0];
      return a == dims.length - 1;
    }

    long[] reduceAxes(OnnxNode node, OnnxMl.NodeProto proto) {
      long[] axes = attrInts(proto, "axes", null);
      if (axes == null && node.inputs().size() > 1 && !node.inputs().get(1).isEmpty()) {
        Tensor t = file.constant(node.inputs().get(1)).orElse(null);
        if (t != null) {
          axes = new long[Math.toIntExact(t.elementCount())];
          for (int i = 0; i < axes.length; i++) {
            axes[i] = (long) t.getAsDouble(i);
          }
        }
      }
      return axes;
    }

    OnnxMl.NodeProto protoOf(OnnxNode node) {
      List<OnnxNode> nodes = file.nodes();
      return file.proto().getGraph().getNode(nodes.indexOf(node));
    }

    int nextId() {
      return inputs.size() + ops.size();
    }

    IntegerModel build() {
      declareInputs();
      Map<String, OnnxMl.NodeProto> protos = new HashMap<>();
      for (OnnxMl.NodeProto p : file.proto().getGraph().getNodeList()) {
        protos.put(p.getName().isEmpty() ? "#" + p.getOutput(0) : p.getName(), p);
      }
      List<OnnxMl.NodeProto> nodeProtos = file.proto().getGraph().getNodeList();
      List<OnnxNode> nodes = file.nodes();
      for (int i = 0; i < nodes.size(); i++) {
        visit(nodes.get(i), nodeProtos.get(i));
      }
      List<ModelOutput> outputs = new ArrayList<>();
      for (TensorSpec spec : file.outputs()) {
        Object v = values.get(spec.name());
        if (isInt8Output(v)) {
          Act a = v instanceof Pending p ? act(p) : (Act) v;
          outputs.add(new ModelOutput(spec.name(), a.id(), a.scale()));
          values.put(spec.name(), Boolean.TRUE);
          continue;
        }
        if (!(v instanceof PendingLinear p) || p.activated()) {
          throw new InvalidModelException(
              "output '"
                  + spec.name()
                  + "' must come from a Gemm, MatMul or Conv without activation (its int64"
                  + " accumulators are the proved logits) or from a function table (Sigmoid,"
                  + " Tanh, Softmax, ...: its int8 values); it comes from "
                  + describe(v)
                  + ". Remove the activation (or Softmax) after the last linear op, or keep the"
                  + " model at the VANILLA/TEE levels");
        }
        int id = emitLinear(p, true);
        double[] scales = outputScale;
        outputs.add(new ModelOutput(spec.name(), id, scales[0]));
        values.put(spec.name(), Boolean.TRUE); // consumed
      }
      return new IntegerModel(inputs, ops, outputs);
    }

    /** Whether a graph output may be this value's int8 codes: a function table's output. */
    boolean isInt8Output(Object v) {
      if (v instanceof PendingTable || v instanceof PendingLayerNorm) {
        return true;
      }
      return v instanceof Act a
          && a.id() >= inputs.size()
          && (ops.get(a.id() - inputs.size()) instanceof TableOp
              || ops.get(a.id() - inputs.size()) instanceof SoftmaxOp
              || ops.get(a.id() - inputs.size()) instanceof LayerNormOp);
    }

    /** Emits a pending op and returns its int8 activation. */
    Act act(Pending p) {
      emit(p);
      return (Act) values.get(p.name);
    }

    String describe(Object v) {
      if (v instanceof Pending p) {
        return "node '" + p.node + "'" + (p.activated() ? " with an activation" : "");
      }
      if (v instanceof Act) {
        return "an int8 activation (after a requantizing, pooling or wiring op)";
      }
      return "a constant";
    }

    void declareInputs() {
      for (TensorSpec spec : file.inputs()) {
        int[] dims = cal.dims.get(spec.name());
        if (isIndexInput(spec)) {
          declareIndices(spec, dims);
          continue;
        }
        double[] r = cal.rangeOf(spec.name());
        boolean linearOnly = true;
        for (OnnxNode node : file.nodes()) {
          if (node.inputs().contains(spec.name())) {
            String op = node.opType();
            boolean linear =
                (op.equals("Conv") || op.equals("Gemm") || op.equals("MatMul"))
                    && node.inputs().get(0).equals(spec.name())
                    && (!op.equals("MatMul") || isConstant(node.inputs().get(1)));
            linearOnly &= linear;
          }
        }
        InputQuantization q;
        if (linearOnly) {
          double range = Math.max(r[1], 0) - Math.min(r[0], 0);
          double scale = range > 0 ? range / 255 : 1.0;
          int zp =
              (int) Math.max(-128, Math.min(127, Math.round(-128 - Math.min(r[0], 0) / scale)));
          q = new InputQuantization(scale, zp);
        } else {
          double m = Math.max(Math.abs(r[0]), Math.abs(r[1]));
          q = new InputQuantization(m > 0 ? m / 127 : 1.0, 0);
        }
        int id = nextId();
        inputs.add(new ModelInput(spec.name(), shapeOf(spec.name(), dims), q));
        values.put(spec.name(), new Act(id, dims, q.scale(), q.zeroPoint(), -128, 127));
      }
    }

    /**
     * An int64/int32 input: token ids, read only as the indices of embeddings (Gather from a
     * constant table along axis 0); its range is the smallest table's row count.
     */
    void declareIndices(TensorSpec spec, int[] dims) {
      int range = Integer.MAX_VALUE;
      for (OnnxNode node : readers.getOrDefault(spec.name(), List.of())) {
        Tensor data =
            node.opType().equals("Gather") && node.inputs().get(1).equals(spec.name())
                ? file.constant(node.inputs().get(0)).orElse(null)
                : null;
        if (data == null || attrInt(protoOf(node), "axis", 0) != 0) {
          throw new InvalidModelException(
              "input '"
                  + spec.name()
                  + "' holds integers and is read by node '"
                  + node.label()
                  + "' ("
                  + node.opType()
                  + "); integer inputs are supported as the indices of an embedding (Gather of a"
                  + " constant table along axis 0)");
        }
        range = Math.min(range, data.shape()[0]);
      }
      int id = nextId();
      inputs.add(ModelInput.indices(spec.name(), shapeOf(spec.name(), dims), range));
      values.put(spec.name(), new Indices(id, dims, range));
    }

    // ---- values

    Tensor constantOrNull(String name) {
      if (name.isEmpty()) {
        return null;
      }
      if (values.containsKey(name)) {
        return null;
      }
      return file.constant(name).orElse(null);
    }

    boolean isConstant(String name) {
      return constantOrNull(name) != null;
    }

    Tensor constant(OnnxNode node, String name) {
      Tensor t = constantOrNull(name);
      if (t == null) {
        throw new InvalidModelException(
            "node '"
                + node.label()
                + "' needs '"
                + name
                + "' to be a constant (an initializer or a"
                + " Constant node)");
      }
      return t;
    }

    Act act(OnnxNode node, String name) {
      Object v = values.get(name);
      if (v instanceof Pending p) {
        emit(p);
        v = values.get(name);
      }
      if (v instanceof Act a) {
        return a;
      }
      throw new InvalidModelException(
          "node '"
              + node.label()
              + "' ("
              + node.opType()
              + ") reads '"
              + name
              + "', which is "
              + (constantOrNull(name) != null ? "a constant" : "not an activation")
              + "; this op takes activations there");
    }

    /** An activation in exactly this shape: a wiring copy when a reshape changed its channels. */
    Act actShaped(OnnxNode node, String name, TensorShape shape) {
      Act a = act(node, name);
      TensorShape current = shapeOfId(a.id());
      if (current.equals(shape)) {
        return a;
      }
      int n = shape.size();
      int[] src = new int[n], idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      int id = nextId();
      ops.add(new WiringOp(new int[] {a.id()}, shape, src, idx));
      return new Act(id, a.dims(), a.scale(), a.zeroPoint(), a.lo(), a.hi());
    }

    TensorShape shapeOfId(int id) {
      return id < inputs.size()
          ? inputs.get(id).shape()
          : ops.get(id - inputs.size()).outputShape();
    }

    boolean fusable(String name) {
      return values.get(name) instanceof Pending && consumers.getOrDefault(name, 0) == 1;
    }

    int[] dimsOf(OnnxNode node) {
      int[] d = cal.dims.get(node.outputs().get(0));
      if (d == null) {
        throw new InvalidModelException(
            "ONNX Runtime returned no float value for the output of node '" + node.label() + "'");
      }
      return d;
    }

    // ---- nodes

    void visit(OnnxNode node, OnnxMl.NodeProto proto) {
      String out = node.outputs().isEmpty() ? "" : node.outputs().get(0);
      List<String> in = node.inputs();
      if (layerNormsAt.containsKey(node.label())) {
        LayerNormPattern p = layerNormsAt.get(node.label());
        layerNorm(node, p.input(), p.output(), null, null, p.epsilon());
        return;
      }
      if (absorbed.contains(node.label())) {
        return; // inside a layer normalization found above
      }
      switch (node.opType()) {
        case "Constant" -> {}
        case "Identity", "Dropout" -> alias(node, in.get(0), out, null);
        case "Reshape", "Flatten", "Squeeze", "Unsqueeze" ->
            alias(node, in.get(0), out, dimsOf(node));
        case "Relu" -> clip(node, in.get(0), out, 0, Double.POSITIVE_INFINITY);
        case "Clip" -> {
          double[] b = clipBounds(node, proto);
          clip(node, in.get(0), out, b[0], b[1]);
        }
        case "BatchNormalization" -> batchNorm(node, proto, out);
        case "Conv" -> conv(node, proto, out);
        case "Gemm" -> gemm(node, proto, out);
        case "MatMul" -> matMul(node, out);
        case "MaxPool" -> maxPool(node, proto, out);
        case "AveragePool" -> averagePool(node, proto, out, false);
        case "GlobalAveragePool" -> averagePool(node, proto, out, true);
        case "Add", "Sub", "Mul", "Div" -> arithmetic(node, out);
        case "Concat" -> concat(node, proto, out);
        case "Transpose" -> transpose(node, proto, out);
        case "Sigmoid", "Tanh", "Erf", "Gelu", "Exp", "Reciprocal", "Sqrt" ->
            unary(node, proto, out);
        case "Softmax" -> softmax(node, proto, out);
        case "LayerNormalization" -> fusedLayerNorm(node, proto, out);
        case "ReduceMean" -> reduceMean(node, proto, out);
        case "Pow" -> pow(node, out);
        case "Gather" -> gather(node, proto, out);
        case "Split" -> split(node, proto);
        case "Slice" -> slice(node, out);
        default ->
            throw new InvalidModelException(
                "unsupported op '" + node.opType() + "' at node '" + node.label() + "'");
      }
    }

    void alias(OnnxNode node, String in, String out, int[] dims) {
      Object v = values.get(in);
      if (v == null) {
        throw new InvalidModelException(
            "node '"
                + node.label()
                + "' ("
                + node.opType()
                + ") on a constant is not supported;"
                + " fold the constant");
      }
      if (dims == null) {
        if (v instanceof Pending p && consumers.getOrDefault(in, 0) == 1) {
          p.name = out;
        }
        values.put(out, v);
        return;
      }
      if (fusable(in) && v instanceof PendingWiring w) {
        PendingWiring r = new PendingWiring();
        r.node = w.node;
        r.name = out;
        r.dims = dims;
        r.source = w.source;
        r.index = w.index;
        values.put(out, r);
        return;
      }
      Act a = act(node, in);
      values.put(out, new Act(a.id(), dims, a.scale(), a.zeroPoint(), a.lo(), a.hi()));
    }

    void clip(OnnxNode node, String in, String out, double lo, double hi) {
      Pending p;
      if (fusable(in)) {
        p = (Pending) values.get(in);
      } else {
        Act a = act(node, in);
        PendingElementwise e = new PendingElementwise();
        e.inputs.add(a);
        e.coefficients.add(new double[] {1});
        e.node = node.label();
        e.dims = a.dims();
        p = e;
      }
      double newLow = Math.min(hi, Math.max(lo, p.low));
      double newHigh = Math.min(hi, Math.max(lo, p.high));
      boolean representable =
          (newLow == 0 && newHigh > 0)
              || (newLow == -newHigh && newHigh > 0 && Double.isFinite(newHigh));
      if (!representable) {
        throw new InvalidModelException(
            node.opType()
                + " at node '"
                + node.label()
                + "' bounds its input to ["
                + newLow
                + ", "
                + newHigh
                + "]; "
                + CLIP_FORMS
                + ". Change the bounds to one of these forms, or keep the model at the"
                + " VANILLA/TEE levels");
      }
      p.low = newLow;
      p.high = newHigh;
      p.name = out;
      p.dims = dimsOf(node);
      if (node.opType().equals("Clip")) {
        p.clipNode = node.label();
      }
      values.put(out, p);
    }

    double[] clipBounds(OnnxNode node, OnnxMl.NodeProto proto) {
      double lo = Double.NEGATIVE_INFINITY, hi = Double.POSITIVE_INFINITY;
      List<String> in = node.inputs();
      if (file.opsetVersion() >= 11) {
        if (in.size() > 1 && !in.get(1).isEmpty()) {
          lo = scalar(node, in.get(1));
        }
        if (in.size() > 2 && !in.get(2).isEmpty()) {
          hi = scalar(node, in.get(2));
        }
      } else {
        lo = attrFloat(proto, "min", Float.NEGATIVE_INFINITY);
        hi = attrFloat(proto, "max", Float.POSITIVE_INFINITY);
      }
      return new double[] {
        lo <= -Float.MAX_VALUE ? Double.NEGATIVE_INFINITY : lo,
        hi >= Float.MAX_VALUE ? Double.POSITIVE_INFINITY : hi
      };
    }

    double scalar(OnnxNode node, String name) {
      Tensor t = constant(node, name);
      if (t.elementCount() != 1) {
        throw new InvalidModelException(
            "node '" + node.label() + "' needs '" + name + "' to be a scalar");
      }
      return t.getAsDouble(0);
    }

    void batchNorm(OnnxNode node, OnnxMl.NodeProto proto, String out) {
      if (node.outputs().stream().filter(o -> !o.isEmpty()).count() > 1
          || attrInt(proto, "training_mode", 0) != 0) {
        throw new InvalidModelException(
            "BatchNormalization at node '"
                + node.label()
                + "' is in training mode; export the model with model.eval()");
      }
      List<String> in = node.inputs();
      double[] gamma = doubles(constant(node, in.get(1)));
      double[] beta = doubles(constant(node, in.get(2)));
      double[] mean = doubles(constant(node, in.get(3)));
      double[] var = doubles(constant(node, in.get(4)));
      double eps = attrFloat(proto, "epsilon", MlpQuantizer.DEFAULT_BATCH_NORM_EPSILON);
      int c = gamma.length;
      double[] a = new double[c], d = new double[c];
      for (int i = 0; i < c; i++) {
        double den = var[i] + eps;
        if (!(den > 0) || Double.isInfinite(den)) {
          throw new InvalidModelException(
              "BatchNormalization at node '" + node.label() + "' has variance + epsilon = " + den);
        }
        a[i] = gamma[i] / Math.sqrt(den);
        d[i] = beta[i] - mean[i] * a[i];
      }
      affine(node, in.get(0), out, a, d);
    }

    /** y = a[c]·x + d[c] per channel (or a scalar each): folded, or an elementwise op. */
    void affine(OnnxNode node, String in, String out, double[] a, double[] d) {
      affine(
          node,
          in,
          out,
          a,
          a.length == 1 ? Broadcast.SCALAR : Broadcast.CHANNEL,
          d,
          d.length == 1 ? Broadcast.SCALAR : Broadcast.CHANNEL);
    }

    /**
     * y = a·x + d with a and d broadcast as given: folded into a pending linear op (per output: its
     * channels, or the last axis of a MatMul over rows), elementwise op, table or product, or else
     * a new elementwise op (a must then be a scalar or per channel).
     */
    void affine(
        OnnxNode node, String in, String out, double[] a, Broadcast ka, double[] d, Broadcast kd) {
      Broadcast linearAxis =
          values.get(in) instanceof PendingLinear pl && pl.rows > 1
              ? Broadcast.LAST
              : Broadcast.CHANNEL;
      if (fusable(in)
          && values.get(in) instanceof PendingLinear p
          && !p.activated()
          && (ka == Broadcast.SCALAR || ka == linearAxis)
          && (kd == Broadcast.SCALAR || kd == linearAxis)
          && (a.length == 1 || a.length == p.outChannels)
          && (d.length == 1 || d.length == p.outChannels)) {
        int per = p.weights.length / p.outChannels;
        for (int o = 0; o < p.outChannels; o++) {
          double s = a[a.length == 1 ? 0 : o];
          for (int i = 0; i < per; i++) {
            p.weights[o * per + i] *= s;
          }
          p.bias[o] = s * p.bias[o] + d[d.length == 1 ? 0 : o];
        }
        p.name = out;
        values.put(out, p);
        return;
      }
      if (fusable(in)
          && values.get(in) instanceof PendingElementwise e
          && !e.activated()
          && (ka == Broadcast.SCALAR || ka == Broadcast.CHANNEL)
          && (a.length == 1 || a.length == e.channels())) {
        for (int j = 0; j < e.coefficients.size(); j++) {
          e.coefficients.set(j, times(e.coefficients.get(j), a, e.channels()));
        }
        double[] scaled = times(e.constant, a, e.channels());
        if (kd == Broadcast.SCALAR || kd == Broadcast.CHANNEL) {
          e.constant = plus(scaled, d, e.channels(), e.dims);
        } else {
          double[] k0 = expand(scaled, e.dims), k1 = expand(d, kd, e.dims);
          for (int i = 0; i < k0.length; i++) {
            k0[i] += k1[i];
          }
          e.constant = k0;
        }
        e.name = out;
        values.put(out, e);
        return;
      }
      if (fusable(in)
          && values.get(in) instanceof PendingProduct q
          && !q.activated()
          && ka == Broadcast.SCALAR
          && kd == Broadcast.SCALAR
          && d[0] == 0) {
        q.coefficient *= a[0];
        q.name = out;
        values.put(out, q);
        return;
      }
      if (fusable(in)
          && values.get(in) instanceof PendingLayerNorm l
          && !l.activated()
          && (ka == Broadcast.SCALAR || ka == Broadcast.LAST)
          && (kd == Broadcast.SCALAR || kd == Broadcast.LAST)) {
        for (int j = 0; j < l.length; j++) {
          double aj = a[ka == Broadcast.SCALAR ? 0 : j];
          l.gamma[j] *= aj;
          l.beta[j] = aj * l.beta[j] + d[kd == Broadcast.SCALAR ? 0 : j];
        }
        l.name = out;
        values.put(out, l);
        return;
      }
      if (fusable(in)
          && values.get(in) instanceof PendingTable t
          && !t.activated()
          && a.length == 1
          && d.length == 1) {
        t.outShift = a[0] * t.outShift + d[0];
        t.outScale *= a[0];
        t.name = out;
        values.put(out, t);
        return;
      }
      Act x = act(node, in);
      int channels = x.shape().channels();
      if (ka == Broadcast.LAST || ka == Broadcast.VALUE) {
        throw new InvalidModelException(
            "node '"
                + node.label()
                + "' ("
                + node.opType()
                + ") multiplies by a constant that varies along the last axis or per value; that"
                + " is supported right after a MatMul/Gemm (folded into its weights) or as a"
                + " LayerNormalization's scale");
      }
      if (kd == Broadcast.LAST || kd == Broadcast.VALUE) {
        d = expand(d, kd, x.dims());
      }
      if ((a.length != 1 && a.length != channels)
          || (d.length != 1 && d.length != channels && d.length != x.shape().size())) {
        throw new InvalidModelException(
            "node '"
                + node.label()
                + "' ("
                + node.opType()
                + ") has "
                + Math.max(a.length, d.length)
                + " channels but its input has "
                + channels);
      }
      PendingElementwise e = new PendingElementwise();
      e.node = node.label();
      e.inputs.add(x);
      e.coefficients.add(a.clone());
      e.constant = d.clone();
      e.name = out;
      e.dims = dimsOf(node);
      values.put(out, e);
    }

    void conv(OnnxNode node, OnnxMl.NodeProto proto, String out) {
      List<String> in = node.inputs();
      Tensor w = constant(node, in.get(1));
      int[] ws = w.shape();
      if (ws.length != 4) {
        throw new InvalidModelException(
            "Conv at node '"
                + node.label()
                + "' must be 2-D (weights of rank 4); got rank "
                + ws.length);
      }
      int[] outDims = dimsOf(node);
      Act x = act(node, in.get(0));
      TensorShape xs = x.shape();
      long group = attrInt(proto, "group", 1);
      Window win = window(node, proto, xs, ws[2], ws[3], true);
      PendingLinear p = new PendingLinear();
      p.node = node.label();
      p.name = out;
      p.dims = outDims;
      p.input = actShaped(node, in.get(0), xs);
      p.conv = true;
      p.weights = doubles(w);
      p.outChannels = ws[0];
      p.groups = (int) group;
      p.window = win;
      p.bias =
          in.size() > 2 && !in.get(2).isEmpty()
              ? doubles(constant(node, in.get(2)))
              : new double[ws[0]];
      if (ws[1] * group != xs.channels()) {
        throw new InvalidModelException(
            "Conv at node '"
                + node.label()
                + "' expects "
                + ws[1] * group
                + " input channels, gets "
                + xs.channels());
      }
      TensorShape expected =
          new TensorShape(ws[0], win.outputHeight(xs.height()), win.outputWidth(xs.width()));
      if (!shapeOf(out, outDims).equals(expected)) {
        throw new InvalidModelException(
            "Conv at node '"
                + node.label()
                + "': ONNX Runtime's output shape "
                + Arrays.toString(outDims)
                + " is not "
                + expected);
      }
      values.put(out, p);
    }

    Window window(
        OnnxNode node, OnnxMl.NodeProto proto, TensorShape x, int kh, int kw, boolean conv) {
      long[] strides = attrInts(proto, "strides", new long[] {1, 1});
      long[] dil = attrInts(proto, "dilations", new long[] {1, 1});
      long[] pads = attrInts(proto, "pads", new long[] {0, 0, 0, 0});
      String autoPad = attrString(proto, "auto_pad", "NOTSET");
      if (strides.length != 2 || dil.length != 2 || pads.length != 4) {
        throw new InvalidModelException(
            node.opType() + " at node '" + node.label() + "' must be 2-D (two strides, four pads)");
      }
      if (attrInt(proto, "ceil_mode", 0) != 0) {
        throw new InvalidModelException(
            node.opType()
                + " at node '"
                + node.label()
                + "' uses ceil_mode = 1; only floor mode is"
                + " supported");
      }
      if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
        // SAME_UPPER / SAME_LOWER: output = ceil(in / stride), pads split, extra at the end/start
        int[] p = new int[4];
        int[] in = {x.height(), x.width()};
        int[] k = {kh, kw};
        for (int a = 0; a < 2; a++) {
          int outSize = (in[a] + (int) strides[a] - 1) / (int) strides[a];
          int total =
              Math.max(0, (outSize - 1) * (int) strides[a] + (k[a] - 1) * (int) dil[a] + 1 - in[a]);
          int small = total / 2, large = total - small;
          p[a] = autoPad.equals("SAME_UPPER") ? small : large;
          p[a + 2] = autoPad.equals("SAME_UPPER") ? large : small;
        }
        pads = new long[] {p[0], p[1], p[2], p[3]};
      } else if (autoPad.equals("VALID")) {
        pads = new long[] {0, 0, 0, 0};
      }
      return new Window(
          kh,
          kw,
          (int) strides[0],
          (int) strides[1],
          (int) dil[0],
          (int) dil[1],
          (int) pads[0],
          (int) pads[1],
          (int) pads[2],
          (int) pads[3]);
    }

    void gemm(OnnxNode node, OnnxMl.NodeProto proto, String out) {
      List<String> in = node.inputs();
      if (attrInt(proto, "transA", 0) != 0) {
        throw new InvalidModelException(
            "Gemm at node '" + node.label() + "' with transA = 1 is not supported");
      }
      double alpha = attrFloat(proto, "alpha", 1f), beta = attrFloat(proto, "beta", 1f);
      Tensor w = constant(node, in.get(1));
      boolean outByIn = attrInt(proto, "transB", 0) == 1;
      PendingLinear p = dense(node, in.get(0), w, outByIn, out);
      for (int i = 0; i < p.weights.length; i++) {
        p.weights[i] *= alpha;
      }
      if (in.size() > 2 && !in.get(2).isEmpty()) {
        double[] c = doubles(constant(node, in.get(2)));
        if (c.length != 1 && c.length != p.outChannels) {
          throw new InvalidModelException(
              "Gemm at node '" + node.label() + "' has a bias of the wrong size");
        }
        for (int o = 0; o < p.outChannels; o++) {
          p.bias[o] += beta * c[c.length == 1 ? 0 : o];
        }
      }
      values.put(out, p);
    }

    void matMul(OnnxNode node, String out) {
      List<String> in = node.inputs();
      if (isConstant(in.get(0))) {
        throw new InvalidModelException(
            "MatMul at node '"
                + node.label()
                + "' has a constant left operand; write it as the right one (x·W)");
      }
      if (!isConstant(in.get(1))) {
        activationMatMul(node, out);
        return;
      }
      values.put(out, dense(node, in.get(0), constant(node, in.get(1)), false, out));
    }

    PendingLinear dense(OnnxNode node, String input, Tensor w, boolean outByIn, String out) {
      int[] s = w.shape();
      if (s.length != 2) {
        throw new InvalidModelException("weights of node '" + node.label() + "' must be a matrix");
      }
      Act x = act(node, input);
      int outputs = outByIn ? s[0] : s[1], ins = outByIn ? s[1] : s[0];
      int rows = 1;
      int[] xd = x.dims();
      if (x.shape().size() != ins
          && xd.length >= 3
          && xd[xd.length - 1] == ins
          && x.shape().size() % ins == 0) {
        rows = x.shape().size() / ins; // the same weights on every row (a token-wise projection)
        TensorShape held = shapeOfId(x.id());
        if (held.channels() != rows || held.spatial() != ins) {
          x = actShaped(node, input, new TensorShape(rows, 1, ins));
        }
      }
      if (x.shape().size() != (long) rows * ins) {
        throw new InvalidModelException(
            "node '"
                + node.label()
                + "' takes "
                + ins
                + " inputs but reads a tensor of "
                + x.shape().size());
      }
      double[] v = doubles(w);
      double[] rowMajor = new double[outputs * ins];
      for (int o = 0; o < outputs; o++) {
        for (int i = 0; i < ins; i++) {
          rowMajor[o * ins + i] = outByIn ? v[o * ins + i] : v[i * outputs + o];
        }
      }
      PendingLinear p = new PendingLinear();
      p.node = node.label();
      p.name = out;
      p.dims = dimsOf(node);
      p.input = x;
      p.weights = rowMajor;
      p.bias = new double[outputs];
      p.outChannels = outputs;
      p.rows = rows;
      return p;
    }

    void maxPool(OnnxNode node, OnnxMl.NodeProto proto, String out) {
      if (node.outputs().stream().filter(o -> !o.isEmpty()).count() > 1) {
        throw new InvalidModelException(
            "MaxPool at node '" + node.label() + "' with an Indices output is not supported");
      }
      Act x0 = act(node, node.inputs().get(0));
      TensorShape xs = x0.shape();
      Act x = actShaped(node, node.inputs().get(0), xs);
      long[] k = attrInts(proto, "kernel_shape", null);
      if (k == null || k.length != 2) {
        throw new InvalidModelException("MaxPool at node '" + node.label() + "' must be 2-D");
      }
      Window win = window(node, proto, xs, (int) k[0], (int) k[1], false);
      int id = nextId();
      ops.add(new MaxPoolOp(x.id(), xs, win));
      values.put(out, new Act(id, dimsOf(node), x.scale(), x.zeroPoint(), x.lo(), x.hi()));
    }

    void averagePool(OnnxNode node, OnnxMl.NodeProto proto, String out, boolean global) {
      Act x0 = act(node, node.inputs().get(0));
      TensorShape xs = x0.shape();
      Act x = actShaped(node, node.inputs().get(0), xs);
      Window win;
      boolean includePad = false;
      if (global) {
        win = new Window(xs.height(), xs.width(), 1, 1, 1, 1, 0, 0, 0, 0);
      } else {
        long[] k = attrInts(proto, "kernel_shape", null);
        if (k == null || k.length != 2) {
          throw new InvalidModelException("AveragePool at node '" + node.label() + "' must be 2-D");
        }
        win = window(node, proto, xs, (int) k[0], (int) k[1], false);
        includePad = attrInt(proto, "count_include_pad", 0) != 0;
      }
      PendingAverage p = new PendingAverage();
      p.node = node.label();
      p.name = out;
      p.dims = dimsOf(node);
      p.input = x;
      p.window = win;
      p.countIncludePad = includePad;
      values.put(out, p);
    }

    void arithmetic(OnnxNode node, String out) {
      String op = node.opType();
      String a = node.inputs().get(0), b = node.inputs().get(1);
      boolean ca = isConstant(a), cb = isConstant(b);
      if (ca && cb) {
        throw new InvalidModelException(
            op + " at node '" + node.label() + "' has two constant inputs; fold it before export");
      }
      if (ca || cb) {
        String x = ca ? b : a;
        Tensor ct = constant(node, ca ? a : b);
        double[] perChannel = doubles(ct);
        Broadcast kind = broadcast(node, ca ? a : b, ct.shape(), dimsOfValue(x));
        double[] one = {1}, zero = {0};
        Broadcast s1 = Broadcast.SCALAR;
        switch (op) {
          case "Add" -> affine(node, x, out, one, s1, perChannel, kind);
          case "Sub" -> {
            if (ca) { // c − x
              affine(node, x, out, new double[] {-1}, s1, perChannel, kind);
            } else {
              affine(node, x, out, one, s1, negate(perChannel), kind);
            }
          }
          case "Mul" -> affine(node, x, out, perChannel, kind, zero, s1);
          default -> { // Div
            if (ca) {
              throw new InvalidModelException(
                  "Div at node '"
                      + node.label()
                      + "' divides a constant by an activation;"
                      + " Reciprocal comes with the next increment");
            }
            double[] inv = new double[perChannel.length];
            for (int i = 0; i < inv.length; i++) {
              inv[i] = 1 / perChannel[i];
            }
            affine(node, x, out, inv, kind, zero, s1);
          }
        }
        return;
      }
      if (op.equals("Mul")) {
        product(node, out);
        return;
      }
      if (op.equals("Div")) {
        throw new InvalidModelException(
            "Div at node '"
                + node.label()
                + "' divides two activations; that is supported inside a LayerNormalization"
                + " (its exporters' ReduceMean/Sub/Pow/Sqrt/Div form), not on its own");
      }
      Act xa = act(node, a), xb = act(node, b);
      int[] outDims = dimsOf(node);
      TensorShape shape = shapeOf(out, outDims);
      if (!Arrays.equals(xa.dims(), outDims) || !Arrays.equals(xb.dims(), outDims)) {
        throw new InvalidModelException(
            op
                + " at node '"
                + node.label()
                + "' broadcasts "
                + Arrays.toString(xa.dims())
                + " and "
                + Arrays.toString(xb.dims())
                + "; between activations only equal shapes are supported");
      }
      xa = actShaped(node, a, shape);
      xb = actShaped(node, b, shape);
      PendingElementwise e = new PendingElementwise();
      e.node = node.label();
      e.name = out;
      e.dims = outDims;
      e.inputs.add(xa);
      e.coefficients.add(new double[] {1});
      e.inputs.add(xb);
      e.coefficients.add(new double[] {op.equals("Add") ? 1 : -1});
      values.put(out, e);
    }

    /** The ONNX dims [1, ...] of an activation (emitted or pending). */
    int[] dimsOfValue(String name) {
      Object v = values.get(name);
      int[] dims = v instanceof Pending p ? p.dims : v instanceof Act a ? a.dims() : null;
      if (dims == null) {
        throw new InvalidModelException("'" + name + "' is not an activation");
      }
      return dims;
    }

    /** How constant {@code name} of the given dims broadcasts against an activation. */
    Broadcast broadcast(OnnxNode node, String name, int[] constDims, int[] actDims) {
      long n = 1;
      for (int d : constDims) {
        n *= d;
      }
      if (n == 1) {
        return Broadcast.SCALAR;
      }
      int rank = actDims.length;
      if (constDims.length > rank) {
        throw new InvalidModelException(
            node.opType()
                + " at node '"
                + node.label()
                + "': constant '"
                + name
                + "' has rank "
                + constDims.length
                + ", above its operand's "
                + rank);
      }
      List<Integer> varying = new ArrayList<>();
      for (int i = 0; i < constDims.length; i++) {
        int axis = rank - constDims.length + i;
        int c = constDims[i];
        if (c == 1) {
          continue;
        }
        if (c != actDims[axis] || axis == 0) {
          throw new InvalidModelException(
              node.opType()
                  + " at node '"
                  + node.label()
                  + "': constant '"
                  + name
                  + "' of dims "
                  + Arrays.toString(constDims)
                  + " does not broadcast against "
                  + Arrays.toString(actDims));
        }
        varying.add(axis);
      }
      if (varying.size() == 1 && varying.get(0) == 1) {
        return Broadcast.CHANNEL;
      }
      if (varying.size() == 1 && varying.get(0) == rank - 1) {
        return Broadcast.LAST;
      }
      int nonUnit = 0;
      for (int i = 1; i < rank; i++) {
        nonUnit += actDims[i] != 1 ? 1 : 0;
      }
      if (varying.size() == nonUnit) {
        return Broadcast.VALUE;
      }
      throw new InvalidModelException(
          node.opType()
              + " at node '"
              + node.label()
              + "': constant '"
              + name
              + "' of dims "
              + Arrays.toString(constDims)
              + " broadcasts along some axes of "
              + Arrays.toString(actDims)
              + "; a scalar, one value per channel, per last-axis index or per value is supported");
    }

    /** A constant (scalar, per channel or per value) as one value per value of dims. */
    static double[] expand(double[] c, int[] dims) {
      TensorShape shape = shapeOf("constant", dims);
      if (c.length == shape.size()) {
        return c.clone();
      }
      return expand(c, c.length == 1 ? Broadcast.SCALAR : Broadcast.CHANNEL, dims);
    }

    static double[] expand(double[] c, Broadcast kind, int[] dims) {
      TensorShape shape = shapeOf("constant", dims);
      int size = shape.size();
      int last = dims[dims.length - 1];
      double[] out = new double[size];
      for (int i = 0; i < size; i++) {
        out[i] =
            switch (kind) {
              case SCALAR -> c[0];
              case CHANNEL -> c[i / shape.spatial()];
              case LAST -> c[i % last];
              case VALUE -> c[i];
            };
      }
      return out;
    }

    /**
     * Mul of two activations: one table when one side is a table of the other (x·f(x), the
     * exporters' Gelu and SiLU), else an elementwise product of two activations of one shape.
     */
    void product(OnnxNode node, String out) {
      String a = node.inputs().get(0), b = node.inputs().get(1);
      for (int side = 0; side < 2; side++) {
        String x = side == 0 ? a : b, f = side == 0 ? b : a;
        if (fusable(f) && values.get(f) instanceof PendingTable t && !t.activated()) {
          Object xv = values.get(x);
          Act xa = xv instanceof Act act ? act : null;
          if (xa != null && xa.id() == t.input.id()) {
            PendingTable p = new PendingTable();
            p.node = node.label();
            p.name = out;
            p.dims = dimsOf(node);
            p.input = t.input;
            p.function = v -> v * t.apply(v);
            p.functionName = "x·" + t.functionName;
            values.put(out, p);
            return;
          }
        }
      }
      int[] outDims = dimsOf(node);
      if (!Arrays.equals(dimsOfValue(a), outDims) || !Arrays.equals(dimsOfValue(b), outDims)) {
        throw new InvalidModelException(
            "Mul at node '"
                + node.label()
                + "' broadcasts "
                + Arrays.toString(dimsOfValue(a))
                + " against "
                + Arrays.toString(dimsOfValue(b))
                + "; between activations only equal shapes are supported");
      }
      TensorShape shape = shapeOf(out, outDims);
      PendingProduct p = new PendingProduct();
      p.node = node.label();
      p.name = out;
      p.dims = outDims;
      p.left = actShaped(node, a, shape);
      p.right = actShaped(node, b, shape);
      values.put(out, p);
    }

    /** MatMul of two activations [1, batch..., m, k] × [1, batch..., k, n]. */
    void activationMatMul(OnnxNode node, String out) {
      String a = node.inputs().get(0), b = node.inputs().get(1);
      Act l = act(node, a), r = act(node, b);
      int[] ld = l.dims(), rd = r.dims(), od = dimsOf(node);
      if (ld.length < 3 || ld.length != rd.length || od.length != ld.length) {
        throw new InvalidModelException(
            "MatMul at node '"
                + node.label()
                + "' multiplies activations of dims "
                + Arrays.toString(ld)
                + " and "
                + Arrays.toString(rd)
                + "; both need rank 3 or 4 ([1, (batch,) rows, columns]) and no broadcasting");
      }
      int batch = 1;
      for (int i = 1; i < ld.length - 2; i++) {
        if (ld[i] != rd[i]) {
          throw new InvalidModelException(
              "MatMul at node '" + node.label() + "' broadcasts its batch axes; not supported");
        }
        batch *= ld[i];
      }
      int m = ld[ld.length - 2], k = ld[ld.length - 1], n = rd[rd.length - 1];
      if (rd[rd.length - 2] != k) {
        throw new InvalidModelException(
            "MatMul at node '"
                + node.label()
                + "': inner dimensions "
                + k
                + " and "
                + rd[rd.length - 2]
                + " differ");
      }
      if (l.zeroPoint() != 0 || r.zeroPoint() != 0) {
        throw new InvalidModelException(
            "MatMul at node '" + node.label() + "' reads an input quantized with a zero point");
      }
      PendingProduct p = new PendingProduct();
      p.node = node.label();
      p.name = out;
      p.dims = od;
      p.left = l;
      p.right = r;
      p.matrix = true;
      p.batch = batch;
      p.m = m;
      p.k = k;
      p.n = n;
      values.put(out, p);
    }

    int channelsOf(String name) {
      Object v = values.get(name);
      int[] dims = v instanceof Pending p ? p.dims : v instanceof Act a ? a.dims() : null;
      if (dims == null) {
        throw new InvalidModelException("'" + name + "' is not an activation");
      }
      return shapeOf(name, dims).channels();
    }

    /** A constant broadcast per channel: a scalar, or one value per channel of its operand. */
    double[] perChannel(OnnxNode node, String name, double[] c, int channels) {
      if (c.length == 1) {
        return c;
      }
      if (c.length == channels) {
        return c;
      }
      throw new InvalidModelException(
          node.opType()
              + " at node '"
              + node.label()
              + "': constant '"
              + name
              + "' has "
              + c.length
              + " values; a scalar or one per channel ("
              + channels
              + ") is supported");
    }

    /**
     * Sigmoid, Tanh, Erf, Gelu, Exp, Reciprocal, Sqrt: a table op. A scalar affine map right before
     * it (a Div by √2 ahead of an Erf) and another table before it fold into its function.
     */
    void unary(OnnxNode node, OnnxMl.NodeProto proto, String out) {
      String in = node.inputs().get(0);
      PendingTable p = new PendingTable();
      p.node = node.label();
      p.name = out;
      p.dims = dimsOf(node);
      p.function = UnaryFunctions.of(node.opType(), attrString(proto, "approximate", "none"));
      p.functionName = node.opType();
      Object v = values.get(in);
      if (fusable(in)
          && v instanceof PendingElementwise e
          && e.inputs.size() == 1
          && !e.activated()
          && e.coefficients.get(0).length == 1
          && e.constant.length == 1) {
        p.input = e.inputs.get(0);
        p.inScale = e.coefficients.get(0)[0];
        p.inShift = e.constant[0];
      } else if (fusable(in) && v instanceof PendingTable t && !t.activated()) {
        java.util.function.DoubleUnaryOperator f = p.function;
        p.input = t.input;
        p.function = x -> f.applyAsDouble(t.apply(x));
        p.functionName = t.functionName + "+" + node.opType();
      } else {
        p.input = act(node, in);
      }
      values.put(out, p);
    }

    /**
     * Softmax over the last axis: a {@link SoftmaxOp} with exp[d] = round(2^12·exp(−s_x·d)) and
     * outputs round(127·e/Σe) at scale 1/127. The input's rows are read where they are (a channel
     * per row, or a channel per matrix of rows), else copied into a channel per row.
     */
    void softmax(OnnxNode node, OnnxMl.NodeProto proto, String out) {
      String in = node.inputs().get(0);
      Act x = act(node, in);
      int[] dims = x.dims();
      long axis = attrInt(proto, "axis", file.opsetVersion() >= 13 ? -1 : 1);
      if (axis < 0) {
        axis += dims.length;
      }
      if (axis != dims.length - 1) {
        throw new InvalidModelException(
            "Softmax at node '"
                + node.label()
                + "' normalizes axis "
                + axis
                + " of "
                + Arrays.toString(dims)
                + "; only the last axis is supported (transpose first)");
      }
      int length = dims[dims.length - 1];
      TensorShape held = shapeOfId(x.id());
      int total = held.size() / length;
      int batch, rows;
      if (held.spatial() == length) {
        batch = 1;
        rows = held.channels();
      } else if (held.width() == length && held.height() > 1) {
        batch = held.channels();
        rows = held.height();
      } else if (held.spatial() == 1) {
        batch = 1;
        rows = total;
      } else {
        x = actShaped(node, in, new TensorShape(total, 1, length));
        held = shapeOfId(x.id());
        batch = 1;
        rows = total;
      }
      long e0 = 1L << SOFTMAX_EXP_BITS;
      long[] exp = new long[256];
      for (int d = 0; d < exp.length; d++) {
        exp[d] = Math.round(e0 * StrictMath.exp(-x.scale() * d));
      }
      int id = nextId();
      ops.add(new SoftmaxOp(x.id(), held, batch, rows, length, exp, 127));
      values.put(out, new Act(id, dimsOf(node), 1.0 / 127, 0, 0, 127));
    }

    /** Rows of a row-wise op over the last axis, read where they are: batch, rows (or copied). */
    record Rows(Act x, int batch, int rows) {}

    Rows rowsOf(OnnxNode node, String in, int length) {
      Act x = act(node, in);
      TensorShape held = shapeOfId(x.id());
      int total = held.size() / length;
      if (held.spatial() == length) {
        return new Rows(x, 1, held.channels());
      }
      if (held.width() == length && held.height() > 1) {
        return new Rows(x, held.channels(), held.height());
      }
      if (held.spatial() == 1) {
        return new Rows(x, 1, total);
      }
      return new Rows(actShaped(node, in, new TensorShape(total, 1, length)), 1, total);
    }

    /** A layer normalization of the last axis (scale and shift, if given, per column). */
    void layerNorm(
        OnnxNode node, String in, String out, double[] gamma, double[] beta, double epsilon) {
      int[] dims = dimsOfValue(in);
      int length = dims[dims.length - 1];
      Rows r = rowsOf(node, in, length);
      PendingLayerNorm p = new PendingLayerNorm();
      p.node = node.label();
      p.name = out;
      p.dims = dims;
      p.input = r.x();
      p.batch = r.batch();
      p.rows = r.rows();
      p.length = length;
      p.gamma = gamma != null ? gamma : filled(length, 1);
      p.beta = beta != null ? beta : new double[length];
      p.epsilon = epsilon;
      values.put(out, p);
    }

    static double[] filled(int n, double v) {
      double[] a = new double[n];
      Arrays.fill(a, v);
      return a;
    }

    void fusedLayerNorm(OnnxNode node, OnnxMl.NodeProto proto, String out) {
      List<String> in = node.inputs();
      int[] dims = dimsOfValue(in.get(0));
      long axis = attrInt(proto, "axis", -1);
      if (axis < 0) {
        axis += dims.length;
      }
      if (axis != dims.length - 1) {
        throw new InvalidModelException(
            "LayerNormalization at node '"
                + node.label()
                + "' normalizes from axis "
                + axis
                + " of "
                + Arrays.toString(dims)
                + "; only the last axis is supported");
      }
      if (node.outputs().stream().skip(1).anyMatch(o -> !o.isEmpty())) {
        throw new InvalidModelException(
            "LayerNormalization at node '"
                + node.label()
                + "' exposes its mean or inverse standard deviation; not supported");
      }
      int length = dims[dims.length - 1];
      double[] gamma = doubles(constant(node, in.get(1)));
      double[] beta =
          in.size() > 2 && !in.get(2).isEmpty() ? doubles(constant(node, in.get(2))) : null;
      if (gamma.length != length || (beta != null && beta.length != length)) {
        throw new InvalidModelException(
            "LayerNormalization at node '"
                + node.label()
                + "' has scale or bias of the wrong size");
      }
      layerNorm(node, in.get(0), out, gamma, beta, attrFloat(proto, "epsilon", 1e-5f));
    }

    /**
     * ReduceMean outside a layer normalization: over the last axis an average pool of each row;
     * over axis 1 of [1, T, C] (pooling over time) a transposed copy, then the same.
     */
    void reduceMean(OnnxNode node, OnnxMl.NodeProto proto, String out) {
      String in = node.inputs().get(0);
      int[] dims = dimsOfValue(in);
      long[] axes = reduceAxes(node, proto);
      long a =
          axes == null || axes.length != 1 ? -99 : axes[0] < 0 ? axes[0] + dims.length : axes[0];
      Act x;
      int rows, length;
      Window window = null;
      if (a == dims.length - 1 && dims.length >= 2) {
        length = dims[dims.length - 1];
        Act held = act(node, in);
        TensorShape hs = shapeOfId(held.id());
        rows = hs.size() / length;
        if (hs.spatial() == length) {
          // a channel per row: the global average of each channel
          x =
              new Act(
                  held.id(),
                  new int[] {1, hs.channels(), hs.height(), hs.width()},
                  held.scale(),
                  held.zeroPoint(),
                  held.lo(),
                  held.hi());
          window = new Window(hs.height(), hs.width(), 1, 1, 1, 1, 0, 0, 0, 0);
        } else {
          x = actShaped(node, in, new TensorShape(rows, 1, length));
          x = new Act(x.id(), new int[] {1, rows, 1, length}, x.scale(), 0, x.lo(), x.hi());
        }
      } else if (a == 1 && dims.length == 3) {
        // [1, T, C] → C rows of T, then the mean of each
        Act t = act(node, in);
        int time = dims[1], channels = dims[2];
        int n = time * channels;
        int[] src = new int[n], idx = new int[n];
        for (int c = 0; c < channels; c++) {
          for (int k = 0; k < time; k++) {
            idx[c * time + k] = k * channels + c;
          }
        }
        int id = nextId();
        ops.add(new WiringOp(new int[] {t.id()}, new TensorShape(channels, 1, time), src, idx));
        x = new Act(id, new int[] {1, channels, 1, time}, t.scale(), t.zeroPoint(), t.lo(), t.hi());
        rows = channels;
        length = time;
      } else {
        throw new InvalidModelException(
            "ReduceMean at node '"
                + node.label()
                + "' averages axes "
                + Arrays.toString(axes)
                + " of "
                + Arrays.toString(dims)
                + "; the last axis, axis 1 of a rank-3 tensor, or a layer normalization's pattern"
                + " is supported");
      }
      PendingAverage p = new PendingAverage();
      p.node = node.label();
      p.name = out;
      p.dims = dimsOf(node);
      p.input = x;
      p.window = window != null ? window : new Window(1, length, 1, length, 1, 1, 0, 0, 0, 0);
      values.put(out, p);
    }

    /** Pow by a constant exponent: a table (x² of int8 codes is exact). */
    void pow(OnnxNode node, String out) {
      Tensor e = constant(node, node.inputs().get(1));
      if (e.elementCount() != 1) {
        throw new InvalidModelException(
            "Pow at node '" + node.label() + "' needs one constant exponent");
      }
      double k = e.getAsDouble(0);
      PendingTable p = new PendingTable();
      p.node = node.label();
      p.name = out;
      p.dims = dimsOf(node);
      p.function = v -> StrictMath.pow(v, k);
      p.functionName = "Pow" + (k == Math.rint(k) ? Long.toString((long) k) : Double.toString(k));
      p.input = act(node, node.inputs().get(0));
      values.put(out, p);
    }

    /**
     * A wiring op copying values of {@code a} into a tensor of {@code outDims}: output value i
     * (row-major, batch axis dropped) is input value source[i].
     */
    PendingWiring select(OnnxNode node, String in, String out, int[] outDims, int[] source) {
      Object v = values.get(in);
      PendingWiring p = new PendingWiring();
      p.node = node.label();
      p.name = out;
      p.dims = outDims;
      if (fusable(in) && v instanceof PendingWiring w) {
        p.source = w.source;
        p.index = new int[source.length];
        for (int i = 0; i < source.length; i++) {
          p.index[i] = w.index[source[i]];
        }
      } else {
        p.source = act(node, in);
        p.index = source;
      }
      return p;
    }

    /** The dims of a value a selection reads (pending or emitted). */
    int[] selectionDims(OnnxNode node, String in) {
      Object v = values.get(in);
      if (v instanceof PendingWiring w) {
        return w.dims;
      }
      return act(node, in).dims();
    }

    void emitWiring(PendingWiring p) {
      Act a = p.source;
      int id = nextId();
      TensorShape shape = shapeOf(p.name, p.dims);
      ops.add(new WiringOp(new int[] {a.id()}, shape, new int[shape.size()], p.index));
      Act out = new Act(id, p.dims, a.scale(), a.zeroPoint(), a.lo(), a.hi());
      for (Map.Entry<String, Object> e : values.entrySet()) {
        if (e.getValue() == p) {
          e.setValue(out);
        }
      }
      values.put(p.name, out);
    }

    /** The input index (row-major, batch dropped) of every output value of a per-axis selection. */
    static int[] selection(int[] inDims, int axis, int[] picks) {
      int outer = 1, inner = 1;
      for (int d = 1; d < axis; d++) {
        outer *= inDims[d];
      }
      for (int d = axis + 1; d < inDims.length; d++) {
        inner *= inDims[d];
      }
      int len = inDims[axis];
      int[] src = new int[outer * picks.length * inner];
      int at = 0;
      for (int o = 0; o < outer; o++) {
        for (int p : picks) {
          for (int k = 0; k < inner; k++) {
            src[at++] = (o * len + p) * inner + k;
          }
        }
      }
      return src;
    }

    /**
     * Gather: an embedding (a constant table, token-id indices) is a {@link GatherOp} the verifier
     * computes; constant indices into an activation select its values (wiring).
     */
    void gather(OnnxNode node, OnnxMl.NodeProto proto, String out) {
      String data = node.inputs().get(0), idx = node.inputs().get(1);
      long axis = attrInt(proto, "axis", 0);
      if (values.get(idx) instanceof Indices ids) {
        Tensor table = constant(node, data);
        int[] ts = table.shape();
        int width = 1;
        for (int d = 1; d < ts.length; d++) {
          width *= ts[d];
        }
        double[] t = doubles(table);
        double m = 0;
        for (double v : t) {
          m = Math.max(m, Math.abs(v));
        }
        double scale = m > 0 ? m / 127 : 1.0;
        byte[] q = new byte[t.length];
        for (int i = 0; i < t.length; i++) {
          q[i] = (byte) Math.max(-127, Math.min(127, Math.round(t[i] / scale)));
        }
        int[] outDims = dimsOf(node);
        int id = nextId();
        ops.add(new GatherOp(ids.id(), ts[0], width, q, shapeOf(out, outDims)));
        values.put(out, new Act(id, outDims, scale, 0, -127, 127));
        return;
      }
      Tensor picks = constantOrNull(idx);
      if (picks == null || isConstant(data)) {
        throw new InvalidModelException(
            "Gather at node '"
                + node.label()
                + "' is supported as an embedding (a constant table indexed by an integer model"
                + " input) or as constant indices into an activation");
      }
      int[] inDims = selectionDims(node, data);
      if (axis < 0) {
        axis += inDims.length;
      }
      if (axis == 0) {
        throw new InvalidModelException(
            "Gather at node '" + node.label() + "' selects along the batch axis");
      }
      int[] p = new int[Math.toIntExact(picks.elementCount())];
      for (int i = 0; i < p.length; i++) {
        long v = (long) picks.getAsDouble(i);
        p[i] = (int) (v < 0 ? v + inDims[(int) axis] : v);
      }
      values.put(out, select(node, data, out, dimsOf(node), selection(inDims, (int) axis, p)));
    }

    /** Split along an axis: one wiring op per part. */
    void split(OnnxNode node, OnnxMl.NodeProto proto) {
      String in = node.inputs().get(0);
      int[] inDims = selectionDims(node, in);
      long axis = attrInt(proto, "axis", 0);
      if (axis < 0) {
        axis += inDims.length;
      }
      if (axis == 0) {
        throw new InvalidModelException("Split at node '" + node.label() + "' splits the batch");
      }
      List<String> outs = node.outputs();
      int from = 0;
      for (String o : outs) {
        int[] od = cal.dims.get(o);
        if (od == null) {
          throw new InvalidModelException(
              "ONNX Runtime returned no float value for output '"
                  + o
                  + "' of '"
                  + node.label()
                  + "'");
        }
        int len = od[(int) axis];
        int[] picks = new int[len];
        for (int k = 0; k < len; k++) {
          picks[k] = from + k;
        }
        values.put(o, select(node, in, o, od, selection(inDims, (int) axis, picks)));
        from += len;
      }
    }

    /** Slice with constant starts, ends, axes and steps: a wiring op. */
    void slice(OnnxNode node, String out) {
      List<String> in = node.inputs();
      int[] inDims = selectionDims(node, in.get(0));
      long[] starts = longs(constant(node, in.get(1)));
      long[] ends = longs(constant(node, in.get(2)));
      long[] axes = in.size() > 3 && !in.get(3).isEmpty() ? longs(constant(node, in.get(3))) : null;
      long[] steps =
          in.size() > 4 && !in.get(4).isEmpty() ? longs(constant(node, in.get(4))) : null;
      int rank = inDims.length;
      int[] begin = new int[rank], step = new int[rank], count = inDims.clone();
      Arrays.fill(step, 1);
      for (int k = 0; k < starts.length; k++) {
        int ax = (int) (axes == null ? k : axes[k] < 0 ? axes[k] + rank : axes[k]);
        int dim = inDims[ax];
        int st = steps == null ? 1 : (int) steps[k];
        if (ax == 0 || st == 0) {
          throw new InvalidModelException(
              "Slice at node '" + node.label() + "' slices the batch axis or steps by 0");
        }
        long s0 = starts[k] < 0 ? starts[k] + dim : starts[k];
        long e0 = ends[k] < 0 ? ends[k] + dim : ends[k];
        if (st > 0) {
          s0 = Math.max(0, Math.min(dim, s0));
          e0 = Math.max(0, Math.min(dim, e0));
          count[ax] = (int) Math.max(0, (e0 - s0 + st - 1) / st);
        } else {
          s0 = Math.max(-1, Math.min(dim - 1, s0));
          e0 = Math.max(-1, Math.min(dim - 1, e0));
          count[ax] = (int) Math.max(0, (s0 - e0 - st - 1) / -st);
        }
        begin[ax] = (int) s0;
        step[ax] = st;
      }
      int[] outDims = dimsOf(node);
      int n = 1;
      for (int d = 1; d < rank; d++) {
        n *= count[d];
      }
      int[] src = new int[n];
      int[] pos = new int[rank];
      for (int i = 0; i < n; i++) {
        int rest = i, idx = 0, stride = 1;
        for (int d = rank - 1; d >= 1; d--) {
          pos[d] = rest % count[d];
          rest /= count[d];
        }
        for (int d = rank - 1; d >= 1; d--) {
          idx += (begin[d] + pos[d] * step[d]) * stride;
          stride *= inDims[d];
        }
        src[i] = idx;
      }
      values.put(out, select(node, in.get(0), out, outDims, src));
    }

    static long[] longs(Tensor t) {
      long[] v = new long[Math.toIntExact(t.elementCount())];
      for (int i = 0; i < v.length; i++) {
        v[i] = (long) t.getAsDouble(i);
      }
      return v;
    }

    void concat(OnnxNode node, OnnxMl.NodeProto proto, String out) {
      List<String> in = node.inputs();
      int[] outDims = dimsOf(node);
      int rank = outDims.length;
      int axis = (int) attrInt(proto, "axis", 0);
      if (axis < 0) {
        axis += rank;
      }
      if (axis == 0) {
        throw new InvalidModelException(
            "Concat at node '" + node.label() + "' along the batch axis");
      }
      List<Act> acts = new ArrayList<>();
      double scale = 0;
      int lo = 127, hi = -128;
      for (String name : in) {
        Act a = act(node, name);
        acts.add(a);
        scale = Math.max(scale, a.scale());
        lo = Math.min(lo, a.lo());
        hi = Math.max(hi, a.hi());
      }
      // inputs at another scale (or zero point) are rescaled to the largest scale first
      for (int j = 0; j < acts.size(); j++) {
        Act a = acts.get(j);
        if (a.scale() != scale || a.zeroPoint() != 0) {
          PendingElementwise e = new PendingElementwise();
          e.node = node.label() + "#rescale" + j;
          e.name = in.get(j);
          e.dims = a.dims();
          e.inputs.add(a);
          e.coefficients.add(new double[] {1});
          e.low = a.lo() >= 0 ? 0 : Double.NEGATIVE_INFINITY;
          acts.set(j, emitElementwise(e, scale));
        }
      }
      TensorShape shape = shapeOf(out, outDims);
      int n = shape.size();
      int[] src = new int[n], idx = new int[n];
      int[] inIds = new int[acts.size()];
      long inner = 1;
      for (int d = axis + 1; d < rank; d++) {
        inner *= outDims[d];
      }
      int outer = 1;
      for (int d = 1; d < axis; d++) {
        outer *= outDims[d];
      }
      int at = 0;
      int outAxis = outDims[axis];
      for (int j = 0; j < acts.size(); j++) {
        Act a = acts.get(j);
        inIds[j] = a.id();
        int len = a.dims()[axis];
        for (int o = 0; o < outer; o++) {
          for (int k = 0; k < len; k++) {
            for (int r = 0; r < inner; r++) {
              int dst = (int) ((o * (long) outAxis + at + k) * inner + r);
              src[dst] = j;
              idx[dst] = (int) ((o * (long) len + k) * inner + r);
            }
          }
        }
        at += len;
      }
      int id = nextId();
      ops.add(new WiringOp(inIds, shape, src, idx));
      values.put(out, new Act(id, outDims, scale, 0, lo, hi));
    }

    void transpose(OnnxNode node, OnnxMl.NodeProto proto, String out) {
      String in = node.inputs().get(0);
      int[] inDims = selectionDims(node, in);
      int rank = inDims.length;
      long[] perm = attrInts(proto, "perm", null);
      if (perm == null) {
        perm = new long[rank];
        for (int i = 0; i < rank; i++) {
          perm[i] = rank - 1 - i;
        }
      }
      if (perm.length != rank || perm[0] != 0) {
        throw new InvalidModelException(
            "Transpose at node '"
                + node.label()
                + "' moves the batch axis; only permutations that"
                + " keep it first are supported");
      }
      int[] outDims = dimsOf(node);
      TensorShape shape = shapeOf(out, outDims);
      int n = shape.size();
      int[] inStrides = strides(inDims);
      int[] src = new int[n], idx = new int[n];
      int[] pos = new int[rank];
      for (int i = 0; i < n; i++) {
        int rest = i;
        for (int d = rank - 1; d >= 1; d--) {
          pos[d] = rest % outDims[d];
          rest /= outDims[d];
        }
        int s = 0;
        for (int d = 1; d < rank; d++) {
          s += pos[d] * inStrides[(int) perm[d]];
        }
        idx[i] = s;
      }
      values.put(out, select(node, in, out, outDims, idx));
    }

    static int[] strides(int[] dims) {
      int[] s = new int[dims.length];
      int acc = 1;
      for (int d = dims.length - 1; d >= 0; d--) {
        s[d] = acc;
        acc *= dims[d];
      }
      return s;
    }

    // ---- emitting ops

    double[] outputScale = {1};

    /** The int8 range and scale of a requantized output, from its clip interval and calibration. */
    record OutRange(Activation activation, double scale) {}

    OutRange outRange(Pending p) {
      double[] r = cal.rangeOf(p.name);
      double maxAbs = Math.max(Math.abs(r[0]), Math.abs(r[1]));
      if (p.low == Double.NEGATIVE_INFINITY && p.high == Double.POSITIVE_INFINITY) {
        return new OutRange(Activation.CLAMP, maxAbs > 0 ? maxAbs / 127 : 1.0);
      }
      if (p.low == 0) {
        double bound = Math.min(p.high, r[1]);
        return new OutRange(Activation.RELU, bound > 0 ? bound / 127 : 1.0);
      }
      double bound = Math.min(p.high, maxAbs);
      return new OutRange(Activation.CLAMP, bound > 0 ? bound / 127 : 1.0);
    }

    void emit(Pending p) {
      switch (p) {
        case PendingLinear l -> emitLinear(l, false);
        case PendingElementwise e -> emitElementwise(e, 0);
        case PendingAverage a -> emitAverage(a);
        case PendingTable t -> emitTable(t);
        case PendingProduct q -> emitProduct(q);
        case PendingLayerNorm l -> emitLayerNorm(l);
        case PendingWiring w -> emitWiring(w);
        default -> throw new IllegalStateException("unreachable");
      }
    }

    void putAct(Pending p, int id, double scale, Activation act) {
      Act a = new Act(id, p.dims, scale, 0, act.low(), act.high());
      for (Map.Entry<String, Object> e : values.entrySet()) {
        if (e.getValue() == p) {
          e.setValue(a);
        }
      }
      values.put(p.name, a);
    }

    /** Emits a Conv/Dense op; as a graph output it keeps its accumulators (logits). */
    int emitLinear(PendingLinear p, boolean asOutput) {
      Act x = p.input;
      int co = p.outChannels;
      int per = p.weights.length / co;
      double[] wScale = new double[co];
      if (asOutput || p.rows > 1) {
        double m = 0;
        for (double w : p.weights) {
          m = Math.max(m, Math.abs(w));
        }
        Arrays.fill(wScale, m > 0 ? m / 127 : 1.0);
      } else {
        for (int o = 0; o < co; o++) {
          double m = 0;
          for (int i = 0; i < per; i++) {
            m = Math.max(m, Math.abs(p.weights[o * per + i]));
          }
          wScale[o] = m > 0 ? m / 127 : 1.0;
        }
      }
      byte[] w = new byte[p.weights.length];
      for (int o = 0; o < co; o++) {
        for (int i = 0; i < per; i++) {
          w[o * per + i] =
              (byte) Math.max(-127, Math.min(127, Math.round(p.weights[o * per + i] / wScale[o])));
        }
      }
      Requantization rq = null;
      OutRange range = null;
      if (!asOutput) {
        range = outRange(p);
        double[] ratios = new double[co];
        for (int o = 0; o < co; o++) {
          ratios[o] = x.scale() * wScale[o] / range.scale();
        }
        rq = multipliers(ratios, range.activation());
      }
      int id = nextId();
      if (p.conv) {
        TensorShape xs = x.shape();
        Window win = p.window;
        int oh = win.outputHeight(xs.height()), ow = win.outputWidth(xs.width());
        int positions = oh * ow;
        long[] bias = new long[co * positions];
        int cg = xs.channels() / p.groups;
        int k = win.kernelSize();
        for (int o = 0; o < co; o++) {
          long b = Math.round(p.bias[o] / (x.scale() * wScale[o]));
          for (int pos = 0; pos < positions; pos++) {
            long zpFold = 0;
            if (x.zeroPoint() != 0) {
              for (int cj = 0; cj < cg; cj++) {
                for (int t = 0; t < k; t++) {
                  if (win.source(xs.height(), xs.width(), ow, pos, t) >= 0) {
                    zpFold += w[(o * cg + cj) * k + t];
                  }
                }
              }
            }
            bias[o * positions + pos] = b - (long) x.zeroPoint() * zpFold;
          }
        }
        ops.add(new ConvOp(x.id(), xs, win, p.groups, co, w, bias, rq));
      } else {
        long[] bias = new long[co];
        for (int o = 0; o < co; o++) {
          long sum = 0;
          for (int i = 0; i < per; i++) {
            sum += w[o * per + i];
          }
          bias[o] = Math.round(p.bias[o] / (x.scale() * wScale[o])) - (long) x.zeroPoint() * sum;
        }
        ops.add(new DenseOp(x.id(), per, co, w, bias, rq, p.rows));
      }
      if (asOutput) {
        outputScale = new double[] {x.scale() * wScale[0]};
      } else {
        putAct(p, id, range.scale(), range.activation());
      }
      return id;
    }

    /** Emits an elementwise op (at the given output scale, or the calibrated one when 0). */
    Act emitElementwise(PendingElementwise e, double forcedScale) {
      OutRange range = outRange(e);
      double sOut = forcedScale > 0 ? forcedScale : range.scale();
      int channels = e.channels();
      int nIn = e.inputs.size();
      double[][] ratios = new double[nIn][];
      List<Double> all = new ArrayList<>();
      for (int j = 0; j < nIn; j++) {
        double[] c = e.coefficients.get(j);
        ratios[j] = new double[c.length];
        for (int ch = 0; ch < c.length; ch++) {
          ratios[j][ch] = c[ch] * e.inputs.get(j).scale() / sOut;
          all.add(ratios[j][ch]);
        }
      }
      int shift = shiftFor(all.stream().mapToDouble(Double::doubleValue).toArray());
      double two = Math.pow(2, shift);
      long[][] m = new long[nIn][];
      for (int j = 0; j < nIn; j++) {
        m[j] = new long[ratios[j].length];
        for (int ch = 0; ch < m[j].length; ch++) {
          m[j][ch] = Math.round(ratios[j][ch] * two);
        }
      }
      TensorShape shape = shapeOf(e.name, e.dims);
      int size = shape.size(), spatial = shape.spatial();
      double[] k = e.constant;
      boolean perValue = k.length != 1;
      for (double[] c : e.coefficients) {
        perValue |= c.length != 1;
      }
      long[] bias = new long[perValue ? size : 1];
      for (int i = 0; i < bias.length; i++) {
        int ch = bias.length == 1 ? 0 : i / spatial;
        double real = k.length == size ? k[i] : k.length == 1 ? k[0] : k[ch];
        for (int j = 0; j < nIn; j++) {
          Act a = e.inputs.get(j);
          double[] c = e.coefficients.get(j);
          real -= c[c.length == 1 ? 0 : ch] * a.scale() * a.zeroPoint();
        }
        bias[i] = Math.round(real / sOut * two);
      }
      int[] ids = new int[nIn];
      for (int j = 0; j < nIn; j++) {
        ids[j] = e.inputs.get(j).id();
      }
      Activation act = e.low == 0 ? Activation.RELU : Activation.CLAMP;
      if (forcedScale > 0 && e.low != 0) {
        act = Activation.CLAMP;
      }
      Requantization rq = Requantization.uniform(1, shift, act);
      int id = nextId();
      ops.add(new ElementwiseOp(ids, shape, m, bias, rq));
      Act out = new Act(id, e.dims, sOut, 0, act.low(), act.high());
      if (forcedScale == 0) {
        putAct(e, id, sOut, act);
      }
      return out;
    }

    /**
     * Emits a table op: entry q is round(f(s_in·(q − zp_in))/s_out) clamped to the output's int8
     * interval (0 where f is undefined, the bound where it is infinite).
     */
    void emitTable(PendingTable p) {
      OutRange range = outRange(p);
      Act x = p.input;
      Activation act = range.activation();
      byte[] table = new byte[TableOp.SIZE];
      for (int q = -128; q < 128; q++) {
        double v = p.apply(x.scale() * (q - x.zeroPoint()));
        v = Math.max(p.low, Math.min(p.high, v));
        long code;
        if (Double.isNaN(v)) {
          code = 0;
        } else {
          double c = v / range.scale();
          code = c >= act.high() ? act.high() : c <= act.low() ? act.low() : Math.round(c);
        }
        table[q + 128] = (byte) Math.max(act.low(), Math.min(act.high(), code));
      }
      int id = nextId();
      ops.add(new TableOp(x.id(), shapeOfId(x.id()), table, p.functionName));
      putAct(p, id, range.scale(), act);
    }

    /**
     * Emits a layer normalization: E = max(1, round(ε·L³/s_x²)), K = 10 + the bits of the largest
     * possible σ (so ρ keeps 10 bits), g_j = round(γ_j·√L·2^(s−K)/s_out) with the shift s giving
     * max |g| 11 to 12 bits, b_j = round(β_j·2^s/s_out), multiplier 1.
     */
    void emitLayerNorm(PendingLayerNorm p) {
      OutRange range = outRange(p);
      Act x = p.input;
      int n = p.length;
      double sOut = range.scale();
      double eReal = p.epsilon * Math.pow(n, 3) / (x.scale() * x.scale());
      long e = Math.max(1, Math.min(1L << 20, Math.round(eReal)));
      long sigmaMax = LayerNormOp.isqrt((1L << 16) * n * n * n + e);
      int k = Math.min(LayerNormOp.MAX_PRECISION, 10 + (64 - Long.numberOfLeadingZeros(sigmaMax)));
      double gMax = 0;
      for (double g : p.gamma) {
        gMax = Math.max(gMax, Math.abs(g));
      }
      double ratio = Math.max(gMax, 1e-12) * Math.sqrt(n) / sOut;
      int shift =
          Math.max(1, Math.min(44, k + 11 - (int) Math.floor(Math.log(ratio) / Math.log(2))));
      long[] g = new long[n], b = new long[n];
      for (int j = 0; j < n; j++) {
        g[j] = Math.round(p.gamma[j] * Math.sqrt(n) * Math.pow(2, shift - k) / sOut);
        b[j] = Math.round(p.beta[j] * Math.pow(2, shift) / sOut);
      }
      Requantization rq = Requantization.uniform(1, shift, range.activation());
      int id = nextId();
      ops.add(new LayerNormOp(x.id(), shapeOfId(x.id()), p.batch, p.rows, n, g, b, e, k, rq));
      putAct(p, id, sOut, range.activation());
    }

    /** Emits a matrix or elementwise product: ε/2^s ≈ coefficient·s_left·s_right/s_out. */
    void emitProduct(PendingProduct p) {
      OutRange range = outRange(p);
      double ratio = p.coefficient * p.left.scale() * p.right.scale() / range.scale();
      Activation act = range.activation();
      Requantization rq = multipliers(new double[] {Math.abs(ratio)}, act);
      if (ratio < 0) {
        throw new InvalidModelException(
            "node '" + p.node + "' scales a product by a negative constant; not supported");
      }
      int id = nextId();
      TensorShape shape = shapeOf(p.name, p.dims);
      if (p.matrix) {
        ops.add(new MatMulOp(p.left.id(), p.right.id(), p.batch, p.m, p.k, p.n, shape, rq));
      } else {
        ops.add(new ProductOp(p.left.id(), p.right.id(), shape, rq));
      }
      putAct(p, id, range.scale(), act);
    }

    void emitAverage(PendingAverage p) {
      Act x = p.input;
      TensorShape xs = x.shape();
      Window win = p.window;
      int oh = win.outputHeight(xs.height()), ow = win.outputWidth(xs.width());
      int positions = oh * ow;
      int[] counts = new int[positions];
      boolean uniform = true;
      for (int pos = 0; pos < positions; pos++) {
        for (int t = 0; t < win.kernelSize(); t++) {
          if (win.source(xs.height(), xs.width(), ow, pos, t) >= 0) {
            counts[pos]++;
          }
        }
        uniform &= counts[pos] == counts[0];
      }
      OutRange range = outRange(p);
      long[] weights = new long[positions];
      double divisor;
      if (p.countIncludePad || uniform) {
        Arrays.fill(weights, 1);
        divisor = p.countIncludePad ? win.kernelSize() : counts[0];
      } else {
        for (int pos = 0; pos < positions; pos++) {
          weights[pos] = Math.round((double) AVERAGE_WEIGHT_UNIT / counts[pos]);
        }
        divisor = AVERAGE_WEIGHT_UNIT;
      }
      long[] bias = new long[xs.channels() * positions];
      for (int c = 0; c < xs.channels(); c++) {
        for (int pos = 0; pos < positions; pos++) {
          bias[c * positions + pos] = -(long) x.zeroPoint() * weights[pos] * counts[pos];
        }
      }
      Requantization rq =
          multipliers(new double[] {x.scale() / (divisor * range.scale())}, range.activation());
      int id = nextId();
      ops.add(new AveragePoolOp(x.id(), xs, win, weights, bias, rq));
      putAct(p, id, range.scale(), range.activation());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  static double[] times(double[] a, double[] b, int channels) {
    if (a.length == 1 && b.length == 1) {
      return new double[] {a[0] * b[0]};
    }
    double[] out = new double[channels];
    for (int c = 0; c < channels; c++) {
      out[c] = a[a.length == 1 ? 0 : c] * b[b.length == 1 ? 0 : c];
    }
    return out;
  }

  static double[] plus(double[] a, double[] b, int channels, int[] dims) {
    if (a.length == 1 && b.length == 1) {
      return new double[] {a[0] + b[0]};
    }
    if (a.length > channels) { // per value
      int spatial = a.length / channels;
      double[] out = a.clone();
      for (int i = 0; i < out.length; i++) {
        out[i] += b[b.length == 1 ? 0 : i / spatial];
      }
      return out;
    }
    double[] out = new double[channels];
    for (int c = 0; c < channels; c++) {
      out[c] = a[a.length == 1 ? 0 : c] + b[b.length == 1 ? 0 : c];
    }
    return out;
  }

  static double[] negate(double[] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = -a[i];
    }
    return out;
  }

  static double[] doubles(Tensor t) {
    double[] v = new double[Math.toIntExact(t.elementCount())];
    for (int i = 0; i < v.length; i++) {
      v[i] = t.getAsDouble(i);
    }
    return v;
  }

  static long attrInt(OnnxMl.NodeProto node, String name, long fallback) {
    return node.getAttributeList().stream()
        .filter(a -> a.getName().equals(name))
        .mapToLong(OnnxMl.AttributeProto::getI)
        .findFirst()
        .orElse(fallback);
  }

  static float attrFloat(OnnxMl.NodeProto node, String name, float fallback) {
    return node.getAttributeList().stream()
        .filter(a -> a.getName().equals(name))
        .map(OnnxMl.AttributeProto::getF)
        .findFirst()
        .orElse(fallback);
  }

  static long[] attrInts(OnnxMl.NodeProto node, String name, long[] fallback) {
    return node.getAttributeList().stream()
        .filter(a -> a.getName().equals(name))
        .map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray())
        .findFirst()
        .orElse(fallback);
  }

  static String attrString(OnnxMl.NodeProto node, String name, String fallback) {
    return node.getAttributeList().stream()
        .filter(a -> a.getName().equals(name))
        .map(a -> a.getS().toStringUtf8())
        .findFirst()
        .orElse(fallback);
  }
}
