package io.vouch.chain.hub;

/** Solidity {@code InferenceHub.Status}: where an on-chain request stands. */
public enum RequestStatus {
  /** No such request (the hub's default for an unknown id). */
  NONE,
  /** A node holds it and has until its deadline to submit. */
  ASSIGNED,
  /** A result is on chain; it finalizes after the challenge window (or the court's verdict). */
  SUBMITTED,
  /** Settled: node and model owner paid, the rest refunded. */
  FINALIZED,
  /** No node delivered in time: the whole fee went back to the requester. */
  REFUNDED;

  /** The status of the contract's {@code uint8} value. */
  public static RequestStatus of(int ordinal) {
    if (ordinal < 0 || ordinal >= values().length) {
      throw new IllegalArgumentException(
          "InferenceHub.Status has no value " + ordinal + " (0..4: None..Refunded)");
    }
    return values()[ordinal];
  }

  /** Finalized or refunded: nothing more happens to the request. */
  public boolean settled() {
    return this == FINALIZED || this == REFUNDED;
  }
}
