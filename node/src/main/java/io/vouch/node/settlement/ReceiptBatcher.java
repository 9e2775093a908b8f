package io.vouch.node.settlement;

import io.vouch.chain.hub.HubError;
import io.vouch.chain.hub.InferenceHubClient;
import io.vouch.chain.settlement.ReceiptMerkleTree;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.infra.service.Scheduler;
import io.vouch.infra.service.Service;
import io.vouch.node.journal.Journal;
import io.vouch.node.journal.JournalEntry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the receipt log to the hub in batches: when {@code batchSize} receipts wait, or the
 * oldest waiting one is {@code batchInterval} old, it cuts the waiting receipts into one batch,
 * journals the batch (range and root), and posts the root with {@code postReceiptRoot(root,
 * count)}. It then serves inclusion proofs for every receipt of a posted batch.
 *
 * <p>Crash safety: the batch is journaled before the root is posted; a restart finds a prepared
 * batch without a posted record, looks for the root among this node's recent batches on chain, and
 * posts it only if it is not there.
 */
public final class ReceiptBatcher extends Service {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiptBatcher.class);

  /** How far back a restart looks for a root it may have posted just before crashing. */
  private static final int RECOVERY_SCAN = 256;

  private final InferenceHubClient hub;
  private final Address node;
  private final Journal journal;
  private final ReceiptLog log;
  private final int batchSize;
  private final Duration batchInterval;
  private final Map<Long, ReceiptMerkleTree> trees =
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ReceiptMerkleTree> eldest) {
          return size() > 8;
        }
      };
  private volatile long oldestWaitingSince = -1; // nanoTime of the first receipt not in a batch
  private final Scheduler scheduler;
  private volatile Scheduler.Repeating loop;

  public ReceiptBatcher(
      InferenceHubClient hub,
      Address node,
      Journal journal,
      ReceiptLog log,
      int batchSize,
      Duration batchInterval,
      Scheduler scheduler) {
    this.scheduler = scheduler;
    this.hub = hub;
    this.node = node;
    this.journal = journal;
    this.log = log;
    this.batchSize = batchSize;
    this.batchInterval = batchInterval;
  }

  @Override
  protected void doStart() {
    recoverPrepared();
    if (waiting() > 0) {
      oldestWaitingSince = System.nanoTime();
    }
    long checkMs = Math.max(10, Math.min(batchInterval.toMillis() / 4, 1_000));
    Duration check = Duration.ofMillis(checkMs);
    loop = scheduler.repeat("vouch-batcher-" + node, check, check, this::tick);
  }

  @Override
  protected void doStop() {
    loop.cancel(false);
  }

  /** Records a receipt signed on the direct path; it waits for the next batch. */
  public void add(Bytes32 receiptDigest) {
    log.append(receiptDigest);
    if (oldestWaitingSince < 0) {
      oldestWaitingSince = System.nanoTime();
    }
    Scheduler.Repeating l = loop;
    if (waiting() >= batchSize && l != null) {
      l.runNow(); // do not make the request wait for a transaction
    }
  }

  /** Receipts logged but not yet in a batch. */
  public long waiting() {
    return log.size() - journal.receiptsBatched();
  }

  private void tick() {
    try {
      long w = waiting();
      boolean old =
          oldestWaitingSince >= 0
              && System.nanoTime() - oldestWaitingSince >= batchInterval.toNanos();
      if (w >= batchSize || (w > 0 && old) || unpostedBatch().isPresent()) {
        postNow();
      }
    } catch (RuntimeException e) {
      LOG.warn("posting a receipt root failed, will retry: {}", e.getMessage());
    }
  }

  /**
   * Posts what is waiting now (first any batch prepared but not posted); empty when nothing waits.
   */
  public synchronized Optional<PostedBatch> postNow() {
    Optional<Journal.ReceiptBatch> unposted = unpostedBatch();
    if (unposted.isPresent()) {
      PostedBatch p = post(unposted.get());
      if (waiting() == 0) {
        return Optional.of(p);
      }
    }
    long from = journal.receiptsBatched();
    long to = log.size();
    if (to == from) {
      oldestWaitingSince = -1;
      return Optional.empty();
    }
    int count = Math.toIntExact(to - from);
    ReceiptMerkleTree tree = new ReceiptMerkleTree(node, log.range(from, to));
    log.force(); // the leaves must be durable before their root is committed anywhere
    journal.append(new JournalEntry.ReceiptBatchPrepared(tree.root(), from, count));
    oldestWaitingSince = log.size() > to ? System.nanoTime() : -1;
    return Optional.of(post(new Journal.ReceiptBatch(tree.root(), from, count, -1, null)));
  }

  private PostedBatch post(Journal.ReceiptBatch b) {
    try {
      InferenceHubClient.PostedRoot posted = hub.postReceiptRoot(b.root(), b.count());
      long batchId = posted.batchId();
      journal.append(
          new JournalEntry.ReceiptBatchPosted(b.root(), batchId, posted.transactionHash()));
      LOG.info(
          "posted receipt root {} ({} receipts) as batch {} in {}",
          b.root(),
          b.count(),
          batchId,
          posted.transactionHash());
      return new PostedBatch(batchId, b.root(), b.count(), posted.transactionHash());
    } catch (ContractRevertException e) {
      throw new VouchException(
          ErrorCode.CHAIN_ERROR,
          "the hub refused receipt root "
              + b.root()
              + ": "
              + e.getMessage()
              + (HubError.NOT_REGISTERED_NODE.matches(e)
                  ? " (only a registered node may post; register with stake first)"
                  : ""),
          e);
    } catch (VouchException | IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new VouchException(
          ErrorCode.CHAIN_ERROR, "posting receipt root " + b.root() + ": " + e.getMessage(), e);
    }
  }

  private Optional<Journal.ReceiptBatch> unpostedBatch() {
    return journal.receiptBatches().stream().filter(b -> !b.posted()).findFirst();
  }

  /** A root journaled as prepared may have reached the chain before the crash: look for it. */
  private void recoverPrepared() {
    Optional<Journal.ReceiptBatch> unposted = unpostedBatch();
    if (unposted.isEmpty()) {
      return;
    }
    Journal.ReceiptBatch b = unposted.get();
    try {
      long n = hub.batchCount();
      for (long i = n - 1; i >= Math.max(0, n - RECOVERY_SCAN); i--) {
        InferenceHubClient.Batch onChain = hub.getBatch(i);
        if (onChain.root().equals(b.root()) && onChain.node().equals(node)) {
          journal.append(new JournalEntry.ReceiptBatchPosted(b.root(), i, "(recovered)"));
          LOG.info("receipt root {} was already posted as batch {}", b.root(), i);
          return;
        }
      }
    } catch (Exception e) {
      LOG.warn("cannot check for a posted receipt root yet: {}", e.getMessage());
    }
  }

  /**
   * The inclusion proof of the receipt with {@code digest}.
   *
   * @return empty when the receipt is logged but its batch is not on chain yet
   * @throws IllegalArgumentException when this node never logged such a receipt
   */
  public Optional<InclusionProof> proof(Bytes32 digest) {
    OptionalLong position = log.positionOf(digest);
    if (position.isEmpty()) {
      throw new UnknownReceiptException(
          "this node signed no direct-path receipt with digest "
              + digest
              + " (the digest is the receipt's EIP-712 digest in the deployment's domain)");
    }
    long p = position.getAsLong();
    List<Journal.ReceiptBatch> batches = journal.receiptBatches();
    for (Journal.ReceiptBatch b : batches) {
      if (p >= b.fromIndex() && p < b.endIndex()) {
        if (!b.posted()) {
          return Optional.empty();
        }
        ReceiptMerkleTree tree;
        synchronized (trees) {
          tree = trees.get(b.batchId());
          if (tree == null) {
            tree = new ReceiptMerkleTree(node, log.range(b.fromIndex(), b.endIndex()));
            trees.put(b.batchId(), tree);
          }
        }
        int index = Math.toIntExact(p - b.fromIndex());
        return Optional.of(
            new InclusionProof(digest, node, b.batchId(), tree.root(), tree.proof(index), index));
      }
    }
    return Optional.empty();
  }

  /** The receipt digest asked about was never signed by this node on the direct path. */
  public static final class UnknownReceiptException extends RuntimeException {
    public UnknownReceiptException(String message) {
      super(message);
    }
  }
}
