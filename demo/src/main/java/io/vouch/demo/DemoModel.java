package io.vouch.demo;

import io.vouch.demo.text.HashedBagOfWords;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.writer.Mlp;
import io.vouch.onnx.writer.OnnxModelWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo model of the seed's use case, "a lightweight customer-service model for on-chain calls":
 * an intent classifier for support messages, trained from {@link SupportIntentDataset} with {@link
 * SoftmaxMlpTrainer} and exported as ONNX ({@code float32 [N, 512]} features in, {@code [N, K]}
 * logits out; Gemm, Relu, Gemm).
 *
 * <p>{@link #build()} is deterministic: the same code gives the same ONNX bytes on every run and
 * JVM, so the demo model's content id is stable. Held-out accuracy is measured with the exported
 * float32 weights through the plain Java forward pass {@link Mlp#forward}.
 */
public final class DemoModel {
  public static final double HELD_OUT_FRACTION = 0.2;
  public static final long SPLIT_SEED = 7;
  public static final String ACCURACY_METADATA_KEY = "vouch.heldout_accuracy";

  private final byte[] onnx;
  private final List<String> labels;
  private final double heldOutAccuracy;
  private final double trainAccuracy;
  private final List<LabelledText> heldOut;

  private DemoModel(
      byte[] onnx,
      List<String> labels,
      double heldOutAccuracy,
      double trainAccuracy,
      List<LabelledText> heldOut) {
    this.onnx = onnx;
    this.labels = List.copyOf(labels);
    this.heldOutAccuracy = heldOutAccuracy;
    this.trainAccuracy = trainAccuracy;
    this.heldOut = List.copyOf(heldOut);
  }

  /** Trains with {@link TrainingConfig#DEFAULT} on the bundled dataset. */
  public static DemoModel build() {
    return build(TrainingConfig.DEFAULT);
  }

  public static DemoModel build(TrainingConfig config) {
    SupportIntentDataset dataset = SupportIntentDataset.load();
    SupportIntentDataset.Split split = dataset.stratifiedSplit(HELD_OUT_FRACTION, SPLIT_SEED);
    HashedBagOfWords featurizer = HashedBagOfWords.withDefaultBuckets();
    List<String> labels = dataset.labels();

    Mlp mlp = train(featurizer, labels, split.train(), config);

    double heldOutAccuracy = accuracy(mlp, featurizer, labels, split.heldOut());
    double trainAccuracy = accuracy(mlp, featurizer, labels, split.train());
    byte[] onnx =
        OnnxModelWriter.mlp(mlp)
            .graphName("support_intents")
            .inputName("features")
            .outputName("logits")
            .metadata(OnnxModelFile.LABELS_METADATA_KEY, String.join(",", labels))
            .metadata(SupportIntentModel.FEATURIZER_METADATA_KEY, featurizer.spec())
            .metadata(ACCURACY_METADATA_KEY, String.format(Locale.ROOT, "%.4f", heldOutAccuracy))
            .toBytes();
    return new DemoModel(onnx, labels, heldOutAccuracy, trainAccuracy, split.heldOut());
  }

  /**
   * Builds the demo model, writes it to the path given as the only argument (default {@code
   * support-intents.onnx}) and prints its held-out accuracy.
   */
  public static void main(String[] args) throws java.io.IOException {
    java.nio.file.Path out =
        java.nio.file.Path.of(args.length > 0 ? args[0] : "support-intents.onnx");
    DemoModel demo = build();
    java.nio.file.Files.write(out, demo.onnx);
    System.out.printf(
        Locale.ROOT,
        "wrote %s (%d bytes): %d intents, held-out accuracy %.4f on %d messages%n",
        out,
        demo.onnx.length,
        demo.labels.size(),
        demo.heldOutAccuracy,
        demo.heldOut.size());
  }

  /** The ONNX file (a copy). */
  public byte[] onnx() {
    return onnx.clone();
  }

  /** Intent names in output index order (also in the model's metadata). */
  public List<String> labels() {
    return labels;
  }

  /** Accuracy on the held-out examples, which training never saw. */
  public double heldOutAccuracy() {
    return heldOutAccuracy;
  }

  public double trainAccuracy() {
    return trainAccuracy;
  }

  /** The held-out examples the accuracy was measured on. */
  public List<LabelledText> heldOut() {
    return heldOut;
  }

  /**
   * An MLP trained on {@code train} (each message featurized by {@code featurizer}, its intent the
   * class at that index of {@code labels}) with the softmax trainer: the demo's, and {@code vouch
   * train-intents}' on a user's own data.
   */
  public static Mlp train(
      HashedBagOfWords featurizer,
      List<String> labels,
      List<LabelledText> train,
      TrainingConfig config) {
    List<int[]> active = new ArrayList<>();
    int[] targets = new int[train.size()];
    for (int i = 0; i < targets.length; i++) {
      LabelledText example = train.get(i);
      active.add(activeIndices(featurizer.vectorize(example.text())));
      targets[i] = labels.indexOf(example.intent());
    }
    return new SoftmaxMlpTrainer(featurizer.buckets(), labels.size(), config)
        .train(active, targets);
  }

  private static int[] activeIndices(float[] vector) {
    int count = 0;
    for (float v : vector) {
      if (v != 0) {
        count++;
      }
    }
    int[] indices = new int[count];
    int k = 0;
    for (int i = 0; i < vector.length; i++) {
      if (vector[i] != 0) {
        indices[k++] = i;
      }
    }
    return indices;
  }

  /**
   * The fraction of {@code examples} whose top logit (the exported float32 weights) is their label;
   * NaN for none.
   */
  public static double accuracy(
      Mlp mlp, HashedBagOfWords featurizer, List<String> labels, List<LabelledText> examples) {
    int correct = 0;
    for (LabelledText example : examples) {
      float[] logits = mlp.forward(featurizer.vectorize(example.text()));
      int best = 0;
      for (int c = 1; c < logits.length; c++) {
        if (logits[c] > logits[best]) {
          best = c;
        }
      }
      if (labels.get(best).equals(example.intent())) {
        correct++;
      }
    }
    return (double) correct / examples.size();
  }
}
