package io.vouch.zk.mlp;

/** A valid integer model that this version of the prover cannot prove; the message says why. */
public class UnprovableModelException extends IllegalArgumentException {
  public UnprovableModelException(String message) {
    super(message);
  }
}
