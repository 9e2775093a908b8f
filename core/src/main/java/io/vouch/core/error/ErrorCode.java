package io.vouch.core.error;

/** Stable error names shared by the HTTP API, the SDK and the CLI. */
public enum ErrorCode {
  BAD_INPUT(400),
  /** The node charges for this request: attach a (higher) payment voucher and retry. */
  PAYMENT_REQUIRED(402),
  UNKNOWN_MODEL(404),
  UNSUPPORTED_LEVEL(400),
  PAYLOAD_TOO_LARGE(413),
  INVALID_MODEL(422),
  VERIFICATION_FAILED(422),
  /**
   * Not yet: the chain's clock has not reached the time this needs (a request's deadline or
   * challenge window, a node's unbonding delay); the message says when. The same call succeeds
   * then.
   */
  TOO_EARLY(425),
  NO_ELIGIBLE_NODE(503),
  NODE_UNAVAILABLE(503),
  CHAIN_ERROR(502),
  INTERNAL(500);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
