package io.vouch.chain.events;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import java.math.BigInteger;

/**
 * The InferenceHub's events, decoded into plain data with core types. Each carries where it was
 * logged ({@link Position}) so that a consumer can journal how far it has read.
 */
public sealed interface HubEvent {
  Position position();

  /** Block number, index of the log in the block, and the transaction that emitted it. */
  record Position(long blockNumber, long logIndex, String transactionHash) {}

  record InferenceRequested(
      Position position,
      BigInteger requestId,
      Address requester,
      Bytes32 modelId,
      int level,
      BigInteger maxFee,
      Bytes32 inputHash,
      byte[] input)
      implements HubEvent {}

  record RequestAssigned(
      Position position, BigInteger requestId, Address node, long deadline, int attempt)
      implements HubEvent {}

  record ResultSubmitted(
      Position position,
      BigInteger requestId,
      Address node,
      Bytes32 outputHash,
      Bytes32 evidenceHash,
      byte[] output,
      long finalizableAt)
      implements HubEvent {}

  record RequestFinalized(
      Position position,
      BigInteger requestId,
      Address node,
      Bytes32 outputHash,
      BigInteger nodePaid,
      BigInteger modelFee,
      BigInteger refund)
      implements HubEvent {}

  record RequestRefunded(
      Position position, BigInteger requestId, Address requester, BigInteger amount, String reason)
      implements HubEvent {}

  record CallbackDelivered(
      Position position, BigInteger requestId, Address callback, boolean finalized)
      implements HubEvent {}

  record CallbackFailed(
      Position position, BigInteger requestId, Address callback, boolean finalized)
      implements HubEvent {}

  /** ETH left the hub; {@code kind} is the Solidity {@code Payout} enum's ordinal. */
  record FundsReleased(
      Position position, Address to, BigInteger amount, int kind, BigInteger reference)
      implements HubEvent {}

  /** A push payout was refused; the amount waits in {@code owedTo(to)} for {@code claim()}. */
  record PayoutDeferred(
      Position position, Address to, BigInteger amount, int kind, BigInteger reference)
      implements HubEvent {}

  record Deposited(Position position, Address payer, BigInteger amount, BigInteger balance)
      implements HubEvent {}

  /** Funds locked into the payer's channel to {@code node}, redeemable by that node only. */
  record ChannelFunded(
      Position position, Address payer, Address node, BigInteger amount, BigInteger channelBalance)
      implements HubEvent {}

  /**
   * The payer asked {@code amount} of its channel to {@code node} back, executable at {@code
   * unlockAt}: the node's signal to redeem what it accepted and to count that amount as gone.
   */
  record UnlockRequested(
      Position position, Address payer, Address node, BigInteger amount, long unlockAt)
      implements HubEvent {}

  /** {@code amount} went from the channel back to the payer's free deposit. */
  record ChannelUnlocked(
      Position position, Address payer, Address node, BigInteger amount, BigInteger channelBalance)
      implements HubEvent {}

  record DepositWithdrawn(Position position, Address payer, BigInteger amount, BigInteger balance)
      implements HubEvent {}

  record VoucherRedeemed(
      Position position,
      Address payer,
      Address node,
      BigInteger cumulativeAmount,
      BigInteger paid,
      BigInteger shortfall)
      implements HubEvent {}

  record ReceiptRootPosted(
      Position position, BigInteger batchId, Address node, Bytes32 root, int count)
      implements HubEvent {}
}
