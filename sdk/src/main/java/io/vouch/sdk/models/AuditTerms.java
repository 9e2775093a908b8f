package io.vouch.sdk.models;

import io.vouch.evidence.ToleranceRule;

/**
 * How a model version's VANILLA results are audited, chosen by its owner at publication and fixed
 * for the version's life (the ModelRegistry records both): the chance that a result is drawn for a
 * committee's re-execution, and the rule the committee compares the outputs under.
 *
 * @param rateBps the audit rate in basis points, 0 (only challenges protect its results) to 10,000
 *     (every result is audited)
 * @param tolerance how outputs are compared: {@link ToleranceRule#DEFAULT} (the same argmax, every
 *     element within 1e-4) absorbs ONNX Runtime's last-bit differences across CPUs; {@link
 *     ToleranceRule#EXACT} for models with integer outputs
 */
public record AuditTerms(int rateBps, ToleranceRule tolerance) {
  public AuditTerms {
    if (rateBps < 0 || rateBps > 10_000) {
      throw new IllegalArgumentException(
          "an audit rate is 0 % to 100 % (0 to 10,000 basis points), got " + rateBps + " bps");
    }
    if (tolerance == null) {
      throw new IllegalArgumentException(
          "give the tolerance rule audits compare under (exact or argmax:EPS)");
    }
  }

  /**
   * A rate as a user writes it: a percentage ({@code 10%}, {@code 2.5%}) or basis points ({@code
   * 250bps}).
   *
   * @throws IllegalArgumentException naming the forms accepted
   */
  public static int parseRate(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.endsWith("bps") && t.length() <= 8) {
        int bps = Integer.parseInt(t.substring(0, t.length() - 3).trim());
        if (bps >= 0 && bps <= 10_000) {
          return bps;
        }
      } else if (t.endsWith("%") && t.length() <= 10) {
        java.math.BigDecimal bps =
            new java.math.BigDecimal(t.substring(0, t.length() - 1).trim())
                .movePointRight(2)
                .stripTrailingZeros();
        if (bps.scale() <= 0
            && bps.signum() >= 0
            && bps.compareTo(java.math.BigDecimal.valueOf(10_000)) <= 0) {
          return bps.intValueExact();
        }
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // refused below
    }
    throw new IllegalArgumentException(
        "the audit rate '"
            + text
            + "' is not a rate from 0 % to 100 %; write it as a percentage with at most two"
            + " decimals (10%, 2.5%) or in basis points (250bps)");
  }

  /** The rate as a percentage, e.g. {@code 10 %} or {@code 2.5 %}. */
  public static String percent(int rateBps) {
    return java.math.BigDecimal.valueOf(rateBps, 2).stripTrailingZeros().toPlainString() + " %";
  }
}
