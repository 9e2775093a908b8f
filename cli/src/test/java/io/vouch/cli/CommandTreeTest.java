package io.vouch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.cli.VouchProcess.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A call builds only the command it names ({@link VouchCommand#commandLine(String)}), and parses
 * and prints as it would with the whole tree.
 */
class CommandTreeTest {
  @TempDir Path dir;

  @Test
  void aCallNamingACommandBuildsThatCommandAlone() {
    CommandLine model = VouchCommand.commandLine("model");
    assertThat(model.getSubcommands()).containsOnlyKeys("model");
    assertThat(model.getSubcommands().get("model").getSubcommands())
        .containsKeys("push", "list", "show");
    assertThat(VouchCommand.commandLine("train-intents").getSubcommands())
        .containsOnlyKeys("train-intents");
  }

  @Test
  void aCallNamingNoCommandBuildsEveryCommand() {
    int all = VouchCommand.SUBCOMMANDS.size();
    assertThat(VouchCommand.commandLine().getSubcommands()).hasSize(all);
    assertThat(VouchCommand.commandLine((String) null).getSubcommands()).hasSize(all);
    assertThat(VouchCommand.commandLine("--help").getSubcommands()).hasSize(all);
    assertThat(VouchCommand.commandLine("mdoel").getSubcommands()).hasSize(all);
  }

  @Test
  void helpAndMistakesReadAsWithTheWholeTree() {
    VouchProcess vouch = new VouchProcess(dir);
    Run help = vouch.run("--help");
    assertThat(help.code()).isZero();
    for (Class<?> c : VouchCommand.SUBCOMMANDS) {
      String name = c.getAnnotation(CommandLine.Command.class).name();
      assertThat(help.out()).as(name).containsPattern("(?m)^  " + name + " ");
    }
    Run typo = vouch.run("mdoel", "list");
    assertThat(typo.code()).isEqualTo(ExitCodes.FATAL);
    assertThat(typo.err()).contains("vouch: Unmatched arguments from index 0: 'mdoel', 'list'");
    Run sub = vouch.run("model", "lsit");
    assertThat(sub.code()).isEqualTo(ExitCodes.FATAL);
    assertThat(sub.err()).contains("vouch model: Unmatched argument at index 1: 'lsit'");
  }

  @Test
  void everyCommandWithAVersionOptionHasTheVersion() {
    List<String> without = new ArrayList<>();
    walk(VouchCommand.commandLine(), without);
    assertThat(without).as("commands whose --version prints nothing").isEmpty();
  }

  private static void walk(CommandLine cl, List<String> without) {
    CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
    if (spec.findOption("--version") != null
        && spec.findOption("--version").versionHelp()
        && !List.of(spec.version()).equals(List.of("vouch 0.1.0"))) {
      without.add(spec.qualifiedName());
    }
    cl.getSubcommands().values().forEach(sub -> walk(sub, without));
  }

  @Test
  void everyCommandsVersionOptionPrintsTheVersion() {
    VouchProcess vouch = new VouchProcess(dir);
    for (String[] args :
        new String[][] {{"--version"}, {"model", "--version"}, {"zk", "prove", "-V"}}) {
      Run run = vouch.run(args);
      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(run.out().strip()).as(String.join(" ", args)).isEqualTo("vouch 0.1.0");
    }
  }
}
