package io.vouch.sdk.onchain;

import io.vouch.core.Address;
import io.vouch.core.VerificationLevel;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;

/**
 * How to send an on-chain request.
 *
 * @param level the verification level to ask for (the model must allow it)
 * @param maxFeeWei sent with the request and escrowed; what is not spent is refunded
 * @param deadline how long the assigned node has, counted from the latest block's time
 * @param callback a contract implementing {@code IVouchConsumer} to call back, or empty
 * @param callbackGas the gas the callback gets (0 without a callback)
 * @param fastDelivery call back (and let {@code awaitResult} return) at submission, unfinalized
 * @param preferredNode a node to assign when it is eligible and affordable
 */
public record OnChainOptions(
    VerificationLevel level,
    BigInteger maxFeeWei,
    Duration deadline,
    Optional<Address> callback,
    long callbackGas,
    boolean fastDelivery,
    Optional<Address> preferredNode) {

  public OnChainOptions {
    if (maxFeeWei.signum() <= 0) {
      throw new IllegalArgumentException("the fee must be more than 0 wei, got " + maxFeeWei);
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("the deadline must be in the future, got " + deadline);
    }
    if (callbackGas < 0 || callbackGas > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("callback gas must fit in uint32, got " + callbackGas);
    }
    if (callback.isEmpty() && callbackGas != 0) {
      throw new IllegalArgumentException("callback gas without a callback contract");
    }
  }

  /** VANILLA, 10 minutes, no callback, wait for finality. */
  public static OnChainOptions defaults(BigInteger maxFeeWei) {
    return new OnChainOptions(
        VerificationLevel.VANILLA,
        maxFeeWei,
        Duration.ofMinutes(10),
        Optional.empty(),
        0,
        false,
        Optional.empty());
  }

  public OnChainOptions withLevel(VerificationLevel l) {
    return new OnChainOptions(
        l, maxFeeWei, deadline, callback, callbackGas, fastDelivery, preferredNode);
  }

  public OnChainOptions withDeadline(Duration d) {
    return new OnChainOptions(
        level, maxFeeWei, d, callback, callbackGas, fastDelivery, preferredNode);
  }

  public OnChainOptions withCallback(Address contract, long gas) {
    return new OnChainOptions(
        level, maxFeeWei, deadline, Optional.of(contract), gas, fastDelivery, preferredNode);
  }

  public OnChainOptions withFastDelivery(boolean fast) {
    return new OnChainOptions(
        level, maxFeeWei, deadline, callback, callbackGas, fast, preferredNode);
  }

  public OnChainOptions withPreferredNode(Address node) {
    return new OnChainOptions(
        level, maxFeeWei, deadline, callback, callbackGas, fastDelivery, Optional.of(node));
  }
}
