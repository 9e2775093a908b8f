package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The kit's Foundry layout works as a user would run it: {@code forge test --force} (a full
 * compile) in {@code contracts/kit}, offline, with the pinned solc behind {@code solc.mjs} — the
 * test template ({@code test/ExampleConsumer.t.sol}) deploys the real contracts and passes. Skips
 * with a message when forge is not installed, except under CI (CI=true), where {@code .ci/run}
 * installs it through {@code tools/ensure-node-tools.sh} and its absence is a failure.
 */
class ConsumerKitForgeTest {
  private static final Pattern SUMMARY =
      Pattern.compile("(\\d+) tests passed, (\\d+) failed, (\\d+) skipped");

  @Test
  void theTestTemplatePassesUnderForgeOfflineWithThePinnedSolc() throws Exception {
    Path forge = forge();
    Path out = Files.createTempFile("forge-test", ".log");
    Process p =
        new ProcessBuilder(forge.toString(), "test", "--force", "--offline", "--color", "never")
            .directory(KitArtifacts.kitFolder().toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("forge test did not finish in 10 minutes; output:%n%s", Files.readString(out));
    }
    String log = Files.readString(out, StandardCharsets.UTF_8);
    Files.deleteIfExists(out);

    assertThat(p.exitValue()).as("forge test exit code; output:%n%s", log).isZero();
    Matcher m = SUMMARY.matcher(log);
    assertThat(m.find()).as("a forge summary line in:%n%s", log).isTrue();
    assertThat(Integer.parseInt(m.group(1))).as(log).isGreaterThanOrEqualTo(6);
    assertThat(m.group(2)).isEqualTo("0");
    assertThat(log).contains("Solc 0.8.37").contains("[PASS] testFuzz_int32RoundTrip");
  }

  /** The pinned forge (root package.json) or FORGE; skips (outside CI) when there is none. */
  static Path forge() throws IOException {
    String env = System.getenv("FORGE");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String platform =
        (os.contains("mac") ? "darwin" : os.contains("win") ? "win32" : "linux")
            + "-"
            + (arch.contains("aarch64") || arch.contains("arm64") ? "arm64" : "amd64");
    Path binary =
        KitArtifacts.root().resolve("node_modules/@foundry-rs/forge-" + platform + "/bin/forge");
    if (!Files.isExecutable(binary)) {
      String why =
          "forge is not installed at "
              + binary
              + "; run 'bash tools/ensure-node-tools.sh' (root package.json pins @foundry-rs/forge)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + " — CI installs it, so its absence is a failure here");
      }
      Assumptions.abort(why);
    }
    return binary;
  }
}
