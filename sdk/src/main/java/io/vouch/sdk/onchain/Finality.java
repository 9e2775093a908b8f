package io.vouch.sdk.onchain;

/** How settled an on-chain result is. */
public enum Finality {
  /**
   * The assigned node submitted the result with a receipt the hub checked (signature of the
   * assigned node, output hash), but the challenge window is open: a successful challenge can still
   * refund the request and slash the node. Act on it only if being wrong is cheap.
   */
  SUBMITTED,
  /** The challenge window passed and the hub settled: the node and model owner are paid. Final. */
  FINALIZED
}
