package io.vouch.onnx.quant;

import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.EngineOptions;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.TensorSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How closely an {@link IntegerModel} follows ONNX Runtime on given inputs, output by output
 * ({@link OutputAccuracy}): top-1 agreement, cosine similarity per row and max relative error of
 * the dequantized integer outputs, each output held to the measure {@link AccuracyMeasure} chooses
 * for it (or the one given).
 *
 * @param outputs one entry per output of the integer model, in its order
 * @param inputs how many inputs were compared
 */
public record OnnxRuntimeAgreement(List<OutputAccuracy> outputs, int inputs) {
  private static final int BATCH = 32;

  public OnnxRuntimeAgreement {
    outputs = List.copyOf(outputs);
  }

  /** The first output's share of rows with the same argmax, in [0, 1]. */
  public double topOne() {
    return outputs.get(0).topOne();
  }

  /** The first output's mean cosine similarity over rows. */
  public double meanCosine() {
    return outputs.get(0).meanCosine();
  }

  /** Measures every output, each under the measure {@link AccuracyMeasure#forOutput} gives it. */
  public static OnnxRuntimeAgreement measure(
      OnnxModelFile file, IntegerModel model, float[][] inputs) {
    return measure(file, model, inputs, null);
  }

  /**
   * Runs ONNX Runtime and the integer engine on every input and compares every output.
   *
   * @param task the measure every output is held to, or null for the automatic rule
   */
  public static OnnxRuntimeAgreement measure(
      OnnxModelFile file, IntegerModel model, float[][] inputs, AccuracyMeasure task) {
    Map<String, float[][]> reference = runAll(file, inputs);
    List<TensorSpec> specs = file.outputs();
    List<ModelOutput> outs = model.outputs();
    long[][] integer = new long[inputs.length][];
    for (int r = 0; r < inputs.length; r++) {
      integer[r] = IntegerEngine.run(model, model.quantizeInputs(inputs[r]));
    }
    List<OutputAccuracy> result = new ArrayList<>();
    int at = 0;
    for (int o = 0; o < outs.size(); o++) {
      ModelOutput out = outs.get(o);
      int width = model.shapeOf(out.tensor()).size();
      TensorSpec spec =
          specs.stream()
              .filter(s -> s.name().equals(out.name()))
              .findFirst()
              .orElse(specs.get(Math.min(o, specs.size() - 1)));
      float[][] f = reference.get(spec.name());
      int[] shape = spec.shape();
      int last = shape.length == 0 ? 1 : shape[shape.length - 1];
      int row = last > 0 && width % last == 0 ? last : width;
      AccuracyMeasure measure = task != null ? task : AccuracyMeasure.forOutput(spec);
      result.add(compare(spec.name(), out.scale(), measure, row, width, at, integer, f));
      at += width;
    }
    return new OnnxRuntimeAgreement(result, inputs.length);
  }

  private static OutputAccuracy compare(
      String name,
      double scale,
      AccuracyMeasure measure,
      int row,
      int width,
      int at,
      long[][] integer,
      float[][] reference) {
    double fullScale = 0;
    for (float[] f : reference) {
      for (int i = 0; i < width; i++) {
        fullScale = Math.max(fullScale, Math.abs(f[i]));
      }
    }
    int rows = 0, same = 0;
    double cosines = 0, worst = 1, maxError = 0;
    for (int r = 0; r < integer.length; r++) {
      long[] z = integer[r];
      float[] f = reference[r];
      for (int from = 0; from < width; from += row) {
        int best = 0, expected = 0;
        double dot = 0, a = 0, b = 0;
        for (int i = 0; i < row; i++) {
          double zi = z[at + from + i] * scale;
          double fi = f[from + i];
          if (z[at + from + i] > z[at + from + best]) {
            best = i;
          }
          if (fi > f[from + expected]) {
            expected = i;
          }
          dot += zi * fi;
          a += zi * zi;
          b += fi * fi;
          maxError = Math.max(maxError, Math.abs(zi - fi));
        }
        same += best == expected ? 1 : 0;
        double cos = a == 0 || b == 0 ? (a == b ? 1 : 0) : dot / Math.sqrt(a * b);
        cosines += cos;
        worst = Math.min(worst, cos);
        rows++;
      }
    }
    double relative = fullScale > 0 ? maxError / fullScale : (maxError > 0 ? 1 : 0);
    return new OutputAccuracy(
        name, measure, row, rows, (double) same / rows, cosines / rows, worst, relative);
  }

  /** ONNX Runtime's first output per input (inputs concatenated over the model's inputs). */
  static float[][] run(OnnxModelFile file, float[][] inputs) {
    return runAll(file, inputs).get(file.outputs().get(0).name());
  }

  /** ONNX Runtime's outputs by name, per input (inputs concatenated over the model's inputs). */
  static Map<String, float[][]> runAll(OnnxModelFile file, float[][] inputs) {
    var specs = file.inputs();
    boolean dynamic =
        specs.stream().allMatch(s -> s.shape().length > 0 && s.shape()[0] == TensorSpec.DYNAMIC);
    Map<String, float[][]> all = new LinkedHashMap<>();
    for (TensorSpec o : file.outputs()) {
      all.put(o.name(), new float[inputs.length][]);
    }
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
        for (Map.Entry<String, Tensor> e : engine.run(feed).entrySet()) {
          float[] v = e.getValue().toFloats();
          float[][] out = all.get(e.getKey());
          int per = v.length / n;
          for (int r = 0; r < n; r++) {
            out[from + r] = java.util.Arrays.copyOfRange(v, r * per, (r + 1) * per);
          }
        }
      }
    }
    return all;
  }
}
