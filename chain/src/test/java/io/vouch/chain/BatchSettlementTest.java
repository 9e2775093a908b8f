package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.settlement.ReceiptMerkleTree;
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
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** The direct path's settlement: receipt roots with inclusion proofs, cumulative vouchers. */
class BatchSettlementTest extends DevChainTest {

  /** Digests of {@code n} receipts node1 served for random client request ids. */
  List<Bytes32> receiptDigests(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Bytes32> digests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] requestId = new byte[32];
      random.nextBytes(requestId);
      InferenceReceipt r =
          new InferenceReceipt(
              Bytes32.wrap(requestId),
              modelId,
              input().hash(),
              logits(random.nextInt(100)).hash(),
              VerificationLevel.VANILLA,
              Bytes32.ZERO,
              node1.address(),
              1_700_000_000L + i,
              i + 1);
      digests.add(r.digest(deployment.domain()));
    }
    return digests;
  }

  BigInteger postRoot(ReceiptMerkleTree tree) throws Exception {
    TransactionReceipt r =
        hub(node1).postReceiptRoot(tree.root().toArray(), BigInteger.valueOf(tree.size())).send();
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
    ReceiptMerkleTree tree = new ReceiptMerkleTree(digests);
    BigInteger batch = postRoot(tree);

    for (int i = 0; i < digests.size(); i++) {
      assertThat(verify(batch, digests.get(i), tree.proof(i))).as("receipt %d", i).isTrue();
    }
  }

  @Test
  void aWrongProofIsRejected() throws Exception {
    List<Bytes32> digests = receiptDigests(16, 2);
    ReceiptMerkleTree tree = new ReceiptMerkleTree(digests);
    BigInteger batch = postRoot(tree);
    List<Bytes32> proof = new ArrayList<>(tree.proof(5));
    proof.set(1, Keccak.hash("tampered"));

    assertThat(verify(batch, digests.get(5), proof)).isFalse();
    assertThat(verify(batch, digests.get(5), tree.proof(6))).as("another leaf's proof").isFalse();
  }

  @Test
  void aReceiptOutsideTheBatchIsRejected() throws Exception {
    ReceiptMerkleTree tree = new ReceiptMerkleTree(receiptDigests(8, 3));
    BigInteger batch = postRoot(tree);
    Bytes32 outsider = receiptDigests(1, 99).getFirst();

    assertThat(verify(batch, outsider, tree.proof(0))).isFalse();
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
    ReceiptMerkleTree tree = new ReceiptMerkleTree(receiptDigests(n, 4));

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
