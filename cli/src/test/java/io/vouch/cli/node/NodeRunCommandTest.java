package io.vouch.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.cli.VouchCommand;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.demo.DemoModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vouch node run} serving the demo model on the direct path (no chain). */
class NodeRunCommandTest {
  static final Secp256k1.KeyPair KEY = Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("cli-node"));
  static final String HUB = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

  @TempDir static Path dir;
  static NodeRunCommand run;
  static CompletableFuture<Integer> exit;
  static DemoModel demo;

  record Result(int code, String out, String err) {}

  static Result vouch(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = VouchCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** {@code vouch node run} on the direct path with the test's key, and {@code more}. */
  static Result directNodeRun(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "node",
                "run",
                "--key",
                KEY.privateKey().toHex(),
                "--chain-id",
                "31337",
                "--hub",
                HUB));
    args.addAll(List.of(more));
    return vouch(args.toArray(String[]::new));
  }

  @BeforeAll
  static void startNode() throws Exception {
    demo = DemoModel.build();
    Path model = dir.resolve("support.onnx");
    Files.write(model, demo.onnx());
    run = new NodeRunCommand();
    CommandLine cl = new CommandLine(run);
    cl.setOut(new PrintWriter(new StringWriter(), true));
    exit =
        CompletableFuture.supplyAsync(() ->
            cl.execute(
                "--key",
                KEY.privateKey().toHex(),
                "--chain-id",
                "31337",
                "--hub",
                HUB,
                "--model",
                model + "=support-intents@1"));
    for (int i = 0; i < 600 && run.app == null && !exit.isDone(); i++) {
      Thread.sleep(50);
    }
    assertThat(run.app).as("node started").isNotNull();
  }

  @AfterAll
  static void stopNode() throws Exception {
    run.stop.countDown();
    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void servedModelAnswersOverHttpWithAReceiptSignedByTheNodeKey() throws Exception {
    String text = "I was charged twice, please refund my money";
    var client =
        new io.vouch.sdk.direct.NodeClient(
            io.vouch.sdk.direct.NodeClient.defaultHttpClient(), run.app.baseUrl());

    var outcome =
        client.infer(
            "support-intents@1",
            io.vouch.demo.text.HashedBagOfWords.withDefaultBuckets().toTensor(text),
            io.vouch.core.VerificationLevel.VANILLA,
            Keccak.hash("req"),
            java.time.Duration.ofSeconds(10));

    assertThat(outcome.node()).isEqualTo(KEY.address());
    assertThat(outcome.receipt().signer(outcome.domain())).isEqualTo(KEY.address());
    try (var local = io.vouch.demo.SupportIntentModel.load(demo.onnx())) {
      assertThat(demo.labels().get(outcome.output().argmax()))
          .isEqualTo(local.classify(text).intent());
    }
  }

  @Test
  void nodeRunRefusesAMalformedOnnxFile() throws Exception {
    Path bad = dir.resolve("bad.onnx");
    Files.writeString(bad, "this is not a model");

    Result r = directNodeRun("--model", bad + "=bad@1");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).containsIgnoringCase("onnx");
  }

  @Test
  void nodeRunRefusesAModelWithoutNameAndVersion() {
    Result r = directNodeRun("--model", "x.onnx");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("FILE=NAME@VERSION");
  }

  @Test
  void nodeRunRefusesAPortOutsideTheRange() {
    Result r = directNodeRun("--port", "70000");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("vouch node run: port must be in 0..65535, got 70000");
  }

  @Test
  void nodeRunRefusesTheTeeLevelOnTheDirectPath() {
    Result r = directNodeRun("--tee", "dev");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--tee needs --rpc and --deployment");
  }

  @Test
  void nodeRunRefusesAChallengeRateThatIsNotARate() {
    for (String rate : new String[] {"150%", "often", "-1%", "10001bps"}) {
      Result r = directNodeRun("--challenge-rate", rate);

      assertThat(r.code()).as(rate).isEqualTo(2);
      assertThat(r.err())
          .contains("--challenge-rate: the challenge rate '" + rate + "' is not a rate from 0 %")
          .doesNotContain("Exception");
    }
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] cmd :
        new String[][] {
          {"--help"}, {"node", "--help"}, {"node", "run", "--help"}, {"infer", "--help"}
        }) {
      assertThat(vouch(cmd).code()).as(String.join(" ", cmd)).isZero();
    }
  }
}
