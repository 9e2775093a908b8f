package io.vouch.benchmodels;

import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.EngineOptions;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.writer.OnnxGraphBuilder;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The sequence test models of issue 13, seeded, with nearest-centre readouts (like {@link
 * ConvNets}) so that they decide with a trained model's margins:
 *
 * <ul>
 *   <li>{@link #keywordSpotter}: a keyword-spotting head on 32 frames of 40 features — a per-frame
 *       projection, a layer normalization in the ReduceMean/Sub/Pow/Sqrt/Div form PyTorch's
 *       exporter writes below opset 17, mean pooling over time, and one Sigmoid per keyword;
 *   <li>{@link #transformerEncoder}, {@link #bertEncoder} and any {@link EncoderShape} through
 *       {@link #encoder}: transformer encoders over int64 tokens (the 2-layer one of 250,250
 *       parameters over 32 tokens; the BERT-style one of 22.4M over 128) — embedding and positions,
 *       fused LayerNormalization, 4-head attention (one QKV projection split three ways, Softmax),
 *       a Gelu MLP as the exporters write it (x·(1 + erf(x/√2))/2), residuals, the first token's
 *       features read out to 10 classes.
 * </ul>
 */
public final class SequenceModels {
  private SequenceModels() {}

  /** Keywords (classes) of the keyword spotter. */
  public static final int KEYWORDS = 10;

  /** Frames and features per frame of the keyword spotter's input. */
  public static final int FRAMES = 32, FEATURES = 40;

  /** The transformer's shape. */
  public static final int TOKENS = 32, VOCABULARY = 2304, WIDTH = 64, HEADS = 4, MLP = 256;

  /** A builder step from an input name to features (and their width). */
  private interface Body extends Function<OnnxGraphBuilder, ConvNets.Features> {}

  public static ClassifierModel keywordSpotter(long seed) {
    int[] shape = {-1, FRAMES, FEATURES};
    float[][] centres = SeededModels.clusterCentres(seed ^ 0xC0FFEEL, KEYWORDS, FRAMES * FEATURES);
    Function<Long, Body> body =
        s ->
            b -> {
              SplittableRandom r = new SplittableRandom(s);
              String x = "input";
              String h = linear(b, r, "frame", x, FEATURES, 64);
              h = b.node("Relu", "frame_relu", List.of(h), Map.of());
              h = ConvNets.decomposedLayerNorm(b, r, "norm", h, 64);
              h =
                  b.node(
                      "ReduceMean",
                      "pool",
                      List.of(h),
                      Map.of("axes", new long[] {1}, "keepdims", 0L));
              return new ConvNets.Features(h, 64);
            };
    double[][] features = new double[KEYWORDS][];
    OnnxGraphBuilder probe = OnnxGraphBuilder.graph("kws");
    probe.input("input", shape);
    ConvNets.Features f = body.apply(seed).apply(probe);
    probe.output(f.name(), -1, f.width());
    try (OnnxRuntimeEngine engine =
        OnnxRuntimeEngine.load(OnnxModelFile.parse(probe.toBytes()), EngineOptions.DEFAULT)) {
      for (int c = 0; c < KEYWORDS; c++) {
        float[] out =
            engine
                .run(Map.of("input", Tensor.ofFloats(new int[] {1, FRAMES, FEATURES}, centres[c])))
                .get(f.name())
                .toFloats();
        features[c] = toDoubles(out);
      }
    }
    OnnxGraphBuilder b = OnnxGraphBuilder.graph("kws");
    b.input("input", shape);
    ConvNets.Features g = body.apply(seed).apply(b);
    float[][] readout = scaledReadout(features, 6);
    String w = b.initializer("keywords.weight", readout[0], KEYWORDS, g.width());
    String bias = b.initializer("keywords.bias", readout[1], KEYWORDS);
    String logits = b.node("Gemm", "keywords", List.of(g.name(), w, bias), Map.of("transB", 1L));
    b.nodeTo("Sigmoid", "scores", List.of(logits), "output", Map.of());
    b.output("output", -1, KEYWORDS);
    return new ClassifierModel("KWS_HEAD", b.toBytes(), shape, centres, 0.3);
  }

  /**
   * The shape of a seeded encoder ({@link #encoder}): tokens, vocabulary, width, heads, MLP width,
   * layers.
   */
  /** What an encoder and a causal decoder are sized by. */
  public sealed interface Shape permits EncoderShape, DecoderShape {
    String name();

    int tokens();

    int vocabulary();

    int width();

    int heads();

    int mlp();

    int layers();

    long parameters();
  }

  public record EncoderShape(
      String name, int tokens, int vocabulary, int width, int heads, int mlp, int layers)
      implements Shape {
    public EncoderShape {
      if (width % heads != 0) {
        throw new IllegalArgumentException("the width must split evenly over the heads");
      }
    }

    /**
     * Parameters: embedding and positions, per layer two layer norms, QKV, output and MLP
     * projections with biases, the final layer norm and the 10-class head.
     */
    public long parameters() {
      long d = width;
      long perLayer = 4 * d + (d * 3 * d + 3 * d) + (d * d + d) + (d * mlp + mlp) + (mlp * d + d);
      return (long) vocabulary * d
          + (long) tokens * d
          + layers * perLayer
          + 2 * d
          + d * ConvNets.CLASSES
          + ConvNets.CLASSES;
    }
  }

  /** The 0.25M encoder of issue 13: 32 tokens, 2,304 ids, width 64, 4 heads, MLP 256, 2 layers. */
  public static final EncoderShape TRANSFORMER_250K =
      new EncoderShape("TRANSFORMER_250K", TOKENS, VOCABULARY, WIDTH, HEADS, MLP, 2);

  /**
   * Issue 13's BERT-style encoder (the shape of MiniLM-L6-H384): 128 tokens, 30,522 ids, width 384,
   * 12 heads of 32, MLP 1,536, 6 layers — 22,421,002 parameters.
   */
  public static final EncoderShape BERT_22M =
      new EncoderShape("BERT_22M", 128, 30_522, 384, 12, 1536, 6);

  public static TokenClassifier transformerEncoder(long seed) {
    return encoder(TRANSFORMER_250K, seed);
  }

  /** {@link #BERT_22M}, seeded. */
  public static TokenClassifier bertEncoder(long seed) {
    return encoder(BERT_22M, seed);
  }

  /**
   * A seeded encoder of the given shape (the same op forms at every size: embedding Gather of int64
   * tokens plus learned positions, fused LayerNormalization, multi-head softmax attention with
   * MatMul between activations, a Gelu MLP written as x·(1 + erf(x/√2))/2, residuals, the first
   * token's features read out to 10 classes by a nearest-prototype head).
   */
  public static TokenClassifier encoder(EncoderShape shape, long seed) {
    int tokens = shape.tokens();
    SplittableRandom pr = new SplittableRandom(seed ^ 0x70CE5L);
    int[][] prototypes = new int[ConvNets.CLASSES][tokens];
    for (int[] p : prototypes) {
      for (int i = 0; i < tokens; i++) {
        p[i] = pr.nextInt(shape.vocabulary());
      }
    }
    Function<OnnxGraphBuilder, ConvNets.Features> body = b -> encoderBody(b, shape, seed);
    OnnxGraphBuilder probe = OnnxGraphBuilder.graph("transformer").opset(20);
    probe.int64Input("tokens", -1, tokens);
    ConvNets.Features f = body.apply(probe);
    probe.output(f.name(), -1, f.width());
    double[][] features = new double[prototypes.length][];
    try (OnnxRuntimeEngine engine =
        OnnxRuntimeEngine.load(OnnxModelFile.parse(probe.toBytes()), EngineOptions.DEFAULT)) {
      for (int c = 0; c < prototypes.length; c++) {
        long[] ids = new long[tokens];
        for (int i = 0; i < tokens; i++) {
          ids[i] = prototypes[c][i];
        }
        float[] out =
            engine
                .run(Map.of("tokens", Tensor.ofLongs(new int[] {1, tokens}, ids)))
                .get(f.name())
                .toFloats();
        features[c] = toDoubles(out);
      }
    }
    OnnxGraphBuilder b = OnnxGraphBuilder.graph("transformer").opset(20);
    b.int64Input("tokens", -1, tokens);
    ConvNets.Features g = body.apply(b);
    float[][] readout = ConvNets.nearestCentreReadout(features);
    String w = b.initializer("head.weight", readout[0], ConvNets.CLASSES, g.width());
    String bias = b.initializer("head.bias", readout[1], ConvNets.CLASSES);
    b.nodeTo("Gemm", "head", List.of(g.name(), w, bias), "output", Map.of("transB", 1L));
    b.output("output", -1, ConvNets.CLASSES);
    return new TokenClassifier(
        shape.name(), b.toBytes(), tokens, shape.vocabulary(), prototypes, 0.15);
  }

  /** Embedding, the encoder layers, a final layer norm, the first token's features. */
  private static ConvNets.Features encoderBody(OnnxGraphBuilder b, EncoderShape s, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int d = s.width();
    String emb =
        b.initializer("embedding", ConvNets.uniform(r, s.vocabulary() * d, 1.0), s.vocabulary(), d);
    String x = b.node("Gather", "embed", List.of(emb, "tokens"), Map.of("axis", 0L));
    String pos =
        b.initializer("positions", ConvNets.uniform(r, s.tokens() * d, 0.3), 1, s.tokens(), d);
    x = b.node("Add", "embed_pos", List.of(x, pos), Map.of());
    for (int layer = 0; layer < s.layers(); layer++) {
      x = encoderLayer(b, r, s, "layer" + layer, x);
    }
    x = layerNorm(b, r, "final_norm", x, d);
    String first = b.int64Initializer("first", new long[] {0}, new long[0]);
    x = b.node("Gather", "first_token", List.of(x, first), Map.of("axis", 1L));
    return new ConvNets.Features(x, d);
  }

  private static String encoderLayer(
      OnnxGraphBuilder b, SplittableRandom r, EncoderShape s, String n, String x) {
    return encoderLayer(b, r, s, n, x, null);
  }

  /** A pre-norm layer; with {@code mask} (a [1, heads, T, T] constant) added to the scores. */
  private static String encoderLayer(
      OnnxGraphBuilder b, SplittableRandom r, EncoderShape s, String n, String x, String mask) {
    int width = s.width(), heads = s.heads(), tokens = s.tokens();
    int dk = width / heads;
    String h = layerNorm(b, r, n + ".norm1", x, width);
    String qkv = linear(b, r, n + ".qkv", h, width, 3 * width);
    String sizes = b.int64Initializer(n + ".split", new long[] {width, width, width}, 3);
    b.node(
        "Split",
        n + ".split",
        List.of(qkv, sizes),
        List.of(n + ".q", n + ".k", n + ".v"),
        Map.of("axis", 2L));
    String hs = b.int64Initializer(n + ".heads", new long[] {-1, tokens, heads, dk}, 4);
    String q = b.node("Reshape", n + ".q_heads", List.of(n + ".q", hs), Map.of());
    q = b.node("Transpose", n + ".q_t", List.of(q), Map.of("perm", new long[] {0, 2, 1, 3}));
    String k = b.node("Reshape", n + ".k_heads", List.of(n + ".k", hs), Map.of());
    k = b.node("Transpose", n + ".k_t", List.of(k), Map.of("perm", new long[] {0, 2, 3, 1}));
    String v = b.node("Reshape", n + ".v_heads", List.of(n + ".v", hs), Map.of());
    v = b.node("Transpose", n + ".v_t", List.of(v), Map.of("perm", new long[] {0, 2, 1, 3}));
    String scores = b.node("MatMul", n + ".scores", List.of(q, k), Map.of());
    String root = b.initializer(n + ".root", new float[] {(float) Math.sqrt(dk)});
    scores = b.node("Div", n + ".scaled", List.of(scores, root), Map.of());
    if (mask != null) {
      scores = b.node("Add", n + ".causal", List.of(scores, mask), Map.of());
    }
    String probs = b.node("Softmax", n + ".softmax", List.of(scores), Map.of("axis", -1L));
    String att = b.node("MatMul", n + ".attend", List.of(probs, v), Map.of());
    att =
        b.node("Transpose", n + ".merge_t", List.of(att), Map.of("perm", new long[] {0, 2, 1, 3}));
    String merged = b.int64Initializer(n + ".merged", new long[] {-1, tokens, width}, 3);
    att = b.node("Reshape", n + ".merge", List.of(att, merged), Map.of());
    att = linear(b, r, n + ".out", att, width, width);
    x = b.node("Add", n + ".residual1", List.of(x, att), Map.of());
    h = layerNorm(b, r, n + ".norm2", x, width);
    h = linear(b, r, n + ".mlp_in", h, width, s.mlp());
    // Gelu as exporters write it before opset 20
    String root2 = b.initializer(n + ".sqrt2", new float[] {1.4142135f});
    String e = b.node("Div", n + ".gelu_div", List.of(h, root2), Map.of());
    e = b.node("Erf", n + ".gelu_erf", List.of(e), Map.of());
    String one = b.initializer(n + ".one", new float[] {1f});
    e = b.node("Add", n + ".gelu_add", List.of(e, one), Map.of());
    h = b.node("Mul", n + ".gelu_mul", List.of(h, e), Map.of());
    String half = b.initializer(n + ".half", new float[] {0.5f});
    h = b.node("Mul", n + ".gelu", List.of(h, half), Map.of());
    h = linear(b, r, n + ".mlp_out", h, s.mlp(), width);
    return b.node("Add", n + ".residual2", List.of(x, h), Map.of());
  }

  /** The value added to the attention scores above the diagonal in a causal decoder. */
  public static final float CAUSAL_MASK = -12f;

  /**
   * The shape of a seeded causal decoder ({@link #decoder}): tokens, vocabulary, width, heads, MLP
   * width, layers; its output is the next-token logits over the vocabulary at the last position.
   */
  public record DecoderShape(
      String name, int tokens, int vocabulary, int width, int heads, int mlp, int layers)
      implements Shape {
    public DecoderShape {
      if (width % heads != 0) {
        throw new IllegalArgumentException("the width must split evenly over the heads");
      }
    }

    /**
     * Parameters with the output projection tied to the embedding (counted once, as GPT-2's 124M
     * are): embedding and positions, per layer two layer norms, QKV, output and MLP projections
     * with biases, the final layer norm.
     */
    public long parameters() {
      long d = width;
      long perLayer = 4 * d + (d * 3 * d + 3 * d) + (d * d + d) + (d * mlp + mlp) + (mlp * d + d);
      return (long) vocabulary * d + (long) tokens * d + layers * perLayer + 2 * d;
    }
  }

  /**
   * GPT-2 small's shape over 32 tokens: vocabulary 50,257, width 768, 12 heads of 64, MLP 3,072, 12
   * layers — 123,677,952 parameters with the output projection tied to the embedding.
   */
  public static final DecoderShape GPT2_SMALL =
      new DecoderShape("GPT2_SMALL", 32, 50_257, 768, 12, 3072, 12);

  /**
   * A seeded causal decoder of the given shape (GPT-2's op forms as far as ours go): embedding
   * Gather of int64 tokens plus learned positions, pre-norm layers with fused LayerNormalization,
   * multi-head softmax attention whose scores get {@value #CAUSAL_MASK} added above the diagonal (a
   * per-value constant [1, heads, T, T]: a masked weight is e^-12 of an unmasked one in float, and
   * the int8 exponential table rounds it to 0), a Gelu MLP, residuals, a final layer norm, and the
   * last position's logits over the vocabulary by the transposed embedding (Gemm reading the
   * embedding's initializer: tied, as GPT-2's). Inputs are the prototypes' token sequences with
   * substitutions as for the encoders; the classes mean nothing here.
   */
  public static TokenClassifier decoder(DecoderShape s, long seed) {
    return decoder(s, seed, s.tokens() - 1);
  }

  /** {@link #decoder(DecoderShape, long)} reading out the logits at another position. */
  public static TokenClassifier decoder(DecoderShape s, long seed, int readout) {
    int tokens = s.tokens(), d = s.width();
    SplittableRandom pr = new SplittableRandom(seed ^ 0x70CE5L);
    int[][] prototypes = new int[ConvNets.CLASSES][tokens];
    for (int[] p : prototypes) {
      for (int i = 0; i < tokens; i++) {
        p[i] = pr.nextInt(s.vocabulary());
      }
    }
    SplittableRandom r = new SplittableRandom(seed);
    OnnxGraphBuilder b = OnnxGraphBuilder.graph("decoder").opset(20);
    b.int64Input("tokens", -1, tokens);
    float[] table = ConvNets.uniform(r, s.vocabulary() * d, 1.0);
    String emb = b.initializer("embedding", table, s.vocabulary(), d);
    String x = b.node("Gather", "embed", List.of(emb, "tokens"), Map.of("axis", 0L));
    String pos = b.initializer("positions", ConvNets.uniform(r, tokens * d, 0.3), 1, tokens, d);
    x = b.node("Add", "embed_pos", List.of(x, pos), Map.of());
    float[] mask = new float[s.heads() * tokens * tokens];
    for (int h = 0; h < s.heads(); h++) {
      for (int i = 0; i < tokens; i++) {
        for (int j = i + 1; j < tokens; j++) {
          mask[(h * tokens + i) * tokens + j] = CAUSAL_MASK;
        }
      }
    }
    String causal = b.initializer("causal_mask", mask, 1, s.heads(), tokens, tokens);
    EncoderShape layerShape =
        new EncoderShape(s.name(), tokens, s.vocabulary(), d, s.heads(), s.mlp(), s.layers());
    for (int layer = 0; layer < s.layers(); layer++) {
      x = encoderLayer(b, r, layerShape, "layer" + layer, x, causal);
    }
    x = layerNorm(b, r, "final_norm", x, d);
    String last = b.int64Initializer("last", new long[] {readout}, new long[0]);
    x = b.node("Gather", "last_token", List.of(x, last), Map.of("axis", 1L));
    // the output projection tied to the embedding, as GPT-2's
    b.nodeTo("Gemm", "lm_head", List.of(x, emb), "output", Map.of("transB", 1L));
    b.output("output", -1, s.vocabulary());
    return new TokenClassifier(s.name(), b.toBytes(), tokens, s.vocabulary(), prototypes, 0.15);
  }

  /** x·W + b over the last axis, W He-uniform, b in ±0.05. */
  static String linear(
      OnnxGraphBuilder b, SplittableRandom r, String name, String x, int in, int out) {
    String w =
        b.initializer(
            name + ".weight", ConvNets.uniform(r, in * out, Math.sqrt(6.0 / in)), in, out);
    String bias = b.initializer(name + ".bias", ConvNets.uniform(r, out, 0.05), out);
    String m = b.node("MatMul", name, List.of(x, w), Map.of());
    return b.node("Add", name + "_bias", List.of(m, bias), Map.of());
  }

  /** The fused LayerNormalization (opset 17+) with a seeded scale near 1 and shift near 0. */
  static String layerNorm(
      OnnxGraphBuilder b, SplittableRandom r, String name, String x, int width) {
    String g = b.initializer(name + ".scale", ConvNets.uniform(r, width, 0.8, 1.2), width);
    String s = b.initializer(name + ".bias", ConvNets.uniform(r, width, 0.05), width);
    return b.node(
        "LayerNormalization", name, List.of(x, g, s), Map.of("axis", -1L, "epsilon", 1e-5f));
  }

  /** The nearest-centre readout scaled so that the centres' logits span about ±{@code span}. */
  static float[][] scaledReadout(double[][] features, double span) {
    float[][] readout = ConvNets.nearestCentreReadout(features);
    int classes = features.length, width = features[0].length;
    double max = 0;
    for (double[] f : features) {
      for (int c = 0; c < classes; c++) {
        double z = readout[1][c];
        for (int i = 0; i < width; i++) {
          z += readout[0][c * width + i] * f[i];
        }
        max = Math.max(max, Math.abs(z));
      }
    }
    double k = max > 0 ? span / max : 1;
    for (int i = 0; i < readout[0].length; i++) {
      readout[0][i] *= (float) k;
    }
    for (int i = 0; i < readout[1].length; i++) {
      readout[1][i] *= (float) k;
    }
    return readout;
  }

  private static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
