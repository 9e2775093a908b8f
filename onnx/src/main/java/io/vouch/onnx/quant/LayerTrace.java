package io.vouch.onnx.quant;

/**
 * Everything one layer computed: its int8 input, the accumulators z = W·a + b, and for requantized
 * layers the quotients q, remainders e (ε·z + 2^(s−1) = 2^s·q + e, 0 ≤ e &lt; 2^s) and the clamped
 * int8 output. For the logits layer the last three are empty.
 */
public record LayerTrace(
    byte[] input, long[] accumulators, long[] quotients, long[] remainders, byte[] output) {
  public LayerTrace {
    input = input.clone();
    accumulators = accumulators.clone();
    quotients = quotients.clone();
    remainders = remainders.clone();
    output = output.clone();
  }

  @Override
  public byte[] input() {
    return input.clone();
  }

  @Override
  public long[] accumulators() {
    return accumulators.clone();
  }

  @Override
  public long[] quotients() {
    return quotients.clone();
  }

  @Override
  public long[] remainders() {
    return remainders.clone();
  }

  @Override
  public byte[] output() {
    return output.clone();
  }
}
