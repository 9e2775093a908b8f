package io.vouch.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.cli.VouchCommand;
import io.vouch.onnx.testmodels.TestModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The user's commands against a running devnet (nodes as separate processes): push any valid ONNX
 * file, list and show it, infer on the direct path and on chain, verify the result file — and the
 * clear refusals of malformed files, duplicate versions and tampered results.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliOnDevnetTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static DevnetSupervisor devnet;
  static Path model;

  record Run(int code, String out, String err) {}

  static Run vouch(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = VouchCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--devnet";
    all[args.length + 1] = dir.resolve("devnet").toString();
    return new Run(cl.execute(all), out.toString(), err.toString());
  }

  @BeforeAll
  static void up() throws Exception {
    devnet = new DevnetSupervisor(dir.resolve("devnet"), 2, Duration.ofSeconds(2), m -> {});
    devnet.start();
    model = dir.resolve("any.onnx");
    Files.write(model, TestModels.randomMlpOnnx(21, 4, 3, 2));
  }

  @AfterAll
  static void down() {
    if (devnet != null) {
      devnet.close();
    }
  }

  static String input() {
    return "{\"dtype\":\"float32\",\"shape\":[1,4],\"data\":[1,2,3,4]}";
  }

  @Test
  @Order(1)
  void pushOfAMalformedFileIsRefusedAndPublishesNothing() throws Exception {
    Path bad = dir.resolve("bad.onnx");
    Files.writeString(bad, "not a model");

    Run r = vouch("model", "push", bad.toString(), "--name", "bad", "--version", "1");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("not an ONNX model");
    assertThat(vouch("model", "list").out()).doesNotContain("bad@1");
  }

  @Test
  @Order(2)
  void anyValidOnnxFileIsPushedListedAndShown() throws Exception {
    Run push =
        vouch("model", "push", model.toString(), "--name", "any-mlp", "--version", "1", "--json");

    assertThat(push.code()).as(push.err()).isZero();
    JsonNode pushed = JSON.readTree(push.out());
    assertThat(pushed.get("cid").asText()).startsWith("bafkrei");
    assertThat(vouch("model", "list").out()).contains("any-mlp@1");
    Run show = vouch("model", "show", "any-mlp@1", "--json");
    assertThat(JSON.readTree(show.out()).get("modelId").asText())
        .isEqualTo(pushed.get("modelId").asText());
  }

  @Test
  @Order(3)
  void pushingTheSameVersionAgainIsRefusedWithTheFix() {
    Run r = vouch("model", "push", model.toString(), "--name", "any-mlp", "--version", "1");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("version 2");
  }

  @Test
  @Order(4)
  void directInferenceResultVerifiesAndATamperedOneDoesNot() throws Exception {
    JsonNode served = null;
    for (int i = 0; i < 100 && served == null; i++) {
      Run r =
          vouch(
              "infer",
              "--model",
              "any-mlp@1",
              "--input",
              input(),
              "--json",
              "--deposit-wei",
              i == 0 ? "10000000000000000" : "1");
      if (r.code() == 0) {
        served = JSON.readTree(r.out());
      } else {
        Thread.sleep(200); // nodes fetch the new model from the hub within their poll interval
      }
    }
    assertThat(served).as("a node served the pushed model").isNotNull();
    Path result = dir.resolve("result.json");
    Files.writeString(result, served.toPrettyString());

    assertThat(vouch("verify", result.toString()).code()).isZero();

    ObjectNode tampered = served.deepCopy();
    byte[] out = Base64.getDecoder().decode(served.at("/output/canonical").asText());
    out[out.length - 1] ^= 1;
    ((ObjectNode) tampered.get("output")).put("canonical", Base64.getEncoder().encodeToString(out));
    ((ObjectNode) tampered.get("output")).remove("data");
    Path bad = dir.resolve("tampered.json");
    Files.writeString(bad, tampered.toPrettyString());
    Run v = vouch("verify", bad.toString());
    assertThat(v.code()).isEqualTo(1);
    assertThat(v.out()).contains("INVALID").contains("output hash");
  }

  @Test
  @Order(5)
  void onChainInferenceIsFinalizedAndSettled() throws Exception {
    Run r = vouch("infer", "--model", "any-mlp@1", "--input", input(), "--on-chain", "--json");

    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = JSON.readTree(r.out());
    assertThat(j.get("finality").asText()).isEqualTo("FINALIZED");
    assertThat(j.get("finalizeTx").asText()).startsWith("0x");
  }

  @Test
  @Order(5)
  void onChainResultVerifiesAgainstTheHubAndATamperedOneDoesNot() throws Exception {
    Run r = vouch("infer", "--model", "any-mlp@1", "--input", input(), "--on-chain", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode result = JSON.readTree(r.out());
    assertThat(result.get("path").asText()).isEqualTo("on-chain");
    assertThat(result.get("level").asText()).isEqualTo("VANILLA");
    Path file = dir.resolve("on-chain.json");
    Files.writeString(file, r.out());

    Run v = vouch("verify", file.toString());

    assertThat(v.code()).as(v.out() + v.err()).isZero();
    assertThat(v.out()).contains("VALID: on chain: request #" + result.get("requestId").asText());

    ObjectNode tampered = result.deepCopy();
    ((ObjectNode) tampered.get("input")).removeAll();
    ((ObjectNode) tampered.get("input"))
        .put("dtype", "float32")
        .set("shape", JSON.readTree("[1,4]"));
    ((ObjectNode) tampered.get("input")).set("data", JSON.readTree("[1,2,3,5]"));
    Path bad = dir.resolve("on-chain-tampered.json");
    Files.writeString(bad, tampered.toPrettyString());
    Run t = vouch("verify", bad.toString());
    assertThat(t.code()).isEqualTo(1);
    assertThat(t.out()).contains("INVALID").contains("input hash");
  }

  @Test
  @Order(6)
  void wrongShapeIsABadInputWithExitTwo() {
    Run r =
        vouch(
            "infer",
            "--model",
            "any-mlp@1",
            "--input",
            "{\"dtype\":\"float32\",\"shape\":[1,3],\"data\":[1,2,3]}");

    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err()).contains("shape");
  }

  @Test
  @Order(7)
  void unknownModelIsAnErrorNamingIt() {
    Run r = vouch("infer", "--model", "nope@1", "--input", input());

    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("nope");
  }
}
