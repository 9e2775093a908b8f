package io.vouch.chain.hub;

import io.vouch.core.Address;
import java.math.BigInteger;

/**
 * What a keeper's move did to a request ({@link Keeper}): it went through (finalized, reassigned,
 * refunded), or the hub would not take it yet or any more, recognised from the hub's refusal by
 * selector or from the request read beforehand.
 */
public sealed interface KeeperMove {
  BigInteger requestId();

  /** A submitted result was settled: node and model owner paid, the rest refunded. */
  record Finalized(BigInteger requestId, String transactionHash) implements KeeperMove {}

  /** The deadline passed and another eligible node got the request, until {@code deadline}. */
  record Reassigned(BigInteger requestId, String transactionHash, Address node, long deadline)
      implements KeeperMove {}

  /** The deadline passed and no node or attempt was left: the whole fee went back. */
  record Refunded(BigInteger requestId, String transactionHash, BigInteger amount)
      implements KeeperMove {}

  /**
   * Not yet: the hub takes the move from chain time {@code dueAt} on (the end of the challenge
   * window, or the second after the deadline).
   *
   * @param reason what the hub said, or what the request read beforehand showed
   */
  record TooEarly(BigInteger requestId, long dueAt, String reason) implements KeeperMove {}

  /**
   * The request is not in the state the move needs (it is {@code status}): settled already, moved
   * first by another keeper, or never made.
   */
  record NothingToDo(BigInteger requestId, RequestStatus status, String reason)
      implements KeeperMove {}

  /**
   * The request was routed through the VerificationCourt and its case is not decided: only the
   * court's verdict settles it.
   */
  record VerificationPending(BigInteger requestId, String reason) implements KeeperMove {}
}
