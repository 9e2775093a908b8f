package io.vouch.sdk.payment;

import io.vouch.core.error.ErrorCode;
import io.vouch.sdk.VouchClientException;

/**
 * A voucher for a node needs more than that node's channel and the payer's free deposit hold
 * together. The direct path then tries a node whose channel can still pay; when none can, the
 * caller gets this (BAD_INPUT: deposit more, or unlock a channel).
 */
public final class InsufficientDepositException extends VouchClientException {
  public InsufficientDepositException(String message) {
    super(ErrorCode.BAD_INPUT, message);
  }
}
