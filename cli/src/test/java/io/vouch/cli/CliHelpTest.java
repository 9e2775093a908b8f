package io.vouch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.cli.VouchProcess.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /** Help width: picocli's default usage width, which the CLI keeps. */
  static final int WIDTH = 80;

  /** The first line of an option's (or a parameter's) entry: {@code -h, --help Show …}. */
  static final Pattern OPTION_ENTRY =
      Pattern.compile(
          "^(?:  -\\w, |      )(?:-{1,2}\\w\\S*(?:, --\\S+)?|[A-Z<\\[]\\S*)(?:\\s{2,}\\S.*)?$");

  static final Map<List<String>, Run> HELP = new ConcurrentHashMap<>();

  static Run vouch(String... args) {
    return new VouchProcess(dir).run(args);
  }

  /** {@code vouch COMMAND --help}, run once per command for all tests. */
  static Run help(List<String> command) {
    return HELP.computeIfAbsent(
        command,
        c -> {
          List<String> args = new ArrayList<>(c);
          args.add("--help");
          return vouch(args.toArray(String[]::new));
        });
  }

  @Test
  void everyCommandHasHelpWithExamples() {
    for (List<String> command : COMMANDS) {
      String args = String.join(" ", command) + " --help";

      Run r = help(command);

      assertThat(r.code()).as(args + "\n" + r).isZero();
      assertThat(r.err()).as("nothing on stderr (picocli warnings): " + args).isEmpty();
      assertThat(r.out())
          .as(args)
          .contains("Usage: vouch " + String.join(" ", command))
          .contains("Examples:");
      String examples = r.out().substring(r.out().indexOf("Examples:") + "Examples:".length());
      assertThat(examples.lines().filter(l -> !l.isBlank()))
          .as("examples fit the width, none is wrapped: " + args)
          .allSatisfy(l -> assertThat(l).matches("  vouch .*|      \\S.*"));
    }
  }

  /**
   * Each option's and parameter's description is whole sentences: it ends with a full stop, and no
   * line of it stops short without a punctuation mark where the next word would still have fit (a
   * line broken mid-sentence, e.g. a description split into two strings, rather than wrapped).
   */
  @Test
  void everyOptionDescriptionIsWholeSentences() {
    for (List<String> command : COMMANDS) {
      String args = String.join(" ", command) + " --help";
      List<List<String>> entries = optionEntries(help(command).out());
      assertThat(entries).as(args).isNotEmpty();
      for (List<String> lines : entries) {
        String option = lines.getFirst().strip().split("\\s+")[0];
        String what = args + ", " + option + ":\n" + String.join("\n", lines);
        List<String> description =
            lines.getFirst().strip().contains("  ") ? lines : lines.subList(1, lines.size());
        assertThat(description).as("a description: " + what).isNotEmpty();
        assertThat(description.getLast().strip())
            .as("ends a sentence: " + what)
            .matches(".*[.!?]\\)?");
        for (int i = 0; i + 1 < description.size(); i++) {
          String line = description.get(i);
          String nextWord = description.get(i + 1).strip().split("\\s+")[0];
          if (!line.matches(".*[.:;!?]")) {
            assertThat(line.length() + 1 + nextWord.length())
                .as("line %d broken before '%s' although it fits: %s", i + 1, nextWord, what)
                .isGreaterThanOrEqualTo(WIDTH);
          }
        }
      }
    }
  }

  /** The option and parameter entries of a help text, each as its lines (the first names it). */
  static List<List<String>> optionEntries(String help) {
    List<List<String>> entries = new ArrayList<>();
    List<String> current = null;
    for (String line : help.split("\n")) {
      Matcher m = OPTION_ENTRY.matcher(line);
      if (m.matches()) {
        current = new ArrayList<>(List.of(line));
        entries.add(current);
      } else if (current != null && line.matches("\\s{10,}\\S.*")) {
        current.add(line);
      } else {
        current = null;
      }
    }
    return entries;
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
