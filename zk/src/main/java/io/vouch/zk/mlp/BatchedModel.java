package io.vouch.zk.mlp;

import io.vouch.onnx.quant.AveragePoolOp;
import io.vouch.onnx.quant.ConvOp;
import io.vouch.onnx.quant.DenseOp;
import io.vouch.onnx.quant.ElementwiseOp;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.MaxPoolOp;
import io.vouch.onnx.quant.ModelInput;
import io.vouch.onnx.quant.ModelOutput;
import io.vouch.onnx.quant.Requantization;
import io.vouch.onnx.quant.TableOp;
import io.vouch.onnx.quant.TensorShape;
import io.vouch.onnx.quant.WiringOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Batch proving: N inputs through one registered model as one integer model whose tensors carry the
 * item as their highest index, so that one proof covers the batch. Every tensor of the batch holds
 * its N items one after the other (item n's values at n·size + i, row-major), in one of two shapes:
 * <i>channels</i>, [N·C, H, W] (the items are more channels), or <i>rows</i>, [N, 1, C·H·W] (an
 * item per row, what a dense layer over rows reads). A statement is each input's N items
 * concatenated (inputs in order) and each output's N items likewise.
 *
 * <ul>
 *   <li>Dense runs over N rows ({@link DenseOp#rows()}): its weights are committed and folded once
 *       for all items (the relation zk/README.md calls <i>Dense over rows</i>), with per-output
 *       requantization multipliers shared by every row; an input in channels shape is first rewired
 *       to rows (the batch's Flatten).
 *   <li>Conv over N·C channels is the same Conv with N times the groups, its weights, bias and
 *       per-channel multipliers repeated per item (the item bits beside the input channels of the
 *       window map; the weights are committed N times, see zk/README.md "Batch proving").
 *   <li>MaxPool, AveragePool (GlobalAveragePool included), elementwise ops (Add, Sub, a standalone
 *       Relu, Clip, BatchNormalization, Mul/Div by constants), function tables and wiring (Reshape,
 *       Flatten, Concat, Transpose, Slice) act per channel or per value: the items are more
 *       channels, biases and per-channel multipliers repeated per item.
 * </ul>
 *
 * <p>A batch of N is another circuit than a batch of M (its model id binds the shapes); a batch of
 * 1 is the model itself. Other ops (MatMul between activations, products, Softmax,
 * LayerNormalization, Gather, a dense op that already runs over rows) are refused, every one named.
 */
public final class BatchedModel {
  private BatchedModel() {}

  /**
   * The model that runs {@code model} on {@code items} inputs at once.
   *
   * @throws IllegalArgumentException if {@code items} &lt; 1, or the model has an op or an input
   *     batch proving does not take yet (the message lists every one)
   */
  public static IntegerModel of(IntegerModel model, int items) {
    if (items < 1) {
      throw new IllegalArgumentException("a batch has at least one item, got " + items);
    }
    if (items == 1) {
      return model;
    }
    List<String> refused = new ArrayList<>();
    for (ModelInput in : model.inputs()) {
      if (in.isIndex()) {
        refused.add("input '" + in.name() + "' (token ids: the embedding Gather is not batched)");
      }
    }
    for (int j = 0; j < model.ops().size(); j++) {
      String why = unsupported(model.ops().get(j));
      if (why != null) {
        refused.add("op " + j + " (" + why + ")");
      }
    }
    if (!refused.isEmpty()) {
      throw new IllegalArgumentException(
          "batch proving does not take "
              + String.join(", ", refused)
              + " yet; it takes Dense, Conv, MaxPool, AveragePool, elementwise ops, function"
              + " tables and wiring. Prove such a model one input at a time.");
    }
    return new Builder(model, items).build();
  }

  /** Why an op cannot be batched yet, or null. */
  private static String unsupported(IntegerOp op) {
    return switch (op) {
      case DenseOp d when d.rows() > 1 -> "Dense over rows, a MatMul by constant weights";
      case DenseOp d -> null;
      case ConvOp c -> null;
      case MaxPoolOp m -> null;
      case AveragePoolOp a -> null;
      case ElementwiseOp e -> null;
      case TableOp t -> null;
      case WiringOp w -> null;
      default -> op.kind();
    };
  }

  private static final class Builder {
    final IntegerModel model;
    final int n;
    final List<IntegerOp> ops = new ArrayList<>();

    /** New tensor id and batched shape of every tensor of the single model. */
    final int[] ids;

    final TensorShape[] shapes;

    Builder(IntegerModel model, int n) {
      this.model = model;
      this.n = n;
      int tensors = model.inputs().size() + model.ops().size();
      ids = new int[tensors];
      shapes = new TensorShape[tensors];
    }

    IntegerModel build() {
      List<ModelInput> inputs = new ArrayList<>();
      int first = model.inputs().size();
      for (int i = 0; i < first; i++) {
        ModelInput in = model.inputs().get(i);
        TensorShape s = isVector(in.shape()) ? rows(in.shape()) : channels(in.shape());
        inputs.add(new ModelInput(in.name(), s, in.quantization(), in.indexRange()));
        ids[i] = i;
        shapes[i] = s;
      }
      for (int j = 0; j < model.ops().size(); j++) {
        IntegerOp op = batch(model.ops().get(j));
        ids[first + j] = add(op);
        shapes[first + j] = op.outputShape();
      }
      List<ModelOutput> outputs = new ArrayList<>();
      for (ModelOutput o : model.outputs()) {
        outputs.add(new ModelOutput(o.name(), ids[o.tensor()], o.scale()));
      }
      return new IntegerModel(inputs, ops, outputs);
    }

    /** Appends an op; returns its tensor's id in the batched model. */
    int add(IntegerOp op) {
      ops.add(op);
      return model.inputs().size() + ops.size() - 1;
    }

    IntegerOp batch(IntegerOp op) {
      return switch (op) {
        case DenseOp d ->
            new DenseOp(
                as(d.input(), new TensorShape(n, 1, d.inputSize())),
                d.inputSize(),
                d.outputs(),
                d.weightsView(),
                d.bias(),
                d.requantization(),
                n);
        case ConvOp c ->
            new ConvOp(
                as(c.input(), channels(c.inputShape())),
                channels(c.inputShape()),
                c.window(),
                c.groups() * n,
                c.outChannels() * n,
                repeat(c.weightsView()),
                repeat(c.biasView()),
                perChannel(c.requantization()));
        case MaxPoolOp m ->
            new MaxPoolOp(
                as(m.input(), channels(m.inputShape())), channels(m.inputShape()), m.window());
        case AveragePoolOp a ->
            new AveragePoolOp(
                as(a.input(), channels(a.inputShape())),
                channels(a.inputShape()),
                a.window(),
                a.positionWeightsView(),
                repeat(a.biasView()),
                perChannel(a.requantization()));
        case ElementwiseOp e -> elementwise(e);
        case TableOp t -> {
          int in = ids[t.input()];
          yield new TableOp(in, shapes[t.input()], t.table(), t.function());
        }
        case WiringOp w -> wiring(w);
        default -> throw new IllegalStateException("unreachable: " + op.kind());
      };
    }

    /**
     * An elementwise op keeps the rows shape of its first input when every multiplier is one for
     * all channels (a per-channel one would be per value there); otherwise it runs on channels.
     */
    IntegerOp elementwise(ElementwiseOp e) {
      int[] in = e.inputs();
      boolean uniform = e.requantization().isUniform();
      for (int j = 0; j < in.length; j++) {
        uniform &= e.uniform(j);
      }
      TensorShape single = e.outputShape();
      TensorShape shape =
          uniform && shapes[in[0]].equals(rows(single)) ? rows(single) : channels(single);
      boolean rows = shape.equals(rows(single));
      int[] inputs = new int[in.length];
      long[][] m = e.multipliers();
      for (int j = 0; j < in.length; j++) {
        inputs[j] = as(in[j], shape);
        if (rows) {
          m[j] = new long[] {m[j][0]}; // the same for every channel: one for every row
        } else if (m[j].length > 1) {
          m[j] = repeat(m[j]);
        }
      }
      long[] bias = e.bias();
      Requantization rq = e.requantization();
      return new ElementwiseOp(
          inputs,
          shape,
          m,
          bias.length == 1 ? bias : repeat(bias),
          rows
              ? Requantization.uniform(rq.multiplier(0), rq.shift(), rq.activation())
              : perChannel(rq));
    }

    /** Item n's output value i reads item n of its source. */
    IntegerOp wiring(WiringOp w) {
      int[] in = w.inputs();
      int[] newIn = new int[in.length];
      for (int k = 0; k < in.length; k++) {
        newIn[k] = ids[in[k]];
      }
      TensorShape single = w.outputShape();
      int size = single.size();
      int[] sourceInput = new int[n * size];
      int[] sourceIndex = new int[n * size];
      for (int item = 0; item < n; item++) {
        for (int i = 0; i < size; i++) {
          int s = w.sourceInputAt(i);
          sourceInput[item * size + i] = s;
          sourceIndex[item * size + i] =
              s < 0 ? 0 : item * model.shapeOf(in[s]).size() + w.sourceIndexAt(i);
        }
      }
      return new WiringOp(
          newIn, isVector(single) ? rows(single) : channels(single), sourceInput, sourceIndex);
    }

    /**
     * The batched tensor of single-model tensor {@code id} in {@code shape}: itself, or a wiring
     * that moves its values (the same order: item-major) to that shape.
     */
    int as(int id, TensorShape shape) {
      if (shapes[id].equals(shape)) {
        return ids[id];
      }
      int size = shape.size();
      int[] sourceIndex = new int[size];
      for (int i = 0; i < size; i++) {
        sourceIndex[i] = i;
      }
      return add(new WiringOp(new int[] {ids[id]}, shape, new int[size], sourceIndex));
    }

    TensorShape channels(TensorShape s) {
      return new TensorShape(n * s.channels(), s.height(), s.width());
    }

    TensorShape rows(TensorShape s) {
      return new TensorShape(n, 1, s.size());
    }

    static boolean isVector(TensorShape s) {
      return s.height() == 1 && s.width() == 1;
    }

    Requantization perChannel(Requantization rq) {
      if (rq == null || rq.multipliers().length == 1) {
        return rq;
      }
      return new Requantization(repeat(rq.multipliers()), rq.shift(), rq.activation());
    }

    byte[] repeat(byte[] a) {
      byte[] out = new byte[a.length * n];
      for (int i = 0; i < n; i++) {
        System.arraycopy(a, 0, out, i * a.length, a.length);
      }
      return out;
    }

    long[] repeat(long[] a) {
      long[] out = new long[a.length * n];
      for (int i = 0; i < n; i++) {
        System.arraycopy(a, 0, out, i * a.length, a.length);
      }
      return out;
    }
  }
}
