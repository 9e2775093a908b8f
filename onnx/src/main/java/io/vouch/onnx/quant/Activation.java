package io.vouch.onnx.quant;

/** The fused activation of a requantized layer: the int8 interval its outputs are clamped to. */
public enum Activation {
  /** ReLU fused with the int8 clamp: outputs in [0, 127]. */
  RELU(0, 127),
  /** Plain int8 saturation: outputs in [−128, 127]. */
  CLAMP(-128, 127);

  private final int low;
  private final int high;

  Activation(int low, int high) {
    this.low = low;
    this.high = high;
  }

  public int low() {
    return low;
  }

  public int high() {
    return high;
  }

  public byte apply(long q) {
    return (byte) Math.max(low, Math.min(high, q));
  }
}
