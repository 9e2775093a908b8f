package io.vouch.bench.finality;

import java.math.BigInteger;
import java.util.List;

/**
 * One request's way through the chain, in block numbers (and the blocks' timestamps, seconds), read
 * from the hub's and the court's events: requested, submitted (the court case opens in the same
 * transaction), the committee drawn, each verdict counted, finalized (the verdict that makes the
 * quorum settles the request in its own transaction). A step that did not happen is -1.
 *
 * @param attempt the assignment whose result was finalized (1 unless a node missed its deadline)
 * @param verdictBlocks the blocks of the counted verdicts of the last round, in chain order
 * @param round the court's round that decided (1 unless a committee missed its window)
 */
public record RequestTimeline(
    BigInteger requestId,
    int attempt,
    long requestedBlock,
    long submittedBlock,
    long drawBlock,
    List<Long> verdictBlocks,
    long finalizedBlock,
    long submittedTime,
    long finalizedTime,
    int round,
    String outcome) {

  public boolean finalized() {
    return finalizedBlock >= 0 && submittedBlock >= 0;
  }

  /** Submission to finalization, in blocks: the figure. */
  public long blocks() {
    return finalized() ? finalizedBlock - submittedBlock : -1;
  }

  /** Submission to finalization by the blocks' timestamps, in seconds. */
  public long seconds() {
    return finalized() ? finalizedTime - submittedTime : -1;
  }

  /** Submission to the committee's draw (the earliest is 2: the seed is the block after). */
  public long toDraw() {
    return drawBlock >= 0 && submittedBlock >= 0 ? drawBlock - submittedBlock : -1;
  }

  /** The draw to the quorum's verdict (which finalizes; the earliest is 1). */
  public long drawToFinal() {
    return drawBlock >= 0 && finalized() ? finalizedBlock - drawBlock : -1;
  }

  /** The request to the node's submission (the node's part, outside the figure). */
  public long requestToSubmit() {
    return requestedBlock >= 0 && submittedBlock >= 0 ? submittedBlock - requestedBlock : -1;
  }
}
