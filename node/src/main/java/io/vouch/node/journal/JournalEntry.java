package io.vouch.node.journal;

import io.vouch.core.Bytes32;
import java.math.BigInteger;

/** One line of the node's journal. */
public sealed interface JournalEntry {
  /**
   * The node took an assigned on-chain request (attempt = the hub's attempt number), with what it
   * needs to execute it after a restart: model, level and the input's canonical bytes.
   */
  record Accepted(
      BigInteger requestId, int attempt, long deadline, Bytes32 modelId, int level, byte[] input)
      implements JournalEntry {}

  /** The node's result for the request is on chain (transaction hash). */
  record Submitted(BigInteger requestId, int attempt, String txHash) implements JournalEntry {}

  /** The request is settled: paid, refunded or reassigned away; nothing more to do for it. */
  record Closed(BigInteger requestId, String how) implements JournalEntry {}

  /** Every event up to and including this block has been handled. */
  record Checkpoint(long block) implements JournalEntry {}

  /** Receipt sequence numbers up to this one may have been used; a restart starts above it. */
  record SequenceReserved(long upTo) implements JournalEntry {}
}
