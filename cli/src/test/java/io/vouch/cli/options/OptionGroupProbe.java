package io.vouch.cli.options;

import io.vouch.chain.VouchDeployment;
import io.vouch.cli.VouchCommand;
import io.vouch.cli.VouchDefaults;
import io.vouch.core.Address;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Parses a command line into one option group as {@code vouch} does: its converters, and defaults
 * from {@code VOUCH_*} variables ({@link VouchDefaults}).
 */
final class OptionGroupProbe {
  static final String RPC = "http://127.0.0.1:8545";

  /** A deployment, as {@code --deployment} names one. */
  static final VouchDeployment DEPLOYMENT =
      new VouchDeployment(
          1337,
          Address.fromHex("0x00000000000000000000000000000000000000b1"),
          Address.fromHex("0x00000000000000000000000000000000000000b2"),
          Address.fromHex("0x00000000000000000000000000000000000000b3"),
          7);

  private OptionGroupProbe() {}

  /** {@link #DEPLOYMENT} written to {@code dir/deployment.json}. */
  static Path deploymentFile(Path dir) {
    Path f = dir.resolve("deployment.json");
    DEPLOYMENT.writeTo(f);
    return f;
  }

  /** {@code --rpc RPC --deployment FILE} and then {@code more}. */
  static String[] onChain(Path deploymentFile, String... more) {
    return Stream.concat(
            Stream.of("--rpc", RPC, "--deployment", deploymentFile.toString()), Stream.of(more))
        .toArray(String[]::new);
  }

  static <T> T parse(T group, String... args) {
    return parse(group, Map.of(), args);
  }

  static <T> T parse(T group, Map<String, String> env, String... args) {
    CommandLine cl = commandLine(group, env);
    cl.parseArgs(args);
    return group;
  }

  /** A command whose only options are the group's, mixed in as a command's {@code @Mixin}. */
  @CommandLine.Command(name = "probe")
  static final class Probe {
    @CommandLine.Mixin final Object group;

    Probe(Object group) {
      this.group = group;
    }
  }

  static CommandLine commandLine(Object group, Map<String, String> env) {
    CommandLine cl = VouchCommand.configure(new CommandLine(new Probe(group)));
    cl.setDefaultValueProvider(new VouchDefaults(env));
    return cl;
  }
}
