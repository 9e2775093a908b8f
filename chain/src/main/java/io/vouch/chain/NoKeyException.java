package io.vouch.chain;

/**
 * A client made without a key was asked to send a transaction: it can read the contracts, not
 * change them. {@link #purpose()} says what it was asked to do.
 */
public final class NoKeyException extends ChainException {
  private final String purpose;

  public NoKeyException(String contract, String purpose) {
    super(
        "this "
            + contract
            + " client has no key, so it cannot "
            + purpose
            + "; give it the key of the account that sends");
    this.purpose = purpose;
  }

  /** What the client was asked to do ({@code settle a request}, {@code publish a model}, …). */
  public String purpose() {
    return purpose;
  }
}
