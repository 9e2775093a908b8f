package io.vouch.onnx.quant;

/**
 * How float inputs become the model's int8 input: x_q = clamp(round(x / scale) + zeroPoint, −128,
 * 127).
 */
public record InputQuantization(double scale, int zeroPoint) {
  public InputQuantization {
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException(
          "input scale must be a positive finite number, got " + scale);
    }
    if (zeroPoint < -128 || zeroPoint > 127) {
      throw new IllegalArgumentException("input zero point must be an int8, got " + zeroPoint);
    }
  }

  public byte[] quantize(float[] x) {
    byte[] q = new byte[x.length];
    for (int i = 0; i < x.length; i++) {
      long v = Math.round(x[i] / scale) + zeroPoint;
      q[i] = (byte) Math.max(-128, Math.min(127, v));
    }
    return q;
  }
}
