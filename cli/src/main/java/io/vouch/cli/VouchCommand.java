package io.vouch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vouch} command. Exit codes ({@link ExitCodes}): 0 success, 1 a retry or a restart
 * could help (node or chain unreachable, verification failed), 2 fatal (bad usage, bad input).
 * Failures are printed by {@link Failure}, the one place that maps them: a message naming the
 * problem, no stack trace, JSON under {@code --json}.
 */
@Command(
    name = "vouch",
    mixinStandardHelpOptions = true,
    version = "vouch 0.1.0",
    description = {
      "Verifiable AI inference: push ONNX models, run them on nodes, verify results.",
      "Every command has --help and --json. Exit codes: 0 success, 1 a retry or restart could"
          + " help (node or chain unreachable, verification failed), 2 fatal (bad usage or"
          + " input). Options can also come from VOUCH_<OPTION> environment variables (VOUCH_RPC)"
          + " or a properties file named by VOUCH_CONFIG_FILE."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  vouch demo",
      "  vouch devnet up --nodes 3",
      "  vouch model push my.onnx --name my-model",
      "  vouch infer --model my-model@1 --input-file x.json --json > r.json",
      "  vouch verify r.json",
      "  vouch request show 1",
      "  vouch devnet down"
    },
    subcommands = {
      io.vouch.cli.demo.DemoCommand.class,
      io.vouch.cli.devnet.DevnetCommand.class,
      io.vouch.cli.model.ModelCommand.class,
      io.vouch.cli.node.NodeCommand.class,
      InferCommand.class,
      RequestCommand.class,
      VerifyCommand.class,
      io.vouch.cli.zk.ZkCommand.class,
      io.vouch.cli.zk.BenchCommand.class,
      TeeCommand.class
    })
public final class VouchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    CommandLine cl;
    try {
      cl = commandLine();
    } catch (RuntimeException e) { // VOUCH_CONFIG_FILE cannot be read
      cl = configure(new CommandLine(new VouchCommand()));
      System.exit(Failure.of(e).report(cl, args, e));
      return;
    }
    System.exit(cl.execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new VouchCommand());
    cl.setDefaultValueProvider(new VouchDefaults(System.getenv()));
    return configure(cl);
  }

  /**
   * Installs what every {@code vouch} command line shares on {@code cl} and its subcommands: the
   * option converters ({@link CliConverters}) and the failure handling ({@link Failure}).
   */
  public static CommandLine configure(CommandLine cl) {
    CliConverters.register(cl);
    cl.setParameterExceptionHandler(
        (e, args) -> Failure.of(e).report(e.getCommandLine(), args, null));
    cl.setExecutionExceptionHandler((e, c, parsed) -> Failure.of(e).report(c, null, e));
    return cl;
  }
}
