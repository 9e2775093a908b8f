package io.vouch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.cli.VouchProcess.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --help} as a user reads it, from {@code vouch} run as a process. */
class CliHelpTest {
  @TempDir static Path dir;

  static final List<List<String>> COMMANDS =
      List.of(
          List.of("demo"),
          List.of("devnet"),
          List.of("devnet", "up"),
          List.of("devnet", "down"),
          List.of("devnet", "status"),
          List.of("model"),
          List.of("model", "push"),
          List.of("model", "list"),
          List.of("model", "show"),
          List.of("node"),
          List.of("node", "run"),
          List.of("train-intents"),
          List.of("featurize"),
          List.of("node", "unregister"),
          List.of("node", "withdraw"),
          List.of("infer"),
          List.of("request"),
          List.of("request", "show"),
          List.of("request", "settle"),
          List.of("request", "refund"),
          List.of("verify"),
          List.of("voucher"),
          List.of("voucher", "sign"),
          List.of("zk", "compile"),
          List.of("zk", "prove"),
          List.of("zk", "verify"),
          List.of("bench", "zkml"),
          List.of("tee", "verify-attestation"));

  static Run vouch(String... args) {
    return new VouchProcess(dir).run(args);
  }

  @Test
  void everyCommandHasHelpWithExamples() {
    for (List<String> command : COMMANDS) {
      List<String> args = new ArrayList<>(command);
      args.add("--help");

      Run r = vouch(args.toArray(String[]::new));

      assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isZero();
      assertThat(r.out())
          .as(String.join(" ", args))
          .contains("Usage: vouch " + String.join(" ", command))
          .contains("Examples:");
      String examples = r.out().substring(r.out().indexOf("Examples:") + "Examples:".length());
      assertThat(examples.lines().filter(l -> !l.isBlank()))
          .as("examples fit the width, none is wrapped: " + String.join(" ", args))
          .allSatisfy(l -> assertThat(l).matches("  vouch .*|      \\S.*"));
    }
  }

  @Test
  void modelPushHelpShowsHelpAndTheModelVersionOption() {
    Run r = vouch("model", "push", "--help");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("-h, --help").contains("--version=N").contains("next version");
    assertThat(r.err()).isEmpty();
  }

  /** Each command's summary in {@code vouch --help} is a whole sentence, not a cut-off line. */
  @Test
  void theCommandListShowsWholeSentences() {
    Run r = vouch("--help");

    List<String> summaries = new ArrayList<>();
    boolean inCommands = false;
    for (String line : r.out().split("\n")) {
      if (line.startsWith("Commands:")) {
        inCommands = true;
      } else if (inCommands && line.matches("  \\S.*")) {
        summaries.add(line.strip().replaceFirst("^\\S+\\s+", ""));
      } else if (inCommands && line.matches("\\s{3,}\\S.*")) {
        int last = summaries.size() - 1;
        summaries.set(last, summaries.get(last) + " " + line.strip());
      } else if (inCommands) {
        inCommands = false;
      }
    }
    assertThat(summaries)
        .hasSize(VouchCommand.commandLine().getSubcommands().size())
        .allSatisfy(s -> assertThat(s).endsWith("."));
  }

  @Test
  void levelListsItsValues() {
    assertThat(vouch("infer", "--help").out().replaceAll("\\s+", " "))
        .contains("auto, vanilla, tee, zkml");
  }
}
