package io.vouch.chain.hub;

import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.core.Address;
import java.math.BigInteger;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The keeper's moves on the InferenceHub, which anyone may make: finalize a submitted result once
 * its challenge window is over, and reassign (or, after the last attempt, refund) a request whose
 * node missed its deadline. The node's on-chain worker makes them on its own schedule ({@link
 * #finalizeResult}, {@link #reassignOrRefund}); the SDK's {@code settle} lets {@link #settle}
 * choose the move from the request's state. Either way the hub's refusals come back as {@link
 * KeeperMove}s; a refusal this class does not know is thrown as the {@link
 * ContractRevertException}, a transport failure as a {@code ChainException}.
 */
public final class Keeper {
  private final InferenceHubClient hub;

  Keeper(InferenceHubClient hub) {
    this.hub = hub;
  }

  /**
   * The move {@code requestId} is due for now: finalize a submitted result whose challenge window
   * has passed, reassign or refund an assigned request whose deadline has passed; {@link
   * KeeperMove.TooEarly} (no transaction) before then, {@link KeeperMove.NothingToDo} for a settled
   * or unknown request.
   */
  public KeeperMove settle(BigInteger requestId) {
    HubRequest r = hub.getRequest(requestId);
    long now = hub.chainTime();
    return switch (r.status()) {
      case NONE, FINALIZED, REFUNDED ->
          new KeeperMove.NothingToDo(requestId, r.status(), "request is " + r.status());
      case SUBMITTED -> {
        if (now < r.finalizableAt()) {
          yield new KeeperMove.TooEarly(
              requestId,
              r.finalizableAt(),
              "the challenge window is open until chain time " + r.finalizableAt());
        }
        yield finalizeResult(requestId);
      }
      case ASSIGNED -> {
        // The hub wants block.timestamp > deadline; the next block's time is at least the latest.
        if (now <= r.deadline()) {
          yield new KeeperMove.TooEarly(
              requestId,
              r.deadline() + 1,
              "the node has until its deadline, chain time " + r.deadline());
        }
        yield reassignOrRefund(requestId);
      }
    };
  }

  /** {@code finalize(requestId)}: settles a submitted result after its challenge window. */
  public KeeperMove finalizeResult(BigInteger requestId) {
    try {
      TransactionReceipt r = hub.finalizeTx(requestId);
      return new KeeperMove.Finalized(requestId, r.getTransactionHash());
    } catch (ContractRevertException e) {
      return refusal(requestId, e);
    }
  }

  /**
   * {@code reassignOrRefund(requestId)}: after the deadline, another eligible node gets the request
   * while attempts remain, else the requester gets the whole fee back.
   */
  public KeeperMove reassignOrRefund(BigInteger requestId) {
    TransactionReceipt r;
    try {
      r = hub.reassignOrRefundTx(requestId);
    } catch (ContractRevertException e) {
      return refusal(requestId, e);
    }
    var assigned = InferenceHub.getRequestAssignedEvents(r);
    if (!assigned.isEmpty()) {
      return new KeeperMove.Reassigned(
          requestId,
          r.getTransactionHash(),
          Address.fromHex(assigned.getFirst().node),
          assigned.getFirst().deadline.longValueExact());
    }
    var refunded = InferenceHub.getRequestRefundedEvents(r);
    return new KeeperMove.Refunded(
        requestId,
        r.getTransactionHash(),
        refunded.isEmpty() ? BigInteger.ZERO : refunded.getFirst().amount);
  }

  private static KeeperMove refusal(BigInteger requestId, ContractRevertException e) {
    HubError error = HubError.of(e).orElseThrow(() -> e);
    return switch (error) {
      case CHALLENGE_WINDOW_OPEN ->
          new KeeperMove.TooEarly(requestId, uint(e, "finalizableAt"), e.getMessage());
      case DEADLINE_NOT_REACHED ->
          new KeeperMove.TooEarly(requestId, uint(e, "deadline") + 1, e.getMessage());
      case REQUEST_NOT_SUBMITTED, REQUEST_NOT_ASSIGNED ->
          new KeeperMove.NothingToDo(
              requestId, RequestStatus.of((int) uint(e, "status")), e.getMessage());
      case UNKNOWN_REQUEST ->
          new KeeperMove.NothingToDo(requestId, RequestStatus.NONE, e.getMessage());
      case VERIFICATION_PENDING -> new KeeperMove.VerificationPending(requestId, e.getMessage());
      default -> throw e;
    };
  }

  private static long uint(ContractRevertException e, String argument) {
    return ((BigInteger) e.argument(argument)).longValueExact();
  }
}
