package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.settlement.ReceiptInclusion;
import io.vouch.chain.settlement.ReceiptMerkleTree;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.PaymentVoucher;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** The direct path's settlement: receipt roots with inclusion proofs, cumulative vouchers. */
class BatchSettlementTest extends DevChainTest {

  /** {@code n} receipts {@code node} served for random client request ids. */
  List<InferenceReceipt> receipts(Address node, int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<InferenceReceipt> receipts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] requestId = new byte[32];
      random.nextBytes(requestId);
      receipts.add(
          new InferenceReceipt(
              Bytes32.wrap(requestId),
              modelId,
              input().hash(),
              logits(random.nextInt(100)).hash(),
              VerificationLevel.VANILLA,
              Bytes32.ZERO,
              node,
              1_700_000_000L + i,
              i + 1));
    }
    return receipts;
  }

  List<Bytes32> digests(List<InferenceReceipt> receipts) {
    return receipts.stream().map(r -> r.digest(deployment.domain())).toList();
  }

  /** Digests of {@code n} receipts node1 served for random client request ids. */
  List<Bytes32> receiptDigests(int n, long seed) {
    return digests(receipts(node1.address(), n, seed));
  }

  /** node1's tree over {@code digests}. */
  ReceiptMerkleTree tree(List<Bytes32> digests) {
    return new ReceiptMerkleTree(node1.address(), digests);
  }

  BigInteger postRoot(ReceiptMerkleTree tree) throws Exception {
    return postRoot(node1, tree.root(), tree.size());
  }

  BigInteger postRoot(TransactionSender node, Bytes32 root, int count) throws Exception {
    TransactionReceipt r =
        hub(node).postReceiptRoot(root.toArray(), BigInteger.valueOf(count)).send();
    return InferenceHub.getReceiptRootPostedEvents(r).getFirst().batchId;
  }

  boolean verify(BigInteger batchId, Bytes32 leaf, List<Bytes32> proof) throws Exception {
    return hub(stranger)
        .verifyReceiptInclusion(
            batchId, leaf.toArray(), proof.stream().map(Bytes32::toArray).toList())
        .send();
  }

  TransactionReceipt redeem(BigInteger cumulative) throws Exception {
    PaymentVoucher v = new PaymentVoucher(payer.address(), node1.address(), cumulative);
    return hub(node1)
        .redeemVoucher(
            payer.address().toHex(), cumulative, v.sign(deployment.domain(), key(payer)).toArray())
        .send();
  }

  /** Locks {@code wei} of fresh ETH into the payer's channel to node1. */
  void fundNode1(BigInteger wei) throws Exception {
    hub(payer).fundChannel(node1.address().toHex(), BigInteger.ZERO, wei).send();
  }

  BigInteger channelBalance() throws Exception {
    return hub(stranger)
        .channelOf(payer.address().toHex(), node1.address().toHex())
        .send()
        .component1();
  }

  BigInteger paidBy(TransactionReceipt r) {
    return InferenceHub.getVoucherRedeemedEvents(r).getFirst().paid;
  }

  @Test
  void everyReceiptOfAPostedBatchHasAnInclusionProofTheHubAccepts() throws Exception {
    List<Bytes32> digests = receiptDigests(37, 1); // odd: exercises promoted nodes
    ReceiptMerkleTree tree = tree(digests);
    BigInteger batch = postRoot(tree);

    for (int i = 0; i < digests.size(); i++) {
      assertThat(verify(batch, digests.get(i), tree.proof(i))).as("receipt %d", i).isTrue();
    }
  }

  @Test
  void aWrongProofIsRejected() throws Exception {
    List<Bytes32> digests = receiptDigests(16, 2);
    ReceiptMerkleTree tree = tree(digests);
    BigInteger batch = postRoot(tree);
    List<Bytes32> proof = new ArrayList<>(tree.proof(5));
    proof.set(1, Keccak.hash("tampered"));

    assertThat(verify(batch, digests.get(5), proof)).isFalse();
    assertThat(verify(batch, digests.get(5), tree.proof(6))).as("another leaf's proof").isFalse();
  }

  @Test
  void aReceiptOutsideTheBatchIsRejected() throws Exception {
    ReceiptMerkleTree tree = tree(receiptDigests(8, 3));
    BigInteger batch = postRoot(tree);
    Bytes32 outsider = receiptDigests(1, 99).getFirst();

    assertThat(verify(batch, outsider, tree.proof(0))).isFalse();
  }

  // ---------------------------------------------------------------- attacks on the receipt tree

  @Test
  void anInnerNodeOfAPostedTreeDoesNotVerifyAsAReceipt() throws Exception {
    List<Bytes32> digests = receiptDigests(7, 5);
    ReceiptMerkleTree tree = tree(digests);
    BigInteger batch = postRoot(tree);
    List<Bytes32> proof = tree.proof(0);
    // The parent of leaves 0 and 1, and the rest of leaf 0's path above it.
    Bytes32 inner =
        ReceiptMerkleTree.rootFrom(node1.address(), digests.get(0), proof.subList(0, 1));
    List<Bytes32> rest = proof.subList(1, proof.size());
    assertThat(ReceiptMerkleTree.rootFrom(node1.address(), digests.get(0), proof))
        .isEqualTo(tree.root());

    assertThat(verify(batch, inner, rest)).isFalse();
    // Nor the root itself with an empty proof.
    assertThat(verify(batch, tree.root(), List.of())).isFalse();
  }

  @Test
  void aRootCopiedByAnotherNodeProvesNothingInItsBatch() throws Exception {
    List<Bytes32> digests = receiptDigests(5, 6);
    ReceiptMerkleTree tree = tree(digests);
    BigInteger own = postRoot(tree);
    // node2 posts node1's root as its own batch (e.g. copied from the chain or the mempool).
    BigInteger copied = postRoot(node2, tree.root(), tree.size());

    for (int i = 0; i < digests.size(); i++) {
      assertThat(verify(own, digests.get(i), tree.proof(i)))
          .as("receipt %d under node1", i)
          .isTrue();
      assertThat(verify(copied, digests.get(i), tree.proof(i)))
          .as("receipt %d under node2's copy", i)
          .isFalse();
    }
  }

  @Test
  void aProofOfOneNodesReceiptDoesNotVerifyAgainstAnotherNodesBatch() throws Exception {
    List<Bytes32> a = receiptDigests(4, 7);
    List<Bytes32> b = digests(receipts(node2.address(), 4, 8));
    ReceiptMerkleTree treeA = tree(a);
    ReceiptMerkleTree treeB = new ReceiptMerkleTree(node2.address(), b);
    BigInteger batchA = postRoot(treeA);
    BigInteger batchB = postRoot(node2, treeB.root(), treeB.size());

    assertThat(verify(batchA, a.get(1), treeA.proof(1))).isTrue();
    assertThat(verify(batchB, b.get(1), treeB.proof(1))).isTrue();
    assertThat(verify(batchB, a.get(1), treeA.proof(1))).isFalse();
    assertThat(verify(batchA, b.get(1), treeB.proof(1))).isFalse();
  }

  @Test
  void aBatchCannotClaimAReceiptAnotherNodeSignedWhenCheckedByItsFields() throws Exception {
    InferenceReceipt node1s = receipts(node1.address(), 1, 9).getFirst();
    Bytes32 digest = node1s.digest(deployment.domain());
    List<Bytes32> others = digests(receipts(node2.address(), 2, 10));
    // node2 commits to node1's receipt in its own (node2-bound) tree.
    ReceiptMerkleTree stolen =
        new ReceiptMerkleTree(node2.address(), List.of(others.get(0), digest, others.get(1)));
    BigInteger batch = postRoot(node2, stolen.root(), stolen.size());
    ReceiptInclusion inclusion = new ReceiptInclusion(hub(stranger));

    assertThat(inclusion.ofDigest(batch.longValueExact(), digest, stolen.proof(1)))
        .as("a digest says nothing about who signed it")
        .isTrue();
    assertThat(inclusion.ofReceipt(batch.longValueExact(), node1s, stolen.proof(1))).isFalse();
  }

  @Test
  void aReceiptVerifiesByItsFieldsOnlyAsSigned() throws Exception {
    List<InferenceReceipt> receipts = receipts(node1.address(), 6, 11);
    ReceiptMerkleTree tree = tree(digests(receipts));
    long batch = postRoot(tree).longValueExact();
    ReceiptInclusion inclusion = new ReceiptInclusion(hub(stranger));
    InferenceReceipt r = receipts.get(3);
    InferenceReceipt altered =
        new InferenceReceipt(
            r.requestId(),
            r.modelId(),
            r.inputHash(),
            Keccak.hash("another output"),
            r.level(),
            r.evidenceHash(),
            r.node(),
            r.timestamp(),
            r.sequence());

    assertThat(inclusion.ofReceipt(batch, r, tree.proof(3))).isTrue();
    assertThat(inclusion.ofReceipt(batch, altered, tree.proof(3))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 7, 9, 16, 17, 33})
  void theJavaTreeAndTheHubAgreeOnSeededRandomTrees(int n) throws Exception {
    SplittableRandom random = new SplittableRandom(1_000L + n);
    List<Bytes32> digests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      digests.add(Eip712ConsistencyTest.random32(random));
    }
    ReceiptMerkleTree tree = tree(digests);
    BigInteger batch = postRoot(tree);

    assertThat(
            Bytes32.wrap(
                hub(stranger)
                    .receiptLeaf(node1.address().toHex(), digests.get(0).toArray())
                    .send()))
        .isEqualTo(ReceiptMerkleTree.leaf(node1.address(), digests.get(0)));
    for (int i = 0; i < n; i++) {
      assertThat(verify(batch, digests.get(i), tree.proof(i))).as("leaf %d of %d", i, n).isTrue();
    }
  }

  @Test
  void cumulativeVouchersPayTheDifferenceToWhatWasRedeemed() throws Exception {
    fundNode1(ETH);

    assertThat(paidBy(redeem(NODE_PRICE))).isEqualTo(NODE_PRICE);
    assertThat(paidBy(redeem(NODE_PRICE.multiply(BigInteger.valueOf(3)))))
        .isEqualTo(NODE_PRICE.multiply(BigInteger.TWO));
    assertThat(hub(stranger).redeemedOf(payer.address().toHex(), node1.address().toHex()).send())
        .isEqualTo(NODE_PRICE.multiply(BigInteger.valueOf(3)));
    assertThat(channelBalance())
        .isEqualTo(ETH.subtract(NODE_PRICE.multiply(BigInteger.valueOf(3))));
  }

  @Test
  void anOlderOrReplayedVoucherPaysNothing() throws Exception {
    fundNode1(ETH);
    redeem(NODE_PRICE.multiply(BigInteger.TWO));

    var replay =
        assertReverts("VoucherAlreadyRedeemed", () -> redeem(NODE_PRICE.multiply(BigInteger.TWO)));
    assertThat(replay.argument("alreadyRedeemed")).isEqualTo(NODE_PRICE.multiply(BigInteger.TWO));
    assertReverts("VoucherAlreadyRedeemed", () -> redeem(NODE_PRICE));
  }

  @Test
  void aVoucherAboveTheChannelPaysAtMostTheChannelAndTheRestAfterATopUp() throws Exception {
    BigInteger locked = NODE_PRICE.multiply(BigInteger.valueOf(5));
    BigInteger voucher = NODE_PRICE.multiply(BigInteger.valueOf(8));
    fundNode1(locked);

    TransactionReceipt first = redeem(voucher);
    assertThat(paidBy(first)).isEqualTo(locked);
    assertThat(InferenceHub.getVoucherRedeemedEvents(first).getFirst().shortfall)
        .isEqualTo(voucher.subtract(locked));
    assertReverts("InsufficientChannel", () -> redeem(voucher));

    fundNode1(ETH);
    assertThat(paidBy(redeem(voucher))).isEqualTo(voucher.subtract(locked));
  }

  @Test
  void aVoucherForAnotherNodeCannotBeRedeemedByThisOne() throws Exception {
    fundNode1(ETH);
    PaymentVoucher forNode2 = new PaymentVoucher(payer.address(), node2.address(), NODE_PRICE);
    byte[] sig = forNode2.sign(deployment.domain(), key(payer)).toArray();

    assertReverts(
        "InvalidVoucherSigner",
        () -> hub(node1).redeemVoucher(payer.address().toHex(), NODE_PRICE, sig).send());
  }

  @Test
  void batchSettlementOfAThousandReceiptsCostsAtMost2000GasPerInference() throws Exception {
    int n = 1_000;
    fundNode1(ETH);
    ReceiptMerkleTree tree = tree(receiptDigests(n, 4));

    TransactionReceipt posted =
        hub(node1).postReceiptRoot(tree.root().toArray(), BigInteger.valueOf(n)).send();
    TransactionReceipt redeemed = redeem(NODE_PRICE.multiply(BigInteger.valueOf(n)));
    BigInteger total = posted.getGasUsed().add(redeemed.getGasUsed());
    double perInference = total.doubleValue() / n;
    System.out.printf(
        "GAS batch of %d receipts: postReceiptRoot %s + redeemVoucher %s = %s gas, %.1f gas per"
            + " settled inference%n",
        n, posted.getGasUsed(), redeemed.getGasUsed(), total, perInference);

    assertThat(perInference).isLessThanOrEqualTo(2_000);
    assertThat(verify(BigInteger.ZERO, receiptDigests(n, 4).get(n - 1), tree.proof(n - 1)))
        .isTrue();
    assertThat(Address.fromHex(hub(stranger).getBatch(BigInteger.ZERO).send().node))
        .isEqualTo(node1.address());
  }
}
