package io.vouch.onnx.quant;

/**
 * Everything one inference computed, by tensor id: the int8 values of every input and int8 tensor
 * ({@code values[id]}, null for int64 tensors) and the int64 accumulators of every op that has them
 * ({@code accumulators[id]}: before requantization, or the output itself), plus the model's output
 * (the output accumulators concatenated). The prover's witness is derived from it.
 *
 * <p>The arrays are shared, not copied: whoever holds a trace must not modify them.
 */
public record Trace(byte[][] values, long[][] accumulators, long[] logits) {
  /** The int8 values of tensor {@code id}. */
  public byte[] int8(int id) {
    return values[id];
  }

  /** The accumulators of tensor {@code id}'s op, or null. */
  public long[] accumulatorsOf(int id) {
    return accumulators[id];
  }

  @Override
  public long[] logits() {
    return logits.clone();
  }
}
