package io.vouch.demo;

import io.vouch.core.tensor.Tensor;
import io.vouch.demo.text.HashedBagOfWords;
import io.vouch.onnx.EngineOptions;
import io.vouch.onnx.InvalidModelException;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.TensorSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo support-intent classifier at inference time: featurizes messages with {@link
 * HashedBagOfWords}, runs the ONNX model on ONNX Runtime and names the winning intent. Labels and
 * the featurizer come from the model's own metadata ({@value OnnxModelFile#LABELS_METADATA_KEY} and
 * {@value #FEATURIZER_METADATA_KEY}), so the ONNX file is all a caller needs.
 */
public final class SupportIntentModel implements AutoCloseable {
  /** Metadata key holding {@link HashedBagOfWords#spec()} of the featurizer the model expects. */
  public static final String FEATURIZER_METADATA_KEY = "vouch.featurizer";

  private final OnnxRuntimeEngine engine;
  private final HashedBagOfWords featurizer;
  private final List<String> labels;

  private SupportIntentModel(
      OnnxRuntimeEngine engine, HashedBagOfWords featurizer, List<String> labels) {
    this.engine = engine;
    this.featurizer = featurizer;
    this.labels = labels;
  }

  public static SupportIntentModel load(byte[] onnxBytes) {
    OnnxModelFile file = OnnxModelFile.parse(onnxBytes);
    List<String> labels =
        file.classLabels()
            .orElseThrow(() ->
                new InvalidModelException(
                    "the model has no '"
                        + OnnxModelFile.LABELS_METADATA_KEY
                        + "' metadata; build it with DemoModel.build()"));
    String spec = file.metadata().getOrDefault(FEATURIZER_METADATA_KEY, "");
    TensorSpec input = file.inputs().get(0);
    TensorSpec output = file.outputs().get(0);
    if (file.inputs().size() != 1 || input.rank() != 2 || input.isDynamic(1)) {
      throw new InvalidModelException(
          "an intent model takes one float32 input [N, buckets]; this one takes " + file.inputs());
    }
    HashedBagOfWords featurizer = new HashedBagOfWords(input.shape()[1]);
    if (!featurizer.spec().equals(spec)) {
      throw new InvalidModelException(
          "the model expects featurizer '"
              + spec
              + "' but this code provides '"
              + featurizer.spec()
              + "'; rebuild the model with DemoModel.build()");
    }
    if (output.rank() != 2 || output.shape()[1] != labels.size()) {
      throw new InvalidModelException(
          "the model outputs "
              + output.shapeText()
              + " but declares "
              + labels.size()
              + " labels; the two must agree");
    }
    return new SupportIntentModel(
        OnnxRuntimeEngine.load(file, EngineOptions.DEFAULT), featurizer, List.copyOf(labels));
  }

  /** Intent names in output index order. */
  public List<String> labels() {
    return labels;
  }

  public HashedBagOfWords featurizer() {
    return featurizer;
  }

  public IntentPrediction classify(String message) {
    return classifyAll(List.of(message)).get(0);
  }

  /** Classifies all messages in one batch run. */
  public List<IntentPrediction> classifyAll(List<String> messages) {
    if (messages.isEmpty()) {
      return List.of();
    }
    Tensor logits = engine.run(featurizer.toTensor(messages));
    float[] values = logits.toFloats();
    int k = labels.size();
    List<IntentPrediction> predictions = new ArrayList<>(messages.size());
    for (int row = 0; row < messages.size(); row++) {
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (values[row * k + c] > values[row * k + best]) {
          best = c;
        }
      }
      double sum = 0;
      for (int c = 0; c < k; c++) {
        sum += Math.exp(values[row * k + c] - values[row * k + best]);
      }
      predictions.add(new IntentPrediction(labels.get(best), best, 1 / sum));
    }
    return predictions;
  }

  /** The fraction of examples whose predicted intent equals their label. */
  public double accuracy(List<LabelledText> examples) {
    List<IntentPrediction> predictions =
        classifyAll(examples.stream().map(LabelledText::text).toList());
    int correct = 0;
    for (int i = 0; i < examples.size(); i++) {
      if (predictions.get(i).intent().equals(examples.get(i).intent())) {
        correct++;
      }
    }
    return (double) correct / examples.size();
  }

  @Override
  public void close() {
    engine.close();
  }
}
