package io.vouch.benchmodels;

/**
 * A seeded test classifier: its ONNX bytes, the shape of its one float input (batch axis first, −1
 * when dynamic) and the class centres its inputs are drawn around ({@link #inputs}): input i is
 * centre i mod classes with every value moved uniformly by up to ±spread, so a model that decides
 * by the nearest centre in its feature space has clear margins, as a trained one does.
 */
public record ClassifierModel(
    String name, byte[] onnx, int[] inputShape, float[][] centres, double spread) {
  public ClassifierModel {
    onnx = onnx.clone();
    inputShape = inputShape.clone();
  }

  @Override
  public byte[] onnx() {
    return onnx.clone();
  }

  @Override
  public int[] inputShape() {
    return inputShape.clone();
  }

  /** Values per input (the batch axis excluded). */
  public int inputSize() {
    int n = 1;
    for (int i = 1; i < inputShape.length; i++) {
      n *= inputShape[i];
    }
    return n;
  }

  /** {@code count} seeded inputs around the centres. */
  public float[][] inputs(long seed, int count) {
    return SeededModels.clusteredInputs(seed, count, centres, spread);
  }
}
