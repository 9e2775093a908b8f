package io.vouch.cli.options;

import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What {@code vouch infer} requires of an inference, which the planner chooses the level and the
 * node from: the weakest level accepted, the most paid, how long a node may take. Turns into core's
 * {@link Requirements}.
 */
public final class RequirementsOptions {
  static final String AUTO = "auto";

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec command;

  @Option(
      names = "--level",
      defaultValue = AUTO,
      paramLabel = "LEVEL",
      completionCandidates = Levels.class,
      description =
          "The weakest level you accept: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})."
              + " auto lets the planner take the weakest level the model allows that a node serves"
              + " within your fee and latency; vanilla, tee or zkml is a floor: that level, or a"
              + " stronger one when no node offers it within your terms.")
  String level;

  @Option(
      names = "--max-fee-wei",
      defaultValue = "10000000000000000",
      paramLabel = "WEI",
      description =
          "The most you pay for this request, node price plus model fee (default:"
              + " ${DEFAULT-VALUE}). Nodes that cost more are not planned.")
  BigInteger maxFeeWei;

  @Option(
      names = "--max-latency",
      paramLabel = "DURATION",
      description =
          "How long a node may take to answer, e.g. 500ms, 2s (default: --timeout). The planner"
              + " passes over a level whose nodes this client saw answer slower, and each call is"
              + " cut off after it and the next node tried.")
  Duration maxLatency;

  /** The values {@code --level} takes. */
  static final class Levels implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      List<String> values = new ArrayList<>();
      values.add(AUTO);
      for (VerificationLevel l : VerificationLevel.values()) {
        values.add(l.name().toLowerCase(Locale.ROOT));
      }
      return values.iterator();
    }
  }

  /**
   * The requirements; {@code --level auto} is no floor (every level is at least VANILLA).
   *
   * @param timeout how long the whole call may take: the latency budget without {@code
   *     --max-latency}
   * @throws CommandLine.ParameterException for an unknown level or a latency that is not positive
   * @throws IllegalArgumentException for a negative fee
   */
  public Requirements toConfig(Duration timeout) {
    VerificationLevel floor = floor();
    Duration latency = maxLatency != null ? maxLatency : timeout;
    if (latency.isNegative() || latency.isZero()) {
      throw usage("--max-latency must be positive, got " + latency);
    }
    return Requirements.defaults()
        .withMinLevel(floor)
        .withMaxFeeWei(maxFeeWei)
        .withMaxLatency(latency);
  }

  private VerificationLevel floor() {
    if (level.strip().equalsIgnoreCase(AUTO)) {
      return VerificationLevel.VANILLA;
    }
    try {
      return VerificationLevel.parse(level);
    } catch (IllegalArgumentException e) {
      throw usage("--level: unknown level '" + level + "'; use one of auto, vanilla, tee, zkml");
    }
  }

  private RuntimeException usage(String message) {
    return command == null
        ? new IllegalArgumentException(message)
        : new CommandLine.ParameterException(command.commandLine(), message);
  }
}
