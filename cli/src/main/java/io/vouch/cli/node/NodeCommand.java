package io.vouch.cli.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vouch node …}. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Run and inspect Vouch nodes.",
    subcommands = {NodeRunCommand.class})
public final class NodeCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
