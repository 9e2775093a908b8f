package io.vouch.cli;

import io.vouch.onnx.OnnxRuntimeLogging;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
      "  vouch train-intents intents.tsv --out my.onnx",
      "  vouch model push my.onnx --name my-model",
      "  vouch infer --model my-model@1 --input-file x.json --json > r.json",
      "  vouch verify r.json",
      "  vouch request show 1",
      "  vouch devnet down"
    })
public final class VouchCommand implements Runnable {
  /**
   * The subcommands, in the order of {@code vouch --help}. Not in the annotation: picocli builds
   * every command it is given (reflection over each class, static initializers such as Jackson's),
   * half a second of each call's start, so {@link #commandLine(String)} builds only the one named.
   */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          io.vouch.cli.demo.DemoCommand.class,
          io.vouch.cli.devnet.DevnetCommand.class,
          io.vouch.cli.model.ModelCommand.class,
          io.vouch.cli.node.NodeCommand.class,
          io.vouch.cli.intents.TrainIntentsCommand.class,
          io.vouch.cli.intents.FeaturizeCommand.class,
          InferCommand.class,
          RequestCommand.class,
          VerifyCommand.class,
          io.vouch.cli.voucher.VoucherCommand.class,
          io.vouch.cli.zk.ZkCommand.class,
          io.vouch.cli.zk.BenchCommand.class,
          TeeCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Commands that load models on ONNX Runtime in this process. Its warnings (ANSI-coloured lines
   * from native code, such as an unused initializer) are advice for the model's author, not output
   * of a command or of a node's log; {@code VOUCH_DEBUG=1} keeps them.
   */
  static final Set<String> LOADS_MODELS = Set.of("node", "train-intents", "model", "zk");

  public static void main(String[] args) {
    if (args.length > 0 && LOADS_MODELS.contains(args[0]) && !debug(System.getenv())) {
      OnnxRuntimeLogging.errorsOnly();
    }
    CommandLine cl;
    try {
      cl = commandLine(args.length > 0 ? args[0] : null);
    } catch (RuntimeException e) { // VOUCH_CONFIG_FILE cannot be read
      cl = configure(new CommandLine(new VouchCommand()));
      System.exit(Failure.of(e).report(cl, args, e));
      return;
    }
    System.exit(cl.execute(args));
  }

  static boolean debug(Map<String, String> env) {
    String d = env.get("VOUCH_DEBUG");
    return d != null && !d.isBlank() && !d.equals("0");
  }

  /** The whole command tree. */
  public static CommandLine commandLine() {
    return commandLine(null);
  }

  /**
   * The command tree for a call whose first argument is {@code first}: the root with only the
   * subcommand that {@code first} names (and everything under it), or with every subcommand when it
   * names none (no argument, {@code --help}, a misspelt command: the error lists the usage). What a
   * call parses and prints is the same either way: only the named subcommand's tree takes part in
   * it.
   */
  static CommandLine commandLine(String first) {
    CommandLine cl = new CommandLine(new VouchCommand());
    List<Class<?>> named =
        SUBCOMMANDS.stream().filter(c -> first != null && names(c).contains(first)).toList();
    for (Class<?> c : named.isEmpty() ? SUBCOMMANDS : named) {
      cl.addSubcommand(c); // before the settings below: picocli applies them to those present
    }
    sameVersion(cl, cl.getCommandSpec().version());
    cl.setDefaultValueProvider(new VouchDefaults(System.getenv()));
    return configure(cl);
  }

  /** {@code vouch model --version} prints what {@code vouch --version} does, not an empty line. */
  private static void sameVersion(CommandLine cl, String[] version) {
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getCommandSpec().version().length == 0) {
        sub.getCommandSpec().version(version);
      }
      sameVersion(sub, version);
    }
  }

  private static List<String> names(Class<?> command) {
    Command c = command.getAnnotation(Command.class);
    List<String> names = new ArrayList<>(List.of(c.aliases()));
    names.add(c.name());
    return names;
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
