package io.vouch.benchmodels;

import java.util.SplittableRandom;

/**
 * A seeded test classifier over token ids: its ONNX bytes (one int64 input [N, length]), the
 * vocabulary, and one prototype sequence per class; input i is prototype i mod classes with each
 * token replaced by a random one with probability {@code substitution}, so its class is i mod
 * classes and a model that decides by the nearest prototype has clear margins.
 */
public record TokenClassifier(
    String name, byte[] onnx, int length, int vocabulary, int[][] prototypes, double substitution) {
  public TokenClassifier {
    onnx = onnx.clone();
  }

  @Override
  public byte[] onnx() {
    return onnx.clone();
  }

  /** {@code count} seeded inputs around the prototypes, token ids as floats. */
  public float[][] inputs(long seed, int count) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] out = new float[count][length];
    for (int n = 0; n < count; n++) {
      int[] p = prototypes[n % prototypes.length];
      for (int i = 0; i < length; i++) {
        out[n][i] = r.nextDouble() < substitution ? r.nextInt(vocabulary) : p[i];
      }
    }
    return out;
  }
}
