package io.vouch.benchmodels;

import io.vouch.benchmodels.SequenceModels.DecoderShape;
import io.vouch.benchmodels.SequenceModels.EncoderShape;
import io.vouch.benchmodels.SequenceModels.Shape;
import io.vouch.benchmodels.ZkBenchmarkModels.BenchModel;
import io.vouch.onnx.ModelLimits;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.AccuracyThresholds;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Issue 13's larger sequence models by name, built and quantized the same way by {@code vouch bench
 * zkml --models BERT_22M,GPT2_SMALL} and by bench's {@code ZkmlLargeModels} main: the seeded model
 * ({@link SequenceModels#encoder} or {@link SequenceModels#decoder}), parsed under {@link #LIMITS},
 * calibrated on token sequences around its prototypes, quantized and measured against ONNX Runtime
 * output by output ({@link ZkBenchmarkModels#quantized}).
 */
public final class LargeModels {
  private LargeModels() {}

  /**
   * GPT-2 small's ONNX file (495 MB of float weights) is above {@link ModelLimits#DEFAULT}'s 256
   * MiB; its largest tensor (the 50,257 × 768 embedding, 38.6M values) is within the default.
   */
  public static final ModelLimits LIMITS = new ModelLimits(1L << 30, 10_000, 64L << 20);

  /** Calibration inputs unless told otherwise (ONNX Runtime and the integer engine run each). */
  public static final int DEFAULT_CALIBRATION = 32;

  /**
   * One model: its name, a one-line description, the short shape the bench table prints, its
   * parameters, the least top-1 agreement it is held to, and how to build it.
   */
  public record Spec(
      String name,
      String description,
      String shape,
      long parameters,
      double minAgreement,
      Supplier<TokenClassifier> classifier) {
    /**
     * Builds the model, calibrates and quantizes it on {@code calibration} seeded inputs around the
     * prototypes (seed 1), measures every output against ONNX Runtime, and takes one more input
     * (seed 2) to prove. The ONNX bytes are dropped once quantized.
     */
    public BenchModel build(int calibration) {
      TokenClassifier m = classifier.get();
      float[][] inputs = m.inputs(1, calibration);
      float[] tokens = m.inputs(2, 1)[0];
      OnnxModelFile file = OnnxModelFile.parse(m.onnx(), LIMITS);
      m = null; // GPT-2's 495 MB of ONNX bytes: one copy at a time
      return ZkBenchmarkModels.quantized(
          name, shape, file, inputs, tokens, AccuracyThresholds.topOne(minAgreement), parameters);
    }
  }

  /**
   * The model of a name: {@code BERT_22M}, {@code TRANSFORMER_250K}, {@code GPT2_SMALL}, an encoder
   * shape {@code tokens,vocabulary,width,heads,mlp,layers} or a causal decoder shape {@code
   * gpt:tokens,vocabulary,width,heads,mlp,layers}.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Spec named(String name) {
    if (name.equals("GPT2_SMALL") || name.startsWith("gpt:")) {
      DecoderShape s =
          name.equals("GPT2_SMALL")
              ? SequenceModels.GPT2_SMALL
              : decoderShape("DECODER_" + name.substring(4), numbers(name.substring(4)));
      // next-token logits of a seeded model: near ties; every figure is reported
      return spec(s, " (causal)", " causal", 0, () -> SequenceModels.decoder(s, 7));
    }
    EncoderShape s =
        switch (name) {
          case "BERT_22M" -> SequenceModels.BERT_22M;
          case "TRANSFORMER_250K" -> SequenceModels.TRANSFORMER_250K;
          default -> encoderShape("ENCODER_" + name, numbers(name));
        };
    return spec(s, "", "", 0.9, () -> SequenceModels.encoder(s, 7));
  }

  private static Spec spec(
      Shape s,
      String nameSuffix,
      String shapeSuffix,
      double minAgreement,
      Supplier<TokenClassifier> classifier) {
    return new Spec(
        s.name(),
        describe(
            s.name() + nameSuffix,
            s.tokens(),
            s.vocabulary(),
            s.width(),
            s.heads(),
            s.mlp(),
            s.layers(),
            s.parameters()),
        shape(s.tokens(), s.width(), s.heads(), s.mlp(), s.layers()) + shapeSuffix,
        s.parameters(),
        minAgreement,
        classifier);
  }

  private static int[] numbers(String list) {
    try {
      int[] s = Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
      if (s.length != 6) {
        throw new NumberFormatException();
      }
      return s;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "a model is BERT_22M, TRANSFORMER_250K, GPT2_SMALL, tokens,vocabulary,width,heads,mlp,"
              + "layers or gpt:tokens,vocabulary,width,heads,mlp,layers, not '"
              + list
              + "'");
    }
  }

  private static EncoderShape encoderShape(String name, int[] s) {
    return new EncoderShape(name, s[0], s[1], s[2], s[3], s[4], s[5]);
  }

  private static DecoderShape decoderShape(String name, int[] s) {
    return new DecoderShape(name, s[0], s[1], s[2], s[3], s[4], s[5]);
  }

  private static String shape(int tokens, int width, int heads, int mlp, int layers) {
    return String.format(
        Locale.ROOT, "%d tokens, %d×(d%d h%d ff%d)", tokens, layers, width, heads, mlp);
  }

  static String describe(
      String name, int tokens, int vocabulary, int width, int heads, int mlp, int layers, long p) {
    return String.format(
        Locale.ROOT,
        "model %s: %d tokens, vocabulary %d, width %d, %d heads, MLP %d, %d layers, %,d parameters",
        name,
        tokens,
        vocabulary,
        width,
        heads,
        mlp,
        layers,
        p);
  }
}
