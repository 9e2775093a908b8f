package io.vouch.benchmodels;

import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.EngineOptions;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.writer.BatchNormalization;
import io.vouch.onnx.writer.OnnxGraphBuilder;
import io.vouch.onnx.writer.OnnxModelWriter;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded convolutional classifiers built as ONNX graphs in Java: random He-uniform convolutions and
 * hidden dense layers, then a nearest-centre readout ({@link #nearestCentreReadout}: with f_c the
 * features of centre c and f̄ their mean, logit c = (f_c − f̄)·h − (|f_c|² − |f̄|²)/2) computed
 * from the features ONNX Runtime gives for the class centres. The readout makes the models decide
 * like trained ones (clear margins), so int8 quantization keeps their top-1.
 */
public final class ConvNets {
  private ConvNets() {}

  /** Classes of every test classifier. */
  public static final int CLASSES = 10;

  /**
   * LeNet-5 on 28×28: Conv(1→6, 5×5, pad 2) → Relu → MaxPool 2 → Conv(6→16, 5×5) → Relu → MaxPool 2
   * → Flatten → Gemm 400→120 → Relu → Gemm 120→84 → Relu → Gemm 84→10 (61,706 parameters).
   */
  public static ClassifierModel lenet5(long seed) {
    int[] input = {-1, 1, 28, 28};
    return classifier(
        "LENET5",
        seed,
        input,
        0.15,
        (b, r, x) -> {
          String h = conv(b, r, "conv1", x, 1, 6, 5, 1, 2, 1, true);
          h = maxPool(b, "pool1", h, 2, 2);
          h = conv(b, r, "conv2", h, 6, 16, 5, 1, 0, 1, true);
          h = maxPool(b, "pool2", h, 2, 2);
          h = b.node("Flatten", "flatten", List.of(h), Map.of("axis", 1L));
          h = gemm(b, r, "fc1", h, 400, 120, true);
          h = gemm(b, r, "fc2", h, 120, 84, true);
          return new Features(h, 84);
        });
  }

  /**
   * A CIFAR-sized CNN of 263,330 parameters on 3×32×32: three Conv 3×3 (pad 1) → Relu → MaxPool 2
   * stages (3→32→64→64 channels, the second with a BatchNormalization folded at quantization),
   * Flatten → Gemm 1024→200 → Relu → Gemm 200→10.
   */
  public static ClassifierModel cnn264k(long seed) {
    int[] input = {-1, 3, 32, 32};
    return classifier(
        "CNN_264K",
        seed,
        input,
        0.15,
        (b, r, x) -> {
          String h = conv(b, r, "conv1", x, 3, 32, 3, 1, 1, 1, true);
          h = maxPool(b, "pool1", h, 2, 2);
          h = conv(b, r, "conv2", h, 32, 64, 3, 1, 1, 1, false);
          h = batchNorm(b, r, "bn2", h, 64);
          h = b.node("Relu", "relu2", List.of(h), Map.of());
          h = maxPool(b, "pool2", h, 2, 2);
          h = conv(b, r, "conv3", h, 64, 64, 3, 1, 1, 1, true);
          h = maxPool(b, "pool3", h, 2, 2);
          h = b.node("Flatten", "flatten", List.of(h), Map.of("axis", 1L));
          h = gemm(b, r, "fc1", h, 1024, 200, true);
          return new Features(h, 200);
        });
  }

  /** The feature extractor of a classifier: from the input name to its features. */
  public interface Body {
    Features build(OnnxGraphBuilder builder, SplittableRandom random, String input);
  }

  /** A tensor name and its width. */
  public record Features(String name, int width) {}

  /**
   * A classifier from a seeded body: class centres uniform in [0, 1) per value, the body's features
   * of each centre from ONNX Runtime, and a Gemm readout deciding by the nearest centre.
   */
  public static ClassifierModel classifier(
      String name, long seed, int[] inputShape, double spread, Body body) {
    return classifier(name, seed, inputShape, spread, OnnxModelWriter.OPSET, body);
  }

  /** As above, the graph written at the given default-domain opset (Gelu needs 20). */
  public static ClassifierModel classifier(
      String name, long seed, int[] inputShape, double spread, long opset, Body body) {
    int size = 1;
    for (int i = 1; i < inputShape.length; i++) {
      size *= inputShape[i];
    }
    float[][] centres = SeededModels.clusterCentres(seed ^ 0xC0FFEEL, CLASSES, size);
    // the body alone, to get the centres' features
    OnnxGraphBuilder probe =
        OnnxGraphBuilder.graph(name.toLowerCase(java.util.Locale.ROOT)).opset(opset);
    String x = probe.input("input", inputShape);
    Features f = body.build(probe, new SplittableRandom(seed), x);
    probe.output(f.name(), -1, f.width());
    double[][] features = new double[CLASSES][];
    try (OnnxRuntimeEngine engine =
        OnnxRuntimeEngine.load(OnnxModelFile.parse(probe.toBytes()), EngineOptions.DEFAULT)) {
      int[] shape = inputShape.clone();
      shape[0] = 1;
      for (int c = 0; c < CLASSES; c++) {
        float[] out =
            engine
                .run(Map.of("input", Tensor.ofFloats(shape, centres[c])))
                .get(f.name())
                .toFloats();
        features[c] = new double[out.length];
        for (int i = 0; i < out.length; i++) {
          features[c][i] = out[i];
        }
      }
    }
    // the same body again (same seed, same weights), then the readout
    OnnxGraphBuilder b =
        OnnxGraphBuilder.graph(name.toLowerCase(java.util.Locale.ROOT)).opset(opset);
    String in = b.input("input", inputShape);
    Features g = body.build(b, new SplittableRandom(seed), in);
    float[][] readout = nearestCentreReadout(features);
    String w = b.initializer("readout.weight", readout[0], CLASSES, g.width());
    String bias = b.initializer("readout.bias", readout[1], CLASSES);
    b.nodeTo("Gemm", "readout", List.of(g.name(), w, bias), "output", Map.of("transB", 1L));
    b.output("output", -1, CLASSES);
    return new ClassifierModel(name, b.toBytes(), inputShape, centres, spread);
  }

  /**
   * The weights and biases of a dense readout that classifies by the nearest centre in the given
   * features (one row per class centre), centred on their mean.
   */
  static float[][] nearestCentreReadout(double[][] f) {
    int classes = f.length, width = f[0].length;
    double[] mean = new double[width];
    for (double[] row : f) {
      for (int i = 0; i < width; i++) {
        mean[i] += row[i] / classes;
      }
    }
    float[] w = new float[classes * width];
    float[] b = new float[classes];
    for (int c = 0; c < classes; c++) {
      double bias = 0;
      for (int i = 0; i < width; i++) {
        w[c * width + i] = (float) (f[c][i] - mean[i]);
        bias -= (f[c][i] * f[c][i] - mean[i] * mean[i]) / 2;
      }
      b[c] = (float) bias;
    }
    return new float[][] {w, b};
  }

  /** Conv (square kernel, symmetric pads) with He-uniform weights, biases in ±0.05, then Relu. */
  public static String conv(
      OnnxGraphBuilder b,
      SplittableRandom r,
      String name,
      String x,
      int in,
      int out,
      int k,
      int stride,
      int pad,
      int groups,
      boolean relu) {
    int fanIn = in / groups * k * k;
    float[] w = uniform(r, out * (in / groups) * k * k, Math.sqrt(6.0 / fanIn));
    float[] bias = uniform(r, out, 0.05);
    String wn = b.initializer(name + ".weight", w, out, in / groups, k, k);
    String bn = b.initializer(name + ".bias", bias, out);
    String h =
        b.node(
            "Conv",
            name,
            List.of(x, wn, bn),
            Map.of(
                "kernel_shape", new long[] {k, k},
                "strides", new long[] {stride, stride},
                "pads", new long[] {pad, pad, pad, pad},
                "group", (long) groups));
    return relu ? b.node("Relu", name + "_relu", List.of(h), Map.of()) : h;
  }

  /** MaxPool with a k × k kernel and the given stride. */
  public static String maxPool(OnnxGraphBuilder b, String name, String x, int k, int stride) {
    return b.node(
        "MaxPool",
        name,
        List.of(x),
        Map.of("kernel_shape", new long[] {k, k}, "strides", new long[] {stride, stride}));
  }

  /** Gemm (transB = 1) with He-uniform weights, then Relu. */
  public static String gemm(
      OnnxGraphBuilder b,
      SplittableRandom r,
      String name,
      String x,
      int in,
      int out,
      boolean relu) {
    float[] w = uniform(r, out * in, Math.sqrt(6.0 / in));
    float[] bias = uniform(r, out, 0.05);
    String wn = b.initializer(name + ".weight", w, out, in);
    String bn = b.initializer(name + ".bias", bias, out);
    String h = b.node("Gemm", name, List.of(x, wn, bn), Map.of("transB", 1L));
    return relu ? b.node("Relu", name + "_relu", List.of(h), Map.of()) : h;
  }

  /**
   * An inference-mode BatchNormalization with seeded statistics ({@link
   * SeededModels#randomBatchNormalization}).
   */
  public static String batchNorm(
      OnnxGraphBuilder b, SplittableRandom r, String name, String x, int c) {
    BatchNormalization bn = SeededModels.randomBatchNormalization(r.nextLong(), c);
    String s = b.initializer(name + ".scale", bn.scale(), c);
    String bb = b.initializer(name + ".bias", bn.bias(), c);
    String m = b.initializer(name + ".mean", bn.mean(), c);
    String v = b.initializer(name + ".var", bn.variance(), c);
    return b.node(
        "BatchNormalization", name, List.of(x, s, bb, m, v), Map.of("epsilon", bn.epsilon()));
  }

  /**
   * Layer normalization over the last axis as PyTorch's exporter writes it below opset 17:
   * ReduceMean → Sub → Pow 2 → ReduceMean → Add ε → Sqrt → Div, then Mul by a seeded scale and Add
   * a seeded shift (axes as attributes: opset 13).
   */
  public static String decomposedLayerNorm(
      OnnxGraphBuilder b, SplittableRandom r, String name, String x, int width) {
    return decomposedLayerNorm(b, r, name, x, width, OnnxModelWriter.OPSET);
  }

  /** As above; from opset 18 on ReduceMean takes its axes as an input, as exporters write it. */
  public static String decomposedLayerNorm(
      OnnxGraphBuilder b, SplittableRandom r, String name, String x, int width, long opset) {
    Map<String, Object> last =
        opset >= 18 ? Map.of("keepdims", 1L) : Map.of("axes", new long[] {-1}, "keepdims", 1L);
    List<String> axes =
        opset >= 18 ? List.of(b.int64Initializer(name + ".axes", new long[] {-1}, 1)) : List.of();
    java.util.function.Function<String, List<String>> in =
        t -> {
          List<String> l = new java.util.ArrayList<>(List.of(t));
          l.addAll(axes);
          return l;
        };
    String mean = b.node("ReduceMean", name + "_mean", in.apply(x), last);
    String centred = b.node("Sub", name + "_sub", List.of(x, mean), Map.of());
    String two = b.initializer(name + ".two", new float[] {2f});
    String sq = b.node("Pow", name + "_pow", List.of(centred, two), Map.of());
    String var = b.node("ReduceMean", name + "_var", in.apply(sq), last);
    String eps = b.initializer(name + ".eps", new float[] {1e-5f});
    String ve = b.node("Add", name + "_add_eps", List.of(var, eps), Map.of());
    String std = b.node("Sqrt", name + "_sqrt", List.of(ve), Map.of());
    String normed = b.node("Div", name + "_div", List.of(centred, std), Map.of());
    String gamma = b.initializer(name + ".scale", uniform(r, width, 0.5, 1.0), width);
    String scaled = b.node("Mul", name + "_scale", List.of(normed, gamma), Map.of());
    String beta = b.initializer(name + ".bias", uniform(r, width, 0.2), width);
    return b.node("Add", name, List.of(scaled, beta), Map.of());
  }

  /** n values uniform in [lo, hi). */
  static float[] uniform(SplittableRandom r, int n, double lo, double hi) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (lo + r.nextDouble() * (hi - lo));
    }
    return v;
  }

  static float[] uniform(SplittableRandom r, int n, double limit) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((r.nextDouble() * 2 - 1) * limit);
    }
    return v;
  }
}
