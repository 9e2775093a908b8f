package io.vouch.cli.intents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.cli.VouchProcess;
import io.vouch.cli.VouchProcess.Run;
import io.vouch.core.json.TensorJson;
import io.vouch.demo.SupportIntentDataset;
import io.vouch.demo.SupportIntentModel;
import io.vouch.demo.text.HashedBagOfWords;
import io.vouch.onnx.OnnxModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vouch train-intents} and {@code vouch featurize} as a user runs them, each a process: a
 * model of one's own from a TSV file, ready for {@code vouch model push}.
 */
class TrainIntentsCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static VouchProcess vouch;
  static Path data;

  /** A shop's own intents, without a header, with a comment and a blank line. */
  @BeforeAll
  static void writeData() throws Exception {
    vouch = new VouchProcess(dir);
    StringBuilder tsv = new StringBuilder("# our support inbox, labelled by hand\n\n");
    String[][] intents = {
      {"opening_hours", "when do you open", "are you open on sunday", "what are your hours"},
      {"delivery_cost", "how much is shipping", "what does delivery cost", "is shipping free"},
      {"returns", "how do I return this", "can I send it back", "return label please"}
    };
    for (String[] intent : intents) {
      for (int round = 0; round < 4; round++) {
        for (int i = 1; i < intent.length; i++) {
          tsv.append(intent[0]).append('\t').append(intent[i]).append(suffix(round)).append('\n');
        }
      }
    }
    data = dir.resolve("inbox.tsv");
    Files.writeString(data, tsv);
  }

  static String suffix(int round) {
    return List.of("", "?", " please", " thanks").get(round);
  }

  static Run ok(Run r) {
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  @Test
  void ownMessagesBecomeAModelWithTheirIntentsAndAHeldOutAccuracy() throws Exception {
    Path model = dir.resolve("inbox.onnx");
    Path labels = dir.resolve("labels.txt");

    Run r =
        ok(
            vouch.run(
                "train-intents",
                data.toString(),
                "--out",
                model.toString(),
                "--labels",
                labels.toString()));

    assertThat(r.out())
        .contains("36 messages, 3 intents (opening_hours 12, delivery_cost 12, returns 12)")
        .containsPattern("accuracy  [01]\\.\\d{3} on 6 held-out messages")
        .contains("next      vouch model push " + model + " --name inbox");
    assertThat(r.err()).isEmpty();
    assertThat(labels).hasContent("opening_hours\ndelivery_cost\nreturns\n");
    byte[] onnx = Files.readAllBytes(model);
    assertThat(OnnxModelFile.parse(onnx).classLabels())
        .hasValue(List.of("opening_hours", "delivery_cost", "returns"));
    try (SupportIntentModel m = SupportIntentModel.load(onnx)) {
      assertThat(m.classify("is shipping free?").intent()).isEqualTo("delivery_cost");
    }
  }

  @Test
  void theSameDataGivesTheSameModelBytes() throws Exception {
    Path a = dir.resolve("a.onnx");
    Path b = dir.resolve("b.onnx");

    ok(vouch.run("train-intents", data.toString(), "--out", a.toString()));
    ok(vouch.run("train-intents", data.toString(), "--out", b.toString()));

    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
  }

  @Test
  void jsonReportsTheSplitTheAccuracyAndTheCalibrationFile() throws Exception {
    Path calibration = dir.resolve("calib.json");

    Run r =
        ok(
            vouch.run(
                "train-intents",
                data.toString(),
                "--out",
                dir.resolve("j.onnx").toString(),
                "--calibration-out",
                calibration.toString(),
                "--json"));

    JsonNode j = JSON.readTree(r.out());
    assertThat(j.get("trainMessages").asInt()).isEqualTo(30);
    assertThat(j.get("heldOutMessages").asInt()).isEqualTo(6);
    assertThat(j.get("heldOutAccuracy").asDouble()).isBetween(0.0, 1.0);
    assertThat(j.get("schemaHash").asText()).startsWith("0x");
    JsonNode vectors = JSON.readTree(calibration.toFile());
    assertThat(vectors).hasSize(36);
    assertThat(vectors.get(0).get("dtype").asText()).isEqualTo("float32");
    assertThat(vectors.get(0).get("shape").toString())
        .isEqualTo("[1," + HashedBagOfWords.DEFAULT_BUCKETS + "]");
    assertThat(vectors.get(0).get("data")).hasSize(HashedBagOfWords.DEFAULT_BUCKETS);
  }

  @Test
  void theExampleIsTheDemosLabelledMessagesInTheSameFormat() throws Exception {
    Run r = ok(vouch.run("train-intents", "--example"));

    SupportIntentDataset demo = SupportIntentDataset.load();
    assertThat(r.out()).startsWith("intent\ttext\n");
    assertThat(SupportIntentDataset.parse(r.out()).examples()).isEqualTo(demo.examples());
  }

  @Test
  void aLineWithoutExactlyOneTabIsRefusedNamingTheLine() throws Exception {
    Path bad = dir.resolve("bad.tsv");
    Files.writeString(bad, "refund\tmoney back\nrefund money back\norder\twhere\tis it\n");

    Run r = vouch.run("train-intents", bad.toString(), "--out", dir.resolve("x.onnx").toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .contains(bad + " line 2 must be intent<TAB>text with exactly one tab, found 0")
        .doesNotContain("Exception");
    assertThat(dir.resolve("x.onnx")).doesNotExist();
  }

  @Test
  void oneIntentIsRefusedAsJsonUnderJson() throws Exception {
    Path one = dir.resolve("one.tsv");
    Files.writeString(one, "refund\tmoney back\nrefund\trefund me\n");

    Run r =
        vouch.run(
            "train-intents", one.toString(), "--out", dir.resolve("y.onnx").toString(), "--json");

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    JsonNode e = JSON.readTree(r.err());
    assertThat(e.get("error").asText()).isEqualTo("BAD_INPUT");
    assertThat(e.get("message").asText()).contains("one intent only (refund)");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void withoutOutItSaysWhatIsMissing() {
    Run r = vouch.run("train-intents", data.toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("--out FILE is required").contains("see: vouch train-intents");
  }

  @Test
  void featurizePrintsTheTensorInferTextWouldSend() throws Exception {
    Run r = ok(vouch.run("featurize", "where is my parcel", "refund please"));

    assertThat(TensorJson.fromJson(JSON.readTree(r.out())))
        .isEqualTo(
            HashedBagOfWords.withDefaultBuckets()
                .toTensor(List.of("where is my parcel", "refund please")));
    assertThat(r.err()).isEmpty();
  }
}
