package io.vouch.node.journal;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Signature;
import java.math.BigInteger;

/** One line of the node's journal. */
public sealed interface JournalEntry {
  /**
   * The deployment the journal's entries belong to, written as its first entry: the chain, the
   * InferenceHub, the block the contracts were deployed in and that block's hash. The hash tells
   * two chains apart that share everything else (a restarted devnet deploys the same addresses at
   * the same block numbers); request ids, checkpoints, vouchers and receipt numbers of one
   * deployment mean nothing on another.
   */
  record Deployment(long chainId, Address hub, long deployedAtBlock, Bytes32 deploymentBlockHash)
      implements JournalEntry {
    /** How messages name it. */
    public String describe() {
      return "chain "
          + chainId
          + ", InferenceHub "
          + hub.toHex()
          + " deployed at block "
          + deployedAtBlock
          + " (block hash "
          + deploymentBlockHash.toHex()
          + ")";
    }
  }

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

  /**
   * The node accepted a direct-path payment: from now on it holds this voucher (the highest one
   * from {@code payer}, which replaces any earlier one) and will redeem it.
   */
  record VoucherHeld(Address payer, BigInteger cumulativeAmount, Signature signature)
      implements JournalEntry {}

  /**
   * {@code redeemVoucher} paid {@code paid} wei for the payer's voucher up to {@code cumulative}.
   */
  record VoucherRedeemed(Address payer, BigInteger cumulativeAmount, BigInteger paid, String txHash)
      implements JournalEntry {}

  /**
   * The receipts at positions {@code [fromIndex, fromIndex + count)} of the receipt log form one
   * batch with Merkle root {@code root}; journaled before the root is posted, so that a crash
   * between posting and journaling {@link ReceiptBatchPosted} is recognized on restart.
   */
  record ReceiptBatchPrepared(Bytes32 root, long fromIndex, int count) implements JournalEntry {}

  /** The batch with {@code root} is on chain as {@code batchId}. */
  record ReceiptBatchPosted(Bytes32 root, long batchId, String txHash) implements JournalEntry {}
}
