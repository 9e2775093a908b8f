package io.vouch.onnx.quant;

import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.EngineOptions;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxRuntimeEngine;
import java.util.List;

/** ONNX Runtime as the float reference of the quantizer tests, and comparisons against it. */
final class OnnxRuntimeReference {
  private OnnxRuntimeReference() {}

  /** ONNX Runtime's float outputs for a batch of {@code [N, in]} inputs, one row per input. */
  static float[][] run(OnnxModelFile file, float[][] inputs) {
    int width = inputs[0].length;
    float[] flat = new float[inputs.length * width];
    for (int r = 0; r < inputs.length; r++) {
      System.arraycopy(inputs[r], 0, flat, r * width, width);
    }
    float[] out;
    try (OnnxRuntimeEngine engine = OnnxRuntimeEngine.load(file, EngineOptions.DEFAULT)) {
      out = engine.run(Tensor.ofFloats(new int[] {inputs.length, width}, flat)).toFloats();
    }
    int outWidth = out.length / inputs.length;
    float[][] rows = new float[inputs.length][outWidth];
    for (int r = 0; r < inputs.length; r++) {
      System.arraycopy(out, r * outWidth, rows[r], 0, outWidth);
    }
    return rows;
  }

  /** ONNX Runtime's float outputs for inputs of the given shape (batch axis first), one per row. */
  static float[][] runBatch(OnnxModelFile file, float[][] inputs, int[] inputShape) {
    int[] shape = inputShape.clone();
    shape[0] = inputs.length;
    int width = inputs[0].length;
    float[] flat = new float[inputs.length * width];
    for (int r = 0; r < inputs.length; r++) {
      System.arraycopy(inputs[r], 0, flat, r * width, width);
    }
    float[] out;
    try (OnnxRuntimeEngine engine = OnnxRuntimeEngine.load(file, EngineOptions.DEFAULT)) {
      out = engine.run(Tensor.ofFloats(shape, flat)).toFloats();
    }
    int outWidth = out.length / inputs.length;
    float[][] rows = new float[inputs.length][outWidth];
    for (int r = 0; r < inputs.length; r++) {
      System.arraycopy(out, r * outWidth, rows[r], 0, outWidth);
    }
    return rows;
  }

  /** The quantizer's folded float layers applied to one input. */
  static double[] foldedForward(List<MlpQuantizer.FloatLayer> layers, float[] x) {
    double[] a = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      a[i] = x[i];
    }
    for (MlpQuantizer.FloatLayer layer : layers) {
      a = layer.forward(a);
    }
    return a;
  }

  /** Share of inputs on which the integer model's top-1 equals ONNX Runtime's. */
  static double topOneAgreement(IntegerModel model, float[][] inputs, float[][] reference) {
    int same = 0;
    for (int r = 0; r < inputs.length; r++) {
      long[] logits = IntegerEngine.run(model, model.input().quantize(inputs[r]));
      int best = 0;
      for (int i = 1; i < logits.length; i++) {
        if (logits[i] > logits[best]) {
          best = i;
        }
      }
      int expected = 0;
      for (int i = 1; i < reference[r].length; i++) {
        if (reference[r][i] > reference[r][expected]) {
          expected = i;
        }
      }
      if (best == expected) {
        same++;
      }
    }
    return (double) same / inputs.length;
  }
}
