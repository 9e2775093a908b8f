package io.vouch.sdk.onchain;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * An on-chain request as the InferenceHub records it, read by anyone ({@code
 * VouchClient.request(id)}): where it stands, who holds it, what it costs, and the transactions
 * that moved it. Times are chain time in seconds (the latest block's timestamp is {@code
 * chainTime}), the clock the hub checks deadlines and challenge windows against.
 *
 * @param node the node assigned now (after a reassignment, the latest one)
 * @param deadline chain time by which {@code node} must submit
 * @param attempts how many nodes have been assigned so far, of at most {@code maxAttempts}
 * @param maxFeeWei what the requester escrowed
 * @param nodePriceWei what the assigned node is paid at finalization
 * @param modelFeeWei what the model owner is paid at finalization
 * @param outputHash keccak256 of the output, once submitted (zero before)
 * @param finalizableAt chain time from which a submitted result may be finalized (0 before
 *     submission)
 * @param history the hub's events about this request, in chain order
 */
public record RequestRecord(
    BigInteger requestId,
    State state,
    Address requester,
    Bytes32 modelId,
    VerificationLevel level,
    Address node,
    long deadline,
    int attempts,
    int maxAttempts,
    BigInteger maxFeeWei,
    BigInteger nodePriceWei,
    BigInteger modelFeeWei,
    Bytes32 inputHash,
    Bytes32 outputHash,
    long finalizableAt,
    boolean fastDelivery,
    long chainTime,
    List<Event> history) {

  public RequestRecord {
    history = List.copyOf(history);
  }

  /** The hub's {@code Status}, without {@code None} (an unknown request is an error). */
  public enum State {
    /** A node holds it and has until {@code deadline} to submit. */
    ASSIGNED,
    /** A result is on chain; final after the challenge window ({@code finalizableAt}). */
    SUBMITTED,
    /** Settled: node and model owner paid, the rest refunded. */
    FINALIZED,
    /** No node delivered in time: the whole fee went back to the requester. */
    REFUNDED
  }

  /**
   * One step of the request's life: {@code kind} is {@code requested}, {@code assigned}, {@code
   * submitted}, {@code finalized}, {@code refunded}, {@code callback delivered} or {@code callback
   * failed}; {@code detail} says the rest (node, deadline, amounts, reason).
   */
  public record Event(String kind, long blockNumber, String transactionHash, String detail) {}

  /** How final the result is, once there is one. */
  public Optional<Finality> finality() {
    return switch (state) {
      case SUBMITTED -> Optional.of(Finality.SUBMITTED);
      case FINALIZED -> Optional.of(Finality.FINALIZED);
      default -> Optional.empty();
    };
  }

  /** The transaction of the first event of {@code kind}, when there is one. */
  public Optional<String> transaction(String kind) {
    return history.stream()
        .filter(e -> e.kind().equals(kind))
        .map(Event::transactionHash)
        .findFirst();
  }
}
