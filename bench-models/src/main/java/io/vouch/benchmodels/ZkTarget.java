package io.vouch.benchmodels;

import java.util.ArrayList;
import java.util.List;

/**
 * Issue 13's targets for one benchmark model, written down once (2 cores, warm JVM, batch 1; the
 * ratios against the integer inference measured in the same run): a proof within {@link
 * #proveMillis} where the table gives one, a prover at most {@value
 * #MAX_PROVER_OVER_INFERENCE}× the integer inference, a verification at most {@value
 * #MAX_VERIFY_OVER_PROVE} of the proof, at least {@value #MIN_SOUNDNESS_BITS} bits of soundness,
 * and memory within {@link #memoryBytes} where the table gives a bound.
 *
 * @param proveMillis the most a proof may take (wall clock, milliseconds), or NaN where the issue
 *     sets none for this model
 * @param memoryBytes the most memory the model may take (bytes), or 0 where the issue sets none
 */
public record ZkTarget(double proveMillis, long memoryBytes) {
  /** Prover ≤ 10× the integer inference at batch 1, for every model. */
  public static final double MAX_PROVER_OVER_INFERENCE = 10;

  /** Verification ≤ 1/10 of the proving time, for every model. */
  public static final double MAX_VERIFY_OVER_PROVE = 0.1;

  /** Soundness ≥ 100 bits for every model. */
  public static final double MIN_SOUNDNESS_BITS = 100;

  /** The targets every model has and nothing more. */
  public static final ZkTarget COMMON = new ZkTarget(Double.NaN, 0);

  public ZkTarget {
    if (!(Double.isNaN(proveMillis) || proveMillis > 0) || memoryBytes < 0) {
      throw new IllegalArgumentException("a target is positive (NaN or 0 where there is none)");
    }
  }

  /** A proof within the given milliseconds, and the targets of every model. */
  public static ZkTarget prove(double millis) {
    return new ZkTarget(millis, 0);
  }

  /** The short names of the targets a measured row misses (as the bench table prints them). */
  public List<String> missed(
      double measuredProveMillis,
      double proverOverInference,
      double verifyOverProve,
      double soundnessBits,
      double memoryBytesMeasured) {
    List<String> missed = missedTimes(measuredProveMillis, proverOverInference, verifyOverProve);
    if (!(soundnessBits >= MIN_SOUNDNESS_BITS)) {
      missed.add("bits");
    }
    if (memoryBytes > 0 && !(memoryBytesMeasured <= memoryBytes)) {
      missed.add("memory"); // NaN (not measured) does not count as met
    }
    return missed;
  }

  /**
   * The time targets alone (prove, prove/inf, verify/prove) a measurement misses: for a run that
   * measures times only, as JMH's ({@code ZkmlReport}).
   */
  public List<String> missedTimes(
      double measuredProveMillis, double proverOverInference, double verifyOverProve) {
    List<String> missed = new ArrayList<>();
    if (!Double.isNaN(proveMillis) && !(measuredProveMillis <= proveMillis)) {
      missed.add("prove");
    }
    if (!(proverOverInference <= MAX_PROVER_OVER_INFERENCE)) {
      missed.add("prove/inf");
    }
    if (!(verifyOverProve <= MAX_VERIFY_OVER_PROVE)) {
      missed.add("verify/prove");
    }
    return missed;
  }

  /** The targets, as a reader checks them: {@code prove ≤ 60 ms, prove/inf ≤ 10×, …}. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    if (!Double.isNaN(proveMillis)) {
      s.append(
          proveMillis >= 1000
              ? String.format(java.util.Locale.ROOT, "prove ≤ %.0f s, ", proveMillis / 1000)
              : String.format(java.util.Locale.ROOT, "prove ≤ %.0f ms, ", proveMillis));
    }
    s.append(
        String.format(
            java.util.Locale.ROOT,
            "prove/inf ≤ %.0f×, verify/prove ≤ %.1f, bits ≥ %.0f",
            MAX_PROVER_OVER_INFERENCE,
            MAX_VERIFY_OVER_PROVE,
            MIN_SOUNDNESS_BITS));
    if (memoryBytes > 0) {
      s.append(String.format(java.util.Locale.ROOT, ", memory ≤ %.0f GB", memoryBytes / 1e9));
    }
    return s.toString();
  }
}
