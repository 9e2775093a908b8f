package io.vouch.onnx.quant;

/**
 * One operator of an {@link IntegerModel}: it reads int8 tensors (by id: the model's inputs first,
 * then one tensor per op in order) and produces one tensor, either int8 (requantized, or passed
 * through by MaxPool and wiring, looked up by a table op) or the int64 accumulators themselves (a
 * graph output).
 */
public sealed interface IntegerOp
    permits DenseOp,
        ConvOp,
        MaxPoolOp,
        AveragePoolOp,
        ElementwiseOp,
        WiringOp,
        TableOp,
        MatMulOp,
        ProductOp,
        SoftmaxOp,
        LayerNormOp,
        GatherOp {
  /** The ids of the tensors this op reads. */
  int[] inputs();

  /** The shape of the tensor this op produces. */
  TensorShape outputShape();

  /**
   * How the accumulators become int8, or null: for Dense, Conv and the pooling/elementwise ops null
   * means the int64 accumulators are the output (a graph output); MaxPool and wiring always return
   * null and pass int8 values through.
   */
  Requantization requantization();

  /**
   * Whether the output is int64 accumulators rather than int8: a linear op (Dense, Conv, pooling,
   * elementwise) without requantization. Every other op produces int8.
   */
  default boolean outputsAccumulators() {
    return requantization() == null
        && (this instanceof DenseOp
            || this instanceof ConvOp
            || this instanceof AveragePoolOp
            || this instanceof ElementwiseOp);
  }

  /**
   * Which of the requantization's multipliers output value {@code value} (row-major) takes: its
   * channel, except for a dense op over several rows, whose multipliers are per output.
   */
  default int multiplierIndex(int value) {
    return value / outputShape().spatial();
  }

  /** A short name for messages: "Conv", "Dense", ... */
  String kind();
}
