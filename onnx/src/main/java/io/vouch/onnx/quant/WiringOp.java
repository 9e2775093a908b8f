package io.vouch.onnx.quant;

import java.util.Arrays;

/**
 * Moves int8 values without computing: output value i is value {@code sourceIndex[i]} (row-major)
 * of input {@code sourceInput[i]} (an index into {@link #inputs()}), or 0 where {@code
 * sourceInput[i]} is −1. Concat, Transpose, Slice and a Reshape that must reorder values are
 * wiring; every input and the output share one scale and zero point.
 */
public record WiringOp(int[] inputs, TensorShape outputShape, int[] sourceInput, int[] sourceIndex)
    implements IntegerOp {
  public WiringOp {
    if (inputs.length == 0) {
      throw new IllegalArgumentException("wiring needs at least one input");
    }
    if (sourceInput.length != outputShape.size() || sourceIndex.length != outputShape.size()) {
      throw new IllegalArgumentException("wiring needs one source per output value");
    }
    for (int i = 0; i < sourceInput.length; i++) {
      if (sourceInput[i] < -1 || sourceInput[i] >= inputs.length) {
        throw new IllegalArgumentException("wiring source " + i + " names no input");
      }
    }
    inputs = inputs.clone();
    sourceInput = sourceInput.clone();
    sourceIndex = sourceIndex.clone();
  }

  @Override
  public int[] inputs() {
    return inputs.clone();
  }

  @Override
  public int[] sourceInput() {
    return sourceInput.clone();
  }

  @Override
  public int[] sourceIndex() {
    return sourceIndex.clone();
  }

  public int sourceInputAt(int i) {
    return sourceInput[i];
  }

  public int sourceIndexAt(int i) {
    return sourceIndex[i];
  }

  @Override
  public Requantization requantization() {
    return null;
  }

  @Override
  public String kind() {
    return "Wiring";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WiringOp w
        && Arrays.equals(inputs, w.inputs)
        && outputShape.equals(w.outputShape)
        && Arrays.equals(sourceInput, w.sourceInput)
        && Arrays.equals(sourceIndex, w.sourceIndex);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sourceIndex);
  }
}
