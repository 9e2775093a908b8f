package io.vouch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.cli.VouchProcess.Run;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JIT {@code ./vouch} starts each command with ({@code tools/vouch-jvm-options.sh}, run by bash
 * as the launcher sources it): C1 alone for the short client commands, the full JIT for the ones
 * that compute for long. {@code tools/fresh-clone-acceptance.sh} checks the real launcher passes it
 * to the JVM.
 */
class LauncherJvmOptionsTest {
  static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "--help",
        "--version",
        "model list",
        "model show my-model@1",
        "model push my.onnx --name my-model",
        "model push my.onnx --levels vanilla,tee",
        "infer --model my-model@1 --text hi",
        "verify r.json",
        "devnet up --nodes 3",
        "devnet status",
        "request show 1",
        "voucher sign --help",
        "featurize --model m@1 --text hi",
        "tee verify-attestation doc.cose"
      })
  void clientCommandsRunOnC1Alone(String args) {
    assertThat(options(args, Map.of())).containsExactly(C1_ONLY);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "node run --key 0x01",
        "zk compile model.onnx",
        "zk prove --model m.zkmodel",
        "zk verify --model m.zkmodel",
        "bench zkml --models LENET5",
        "demo",
        "train-intents intents.tsv --out my.onnx",
        "model push my.onnx --levels zkml",
        "model push my.onnx --levels vanilla,zkml --name m",
        "model push my.onnx --levels=vanilla,zkml"
      })
  void commandsThatComputeForLongKeepTheFullJit(String args) {
    assertThat(options(args, Map.of())).isEmpty();
  }

  @Test
  void aPushWhoseLevelsComeFromTheEnvironmentIsSeenToo() {
    assertThat(options("model push my.onnx", Map.of("VOUCH_LEVELS", "vanilla,zkml"))).isEmpty();
    assertThat(options("model push my.onnx", Map.of("VOUCH_LEVELS", "vanilla")))
        .containsExactly(C1_ONLY);
  }

  @Test
  void theCliTestsStartTheJvmAsTheLauncherDoes() {
    assertThat(VouchProcess.launcherJvmOptions("model", "list")).containsExactly(C1_ONLY);
    assertThat(VouchProcess.launcherJvmOptions("node", "run")).isEmpty();
  }

  @Test
  void aUsersJavaOptsComeAfterTheLaunchersAndWin() {
    // -XX:+PrintFlagsFinal prints the value the JVM runs with: the user's level 4 over the C1 one.
    Run run =
        new VouchProcess(dir)
            .run(List.of("-XX:TieredStopAtLevel=4", "-XX:+PrintFlagsFinal"), "--version");
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).containsPattern("TieredStopAtLevel\\s+= 4\\s");
    Run plain = new VouchProcess(dir).run(List.of("-XX:+PrintFlagsFinal"), "--version");
    assertThat(plain.out()).containsPattern("TieredStopAtLevel\\s+= 1\\s");
  }

  /** What the launcher's script chooses for {@code args} (split on spaces) under {@code env}. */
  private static List<String> options(String args, Map<String, String> env) {
    return VouchProcess.launcherJvmOptions(env, args.isEmpty() ? new String[0] : args.split(" "));
  }
}
