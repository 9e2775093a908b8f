package io.vouch.node.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.chain.AnvilProcess;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.hub.InferenceHubClient;
import io.vouch.chain.settlement.ReceiptMerkleTree;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.infra.service.Scheduler;
import io.vouch.node.chain.NodeRegistration;
import io.vouch.node.journal.Journal;
import io.vouch.node.journal.JournalEntry;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct-path receipts committed to the hub in batches, on a real anvil chain: the waiting receipts
 * become one root whose inclusion proofs verify on chain, and a crash between journaling a batch
 * and journaling its posting neither loses the root nor posts it twice.
 */
class ReceiptBatcherTest {
  static final BigInteger ETH = BigInteger.TEN.pow(18);

  static AnvilProcess anvil;
  static VouchDeployment deployment;
  static TransactionSender node;
  static InferenceHub hub;
  static InferenceHubClient strangersHub;
  static Address stranger;
  static int digests;
  static final Scheduler scheduler = new Scheduler("test");

  @TempDir Path dir;
  Journal journal;
  ReceiptLog log;

  @BeforeAll
  static void chain() throws Exception {
    scheduler.start();
    anvil = AnvilProcess.start();
    List<Bytes32> keys = anvil.devKeys();
    deployment =
        VouchDeployment.deploy(
            TransactionSender.create(anvil.web3j(), keys.get(0)),
            VouchDeployment.Parameters.devnet());
    node = TransactionSender.create(anvil.web3j(), keys.get(2));
    new NodeRegistration(node, deployment, ETH, BigInteger.TEN)
        .publish("http://127.0.0.1:1", List.of());
    hub = deployment.inferenceHub(node);
    TransactionSender unregistered = TransactionSender.create(anvil.web3j(), keys.get(3));
    stranger = unregistered.address();
    strangersHub = new InferenceHubClient(unregistered, deployment);
  }

  @AfterAll
  static void stopChain() {
    scheduler.stop();
    anvil.close();
  }

  @AfterEach
  void closeLog() {
    if (log != null) {
      log.close();
    }
  }

  ReceiptBatcher batcher(InferenceHubClient through, Address as) {
    if (journal == null) {
      journal = Journal.open(dir.resolve("journal.jsonl"));
      log = ReceiptLog.open(dir.resolve("receipts.log"));
    }
    return new ReceiptBatcher(through, as, journal, log, 1_000, Duration.ofHours(1), scheduler);
  }

  ReceiptBatcher batcher() {
    return batcher(new InferenceHubClient(node, deployment), node.address());
  }

  /** Digests no other test uses (the hub's batches are shared by the class). */
  static List<Bytes32> receipts(int n) {
    List<Bytes32> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Keccak.hash("receipt " + digests++));
    }
    return out;
  }

  static long batchCount() throws Exception {
    return hub.batchCount().send().longValueExact();
  }

  static boolean includedOnChain(InclusionProof p) throws Exception {
    return hub.verifyReceiptInclusion(
            BigInteger.valueOf(p.batchId()),
            p.digest().toArray(),
            p.proof().stream().map(Bytes32::toArray).toList())
        .send();
  }

  @Test
  void withNothingWaitingNothingIsPosted() throws Exception {
    long before = batchCount();

    assertThat(batcher().postNow()).isEmpty();
    assertThat(batchCount()).isEqualTo(before);
  }

  @Test
  void theWaitingReceiptsArePostedAsOneRootWhoseProofsVerifyOnChain() throws Exception {
    ReceiptBatcher b = batcher();
    List<Bytes32> signed = receipts(5);
    signed.forEach(b::add);

    PostedBatch posted = b.postNow().orElseThrow();

    assertThat(posted.count()).isEqualTo(5);
    assertThat(posted.root()).isEqualTo(new ReceiptMerkleTree(node.address(), signed).root());
    assertThat(b.waiting()).isZero();
    for (Bytes32 d : signed) {
      InclusionProof p = b.proof(d).orElseThrow();
      assertThat(p.batchId()).isEqualTo(posted.batchId());
      assertThat(ReceiptMerkleTree.rootFrom(node.address(), d, p.proof())).isEqualTo(posted.root());
      assertThat(includedOnChain(p)).isTrue();
    }
  }

  @Test
  void receiptsAddedAfterAPostWaitForTheNextBatch() throws Exception {
    ReceiptBatcher b = batcher();
    receipts(2).forEach(b::add);
    PostedBatch first = b.postNow().orElseThrow();
    Bytes32 later = receipts(1).getFirst();

    b.add(later);

    assertThat(b.waiting()).isEqualTo(1);
    assertThat(b.proof(later)).as("not in a posted batch yet").isEmpty();
    PostedBatch second = b.postNow().orElseThrow();
    assertThat(second.batchId()).isEqualTo(first.batchId() + 1);
    assertThat(second.count()).isEqualTo(1);
    assertThat(includedOnChain(b.proof(later).orElseThrow())).isTrue();
  }

  @Test
  void aDigestThisNodeNeverLoggedHasNoProof() {
    ReceiptBatcher b = batcher();

    assertThatThrownBy(() -> b.proof(Keccak.hash("never signed")))
        .isInstanceOf(ReceiptBatcher.UnknownReceiptException.class)
        .hasMessageContaining("this node signed no direct-path receipt");
  }

  @Test
  void aRootPostedJustBeforeACrashIsFoundOnChainAtRestartNotPostedTwice() throws Exception {
    ReceiptBatcher before = batcher();
    List<Bytes32> signed = receipts(3);
    signed.forEach(before::add);
    Bytes32 root = new ReceiptMerkleTree(node.address(), signed).root();
    // The crash: the batch is journaled and its root reached the chain, its posting was not
    // journaled.
    journal.append(new JournalEntry.ReceiptBatchPrepared(root, 0, 3));
    hub.postReceiptRoot(root.toArray(), BigInteger.valueOf(3)).send();
    long onChain = batchCount();

    ReceiptBatcher after = batcher();
    after.start();
    after.stop();

    assertThat(journal.receiptBatches())
        .singleElement()
        .satisfies(batch -> assertThat(batch.batchId()).isEqualTo(onChain - 1));
    assertThat(after.postNow()).isEmpty();
    assertThat(batchCount()).isEqualTo(onChain);
    assertThat(includedOnChain(after.proof(signed.get(1)).orElseThrow())).isTrue();
  }

  @Test
  void aRootPreparedButNotPostedBeforeACrashIsPostedNext() throws Exception {
    ReceiptBatcher before = batcher();
    List<Bytes32> signed = receipts(2);
    signed.forEach(before::add);
    Bytes32 root = new ReceiptMerkleTree(node.address(), signed).root();
    journal.append(new JournalEntry.ReceiptBatchPrepared(root, 0, 2));
    long onChain = batchCount();

    Optional<PostedBatch> posted = batcher().postNow();

    assertThat(posted).hasValueSatisfying(p -> assertThat(p.root()).isEqualTo(root));
    assertThat(batchCount()).isEqualTo(onChain + 1);
    assertThat(journal.receiptBatches())
        .singleElement()
        .satisfies(b -> assertThat(b.posted()).isTrue());
  }

  @Test
  void anUnregisteredNodeIsRefusedAndItsBatchStaysJournaledForARetry() {
    ReceiptBatcher b = batcher(strangersHub, stranger);
    receipts(2).forEach(b::add);

    assertThatThrownBy(b::postNow)
        .isInstanceOfSatisfying(
            VouchException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHAIN_ERROR))
        .hasMessageContaining("register with stake first");
    assertThat(journal.receiptBatches())
        .singleElement()
        .satisfies(batch -> assertThat(batch.posted()).isFalse());
  }
}
