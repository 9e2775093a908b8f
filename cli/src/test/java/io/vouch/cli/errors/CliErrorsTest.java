package io.vouch.cli.errors;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.cli.VouchProcess;
import io.vouch.cli.VouchProcess.Run;
import io.vouch.onnx.testmodels.TestModels;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mistakes and outages a user meets, driven through {@code vouch} as a process against a devnet
 * it brought up: each says what the problem is, in one message without a stack trace or a Java
 * class name, exits with the README's code (1 a retry could help, 2 bad usage or input), and under
 * {@code --json} is one JSON object {@code {"error":…,"message":…}} on stderr with the same code.
 */
class CliErrorsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String INPUT = "{\"dtype\":\"float32\",\"shape\":[1,4],\"data\":[1,2,3,4]}";

  /** A stack frame, or a qualified Java class name. */
  static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s*at [\\w.$]+\\(");

  static final Pattern CLASS_NAME =
      Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Z][A-Za-z0-9_$]*\\b");

  @TempDir static Path dir;
  static VouchProcess vouch;
  static Path model;
  static Path result;

  @BeforeAll
  static void upAndPush() throws Exception {
    vouch = new VouchProcess(dir);
    Run up = vouch.run("devnet", "up", "--nodes", "1", "--validators", "0");
    assertThat(up.code()).as(up.toString()).isZero();
    model = dir.resolve("any.onnx");
    Files.write(model, TestModels.randomMlpOnnx(7, 4, 3, 2));
    Run push = vouch.run("model", "push", model.toString(), "--name", "any");
    assertThat(push.code()).as(push.toString()).isZero();
    assertThat(push.out()).contains("pushed any@1");
    result = dir.resolve("result.json");
    Files.writeString(result, awaitServed().out());
  }

  @AfterAll
  static void down() {
    if (vouch != null) {
      vouch.run("devnet", "down");
    }
  }

  /** The first direct inference that succeeds: the node picks the model up within seconds. */
  static Run awaitServed() throws InterruptedException {
    Run r = null;
    for (int i = 0; i < 60; i++) {
      r =
          vouch.run(
              "infer",
              "--model",
              "any@1",
              "--input",
              INPUT,
              "--json",
              "--deposit-wei",
              i == 0 ? "10000000000000000" : "1");
      if (r.code() == 0) {
        return r;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the node never served any@1: " + r);
  }

  /**
   * {@code args} fail with {@code exitCode}, a message containing {@code mentions} and nothing a
   * user should not see; under {@code --json} too, as one JSON object on stderr.
   */
  static void failsCleanly(int exitCode, List<String> args, String... mentions) throws Exception {
    Run r = vouch.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.toString()).isEqualTo(exitCode);
    assertThat(r.err()).as(r.toString()).contains(mentions);
    assertNothingInternal(r);

    List<String> withJson = new ArrayList<>(args);
    withJson.add("--json");
    Run j = vouch.run(withJson.toArray(String[]::new));
    assertThat(j.code()).as(j.toString()).isEqualTo(exitCode);
    assertThat(j.out()).as(j.toString()).isEmpty();
    JsonNode error = JSON.readTree(j.err());
    assertThat(error.get("error").asText()).as(j.toString()).matches("[A-Z_]+");
    assertThat(error.get("message").asText()).as(j.toString()).contains(mentions);
    assertNothingInternal(j);
  }

  static void assertNothingInternal(Run r) {
    String all = r.out() + r.err();
    assertThat(all).as(r.toString()).doesNotContain("Exception");
    assertThat(STACK_FRAME.matcher(all).find()).as(r.toString()).isFalse();
    assertThat(CLASS_NAME.matcher(all).find()).as(r.toString()).isFalse();
  }

  @Test
  void aMissingModelFileSaysNoSuchFile() throws Exception {
    failsCleanly(
        2, List.of("model", "push", "absent.onnx", "--name", "x"), "no such file: absent.onnx");
  }

  @Test
  void aModelThatOnnxRuntimeCannotLoadIsRefusedAtPushNotAtTheDeadline() throws Exception {
    OnnxMl.ModelProto.Builder broken =
        OnnxMl.ModelProto.parseFrom(TestModels.randomMlpOnnx(8, 4, 3, 2)).toBuilder();
    broken.getGraphBuilder().getNodeBuilder(0).setOpType("NoSuchOperator");
    Path unloadable = dir.resolve("unloadable.onnx");
    Files.write(unloadable, broken.build().toByteArray());

    failsCleanly(
        2,
        List.of("model", "push", unloadable.toString(), "--name", "unloadable"),
        "no node could run it",
        "NoSuchOperator",
        "nothing was published");
    Run list = vouch.run("model", "list");
    assertThat(list.out()).as(list.toString()).doesNotContain("unloadable");
  }

  @Test
  void aMissingInputFileSaysNoSuchFile() throws Exception {
    failsCleanly(
        2,
        List.of("infer", "--model", "any@1", "--input-file", "absent.json"),
        "no such file: absent.json");
  }

  @Test
  void aMissingNamedInputFileSaysNoSuchFile() throws Exception {
    failsCleanly(
        2,
        List.of("infer", "--model", "any@1", "--input", "features=@absent-input.json"),
        "no such file: absent-input.json");
  }

  @Test
  void verifyOfAMissingResultFileSaysNoSuchFile() throws Exception {
    failsCleanly(2, List.of("verify", "absent.json"), "no such file: absent.json");
  }

  @Test
  void aMissingLabelsFileSaysNoSuchFileAndNothingIsPublished() throws Exception {
    failsCleanly(
        2,
        List.of(
            "model",
            "push",
            model.toString(),
            "--name",
            "labelled",
            "--labels",
            "absent-labels.txt"),
        "no such file: absent-labels.txt");
    assertThat(vouch.run("model", "list").out()).doesNotContain("labelled");
  }

  @Test
  void aMissingCalibrationFileSaysNoSuchFileForModelPushAndZkCompile() throws Exception {
    failsCleanly(
        2,
        List.of(
            "model",
            "push",
            model.toString(),
            "--name",
            "calibrated",
            "--levels",
            "vanilla,zkml",
            "--calibration",
            "absent-calibration.json"),
        "no such file: absent-calibration.json");
    assertThat(vouch.run("model", "list").out()).doesNotContain("calibrated");

    failsCleanly(
        2,
        List.of(
            "zk",
            "compile",
            model.toString(),
            "--calibration",
            "absent-calibration.json",
            "--out",
            dir.resolve("any.zkmodel").toString()),
        "no such file: absent-calibration.json");
  }

  @Test
  void aShortKeyIsABadUsageNamingTheOption() throws Exception {
    failsCleanly(
        2,
        List.of("infer", "--model", "any@1", "--input", INPUT, "--key", "0x1234"),
        "--key",
        "64 hex digits");
  }

  @Test
  void rpcWithoutDeploymentIsABadUsageNamingBoth() throws Exception {
    failsCleanly(
        2, List.of("model", "list", "--rpc", "http://127.0.0.1:1"), "--rpc needs --deployment");
  }

  @Test
  void verifyWithoutARunningDevnetSaysSoAndHowToStartOne() throws Exception {
    failsCleanly(
        1,
        List.of("verify", result.toString(), "--devnet", dir.resolve("nothing-here").toString()),
        "no devnet is running",
        "vouch devnet up");
  }

  @Test
  void verifyAgainstAChainThatIsDownIsARetry() throws Exception {
    Path dead = dir.resolve("dead-devnet");
    Files.createDirectories(dead);
    String state = Files.readString(dir.resolve(".vouch/devnet/devnet.json"));
    Files.writeString(
        dead.resolve("devnet.json"),
        state.replaceAll("\"rpcUrl\" : \"[^\"]*\"", "\"rpcUrl\" : \"http://127.0.0.1:9\""));

    failsCleanly(
        1, List.of("verify", result.toString(), "--devnet", dead.toString()), "127.0.0.1:9");
  }

  @Test
  void nanInTheInputIsBadInputSayingJsonHasNoNaN() throws Exception {
    failsCleanly(
        2,
        List.of(
            "infer",
            "--model",
            "any@1",
            "--input",
            "{\"dtype\":\"float32\",\"shape\":[1,4],\"data\":[NaN,2,3,4]}"),
        "--input is not valid JSON",
        "NaN");
  }

  @Test
  void anEmptyFileIsNotAResult() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.json"), "");

    failsCleanly(2, List.of("verify", empty.toString()), "empty.json is empty");
  }

  @Test
  void aJsonFileThatIsNotAResultSaysWhatIsMissing() throws Exception {
    Path other = Files.writeString(dir.resolve("other.json"), "{\"a\":1}");

    failsCleanly(
        2,
        List.of("verify", other.toString()),
        "other.json: not a result file",
        "field 'receipt' is missing");
  }

  @Test
  void timeoutsTakeSecondsAndMinutes() {
    for (String t : List.of("5s", "2m")) {
      Run r = vouch.run("infer", "--model", "any@1", "--input", INPUT, "--timeout", t, "--json");
      assertThat(r.code()).as(t + ": " + r).isZero();
    }
  }

  @Test
  void timeoutsTakeMillisecondsAndIsoDurations() {
    for (String t : List.of("500ms", "PT30S")) {
      // Parsed, then stopped by the missing devnet: not a usage error.
      Run r =
          vouch.run(
              "infer",
              "--model",
              "any@1",
              "--input",
              INPUT,
              "--timeout",
              t,
              "--devnet",
              dir.resolve("nothing-here").toString());
      assertThat(r.code()).as(t + ": " + r).isEqualTo(1);
      assertThat(r.err()).as(t).contains("no devnet is running");
    }
  }

  @Test
  void aTimeoutThatIsNotADurationSaysWhatIs() throws Exception {
    failsCleanly(
        2,
        List.of("infer", "--model", "any@1", "--input", INPUT, "--timeout", "5x"),
        "'5x' is not a duration",
        "5s");
  }

  @Test
  void anInputOverTheNodesBodyLimitIsPayloadTooLargeNotABrokenPipe() throws Exception {
    // 9M float32 elements: 36 MB on the wire, over the node's 32 MiB body limit.
    Path big = dir.resolve("big.json");
    writeOnes(big, 9_000_000);
    List<String> args = List.of("infer", "--model", "any@1", "--input-file", big.toString());

    Run plain = vouch.run(args.toArray(String[]::new));

    assertThat(plain.code()).as(plain.toString()).isEqualTo(2);
    assertThat(plain.err()).as(plain.toString()).contains("413").doesNotContain("pipe");
    assertNothingInternal(plain);

    List<String> withJson = new ArrayList<>(args);
    withJson.add("--json");
    Run r = vouch.run(withJson.toArray(String[]::new));

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    JsonNode error = JSON.readTree(r.err());
    assertThat(error.get("error").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    assertThat(error.get("message").asText()).contains("413").doesNotContain("pipe");
    assertNothingInternal(r);
  }

  @Test
  void anInputOverTheNodesElementLimitIs413WithExitTwo() throws Exception {
    Path big = dir.resolve("elements.json");
    writeOnes(big, 2_000_000);

    failsCleanly(
        2,
        List.of("infer", "--model", "any@1", "--input-file", big.toString()),
        "413",
        "at most 1048576");
  }

  @Test
  void aLevelTheModelDoesNotAllowIsFatalWithoutFeeAdvice() throws Exception {
    failsCleanly(
        2,
        List.of("infer", "--model", "any@1", "--input", INPUT, "--level", "tee"),
        "allows [VANILLA]");
    Run r = vouch.run("infer", "--model", "any@1", "--input", INPUT, "--level", "tee");
    assertThat(r.err()).doesNotContain("fee");
  }

  @Test
  void anUnknownLevelListsTheLevels() throws Exception {
    failsCleanly(
        2,
        List.of("infer", "--model", "any@1", "--input", INPUT, "--level", "gold"),
        "vanilla, tee, zkml");
  }

  @Test
  void anUnknownModelIsFatalNamingIt() throws Exception {
    failsCleanly(2, List.of("infer", "--model", "nope@1", "--input", INPUT), "nope");
  }

  @Test
  void anUnknownOptionIsABadUsage() throws Exception {
    failsCleanly(2, List.of("model", "list", "--colour"), "--colour");
  }

  /**
   * {@code n} ones shaped {@code [n/4, 4]}: the model's schema ({@code [N, 4]}), so that the CLI's
   * own check passes and the node's limits are what refuses it.
   */
  private static void writeOnes(Path file, int n) throws Exception {
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write("{\"dtype\":\"float32\",\"shape\":[" + n / 4 + ",4],\"data\":[1");
      for (int i = 1; i < n; i++) {
        w.write(",1");
      }
      w.write("]}");
    }
  }
}
