package io.vouch.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option's value comes from when it is not on the command line (Besu's precedence): the
 * environment variable {@code VOUCH_} + the flag in upper snake case ({@code --chain-id} → {@code
 * VOUCH_CHAIN_ID}), then the properties file named by {@code VOUCH_CONFIG_FILE} (key = the flag
 * without dashes, {@code chain-id=31337}), then the option's own default.
 */
public final class VouchDefaults implements CommandLine.IDefaultValueProvider {
  private final Map<String, String> env;
  private final Properties file;

  public VouchDefaults(Map<String, String> env) {
    this.env = env;
    this.file = new Properties();
    String path = env.get("VOUCH_CONFIG_FILE");
    if (path != null && !path.isBlank()) {
      try (Reader r = Files.newBufferedReader(Path.of(path))) {
        file.load(r);
      } catch (IOException e) {
        throw new CommandLine.ParameterException(
            new CommandLine(new Object()),
            "VOUCH_CONFIG_FILE=" + path + " cannot be read: " + e.getMessage());
      }
    }
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option)) {
      return arg.defaultValue();
    }
    String flag = option.longestName().replaceFirst("^-+", "");
    String fromEnv = env.get("VOUCH_" + flag.toUpperCase(Locale.ROOT).replace('-', '_'));
    if (fromEnv != null) {
      return fromEnv;
    }
    String fromFile = file.getProperty(flag);
    return fromFile != null ? fromFile : option.defaultValue();
  }
}
