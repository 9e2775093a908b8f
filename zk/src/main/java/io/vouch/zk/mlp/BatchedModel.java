package io.vouch.zk.mlp;

import io.vouch.onnx.quant.DenseOp;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.ModelInput;
import io.vouch.onnx.quant.ModelOutput;
import io.vouch.onnx.quant.TensorShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Batch proving, first increment: N inputs through one dense chain as one integer model whose dense
 * ops run over N rows ({@link DenseOp#rows()}), so that one proof covers the batch and the prover
 * folds each weight matrix once for all items (the relation zk/README.md calls <i>Dense over
 * rows</i>). Item n's input is row n of the batch input and its logits are row n of the output; a
 * statement is the N inputs concatenated and the N outputs concatenated. A batch of N is another
 * circuit than a batch of M (its model id binds the rows); a batch of 1 is the model itself.
 *
 * <p>Only chains of dense ops with one requantization multiplier each (per-tensor weight scales)
 * are batched so far; other graphs are refused with the op that stops them (zk/README.md, "What is
 * next", has the design for the rest).
 */
public final class BatchedModel {
  private BatchedModel() {}

  /**
   * The model that runs {@code model} on {@code items} inputs at once.
   *
   * @throws IllegalArgumentException if the model is not a dense chain on one vector input, or a
   *     layer requantizes per output channel
   */
  public static IntegerModel of(IntegerModel model, int items) {
    if (items < 1) {
      throw new IllegalArgumentException("a batch has at least one item, got " + items);
    }
    if (items == 1) {
      return model;
    }
    if (model.inputs().size() != 1 || model.inputs().get(0).isIndex()) {
      throw new IllegalArgumentException("batch proving takes models with one int8 input so far");
    }
    ModelInput in = model.inputs().get(0);
    if (in.shape().height() != 1 || in.shape().width() != 1) {
      throw new IllegalArgumentException(
          "batch proving takes a vector input so far, not " + in.shape());
    }
    List<IntegerOp> ops = new ArrayList<>();
    for (int j = 0; j < model.ops().size(); j++) {
      IntegerOp op = model.ops().get(j);
      if (!(op instanceof DenseOp d) || d.rows() != 1) {
        throw new IllegalArgumentException(
            "batch proving takes chains of dense layers so far; op " + j + " is " + op.kind());
      }
      if (d.requantization() != null && d.requantization().multipliers().length != 1) {
        throw new IllegalArgumentException(
            "batch proving needs one requantization multiplier per dense layer; op "
                + j
                + " has one per output");
      }
      ops.add(
          new DenseOp(
              d.input(),
              d.inputSize(),
              d.outputs(),
              d.weights(),
              d.bias(),
              d.requantization(),
              items));
    }
    List<ModelOutput> outputs = new ArrayList<>(model.outputs());
    ModelInput batched =
        new ModelInput(
            in.name(),
            new TensorShape(items, 1, in.shape().channels()),
            in.quantization(),
            in.indexRange());
    return new IntegerModel(List.of(batched), ops, outputs);
  }
}
