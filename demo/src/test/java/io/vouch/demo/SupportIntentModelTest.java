package io.vouch.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.onnx.InvalidModelException;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.onnx.writer.OnnxModelWriter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SupportIntentModelTest {
  private static DemoModel demo;
  private static SupportIntentModel model;

  @BeforeAll
  static void load() {
    demo = DemoModel.build();
    model = SupportIntentModel.load(demo.onnx());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void labelsComeFromTheModelMetadata() {
    assertThat(model.labels()).isEqualTo(demo.labels());
  }

  @Test
  void predictionNamesTheLabelAtTheWinningIndex() {
    IntentPrediction p = model.classify(demo.heldOut().get(0).text());
    assertThat(p.intent()).isEqualTo(model.labels().get(p.classIndex()));
    assertThat(p.probability()).isBetween(1.0 / model.labels().size(), 1.0);
  }

  @Test
  void batchClassificationAgreesWithOneByOne() {
    List<String> texts = demo.heldOut().stream().limit(12).map(LabelledText::text).toList();
    List<IntentPrediction> batch = model.classifyAll(texts);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(batch.get(i).intent()).isEqualTo(model.classify(texts.get(i)).intent());
    }
  }

  @Test
  void refusesAModelWithoutLabels() {
    byte[] unlabelled = OnnxModelWriter.mlp(TestModels.randomMlp(1, 512, 4, 3)).toBytes();
    assertThatThrownBy(() -> SupportIntentModel.load(unlabelled))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("no 'vouch.labels' metadata");
  }

  @Test
  void refusesAModelBuiltForAnotherFeaturizer() {
    byte[] other =
        OnnxModelWriter.mlp(TestModels.randomMlp(1, 256, 4, 3))
            .metadata(OnnxModelFile.LABELS_METADATA_KEY, "a,b,c")
            .metadata(SupportIntentModel.FEATURIZER_METADATA_KEY, "bag-of-words-v0")
            .toBytes();
    assertThatThrownBy(() -> SupportIntentModel.load(other))
        .hasMessageContaining("expects featurizer 'bag-of-words-v0'");
  }

  @Test
  void refusesALabelCountThatDiffersFromTheOutputWidth() {
    byte[] mismatch =
        OnnxModelWriter.mlp(TestModels.randomMlp(1, 512, 4, 3))
            .metadata(OnnxModelFile.LABELS_METADATA_KEY, "a,b")
            .metadata(
                SupportIntentModel.FEATURIZER_METADATA_KEY,
                io.vouch.demo.text.HashedBagOfWords.withDefaultBuckets().spec())
            .toBytes();
    assertThatThrownBy(() -> SupportIntentModel.load(mismatch))
        .hasMessageContaining("declares 2 labels");
  }
}
