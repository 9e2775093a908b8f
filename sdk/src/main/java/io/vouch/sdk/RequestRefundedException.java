package io.vouch.sdk;

import io.vouch.core.error.ErrorCode;
import java.math.BigInteger;

/**
 * An on-chain request ended without a result: the hub refunded the escrowed fee (every assigned
 * node missed its deadline, or the result was successfully challenged).
 */
public final class RequestRefundedException extends VouchClientException {
  private final BigInteger requestId;
  private final BigInteger amountWei;
  private final String reason;
  private final String transactionHash;

  public RequestRefundedException(
      BigInteger requestId, BigInteger amountWei, String reason, String transactionHash) {
    super(
        ErrorCode.NODE_UNAVAILABLE,
        "request "
            + requestId
            + " was refunded ("
            + amountWei
            + " wei back to the requester in "
            + transactionHash
            + "): "
            + reason
            + "; send it again, perhaps with a later deadline or another preferred node");
    this.requestId = requestId;
    this.amountWei = amountWei;
    this.reason = reason;
    this.transactionHash = transactionHash;
  }

  public BigInteger requestId() {
    return requestId;
  }

  public BigInteger amountWei() {
    return amountWei;
  }

  /** The hub's reason, e.g. {@code "deadline missed by every assigned node"}. */
  public String reason() {
    return reason;
  }

  public String transactionHash() {
    return transactionHash;
  }
}
