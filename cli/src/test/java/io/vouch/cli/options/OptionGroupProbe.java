package io.vouch.cli.options;

import io.vouch.cli.VouchCommand;
import io.vouch.cli.VouchDefaults;
import java.util.Map;
import picocli.CommandLine;

/**
 * Parses a command line into one option group as {@code vouch} does: its converters, and defaults
 * from {@code VOUCH_*} variables ({@link VouchDefaults}).
 */
final class OptionGroupProbe {
  private OptionGroupProbe() {}

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
