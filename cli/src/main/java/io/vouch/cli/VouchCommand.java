package io.vouch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vouch} command. Exit codes: 0 success, 1 the operation failed in a way a retry or a
 * restart could help (node unreachable, verification failed), 2 fatal (bad usage, bad input).
 */
@Command(
    name = "vouch",
    mixinStandardHelpOptions = true,
    version = "vouch 0.1.0",
    description = "Verifiable AI inference: push ONNX models, run them on nodes, verify results.",
    subcommands = {
      io.vouch.cli.demo.DemoCommand.class,
      io.vouch.cli.devnet.DevnetCommand.class,
      io.vouch.cli.model.ModelCommand.class,
      io.vouch.cli.node.NodeCommand.class,
      InferCommand.class,
      VerifyCommand.class,
      io.vouch.cli.zk.ZkCommand.class,
      io.vouch.cli.zk.BenchCommand.class,
      TeeCommand.class
    })
public final class VouchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new VouchCommand());
    cl.setDefaultValueProvider(new VouchDefaults(System.getenv()));
    cl.setExitCodeExceptionMapper(e -> ExitCodes.FATAL);
    return cl;
  }
}
