package io.vouch.sdk.onchain;

/**
 * How settled an on-chain result is. Who checked it is {@link OnChainVerification} ({@link
 * OnChainResult#verification()}).
 */
public enum Finality {
  /**
   * The assigned node submitted the result with a receipt the hub checked (signature of the
   * assigned node, output hash), but it is not settled: a VANILLA result waits for its challenge
   * window (and, through the VerificationCourt, for its audit lottery and any audit or challenge),
   * a ZKML result routed through the court for a committee's quorum. It can still be overturned:
   * act on it only if being wrong is cheap.
   */
  SUBMITTED,
  /**
   * The hub settled: the node and the model owner are paid. Final: after the challenge window, at a
   * committee's VALID quorum (ZKML, audited VANILLA) or, for TEE, at submission with an active
   * enclave key.
   */
  FINALIZED
}
