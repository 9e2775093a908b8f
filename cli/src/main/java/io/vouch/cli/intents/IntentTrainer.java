package io.vouch.cli.intents;

import io.vouch.demo.DemoModel;
import io.vouch.demo.LabelledText;
import io.vouch.demo.SoftmaxMlpTrainer;
import io.vouch.demo.SupportIntentDataset;
import io.vouch.demo.SupportIntentModel;
import io.vouch.demo.TrainingConfig;
import io.vouch.demo.text.HashedBagOfWords;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.writer.Mlp;
import io.vouch.onnx.writer.OnnxModelWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The demo's recipe applied to a user's messages: the same featurizer ({@link HashedBagOfWords},
 * 512 buckets), trainer ({@link SoftmaxMlpTrainer}), stratified split (20 % held out, seed {@value
 * DemoModel#SPLIT_SEED}) and ONNX layout ({@code features} in, {@code logits} out, intent names and
 * featurizer in the metadata) as {@link DemoModel#build()}, so a model trained here runs wherever
 * the demo model runs ({@code vouch infer --text}, nodes, the ZKML compiler) and the same file and
 * settings always give the same bytes.
 */
final class IntentTrainer {
  /** How many feature vectors {@link Trained#calibration()} holds at most. */
  static final int CALIBRATION_VECTORS = 256;

  private IntentTrainer() {}

  /**
   * A trained model.
   *
   * @param heldOutAccuracy on the held-out messages (none when every intent has fewer than 3)
   * @param calibration feature vectors of real messages (held out first), for the ZKML quantizer
   */
  record Trained(
      byte[] onnx,
      List<String> labels,
      int trainMessages,
      int heldOutMessages,
      OptionalDouble heldOutAccuracy,
      double trainAccuracy,
      float[][] calibration) {}

  static Trained train(IntentData data, TrainingConfig config) {
    SupportIntentDataset.Split split =
        data.split(DemoModel.HELD_OUT_FRACTION, DemoModel.SPLIT_SEED);
    HashedBagOfWords featurizer = HashedBagOfWords.withDefaultBuckets();
    List<String> labels = data.labels();
    Mlp mlp = DemoModel.train(featurizer, labels, split.train(), config);
    OptionalDouble heldOut =
        split.heldOut().isEmpty()
            ? OptionalDouble.empty()
            : OptionalDouble.of(DemoModel.accuracy(mlp, featurizer, labels, split.heldOut()));
    OnnxModelWriter writer =
        OnnxModelWriter.mlp(mlp)
            .graphName("intents")
            .inputName("features")
            .outputName("logits")
            .metadata(OnnxModelFile.LABELS_METADATA_KEY, String.join(",", labels))
            .metadata(SupportIntentModel.FEATURIZER_METADATA_KEY, featurizer.spec());
    if (heldOut.isPresent()) {
      writer.metadata(
          DemoModel.ACCURACY_METADATA_KEY,
          String.format(Locale.ROOT, "%.4f", heldOut.getAsDouble()));
    }
    byte[] onnx = writer.toBytes();
    checkOnOnnxRuntime(onnx, labels);

    List<float[]> calibration = new ArrayList<>();
    for (LabelledText t : concat(split.heldOut(), split.train())) {
      if (calibration.size() == CALIBRATION_VECTORS) {
        break;
      }
      calibration.add(featurizer.vectorize(t.text()));
    }
    return new Trained(
        onnx,
        labels,
        split.train().size(),
        split.heldOut().size(),
        heldOut,
        DemoModel.accuracy(mlp, featurizer, labels, split.train()),
        calibration.toArray(float[][]::new));
  }

  /**
   * Loads the file as nodes will (ONNX Runtime, labels and featurizer from its metadata), so a file
   * that would not serve is never written.
   */
  private static void checkOnOnnxRuntime(byte[] onnx, List<String> labels) {
    try (SupportIntentModel model = SupportIntentModel.load(onnx)) {
      if (!model.labels().equals(labels)) {
        throw new IllegalStateException("the written model lists intents " + model.labels());
      }
      model.classify("hello");
    }
  }

  private static List<LabelledText> concat(List<LabelledText> a, List<LabelledText> b) {
    List<LabelledText> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
