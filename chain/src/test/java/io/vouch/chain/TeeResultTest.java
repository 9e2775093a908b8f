package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.contracts.testing.ScriptedConsumer;
import io.vouch.chain.events.HubEvent;
import io.vouch.chain.tx.GasLimits;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.tensor.Tensor;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * TEE-level results on the hub: enclave-signed receipts settle at once; anything else is refused.
 */
class TeeResultTest extends TeeChainTest {
  static final int FINALIZED = 3;

  int status(BigInteger id) throws Exception {
    return hub(deployer).statusOf(id).send().intValueExact();
  }

  @Test
  void aTeeResultSignedByAnActiveEnclaveKeyIsFinalizedInTheSubmittingTransaction()
      throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    registerKey(node1, key);
    BigInteger id = requestTee(node1);
    BigInteger ownerBefore = balanceOf(modelOwner.address());
    BigInteger requesterBefore = balanceOf(requester.address());
    Tensor output = logits(0.5f, 2.5f, -1f);

    TransactionReceipt r = submitTee(node1, id, output, key);

    assertThat(status(id)).isEqualTo(FINALIZED);
    var submitted = InferenceHub.getResultSubmittedEvents(r).getFirst();
    assertThat(submitted.finalizableAt)
        .as("no challenge window")
        .isEqualTo(
            anvil
                .web3j()
                .ethGetBlockByHash(r.getBlockHash(), false)
                .send()
                .getBlock()
                .getTimestamp());
    var finalized = InferenceHub.getRequestFinalizedEvents(r).getFirst();
    assertThat(finalized.nodePaid).isEqualTo(NODE_PRICE);
    assertThat(balanceOf(modelOwner.address()).subtract(ownerBefore)).isEqualTo(MODEL_FEE);
    assertThat(balanceOf(requester.address()).subtract(requesterBefore))
        .isEqualTo(FEE.subtract(NODE_PRICE).subtract(MODEL_FEE));
    assertThat(hub(deployer).totalEscrowed().send()).isZero();
  }

  @Test
  void finalizeIsNotNeededAfterATeeResultAndReverts() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    registerKey(node1, key);
    BigInteger id = requestTee(node1);
    submitTee(node1, id, logits(1f), key);

    assertReverts("RequestNotSubmitted", () -> hub(stranger).finalize(id).send());
  }

  @Test
  void aTeeResultCallsTheConsumerBackOnceAndFinalEvenWithFastDelivery() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    registerKey(node1, key);
    ScriptedConsumer c =
        ScriptedConsumer.deploy(
                anvil.web3j(), requester, GasLimits.DEFAULT, deployment.inferenceHub().toHex())
            .send();
    TransactionReceipt opened =
        c.requestAt(
                teeModelId.toArray(),
                input().canonicalBytes(),
                BigInteger.valueOf(VerificationLevel.TEE.code()),
                BigInteger.valueOf(now() + 600),
                node1.address().toHex(),
                BigInteger.valueOf(300_000),
                true,
                FEE)
            .send();
    BigInteger id = InferenceHub.getInferenceRequestedEvents(opened).getFirst().requestId;
    Tensor output = logits(3f, 1f);

    submitTee(node1, id, output, key);

    assertThat(c.resultCalls().send()).isEqualTo(BigInteger.ONE);
    assertThat(c.lastFinalized().send()).isTrue();
    assertThat(c.lastOutput().send()).isEqualTo(output.canonicalBytes());
  }

  @Test
  void aTeeResultSignedWithTheNodesStakedKeyInsteadOfAnEnclaveKeyIsRefused() throws Exception {
    registerKey(node1, enclaveKey(1));
    BigInteger id = requestTee(node1);

    var e = assertReverts("InactiveEnclaveKey", () -> submitTee(node1, id, logits(1f), key(node1)));
    assertThat(e.argument("signer").toString()).isEqualToIgnoringCase(node1.address().toHex());
  }

  @Test
  void aTeeResultSignedByAnotherNodesEnclaveKeyIsRefused() throws Exception {
    Secp256k1.KeyPair node2sKey = enclaveKey(2);
    registerKey(node1, enclaveKey(1));
    registerKey(node2, node2sKey);
    BigInteger id = requestTee(node1);

    assertReverts("InactiveEnclaveKey", () -> submitTee(node1, id, logits(1f), node2sKey));
  }

  @Test
  void aTeeResultSignedByAKeyWhoseMeasurementWasRevokedIsRefused() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    registerKey(node1, key);
    BigInteger id = requestTee(node1);
    nodes(deployer).revokeMeasurement(MEASUREMENT).send();

    assertReverts("InactiveEnclaveKey", () -> submitTee(node1, id, logits(1f), key));
  }

  @Test
  void aTeeResultSignedByAnExpiredEnclaveKeyIsRefused() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    long now = now();
    registerKey(node1, key, MEASUREMENT, now, now + 100);
    BigInteger id = requestTee(node1);
    anvil.increaseTime(101);
    anvil.mine();

    assertReverts("InactiveEnclaveKey", () -> submitTee(node1, id, logits(1f), key));
  }

  @Test
  void aTeeResultSignedByAKeyItsOperatorRevokedIsRefused() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    registerKey(node1, key);
    BigInteger id = requestTee(node1);
    nodes(node1).revokeEnclaveKey(key.address().toHex()).send();

    assertReverts("InactiveEnclaveKey", () -> submitTee(node1, id, logits(1f), key));
  }

  @Test
  void aVanillaResultSignedByAnEnclaveKeyIsRefused() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    registerKey(node1, key);
    BigInteger id = request(requester, FEE);
    Address node = assignedNode(id);
    Tensor output = logits(1f);
    InferenceReceipt receipt = receiptFor(id, node, output, 1);

    assertReverts(
        "InvalidReceiptSigner",
        () ->
            submit(
                senderFor(node),
                id,
                output,
                receipt,
                key.sign(receipt.digest(deployment.domain())).toArray()));
  }

  @Test
  void gasOfTeeSubmitWithSettlementAgainstVanillaSubmitPlusFinalize() throws Exception {
    Tensor output = logits(0.1f, 0.7f, 0.2f, -0.4f);
    Secp256k1.KeyPair key = enclaveKey(1);
    registerKey(node1, key);
    // What a real registration costs: a Nitro document is about 4.5 KB (the chain only hashes and
    // logs it, so stand-in bytes of that size cost the same).
    Secp256k1.KeyPair other = enclaveKey(9);
    byte[] nitroSized = randomBytes(4_500, 9);
    long now = now();
    TransactionReceipt registered =
        nodes(node2)
            .registerEnclaveKey(
                other.address().toHex(),
                MEASUREMENT,
                io.vouch.core.crypto.Keccak.hash(nitroSized).toArray(),
                BigInteger.valueOf(now),
                BigInteger.valueOf(now + 3_600),
                nitroSized,
                keyProof(node2, other),
                keyApprovalFee())
            .send();

    List<TransactionReceipt> approval = decideKey(approvalCaseOf(registered), true);

    BigInteger teeId = requestTee(node1);
    TransactionReceipt tee = submitTee(node1, teeId, output, key);

    BigInteger vanillaId = requestVanilla(node1);
    InferenceReceipt receipt = receiptFor(vanillaId, node1.address(), output, 2);
    receipt =
        new InferenceReceipt(
            receipt.requestId(),
            teeModelId,
            receipt.inputHash(),
            receipt.outputHash(),
            VerificationLevel.VANILLA,
            Bytes32.ZERO,
            receipt.node(),
            receipt.timestamp(),
            receipt.sequence());
    TransactionReceipt submitted =
        submit(
            node1,
            vanillaId,
            output,
            receipt,
            receipt.sign(deployment.domain(), key(node1)).toArray());
    passChallengeWindow();
    TransactionReceipt finalized = hub(stranger).finalize(vanillaId).send();

    BigInteger vanilla = submitted.getGasUsed().add(finalized.getGasUsed());
    System.out.printf(
        "GAS TEE result (4 float32 logits, no callback): submitResult incl. settlement %s gas;"
            + " VANILLA submitResult %s + finalize %s = %s gas; TEE saves %s gas."
            + " One-time enclave key registration (%d-byte document): %s gas;"
            + " its approval: draw %s + verdict %s + deciding verdict %s gas%n",
        tee.getGasUsed(),
        submitted.getGasUsed(),
        finalized.getGasUsed(),
        vanilla,
        vanilla.subtract(tee.getGasUsed()),
        nitroSized.length,
        registered.getGasUsed(),
        approval.get(0).getGasUsed(),
        approval.get(1).getGasUsed(),
        approval.get(2).getGasUsed());
    assertThat(eventsOfThisTest())
        .filteredOn(e -> e instanceof HubEvent.RequestFinalized)
        .hasSize(2);
  }

  BigInteger requestVanilla(io.vouch.chain.tx.TransactionSender node) throws Exception {
    TransactionReceipt r =
        hub(requester)
            .request(
                teeModelId.toArray(),
                input().canonicalBytes(),
                input().hash().toArray(),
                BigInteger.ZERO,
                BigInteger.valueOf(now() + 600),
                node.address().toHex(),
                Address.ZERO.toHex(),
                BigInteger.ZERO,
                false,
                FEE)
            .send();
    return InferenceHub.getInferenceRequestedEvents(r).getFirst().requestId;
  }
}
