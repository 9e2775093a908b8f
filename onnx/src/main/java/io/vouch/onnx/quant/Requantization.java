package io.vouch.onnx.quant;

import java.util.Arrays;

/**
 * How an op turns its int64 accumulators z into int8: q = (ε_c·z + 2^(s−1)) &gt;&gt; s (arithmetic
 * shift, so rounding is half up) with the multiplier ε_c of the value's output channel, then the
 * activation's clamp. One multiplier serves every channel when only one is given.
 *
 * <p>Per-channel multipliers carry per-channel weight scales (a Conv whose BatchNormalization was
 * folded in has channels of very different magnitudes) at no cost in the proof: the verifier scales
 * the rows of the weight opening by ε_c.
 *
 * @param multipliers ε, each in [1, 2^31)
 * @param shift s in [1, 62]
 */
public record Requantization(long[] multipliers, int shift, Activation activation) {
  public Requantization {
    if (multipliers == null || multipliers.length == 0) {
      throw new IllegalArgumentException("a requantization needs at least one multiplier");
    }
    multipliers = multipliers.clone();
    for (long m : multipliers) {
      if (m < 1 || m >= 1L << 31) {
        throw new IllegalArgumentException(
            "requantization multiplier must be in [1, 2^31), got " + m);
      }
    }
    if (shift < 1 || shift > 62) {
      throw new IllegalArgumentException("requantization shift must be in [1, 62], got " + shift);
    }
    if (activation == null) {
      throw new IllegalArgumentException("activation is required (RELU or CLAMP)");
    }
  }

  /** One multiplier for every channel. */
  public static Requantization uniform(long multiplier, int shift, Activation activation) {
    return new Requantization(new long[] {multiplier}, shift, activation);
  }

  @Override
  public long[] multipliers() {
    return multipliers.clone();
  }

  /** ε of output channel {@code channel}. */
  public long multiplier(int channel) {
    return multipliers.length == 1 ? multipliers[0] : multipliers[channel];
  }

  /** Whether every channel has the same multiplier. */
  public boolean isUniform() {
    for (long m : multipliers) {
      if (m != multipliers[0]) {
        return false;
      }
    }
    return true;
  }

  /** The largest multiplier. */
  public long maxMultiplier() {
    return Arrays.stream(multipliers).max().orElseThrow();
  }

  /** The rounding offset 2^(s−1). */
  public long roundingOffset() {
    return 1L << (shift - 1);
  }

  /** q = (ε_c·z + 2^(s−1)) &gt;&gt; s, before the clamp. */
  public long quotient(long z, int channel) {
    return (multiplier(channel) * z + roundingOffset()) >> shift;
  }

  /** The int8 output for accumulator z of channel {@code channel}. */
  public byte apply(long z, int channel) {
    return activation.apply(quotient(z, channel));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Requantization r
        && shift == r.shift
        && activation == r.activation
        && Arrays.equals(multipliers, r.multipliers);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(multipliers) + shift) + activation.hashCode();
  }

  @Override
  public String toString() {
    return "Requantization[ε="
        + (multipliers.length == 1
            ? Long.toString(multipliers[0])
            : multipliers.length + " per channel")
        + ", s="
        + shift
        + ", "
        + activation
        + "]";
  }
}
