package io.vouch.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.cli.VouchProcess;
import io.vouch.cli.VouchProcess.Run;
import io.vouch.core.json.TensorJson;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.node.inference.RecurrentTestModel;
import io.vouch.onnx.OnnxRuntimeEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party-shaped recurrent model with three named inputs (state tensors and an int64 scalar)
 * and two outputs, used as a user would (issue 10.3), every call a {@code vouch} process: pushed,
 * run on the direct path with one {@code --input NAME=@FILE} per input and on chain with one JSON
 * object of named tensors, both results verified by {@code vouch verify}; the outputs are ONNX
 * Runtime's.
 */
class MultiInputCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static VouchProcess vouch;
  static NamedTensors inputs = RecurrentTestModel.inputs(0.6f);
  static NamedTensors expected;

  @BeforeAll
  static void up() throws Exception {
    vouch = new VouchProcess(dir);
    Path model = dir.resolve("vad.onnx");
    Files.write(model, RecurrentTestModel.onnx());
    try (OnnxRuntimeEngine ort = OnnxRuntimeEngine.load(RecurrentTestModel.onnx())) {
      expected = NamedTensors.of(ort.run(inputs.asMap()));
    }
    for (var e : inputs.asMap().entrySet()) {
      Files.writeString(
          dir.resolve(e.getKey() + ".json"), TensorJson.toJson(e.getValue()).toString());
    }
    Files.writeString(dir.resolve("inputs.json"), TensorJson.toJson(inputs).toString());
    ok(vouch.run("devnet", "up", "--nodes", "1", "--validators", "0"));
    ok(vouch.run("model", "push", model.toString(), "--name", "vad"));
  }

  @AfterAll
  static void down() {
    if (vouch != null) {
      vouch.run("devnet", "down");
    }
  }

  static Run ok(Run r) {
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  @Test
  void theDirectPathTakesOneNamedInputPerOptionAndVerifies() throws Exception {
    Run r = null;
    for (int i = 0; i < 60; i++) { // the node picks the pushed model up within its poll interval
      r =
          vouch.run(
              "infer",
              "--model",
              "vad@1",
              "--input",
              "input=@" + dir.resolve("input.json"),
              "--input",
              "state=@" + dir.resolve("state.json"),
              "--input",
              "sr=@" + dir.resolve("sr.json"),
              "--deposit-wei",
              i == 0 ? "10000000000000000" : "1",
              "--json");
      if (r.code() == 0) {
        break;
      }
      Thread.sleep(500);
    }
    ok(r);
    JsonNode result = JSON.readTree(r.out());
    assertThat(TensorJson.namedFromJson(result.get("outputs"))).isEqualTo(expected);
    Path file = dir.resolve("direct.json");
    Files.writeString(file, r.out());

    ok(vouch.run("verify", file.toString()));
  }

  @Test
  void onChainOneJsonObjectOfNamedTensorsIsRunFinalizedAndVerified() throws Exception {
    Run r =
        ok(
            vouch.run(
                "infer",
                "--model",
                "vad@1",
                "--input-file",
                dir.resolve("inputs.json").toString(),
                "--on-chain",
                "--json"));
    JsonNode result = JSON.readTree(r.out());
    assertThat(result.get("finality").asText()).isEqualTo("FINALIZED");
    assertThat(TensorJson.namedFromJson(result.get("outputs"))).isEqualTo(expected);
    Path file = dir.resolve("onchain.json");
    Files.writeString(file, r.out());

    ok(vouch.run("verify", file.toString()));
  }

  @Test
  void aLoneTensorForThisModelIsRefusedNamingItsInputs() {
    Run r =
        vouch.run(
            "infer",
            "--model",
            "vad@1",
            "--input",
            "{\"dtype\":\"float32\",\"shape\":[1,4],\"data\":[1,2,3,4]}");
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("input", "state", "sr").doesNotContain("Exception");
  }
}
