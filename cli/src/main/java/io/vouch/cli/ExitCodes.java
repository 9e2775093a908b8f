package io.vouch.cli;

import io.vouch.core.error.ErrorCode;

/**
 * What the {@code vouch} command's exit codes mean, and the one place that decides which failure
 * gets which (Teku's convention): 0 success, 1 a retry or restart could help, 2 fatal.
 */
public final class ExitCodes {
  /** It worked. */
  public static final int OK = 0;

  /**
   * It failed in a way a retry or restart could help: a node or the chain unreachable or too slow,
   * no eligible node yet, a result that failed verification (ask again, elsewhere).
   */
  public static final int FAILED = 1;

  /**
   * Fatal: bad usage or bad input (a missing or malformed file, a model that does not exist or does
   * not allow the level, an input over a node's limit); running it again unchanged fails again.
   */
  public static final int FATAL = 2;

  private ExitCodes() {}

  /**
   * The exit code of a failure named {@code code}: the caller's own mistakes (the 4xx codes: bad
   * input, unknown model, level not allowed, payload too large, invalid model) are fatal; a payment
   * the node wants, a result that failed verification, a step the chain's clock has not reached yet
   * (too early) and everything on the network's side (no eligible node, node unavailable, chain
   * error, internal) may succeed when tried again.
   */
  public static int of(ErrorCode code) {
    return switch (code) {
      case PAYMENT_REQUIRED, VERIFICATION_FAILED, TOO_EARLY -> FAILED;
      default -> code.httpStatus() >= 400 && code.httpStatus() < 500 ? FATAL : FAILED;
    };
  }
}
