package io.vouch.cli.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vouch node …}. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Run Vouch nodes, and take one out of service and its stake back.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  vouch node run --key 0x<64 hex> --rpc http://127.0.0.1:8545 \\",
      "      --deployment deployment.json --model-hub http://127.0.0.1:8081",
      "  vouch node unregister --key 0x<64 hex>",
      "  vouch node withdraw --key 0x<64 hex>"
    },
    subcommands = {NodeRunCommand.class, NodeUnregisterCommand.class, NodeWithdrawCommand.class})
public final class NodeCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
