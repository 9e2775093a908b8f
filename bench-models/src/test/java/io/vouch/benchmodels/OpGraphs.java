package io.vouch.benchmodels;

import io.vouch.onnx.writer.OnnxGraphBuilder;
import io.vouch.onnx.writer.OnnxModelWriter;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small seeded classifiers, one per operator (or operator form) of the ZK graph set, each built
 * around that op: a Conv stem on a 3×12×12 input, the op under test, then Flatten → Gemm → Relu and
 * a nearest-centre readout ({@link ConvNets#classifier}). Tests quantize them, compare with ONNX
 * Runtime and prove them.
 */
public enum OpGraphs {
  CONV_STRIDE_PAD,
  CONV_DILATION,
  CONV_ASYMMETRIC,
  CONV_GROUPED,
  CONV_DEPTHWISE,
  MAXPOOL_PADDED,
  AVERAGE_POOL,
  AVERAGE_POOL_EXCLUDING_PADS,
  AVERAGE_POOL_INCLUDING_PADS,
  GLOBAL_AVERAGE_POOL,
  RESIDUAL_ADD,
  SUB_ACTIVATIONS,
  CONSTANT_ARITHMETIC,
  BATCH_NORM_STANDALONE,
  RELU_AFTER_POOL,
  CONCAT,
  TRANSPOSE,
  RESHAPES,
  SIGMOID,
  TANH,
  ERF,
  GELU,
  GELU_TANH,
  EXP,
  RECIPROCAL,
  SQRT,
  GELU_DECOMPOSED,
  SILU,
  MUL_ACTIVATIONS,
  MATMUL_ROWS,
  MATMUL_ACTIVATIONS,
  MATMUL_BATCHED,
  SOFTMAX,
  ATTENTION,
  LAYERNORM,
  LAYERNORM_DECOMPOSED,
  REDUCE_MEAN,
  SPLIT_SLICE,
  GATHER_CONSTANT;

  private static final int[] INPUT = {-1, 3, 12, 12};

  /** The classifier around this op, seeded. */
  public ClassifierModel build(long seed) {
    // a global average over noise images leaves little to tell classes apart: inputs stay closer
    // to their centres so that the float model's own margins exceed int8's rounding
    double spread = this == GLOBAL_AVERAGE_POOL ? 0.05 : 0.15;
    return ConvNets.classifier(name(), seed, INPUT, spread, opset(), this::body);
  }

  /** The opset the graph is written at: 20 where the op under test needs it (Gelu). */
  public long opset() {
    return switch (this) {
      case GELU, GELU_TANH, LAYERNORM -> 20;
      default -> OnnxModelWriter.OPSET;
    };
  }

  private ConvNets.Features body(OnnxGraphBuilder b, SplittableRandom r, String x) {
    String stem = ConvNets.conv(b, r, "stem", x, 3, 8, 3, 1, 1, 1, true); // 8×12×12
    String h =
        switch (this) {
          case CONV_STRIDE_PAD -> ConvNets.conv(b, r, "op", stem, 8, 8, 3, 2, 1, 1, true); // 8×6×6
          case CONV_DILATION ->
              conv(
                  b,
                  r,
                  "op",
                  stem,
                  8,
                  8,
                  new long[] {3, 3},
                  new long[] {1, 1},
                  new long[] {2, 2, 2, 2},
                  new long[] {2, 2},
                  1);
          case CONV_ASYMMETRIC ->
              conv(
                  b,
                  r,
                  "op",
                  stem,
                  8,
                  6,
                  new long[] {3, 2},
                  new long[] {2, 1},
                  new long[] {1, 0, 0, 1},
                  new long[] {1, 1},
                  1);
          case CONV_GROUPED -> ConvNets.conv(b, r, "op", stem, 8, 8, 3, 1, 1, 4, true);
          case CONV_DEPTHWISE -> ConvNets.conv(b, r, "op", stem, 8, 8, 3, 1, 1, 8, true);
          case MAXPOOL_PADDED ->
              b.node(
                  "MaxPool",
                  "op",
                  List.of(stem),
                  Map.of(
                      "kernel_shape",
                      new long[] {3, 3},
                      "strides",
                      new long[] {2, 2},
                      "pads",
                      new long[] {1, 1, 1, 1}));
          case AVERAGE_POOL ->
              b.node(
                  "AveragePool",
                  "op",
                  List.of(stem),
                  Map.of("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2}));
          case AVERAGE_POOL_EXCLUDING_PADS ->
              b.node(
                  "AveragePool",
                  "op",
                  List.of(stem),
                  Map.of(
                      "kernel_shape",
                      new long[] {3, 3},
                      "strides",
                      new long[] {2, 2},
                      "pads",
                      new long[] {1, 1, 1, 1}));
          case AVERAGE_POOL_INCLUDING_PADS ->
              b.node(
                  "AveragePool",
                  "op",
                  List.of(stem),
                  Map.of(
                      "kernel_shape",
                      new long[] {3, 3},
                      "strides",
                      new long[] {2, 2},
                      "pads",
                      new long[] {1, 1, 1, 1},
                      "count_include_pad",
                      1L));
          case GLOBAL_AVERAGE_POOL -> {
            String wide = ConvNets.conv(b, r, "wide", stem, 8, 64, 3, 1, 1, 1, true);
            yield b.node("GlobalAveragePool", "op", List.of(wide), Map.of());
          }
          case RESIDUAL_ADD -> {
            String c = ConvNets.conv(b, r, "branch", stem, 8, 8, 3, 1, 1, 1, false);
            String sum = b.node("Add", "op", List.of(stem, c), Map.of());
            yield b.node("Relu", "op_relu", List.of(sum), Map.of());
          }
          case SUB_ACTIVATIONS -> {
            String c1 = ConvNets.conv(b, r, "left", stem, 8, 4, 3, 1, 1, 1, true);
            String c2 = ConvNets.conv(b, r, "right", stem, 8, 4, 1, 1, 0, 1, true);
            yield b.node("Sub", "op", List.of(c1, c2), Map.of());
          }
          case CONSTANT_ARITHMETIC -> {
            String p = ConvNets.maxPool(b, "pool", stem, 2, 2); // not foldable: elementwise ops
            float[] perChannel = ConvNets.uniform(r, 8, 1.5);
            String m = b.initializer("scale", perChannel, 1, 8, 1, 1);
            String h1 = b.node("Mul", "op_mul", List.of(p, m), Map.of());
            String k = b.constant("shift", new float[] {0.25f});
            String h2 = b.node("Add", "op_add", List.of(h1, k), Map.of());
            String d = b.initializer("divisor", new float[] {2f});
            String h3 = b.node("Div", "op_div", List.of(h2, d), Map.of());
            String s = b.initializer("offset", ConvNets.uniform(r, 8, 0.5), 1, 8, 1, 1);
            yield b.node("Sub", "op", List.of(s, h3), Map.of());
          }
          case BATCH_NORM_STANDALONE -> {
            String p = ConvNets.maxPool(b, "pool", stem, 2, 2);
            yield ConvNets.batchNorm(b, r, "op", p, 8);
          }
          case RELU_AFTER_POOL -> {
            String c = ConvNets.conv(b, r, "plain", stem, 8, 8, 3, 1, 1, 1, false);
            String p = ConvNets.maxPool(b, "pool", c, 2, 2);
            yield b.node("Relu", "op", List.of(p), Map.of());
          }
          case CONCAT -> {
            String c1 = ConvNets.conv(b, r, "left", stem, 8, 4, 3, 1, 1, 1, true);
            String c2 = ConvNets.conv(b, r, "right", stem, 8, 6, 1, 1, 0, 1, false);
            String cat = b.node("Concat", "op", List.of(c1, c2), Map.of("axis", 1L));
            yield ConvNets.conv(b, r, "after", cat, 10, 8, 3, 2, 1, 1, true);
          }
          case TRANSPOSE -> {
            String p = ConvNets.maxPool(b, "pool", stem, 2, 2); // 8×6×6
            String t =
                b.node("Transpose", "op", List.of(p), Map.of("perm", new long[] {0, 2, 3, 1}));
            yield ConvNets.conv(b, r, "after", t, 6, 4, 3, 1, 1, 1, true); // reads [6, 6, 8]
          }
          case RESHAPES -> {
            String p = ConvNets.maxPool(b, "pool", stem, 2, 2); // 8×6×6
            String shape = b.int64Initializer("shape", new long[] {-1, 8, 36}, 3);
            String flat = b.node("Reshape", "op_reshape", List.of(p, shape), Map.of());
            String axes = b.int64Initializer("axes", new long[] {3}, 1);
            String un = b.node("Unsqueeze", "op_unsqueeze", List.of(flat, axes), Map.of());
            String sq = b.node("Squeeze", "op_squeeze", List.of(un, axes), Map.of());
            String back = b.int64Initializer("back", new long[] {-1, 8, 6, 6}, 4);
            String again = b.node("Reshape", "op", List.of(sq, back), Map.of());
            yield ConvNets.conv(b, r, "after", again, 8, 4, 3, 1, 1, 1, true);
          }
          case SIGMOID -> {
            String c = ConvNets.conv(b, r, "plain", stem, 8, 8, 3, 2, 1, 1, false);
            yield b.node("Sigmoid", "op", List.of(c), Map.of());
          }
          case TANH -> {
            String c = ConvNets.conv(b, r, "plain", stem, 8, 8, 3, 2, 1, 1, false);
            yield b.node("Tanh", "op", List.of(c), Map.of());
          }
          case ERF -> {
            // the exporters' Gelu core: erf(x / √2) + 1, the scalar maps fused into the table
            String c = ConvNets.conv(b, r, "plain", stem, 8, 8, 3, 2, 1, 1, false);
            String root2 = b.initializer("sqrt2", new float[] {1.4142135f});
            String scaled = b.node("Div", "op_div", List.of(c, root2), Map.of());
            String e = b.node("Erf", "op", List.of(scaled), Map.of());
            String one = b.initializer("one", new float[] {1f});
            yield b.node("Add", "op_add", List.of(e, one), Map.of());
          }
          case GELU -> {
            String c = ConvNets.conv(b, r, "plain", stem, 8, 8, 3, 2, 1, 1, false);
            yield b.node("Gelu", "op", List.of(c), Map.of());
          }
          case GELU_TANH -> {
            String c = ConvNets.conv(b, r, "plain", stem, 8, 8, 3, 2, 1, 1, false);
            yield b.node("Gelu", "op", List.of(c), Map.of("approximate", "tanh"));
          }
          case EXP -> {
            // exp(−x/2) of a ReLU output: in (0, 1]
            String p = ConvNets.maxPool(b, "pool", stem, 2, 2);
            String k = b.initializer("minus_half", new float[] {-0.5f});
            String m = b.node("Mul", "op_mul", List.of(p, k), Map.of());
            yield b.node("Exp", "op", List.of(m), Map.of());
          }
          case RECIPROCAL -> {
            // 1/(1 + x) of a ReLU output
            String p = ConvNets.maxPool(b, "pool", stem, 2, 2);
            String one = b.initializer("one", new float[] {1f});
            String shifted = b.node("Add", "op_add", List.of(p, one), Map.of());
            yield b.node("Reciprocal", "op", List.of(shifted), Map.of());
          }
          case SQRT -> {
            String p = ConvNets.maxPool(b, "pool", stem, 2, 2);
            yield b.node("Sqrt", "op", List.of(p), Map.of());
          }
          case GELU_DECOMPOSED -> {
            // PyTorch's export before opset 20: x·0.5·(1 + erf(x/√2)), one table once fused
            String c = ConvNets.conv(b, r, "plain", stem, 8, 8, 3, 2, 1, 1, false);
            String root2 = b.initializer("sqrt2", new float[] {1.4142135f});
            String scaled = b.node("Div", "op_div", List.of(c, root2), Map.of());
            String e = b.node("Erf", "op_erf", List.of(scaled), Map.of());
            String one = b.initializer("one", new float[] {1f});
            String e1 = b.node("Add", "op_add", List.of(e, one), Map.of());
            String xe = b.node("Mul", "op_mul", List.of(c, e1), Map.of());
            String half = b.initializer("half", new float[] {0.5f});
            yield b.node("Mul", "op", List.of(xe, half), Map.of());
          }
          case SILU -> {
            String c = ConvNets.conv(b, r, "plain", stem, 8, 8, 3, 2, 1, 1, false);
            String sg = b.node("Sigmoid", "op_sigmoid", List.of(c), Map.of());
            yield b.node("Mul", "op", List.of(sg, c), Map.of());
          }
          case MUL_ACTIVATIONS -> {
            String c1 = ConvNets.conv(b, r, "left", stem, 8, 8, 3, 2, 1, 1, false);
            String c2 = ConvNets.conv(b, r, "right", stem, 8, 8, 3, 2, 1, 1, true);
            yield b.node("Mul", "op", List.of(c1, c2), Map.of());
          }
          case MATMUL_ROWS -> {
            // a token-wise projection: [1, 8, 36] × [36, 16] + [16]
            String p = ConvNets.maxPool(b, "pool", stem, 2, 2); // 8×6×6
            String shape = b.int64Initializer("shape", new long[] {-1, 8, 36}, 3);
            String rows = b.node("Reshape", "op_reshape", List.of(p, shape), Map.of());
            String w =
                b.initializer(
                    "proj.weight", ConvNets.uniform(r, 36 * 16, Math.sqrt(6.0 / 36)), 36, 16);
            String m = b.node("MatMul", "op", List.of(rows, w), Map.of());
            String bias = b.initializer("proj.bias", ConvNets.uniform(r, 16, 0.05), 16);
            String biased = b.node("Add", "op_bias", List.of(m, bias), Map.of());
            yield b.node("Relu", "op_relu", List.of(biased), Map.of());
          }
          case MATMUL_ACTIVATIONS -> {
            // a Gram matrix: A·Aᵀ/36 of A = [1, 8, 36]
            String p = ConvNets.conv(b, r, "plain", stem, 8, 8, 3, 2, 1, 1, false); // 8×6×6
            String shape = b.int64Initializer("shape", new long[] {-1, 8, 36}, 3);
            String a = b.node("Reshape", "op_reshape", List.of(p, shape), Map.of());
            String at =
                b.node(
                    "Transpose", "op_transpose", List.of(a), Map.of("perm", new long[] {0, 2, 1}));
            String g = b.node("MatMul", "op", List.of(a, at), Map.of());
            String n = b.initializer("n", new float[] {36f});
            yield b.node("Div", "op_div", List.of(g, n), Map.of());
          }
          case MATMUL_BATCHED -> {
            // 8 matrices of 4×4 times themselves: [1, 8, 4, 4] × [1, 8, 4, 4]
            String p = ConvNets.maxPool(b, "pool", stem, 3, 3); // 8×4×4
            yield b.node("MatMul", "op", List.of(p, p), Map.of());
          }
          case SOFTMAX -> {
            // over rows of 36 (not a power of two: a channel per row)
            String c = ConvNets.conv(b, r, "plain", stem, 8, 8, 3, 2, 1, 1, false); // 8×6×6
            String shape = b.int64Initializer("shape", new long[] {-1, 8, 36}, 3);
            String rows = b.node("Reshape", "op_reshape", List.of(c, shape), Map.of());
            yield b.node("Softmax", "op", List.of(rows), Map.of("axis", -1L));
          }
          case ATTENTION -> {
            // one head over 8 tokens of 36: softmax(Q·Kᵀ/4)·V with 16-wide projections
            String p = ConvNets.maxPool(b, "pool", stem, 2, 2); // 8×6×6
            String shape = b.int64Initializer("shape", new long[] {-1, 8, 36}, 3);
            String tokens = b.node("Reshape", "op_reshape", List.of(p, shape), Map.of());
            String q = projection(b, r, "q", tokens, 36, 16);
            String k = projection(b, r, "k", tokens, 36, 16);
            String v = projection(b, r, "v", tokens, 36, 16);
            String kt =
                b.node("Transpose", "op_kt", List.of(k), Map.of("perm", new long[] {0, 2, 1}));
            String scores = b.node("MatMul", "op_scores", List.of(q, kt), Map.of());
            String root = b.initializer("root", new float[] {4f});
            String scaled = b.node("Div", "op_scale", List.of(scores, root), Map.of());
            String probs = b.node("Softmax", "op", List.of(scaled), Map.of("axis", -1L));
            yield b.node("MatMul", "op_av", List.of(probs, v), Map.of());
          }
          case LAYERNORM -> {
            String c = ConvNets.conv(b, r, "plain", stem, 8, 8, 3, 2, 1, 1, false); // 8×6×6
            String shape = b.int64Initializer("shape", new long[] {-1, 8, 36}, 3);
            String rows = b.node("Reshape", "op_reshape", List.of(c, shape), Map.of());
            String gamma = b.initializer("ln.scale", ConvNets.uniform(r, 36, 0.5, 1.0), 36);
            String beta = b.initializer("ln.bias", ConvNets.uniform(r, 36, 0.2), 36);
            yield b.node(
                "LayerNormalization",
                "op",
                List.of(rows, gamma, beta),
                Map.of("axis", -1L, "epsilon", 1e-5f));
          }
          case LAYERNORM_DECOMPOSED -> {
            // what PyTorch's exporter writes below opset 17
            String c = ConvNets.conv(b, r, "plain", stem, 8, 8, 3, 2, 1, 1, false); // 8×6×6
            String shape = b.int64Initializer("shape", new long[] {-1, 8, 36}, 3);
            String rows = b.node("Reshape", "op_reshape", List.of(c, shape), Map.of());
            yield ConvNets.decomposedLayerNorm(b, r, "op", rows, 36);
          }
          case REDUCE_MEAN -> {
            String c = ConvNets.conv(b, r, "plain", stem, 8, 8, 3, 2, 1, 1, false); // 8×6×6
            String shape = b.int64Initializer("shape", new long[] {-1, 8, 36}, 3);
            String rows = b.node("Reshape", "op_reshape", List.of(c, shape), Map.of());
            yield b.node(
                "ReduceMean", "op", List.of(rows), Map.of("axes", new long[] {-1}, "keepdims", 0L));
          }
          case SPLIT_SLICE -> {
            // [1, 8, 36] split into 16 + 20 along the last axis, the second sliced 2:18, summed
            String p = ConvNets.maxPool(b, "pool", stem, 2, 2); // 8×6×6
            String shape = b.int64Initializer("shape", new long[] {-1, 8, 36}, 3);
            String rows = b.node("Reshape", "op_reshape", List.of(p, shape), Map.of());
            String sizes = b.int64Initializer("sizes", new long[] {16, 20}, 2);
            b.node(
                "Split",
                "op_split",
                List.of(rows, sizes),
                List.of("left", "right"),
                Map.of("axis", 2L));
            String starts = b.int64Initializer("starts", new long[] {2}, 1);
            String ends = b.int64Initializer("ends", new long[] {18}, 1);
            String axes = b.int64Initializer("axes", new long[] {2}, 1);
            String sliced =
                b.node("Slice", "op_slice", List.of("right", starts, ends, axes), Map.of());
            yield b.node("Add", "op", List.of("left", sliced), Map.of());
          }
          case GATHER_CONSTANT -> {
            // three of eight rows of [1, 8, 36], by constant indices
            String p = ConvNets.maxPool(b, "pool", stem, 2, 2); // 8×6×6
            String shape = b.int64Initializer("shape", new long[] {-1, 8, 36}, 3);
            String rows = b.node("Reshape", "op_reshape", List.of(p, shape), Map.of());
            String picks = b.int64Initializer("picks", new long[] {0, 3, 5}, 3);
            yield b.node("Gather", "op", List.of(rows, picks), Map.of("axis", 1L));
          }
        };
    String flat = b.node("Flatten", "flatten", List.of(h), Map.of("axis", 1L));
    int width = featureWidth();
    return new ConvNets.Features(ConvNets.gemm(b, r, "hidden", flat, width, 32, true), 32);
  }

  /** Values the op's branch hands to the Flatten. */
  private int featureWidth() {
    return switch (this) {
      case CONV_STRIDE_PAD -> 8 * 6 * 6;
      case CONV_DILATION -> 8 * 12 * 12;
      case CONV_ASYMMETRIC ->
          6 * 6 * 12; // rows (12 + 1 − 3)/2 + 1 = 6, columns 12 + 1 − 2 + 1 = 12
      case CONV_GROUPED, CONV_DEPTHWISE, RESIDUAL_ADD -> 8 * 12 * 12;
      case MAXPOOL_PADDED,
          AVERAGE_POOL,
          AVERAGE_POOL_EXCLUDING_PADS,
          AVERAGE_POOL_INCLUDING_PADS,
          CONSTANT_ARITHMETIC,
          BATCH_NORM_STANDALONE,
          RELU_AFTER_POOL ->
          8 * 6 * 6;
      case GLOBAL_AVERAGE_POOL -> 64;
      case SUB_ACTIVATIONS -> 4 * 12 * 12;
      case CONCAT -> 8 * 6 * 6;
      case TRANSPOSE -> 4 * 6 * 8;
      case RESHAPES -> 4 * 6 * 6;
      case SIGMOID, TANH, ERF, GELU, GELU_TANH, EXP, RECIPROCAL, SQRT -> 8 * 6 * 6;
      case GELU_DECOMPOSED, SILU, MUL_ACTIVATIONS -> 8 * 6 * 6;
      case MATMUL_ROWS -> 8 * 16;
      case MATMUL_ACTIVATIONS -> 8 * 8;
      case MATMUL_BATCHED -> 8 * 4 * 4;
      case SOFTMAX -> 8 * 36;
      case ATTENTION -> 8 * 16;
      case LAYERNORM, LAYERNORM_DECOMPOSED -> 8 * 36;
      case REDUCE_MEAN -> 8;
      case SPLIT_SLICE -> 8 * 16;
      case GATHER_CONSTANT -> 3 * 36;
    };
  }

  /** x·W + b of a [1, rows, in] activation, W He-uniform. */
  private static String projection(
      OnnxGraphBuilder b, SplittableRandom r, String name, String x, int in, int out) {
    String w =
        b.initializer(
            name + ".weight", ConvNets.uniform(r, in * out, Math.sqrt(6.0 / in)), in, out);
    String bias = b.initializer(name + ".bias", ConvNets.uniform(r, out, 0.05), out);
    String m = b.node("MatMul", name, List.of(x, w), Map.of());
    return b.node("Add", name + "_bias", List.of(m, bias), Map.of());
  }

  private static String conv(
      OnnxGraphBuilder b,
      SplittableRandom r,
      String name,
      String x,
      int in,
      int out,
      long[] kernel,
      long[] strides,
      long[] pads,
      long[] dilations,
      int groups) {
    int fanIn = (int) (in / groups * kernel[0] * kernel[1]);
    float[] w =
        ConvNets.uniform(
            r, (int) (out * (in / groups) * kernel[0] * kernel[1]), Math.sqrt(6.0 / fanIn));
    String wn = b.initializer(name + ".weight", w, out, in / groups, kernel[0], kernel[1]);
    String bn = b.initializer(name + ".bias", ConvNets.uniform(r, out, 0.05), out);
    String h =
        b.node(
            "Conv",
            name,
            List.of(x, wn, bn),
            Map.of(
                "kernel_shape", kernel,
                "strides", strides,
                "pads", pads,
                "dilations", dilations,
                "group", (long) groups));
    return b.node("Relu", name + "_relu", List.of(h), Map.of());
  }
}
