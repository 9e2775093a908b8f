package io.vouch.onnx.quant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A quantized model in integers only, as a graph: the specification the ZK prover proves and the
 * {@link IntegerEngine} runs bit-exactly.
 *
 * <p>Tensors are numbered: the inputs first (int8, quantized from floats by their {@link
 * InputQuantization}), then one tensor per {@link IntegerOp} in order. An op reads only tensors
 * numbered before its own (the list is a topological order of the DAG), so residual Adds, Concats,
 * several inputs and several outputs are all expressible. Every op produces int8 except those
 * without requantization, whose int64 accumulators (logits) must be model outputs; an output is
 * either such accumulators or an int8 tensor (a Sigmoid's, a Softmax's), widened to int64 and
 * concatenated in output order by {@link IntegerEngine#run}.
 *
 * <p>Validation guarantees that no honest computation can wrap, neither in Java longs nor in the
 * Goldilocks field the prover works in (signed residues must stay below p/2 ≈ 2^63): every
 * accumulator bound (Σ|W|·128 + |b| and its kin) is below 2^62, and so is ε·bound + 2^(s−1) for
 * requantized ops.
 *
 * <p>A multilayer perceptron (the first models the prover took) is the chain input → Dense → ... →
 * Dense; {@link #IntegerModel(InputQuantization, List, double)} builds it from {@link DenseLayer}s
 * and {@link #layers()} gives them back.
 */
public record IntegerModel(
    List<ModelInput> inputs, List<IntegerOp> ops, List<ModelOutput> outputs) {
  /** Bound on every intermediate integer: well inside both long range and p/2. */
  public static final long VALUE_LIMIT = 1L << 62;

  public IntegerModel {
    inputs = List.copyOf(inputs);
    ops = List.copyOf(ops);
    outputs = List.copyOf(outputs);
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("an integer model needs at least one input");
    }
    if (ops.isEmpty()) {
      throw new IllegalArgumentException("an integer model needs at least one op");
    }
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException("an integer model needs at least one output");
    }
    int first = inputs.size();
    List<ModelInput> in0 = inputs;
    List<IntegerOp> ops0 = ops;
    Shapes shapes = id -> id < first ? in0.get(id).shape() : ops0.get(id - first).outputShape();
    boolean[] isOutput = new boolean[first + ops.size()];
    for (ModelOutput o : outputs) {
      if (o.tensor() < first || o.tensor() >= first + ops.size()) {
        throw new IllegalArgumentException("output '" + o.name() + "' names no op's tensor");
      }
      isOutput[o.tensor()] = true;
    }
    for (int j = 0; j < ops.size(); j++) {
      IntegerOp op = ops.get(j);
      int id = first + j;
      for (int in : op.inputs()) {
        if (in >= 0 && in < first && inputs.get(in).isIndex() != (op instanceof GatherOp)) {
          throw new IllegalArgumentException(
              "op "
                  + j
                  + " ("
                  + op.kind()
                  + ") reads input '"
                  + inputs.get(in).name()
                  + "'"
                  + (op instanceof GatherOp
                      ? ", which is not an index input"
                      : ", an index input; only an embedding (Gather) reads indices"));
        }
        if (op instanceof GatherOp && (in < 0 || in >= first)) {
          throw new IllegalArgumentException(
              "op " + j + " (Gather) reads tensor " + in + "; an embedding reads an index input");
        }
        if (op instanceof GatherOp g && g.vocabulary() < inputs.get(in).indexRange()) {
          throw new IllegalArgumentException(
              "op "
                  + j
                  + " (Gather) has "
                  + g.vocabulary()
                  + " rows but its indices range to "
                  + inputs.get(in).indexRange());
        }
        if (in < 0 || in >= id) {
          throw new IllegalArgumentException(
              "op " + j + " (" + op.kind() + ") reads tensor " + in + ", not an earlier one");
        }
        if (in >= first && ops.get(in - first).outputsAccumulators()) {
          throw new IllegalArgumentException(
              "op "
                  + j
                  + " ("
                  + op.kind()
                  + ") reads the int64 accumulators of op "
                  + (in - first)
                  + "; only int8 tensors can be read");
        }
      }
      if (op.outputsAccumulators() && !isOutput[id]) {
        throw new IllegalArgumentException(
            "op " + j + " (" + op.kind() + ") outputs accumulators but is not a model output");
      }
      checkShapes(j, op, shapes, first);
      checkBounds(j, op);
    }
  }

  /**
   * The multilayer perceptron input → layers[0] → ... → layers[n−1]: hidden layers requantize, the
   * last one outputs the logits (scale {@code logitScale}).
   */
  public IntegerModel(InputQuantization input, List<DenseLayer> layers, double logitScale) {
    this(
        List.of(new ModelInput("input", TensorShape.vector(firstInputs(layers)), input)),
        denseChain(layers),
        List.of(new ModelOutput("output", layers.size(), logitScale)));
  }

  private static int firstInputs(List<DenseLayer> layers) {
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("an integer model needs at least one dense layer");
    }
    return layers.get(0).inputs();
  }

  private static List<IntegerOp> denseChain(List<DenseLayer> layers) {
    List<IntegerOp> ops = new ArrayList<>();
    for (int l = 0; l < layers.size(); l++) {
      DenseLayer layer = layers.get(l);
      boolean last = l == layers.size() - 1;
      if (l > 0 && layer.inputs() != layers.get(l - 1).outputs()) {
        throw new IllegalArgumentException(
            "layer "
                + l
                + " takes "
                + layer.inputs()
                + " inputs but layer "
                + (l - 1)
                + " produces "
                + layers.get(l - 1).outputs());
      }
      if (last && !(layer.output() instanceof LayerOutput.Logits)) {
        throw new IllegalArgumentException(
            "the last layer (" + l + ") must output logits; got " + layer.output());
      }
      if (!last && !(layer.output() instanceof LayerOutput.Requantized)) {
        throw new IllegalArgumentException(
            "hidden layer " + l + " must requantize to int8; only the last layer outputs logits");
      }
      long[] bias = Arrays.stream(layer.bias()).asLongStream().toArray();
      Requantization rq =
          layer.output() instanceof LayerOutput.Requantized r
              ? Requantization.uniform(r.multiplier(), r.shift(), r.activation())
              : null;
      ops.add(new DenseOp(l, layer.inputs(), layer.outputs(), layer.weights(), bias, rq));
    }
    return ops;
  }

  /** The id of the tensor op {@code j} produces. */
  public int tensorOf(int op) {
    return inputs.size() + op;
  }

  /** The shape of tensor {@code id}. */
  public TensorShape shapeOf(int id) {
    return shapeAt(id);
  }

  private TensorShape shapeAt(int id) {
    return id < inputs.size() ? inputs.get(id).shape() : ops.get(id - inputs.size()).outputShape();
  }

  /** The op producing tensor {@code id}, or null for an input. */
  public IntegerOp producer(int id) {
    return id < inputs.size() ? null : ops.get(id - inputs.size());
  }

  /** Total int8 values over all inputs (the statement's input, inputs concatenated in order). */
  public int inputSize() {
    return inputs.stream().mapToInt(i -> i.shape().size()).sum();
  }

  /** Bytes of the statement's input: one per int8 value, four per index. */
  public int inputBytes() {
    return inputs.stream().mapToInt(i -> i.shape().size() * i.bytesPerValue()).sum();
  }

  /** Total int64 values over all outputs (concatenated in order). */
  public int outputSize() {
    return outputs.stream().mapToInt(o -> shapeAt(o.tensor()).size()).sum();
  }

  /** The first input's quantization (the only one for single-input models). */
  public InputQuantization input() {
    return inputs.get(0).quantization();
  }

  /** The first output's scale (the only one for single-output models). */
  public double logitScale() {
    return outputs.get(0).scale();
  }

  /**
   * Quantizes the float values of every input, concatenated in input order, each with its own
   * quantization.
   *
   * @throws IllegalArgumentException when the number of values is wrong
   */
  public byte[] quantizeInputs(float[] x) {
    if (x.length != inputSize()) {
      throw new IllegalArgumentException(
          "the model takes " + inputSize() + " input values, got " + x.length);
    }
    byte[] out = new byte[inputBytes()];
    int offset = 0, at = 0;
    for (ModelInput in : inputs) {
      int n = in.shape().size();
      if (in.isIndex()) {
        for (int i = 0; i < n; i++) {
          float f = x[offset + i];
          long v = Math.round(f);
          if (v != f || v < 0 || v >= in.indexRange()) {
            throw new IllegalArgumentException(
                "input '"
                    + in.name()
                    + "' takes indices in [0, "
                    + in.indexRange()
                    + "); value "
                    + i
                    + " is "
                    + f);
          }
          int w = (int) v;
          out[at++] = (byte) w;
          out[at++] = (byte) (w >>> 8);
          out[at++] = (byte) (w >>> 16);
          out[at++] = (byte) (w >>> 24);
        }
      } else {
        byte[] q = in.quantization().quantize(Arrays.copyOfRange(x, offset, offset + n));
        System.arraycopy(q, 0, out, at, n);
        at += n;
      }
      offset += n;
    }
    return out;
  }

  /** Index i of a statement's index input (its 4-byte little-endian values). */
  public static int index(byte[] bytes, int i) {
    return (bytes[4 * i] & 0xff)
        | (bytes[4 * i + 1] & 0xff) << 8
        | (bytes[4 * i + 2] & 0xff) << 16
        | (bytes[4 * i + 3] & 0xff) << 24;
  }

  /** Whether this is an MLP: one input, a chain of Dense ops, one output at the end. */
  public boolean isDenseChain() {
    if (inputs.size() != 1 || outputs.size() != 1) {
      return false;
    }
    for (int j = 0; j < ops.size(); j++) {
      if (!(ops.get(j) instanceof DenseOp d) || d.input() != j) {
        return false;
      }
    }
    return outputs.get(0).tensor() == ops.size();
  }

  /**
   * The dense layers of an MLP ({@link #isDenseChain()}).
   *
   * @throws IllegalStateException for any other graph
   */
  public List<DenseLayer> layers() {
    if (!isDenseChain()) {
      throw new IllegalStateException("this integer model is a graph, not a chain of dense layers");
    }
    List<DenseLayer> layers = new ArrayList<>();
    for (IntegerOp op : ops) {
      DenseOp d = (DenseOp) op;
      int[] bias = new int[d.outputs()];
      for (int i = 0; i < bias.length; i++) {
        bias[i] = Math.toIntExact(d.bias()[i]);
      }
      Requantization rq = d.requantization();
      LayerOutput out;
      if (rq == null) {
        out = new LayerOutput.Logits();
      } else if (rq.isUniform()) {
        out = new LayerOutput.Requantized(rq.multiplier(0), rq.shift(), rq.activation());
      } else {
        throw new IllegalStateException("per-channel requantization has no DenseLayer form");
      }
      layers.add(new DenseLayer(d.outputs(), d.inputSize(), d.weights(), bias, out));
    }
    return layers;
  }

  private interface Shapes {
    TensorShape of(int id);
  }

  private static void checkShapes(int j, IntegerOp op, Shapes shapes, int first) {
    String where = "op " + j + " (" + op.kind() + ")";
    switch (op) {
      case DenseOp d when d.rows() > 1 -> {
        TensorShape in = shapes.of(d.input());
        if (in.channels() != d.rows() || in.spatial() != d.inputSize()) {
          throw new IllegalArgumentException(
              where
                  + " reads "
                  + d.rows()
                  + " rows of "
                  + d.inputSize()
                  + " (a channel per row) but tensor "
                  + d.input()
                  + " is "
                  + in);
        }
      }
      case DenseOp d -> {
        int size = shapes.of(d.input()).size();
        if (size != d.inputSize()) {
          throw new IllegalArgumentException(
              where
                  + " takes "
                  + d.inputSize()
                  + " inputs but tensor "
                  + d.input()
                  + " has "
                  + size);
        }
      }
      case ConvOp c -> requireShape(where, shapes.of(c.input()), c.inputShape());
      case MaxPoolOp m -> requireShape(where, shapes.of(m.input()), m.inputShape());
      case AveragePoolOp a -> requireShape(where, shapes.of(a.input()), a.inputShape());
      case ElementwiseOp e -> {
        for (int in : e.inputs()) {
          requireShape(where, shapes.of(in), e.outputShape());
        }
      }
      case TableOp t -> requireShape(where, shapes.of(t.input()), t.outputShape());
      case MatMulOp mm -> {
        requireSize(where, shapes.of(mm.left()), (long) mm.batch() * mm.m() * mm.k());
        requireSize(where, shapes.of(mm.right()), (long) mm.batch() * mm.k() * mm.n());
      }
      case ProductOp p -> {
        requireShape(where, shapes.of(p.left()), p.outputShape());
        requireShape(where, shapes.of(p.right()), p.outputShape());
      }
      case SoftmaxOp s -> requireShape(where, shapes.of(s.input()), s.outputShape());
      case GatherOp g -> {
        if ((long) shapes.of(g.indices()).size() * g.width() != g.outputShape().size()) {
          throw new IllegalArgumentException(
              where
                  + " looks up "
                  + shapes.of(g.indices()).size()
                  + " rows of "
                  + g.width()
                  + " but outputs "
                  + g.outputShape());
        }
      }
      case LayerNormOp l -> requireShape(where, shapes.of(l.input()), l.outputShape());
      case WiringOp w -> {
        int[] in = w.inputs();
        for (int i = 0; i < w.outputShape().size(); i++) {
          int s = w.sourceInputAt(i);
          if (s >= 0 && (w.sourceIndexAt(i) < 0 || w.sourceIndexAt(i) >= shapes.of(in[s]).size())) {
            throw new IllegalArgumentException(
                where + ": output value " + i + " reads past its input");
          }
        }
      }
    }
  }

  private static void requireSize(String where, TensorShape actual, long size) {
    if (actual.size() != size) {
      throw new IllegalArgumentException(
          where + " expects an input of " + size + " values but reads one of " + actual);
    }
  }

  private static void requireShape(String where, TensorShape actual, TensorShape expected) {
    if (!actual.equals(expected)) {
      throw new IllegalArgumentException(
          where + " expects an input of shape " + expected + " but reads one of " + actual);
    }
  }

  private static void checkBounds(int j, IntegerOp op) {
    Requantization rq = op.requantization();
    switch (op) {
      case DenseOp d -> {
        for (int i = 0; i < d.outputs(); i++) {
          checkBound(j, op, d.accumulatorBound(i), rq == null ? 0 : rq.multiplier(i), rq);
        }
      }
      case ConvOp c -> {
        for (int co = 0; co < c.outChannels(); co++) {
          checkBound(j, op, c.accumulatorBound(co), rq == null ? 0 : rq.multiplier(co), rq);
        }
      }
      case AveragePoolOp a -> checkBound(j, op, a.accumulatorBound(), rq.maxMultiplier(), rq);
      case ElementwiseOp e -> checkBound(j, op, e.accumulatorBound(), rq.maxMultiplier(), rq);
      case MaxPoolOp m -> {}
      case WiringOp w -> {}
      case TableOp t -> {}
      case MatMulOp mm -> checkBound(j, op, mm.accumulatorBound(), rq.maxMultiplier(), rq);
      case ProductOp p -> checkBound(j, op, p.accumulatorBound(), rq.maxMultiplier(), rq);
      case SoftmaxOp s -> {}
      case GatherOp g -> {}
      case LayerNormOp l -> checkBound(j, op, l.accumulatorBound(), rq.maxMultiplier(), rq);
    }
  }

  private static void checkBound(
      int j, IntegerOp op, long bound, long multiplier, Requantization rq) {
    String layer = op instanceof DenseOp ? "layer " + j : "op " + j + " (" + op.kind() + ")";
    if (bound >= VALUE_LIMIT || bound < 0) {
      throw new IllegalArgumentException(
          layer + " accumulators can reach " + bound + ", which could wrap; limit 2^62");
    }
    if (rq != null) {
      double scaled = (double) multiplier * bound + rq.roundingOffset();
      if (scaled >= VALUE_LIMIT) {
        throw new IllegalArgumentException(
            layer
                + ": multiplier "
                + multiplier
                + " × accumulator bound "
                + bound
                + " could exceed 2^62; lower the multiplier and shift");
      }
    }
  }
}
