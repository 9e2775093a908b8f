package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.contracts.ModelRegistry;
import io.vouch.chain.contracts.testing.ScriptedConsumer;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.chain.tx.GasLimits;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.PaymentVoucher;
import io.vouch.core.tensor.Tensor;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** Every custom error of the InferenceHub, one test per revert path. */
class InferenceHubRevertsTest extends DevChainTest {
  static final BigInteger SECP256K1_N =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

  TransactionReceipt requestWith(
      Bytes32 model,
      byte[] input,
      Bytes32 inputHash,
      int level,
      long deadline,
      Address callback,
      long callbackGas,
      BigInteger fee)
      throws Exception {
    return hub(requester)
        .request(
            model.toArray(),
            input,
            inputHash.toArray(),
            BigInteger.valueOf(level),
            BigInteger.valueOf(deadline),
            Address.ZERO.toHex(),
            callback.toHex(),
            BigInteger.valueOf(callbackGas),
            false,
            fee)
        .send();
  }

  TransactionReceipt validRequestExcept(Bytes32 model, int level, long deadline, BigInteger fee)
      throws Exception {
    return requestWith(
        model, input().canonicalBytes(), input().hash(), level, deadline, Address.ZERO, 0, fee);
  }

  // ---------------------------------------------------------------- request()

  @Test
  void requestForAnUnknownModelReverts() {
    Bytes32 unknown = Keccak.hash("no such model");
    var e = assertReverts("UnknownModel", () -> validRequestExcept(unknown, 0, now() + 600, FEE));
    assertThat(e.argument("modelId")).isEqualTo(unknown);
  }

  @Test
  void requestAtALevelTheModelDoesNotAllowReverts() {
    assertReverts(
        "LevelNotAllowed",
        () -> validRequestExcept(modelId, VerificationLevel.TEE.code(), now() + 600, FEE));
  }

  @Test
  void requestWithADeadlineInThePastReverts() {
    assertReverts("DeadlinePassed", () -> validRequestExcept(modelId, 0, now() - 1, FEE));
  }

  @Test
  void requestWithADeadlineBeyondTheMaximumReverts() {
    assertReverts(
        "DeadlineTooFar",
        () -> validRequestExcept(modelId, 0, now() + PARAMETERS.maxDeadlineSeconds() + 60, FEE));
  }

  @Test
  void requestWhoseInputDoesNotHashToTheDeclaredHashReverts() {
    assertReverts(
        "InputHashMismatch",
        () ->
            requestWith(
                modelId,
                input().canonicalBytes(),
                Keccak.hash("something else"),
                0,
                now() + 600,
                Address.ZERO,
                0,
                FEE));
  }

  @Test
  void requestAskingForMoreCallbackGasThanTheCapReverts() throws Exception {
    ScriptedConsumer c =
        ScriptedConsumer.deploy(
                anvil.web3j(), requester, GasLimits.DEFAULT, deployment.inferenceHub().toHex())
            .send();
    assertReverts(
        "CallbackGasTooHigh",
        () ->
            requestWith(
                modelId,
                new byte[0],
                input().hash(),
                0,
                now() + 600,
                Address.fromHex(c.getContractAddress()),
                PARAMETERS.maxCallbackGas() + 1,
                FEE));
  }

  @Test
  void requestWithACallbackThatIsNotAContractReverts() {
    assertReverts(
        "CallbackNotContract",
        () ->
            requestWith(
                modelId,
                new byte[0],
                input().hash(),
                0,
                now() + 600,
                stranger.address(),
                100_000,
                FEE));
  }

  @Test
  void requestPayingLessThanModelFeePlusNodePriceRevertsWithTheRequiredAmount() {
    BigInteger tooLittle = MODEL_FEE.add(NODE_PRICE).subtract(BigInteger.ONE);
    var e =
        assertReverts("FeeTooLow", () -> validRequestExcept(modelId, 0, now() + 600, tooLittle));
    assertThat(e.argument("required")).isEqualTo(MODEL_FEE.add(NODE_PRICE));
    assertThat(e.argument("offered")).isEqualTo(tooLittle);
  }

  @Test
  void requestAboveTheLargestEscrowableFeeReverts() {
    BigInteger huge = BigInteger.TWO.pow(96);
    anvil.setBalance(requester.address(), huge.multiply(BigInteger.TWO));
    assertReverts("FeeTooHigh", () -> validRequestExcept(modelId, 0, now() + 600, huge));
  }

  @Test
  void requestWithNoNodeServingTheLevelReverts() throws Exception {
    TransactionReceipt r =
        models(modelOwner)
            .publish(
                "zk-only",
                BigInteger.ONE,
                "bafy-zk",
                new byte[32],
                Keccak.hash("zk").toArray(),
                BigInteger.valueOf(VerificationLevel.ZKML.bit()),
                BigInteger.ZERO)
            .send();
    Bytes32 zkModel = Bytes32.wrap(ModelRegistry.getModelPublishedEvents(r).getFirst().modelId);
    assertReverts(
        "NoEligibleNode",
        () -> validRequestExcept(zkModel, VerificationLevel.ZKML.code(), now() + 600, FEE));
  }

  // ---------------------------------------------------------------- submitResult()

  @Test
  void submissionForAnUnknownRequestReverts() {
    Tensor out = logits(1f);
    InferenceReceipt receipt = receiptFor(BigInteger.valueOf(99), node1.address(), out, 1);
    assertReverts(
        "UnknownRequest",
        () ->
            submit(
                node1,
                BigInteger.valueOf(99),
                out,
                receipt,
                receipt.sign(deployment.domain(), key(node1)).toArray()));
  }

  @Test
  void submissionByANodeThatIsNotAssignedReverts() throws Exception {
    BigInteger id = request(requester, FEE);
    TransactionSender other = assignedNode(id).equals(node1.address()) ? node2 : node1;
    Tensor out = logits(1f);
    InferenceReceipt receipt = receiptFor(id, other.address(), out, 1);
    var e =
        assertReverts(
            "NotAssignedNode",
            () ->
                submit(
                    other,
                    id,
                    out,
                    receipt,
                    receipt.sign(deployment.domain(), key(other)).toArray()));
    assertThat(e.argument("caller")).isEqualTo(other.address());
  }

  @Test
  void submissionAfterTheDeadlineReverts() throws Exception {
    BigInteger id = request(requester, FEE);
    anvil.increaseTime(601);
    anvil.mine();
    assertReverts("SubmissionAfterDeadline", () -> submitCorrectly(id, logits(1f)));
  }

  @Test
  void submissionWhoseOutputDoesNotMatchTheOutputHashReverts() throws Exception {
    BigInteger id = request(requester, FEE);
    TransactionSender node = senderFor(assignedNode(id));
    InferenceReceipt receipt = receiptFor(id, node.address(), logits(1f), 1);
    byte[] sig = receipt.sign(deployment.domain(), key(node)).toArray();
    assertReverts("OutputHashMismatch", () -> submit(node, id, logits(2f), receipt, sig));
  }

  @Test
  void receiptSignedByAnotherKeyIsRefused() throws Exception {
    BigInteger id = request(requester, FEE);
    TransactionSender node = senderFor(assignedNode(id));
    Tensor out = logits(1f);
    InferenceReceipt receipt = receiptFor(id, node.address(), out, 1);
    byte[] byStranger = receipt.sign(deployment.domain(), key(stranger)).toArray();
    var e = assertReverts("InvalidReceiptSigner", () -> submit(node, id, out, receipt, byStranger));
    assertThat(e.argument("recovered")).isEqualTo(stranger.address());
  }

  @Test
  void receiptSignedForAnotherChainIdIsRefused() throws Exception {
    assertReceiptInDomainIsRefused(Eip712Domain.of(1, deployment.inferenceHub()));
  }

  @Test
  void receiptSignedForAnotherHubAddressIsRefused() throws Exception {
    assertReceiptInDomainIsRefused(Eip712Domain.of(deployment.chainId(), stranger.address()));
  }

  private void assertReceiptInDomainIsRefused(Eip712Domain wrongDomain) throws Exception {
    BigInteger id = request(requester, FEE);
    TransactionSender node = senderFor(assignedNode(id));
    Tensor out = logits(1f);
    InferenceReceipt receipt = receiptFor(id, node.address(), out, 1);
    byte[] sig = receipt.sign(wrongDomain, key(node)).toArray();
    assertReverts("InvalidReceiptSigner", () -> submit(node, id, out, receipt, sig));
  }

  @Test
  void replayingAnAcceptedReceiptForTheSameRequestReverts() throws Exception {
    BigInteger id = request(requester, FEE);
    TransactionSender node = senderFor(assignedNode(id));
    Tensor out = logits(1f);
    InferenceReceipt receipt = receiptFor(id, node.address(), out, 1);
    byte[] sig = receipt.sign(deployment.domain(), key(node)).toArray();
    submit(node, id, out, receipt, sig);

    assertReverts("ResultAlreadySubmitted", () -> submit(node, id, out, receipt, sig));
  }

  @Test
  void replayingAReceiptOfOneRequestForAnotherRequestIsRefused() throws Exception {
    BigInteger first = request(requester, FEE);
    BigInteger second = request(requester, FEE);
    // Use the node assigned to the second request; sign a receipt naming the first one.
    TransactionSender node = senderFor(assignedNode(second));
    Tensor out = logits(1f);
    InferenceReceipt forFirst = receiptFor(first, node.address(), out, 1);
    byte[] sig = forFirst.sign(deployment.domain(), key(node)).toArray();
    assertReverts("InvalidReceiptSigner", () -> submit(node, second, out, forFirst, sig));
  }

  @Test
  void signatureOfWrongLengthIsRefused() throws Exception {
    BigInteger id = request(requester, FEE);
    TransactionSender node = senderFor(assignedNode(id));
    Tensor out = logits(1f);
    InferenceReceipt receipt = receiptFor(id, node.address(), out, 1);
    assertReverts("InvalidSignatureLength", () -> submit(node, id, out, receipt, new byte[64]));
  }

  @Test
  void signatureWithAnInvalidVIsRefused() throws Exception {
    BigInteger id = request(requester, FEE);
    TransactionSender node = senderFor(assignedNode(id));
    Tensor out = logits(1f);
    InferenceReceipt receipt = receiptFor(id, node.address(), out, 1);
    byte[] sig = receipt.sign(deployment.domain(), key(node)).toArray();
    sig[64] = 1;
    assertReverts("InvalidSignatureV", () -> submit(node, id, out, receipt, sig));
  }

  @Test
  void highSSignatureIsRefusedAsMalleable() throws Exception {
    BigInteger id = request(requester, FEE);
    TransactionSender node = senderFor(assignedNode(id));
    Tensor out = logits(1f);
    InferenceReceipt receipt = receiptFor(id, node.address(), out, 1);
    byte[] sig = receipt.sign(deployment.domain(), key(node)).toArray();
    // (r, n - s, v ^ 1) is the same signature's malleable twin: ecrecover would accept it.
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
    byte[] highS = Bytes32.fromUint(SECP256K1_N.subtract(s)).toArray();
    System.arraycopy(highS, 0, sig, 32, 32);
    sig[64] = (byte) (sig[64] == 27 ? 28 : 27);
    assertReverts("MalleableSignature", () -> submit(node, id, out, receipt, sig));
  }

  // ---------------------------------------------------------------- finalize / reassign

  @Test
  void finalizingARequestWithoutResultReverts() throws Exception {
    BigInteger id = request(requester, FEE);
    assertReverts("RequestNotSubmitted", () -> hub(stranger).finalize(id).send());
  }

  @Test
  void finalizingWithTooLittleGasForTheCallbackRevertsInsteadOfStarvingIt() throws Exception {
    ScriptedConsumer c =
        ScriptedConsumer.deploy(
                anvil.web3j(), requester, GasLimits.DEFAULT, deployment.inferenceHub().toHex())
            .send();
    TransactionReceipt r =
        c.request(
                modelId.toArray(),
                input().canonicalBytes(),
                BigInteger.valueOf(now() + 600),
                BigInteger.valueOf(400_000),
                false,
                FEE)
            .send();
    BigInteger id = InferenceHub.getInferenceRequestedEvents(r).getFirst().requestId;
    submitCorrectly(id, logits(1f));
    passChallengeWindow();
    InferenceHub stingy =
        InferenceHub.load(
            deployment.inferenceHub().toHex(), anvil.web3j(), stranger, new GasLimits(300_000));

    assertReverts("InsufficientGasForCallback", () -> stingy.finalize(id).send());
  }

  @Test
  void reassigningBeforeTheDeadlineReverts() throws Exception {
    BigInteger id = request(requester, FEE);
    assertReverts("DeadlineNotReached", () -> hub(stranger).reassignOrRefund(id).send());
  }

  @Test
  void reassigningASubmittedRequestReverts() throws Exception {
    BigInteger id = request(requester, FEE);
    submitCorrectly(id, logits(1f));
    anvil.increaseTime(601);
    anvil.mine();
    assertReverts("RequestNotAssigned", () -> hub(stranger).reassignOrRefund(id).send());
  }

  @Test
  void claimingWithNothingOwedReverts() {
    assertReverts("NothingOwed", () -> hub(stranger).claim().send());
  }

  // ---------------------------------------------------------------- direct path

  @Test
  void depositOfZeroReverts() {
    assertReverts("ZeroAmount", () -> hub(payer).deposit(BigInteger.ZERO).send());
  }

  @Test
  void voucherNotSignedByThePayerIsRefused() throws Exception {
    hub(payer).fundChannel(node1.address().toHex(), BigInteger.ZERO, ETH).send();
    PaymentVoucher v = new PaymentVoucher(payer.address(), node1.address(), NODE_PRICE);
    byte[] byStranger = v.sign(deployment.domain(), key(stranger)).toArray();
    assertReverts(
        "InvalidVoucherSigner",
        () -> hub(node1).redeemVoucher(payer.address().toHex(), NODE_PRICE, byStranger).send());
  }

  @Test
  void postingAReceiptRootFromAnUnregisteredAccountReverts() {
    assertReverts(
        "NotRegisteredNode",
        () -> hub(stranger).postReceiptRoot(Keccak.hash("r").toArray(), BigInteger.ONE).send());
  }

  @Test
  void postingAZeroRootReverts() {
    assertReverts(
        "ZeroRoot", () -> hub(node1).postReceiptRoot(new byte[32], BigInteger.ONE).send());
  }

  @Test
  void postingAnEmptyBatchReverts() {
    assertReverts(
        "EmptyBatch",
        () -> hub(node1).postReceiptRoot(Keccak.hash("r").toArray(), BigInteger.ZERO).send());
  }

  @Test
  void verifyingAgainstAnUnknownBatchReverts() {
    ContractRevertException e =
        assertReverts(
            "UnknownBatch",
            () ->
                hub(stranger)
                    .verifyReceiptInclusion(
                        BigInteger.valueOf(7), Keccak.hash("leaf").toArray(), List.of())
                    .send());
    assertThat(e.argument("batchCount")).isEqualTo(BigInteger.ZERO);
  }
}
