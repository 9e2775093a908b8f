package io.vouch.onnx.quant;

import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.EngineOptions;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.TensorSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How closely an {@link IntegerModel} follows ONNX Runtime on given inputs: the share of inputs
 * whose top-1 (argmax of the first output) agrees, and the mean cosine similarity of the
 * dequantized first output with ONNX Runtime's (for models whose outputs are not class scores).
 *
 * @param topOne share of inputs with the same argmax, in [0, 1]
 * @param meanCosine mean over inputs of cos(integer output × scale, float output)
 */
public record OnnxRuntimeAgreement(double topOne, double meanCosine, int inputs) {
  private static final int BATCH = 32;

  /** Runs ONNX Runtime and the integer engine on every input and compares their first outputs. */
  public static OnnxRuntimeAgreement measure(
      OnnxModelFile file, IntegerModel model, float[][] inputs) {
    float[][] reference = run(file, inputs);
    int width = model.shapeOf(model.outputs().get(0).tensor()).size();
    double scale = model.outputs().get(0).scale();
    int same = 0;
    double cosines = 0;
    for (int r = 0; r < inputs.length; r++) {
      long[] z = IntegerEngine.run(model, model.quantizeInputs(inputs[r]));
      float[] f = reference[r];
      int best = 0, expected = 0;
      double dot = 0, a = 0, b = 0;
      for (int i = 0; i < width; i++) {
        if (z[i] > z[best]) {
          best = i;
        }
        if (f[i] > f[expected]) {
          expected = i;
        }
        double zi = z[i] * scale;
        dot += zi * f[i];
        a += zi * zi;
        b += (double) f[i] * f[i];
      }
      if (best == expected) {
        same++;
      }
      cosines += a == 0 || b == 0 ? (a == b ? 1 : 0) : dot / Math.sqrt(a * b);
    }
    return new OnnxRuntimeAgreement(
        (double) same / inputs.length, cosines / inputs.length, inputs.length);
  }

  /** ONNX Runtime's first output per input (inputs concatenated over the model's inputs). */
  static float[][] run(OnnxModelFile file, float[][] inputs) {
    var specs = file.inputs();
    boolean dynamic =
        specs.stream().allMatch(s -> s.shape().length > 0 && s.shape()[0] == TensorSpec.DYNAMIC);
    String output = file.outputs().get(0).name();
    float[][] out = new float[inputs.length][];
    try (OnnxRuntimeEngine engine = OnnxRuntimeEngine.load(file, EngineOptions.DEFAULT)) {
      int step = dynamic ? BATCH : 1;
      for (int from = 0; from < inputs.length; from += step) {
        int n = Math.min(step, inputs.length - from);
        Map<String, Tensor> feed = new LinkedHashMap<>();
        int offset = 0;
        for (TensorSpec spec : specs) {
          int[] shape = spec.shape().clone();
          int per = 1;
          for (int i = 1; i < shape.length; i++) {
            per *= shape[i];
          }
          if (shape.length == 1) {
            per = shape[0];
          }
          float[] flat = new float[n * per];
          for (int r = 0; r < n; r++) {
            System.arraycopy(inputs[from + r], offset, flat, r * per, per);
          }
          if (shape.length > 1) {
            shape[0] = n;
          }
          feed.put(spec.name(), GraphQuantizer.inputTensor(spec, shape, flat));
          offset += per;
        }
        float[] v = engine.run(feed).get(output).toFloats();
        int per = v.length / n;
        for (int r = 0; r < n; r++) {
          out[from + r] = java.util.Arrays.copyOfRange(v, r * per, (r + 1) * per);
        }
      }
    }
    return out;
  }
}
