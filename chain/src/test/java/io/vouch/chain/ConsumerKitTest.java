package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.contracts.testing.ExampleConsumer;
import io.vouch.chain.contracts.testing.KitProbeConsumer;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.chain.tx.GasLimits;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Hex;
import io.vouch.core.VerificationLevel;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Consumers built from the kit ({@code contracts/kit}) against the real InferenceHub on anvil: the
 * example consumer asks, a node answers, the result is finalized and the callback acts on it; a
 * refund reaches the error hook; malformed answers are rejected and recorded; callbacks from anyone
 * but the hub, and results of requests the consumer never made, are refused. The hub's books are
 * checked after every test (DevChainTest).
 */
class ConsumerKitTest extends DevChainTest {
  static final int NONE = 0;
  static final int PENDING = 1;
  static final int DELIVERED = 2;
  static final int REJECTED = 3;
  static final int FAILED = 4;

  ExampleConsumer deployExample(String outputName) throws Exception {
    return ExampleConsumer.deploy(
            anvil.web3j(),
            KitArtifacts.decodingKitErrors(deployer),
            new GasLimits(6_000_000),
            deployment.inferenceHub().toHex(),
            "support-intent",
            BigInteger.ONE,
            outputName)
        .send();
  }

  ExampleConsumer as(ExampleConsumer c, TransactionSender s) {
    return ExampleConsumer.load(
        c.getContractAddress(),
        anvil.web3j(),
        KitArtifacts.decodingKitErrors(s),
        GasLimits.DEFAULT);
  }

  KitProbeConsumer deployProbe() throws Exception {
    return KitProbeConsumer.deploy(
            anvil.web3j(),
            KitArtifacts.decodingKitErrors(deployer),
            new GasLimits(6_000_000),
            deployment.inferenceHub().toHex(),
            modelId.toArray())
        .send();
  }

  BigInteger ask(ExampleConsumer c, byte[] input) throws Exception {
    BigInteger fee = c.fee().send();
    TransactionReceipt r = as(c, requester).ask(input, fee).send();
    return ExampleConsumer.getAskedEvents(r).getFirst().requestId;
  }

  int status(ExampleConsumer c, BigInteger id) throws Exception {
    return c.answer(id).send().component1().intValueExact();
  }

  TransactionReceipt finalizeAfterWindow(BigInteger id) throws Exception {
    passChallengeWindow();
    return hub(stranger).finalize(id).send();
  }

  /** The assigned node posts {@code output} (any bytes) with a correctly signed receipt. */
  TransactionReceipt submitRaw(BigInteger id, byte[] output) throws Exception {
    Address node = assignedNode(id);
    TransactionSender s = senderFor(node);
    var receipt =
        new io.vouch.core.eip712.InferenceReceipt(
            io.vouch.core.Bytes32.fromUint(id),
            modelId,
            io.vouch.core.Bytes32.wrap(hub(deployer).getRequest(id).send().inputHash),
            io.vouch.core.crypto.Keccak.hash(output),
            VerificationLevel.VANILLA,
            io.vouch.core.Bytes32.ZERO,
            node,
            1_700_000_000L,
            1);
    return hub(s)
        .submitResult(
            id,
            receipt.outputHash().toArray(),
            output,
            receipt.evidenceHash().toArray(),
            BigInteger.valueOf(receipt.timestamp()),
            BigInteger.valueOf(receipt.sequence()),
            receipt.sign(deployment.domain(), key(s)).toArray())
        .send();
  }

  // ------------------------------------------------------------------------------ the path

  @Test
  void theExampleConsumerActsOnTheAnswerOnlyOnceItIsFinal() throws Exception {
    ExampleConsumer c = deployExample("");
    Tensor logits = logits(-3.5f, -0.25f, 7f, -1f);
    BigInteger id = ask(c, input().canonicalBytes());

    submitCorrectly(id, logits);
    assertThat(status(c, id)).as("not acted on before finality").isEqualTo(PENDING);
    TransactionReceipt finalized = finalizeAfterWindow(id);

    assertThat(status(c, id)).isEqualTo(DELIVERED);
    assertThat(c.answer(id).send().component2().intValue()).isEqualTo(logits.argmax());
    assertThat(InferenceHub.getCallbackDeliveredEvents(finalized)).hasSize(1);
    var answered = ExampleConsumer.getAnsweredEvents(finalized).getFirst();
    assertThat(answered.outputHash).isEqualTo(logits.hash().toArray());
  }

  @Test
  void int32LogitsOfAQuantizedModelAreReadToo() throws Exception {
    ExampleConsumer c = deployExample("");
    BigInteger id = ask(c, input().canonicalBytes());

    submitCorrectly(id, Tensor.ofInts(new int[] {1, 4}, -5, 3, 12, -40));
    finalizeAfterWindow(id);

    assertThat(c.answer(id).send().component2().intValue()).isEqualTo(2);
  }

  @Test
  void aModelWithSeveralOutputsIsReadByTheOutputsName() throws Exception {
    ExampleConsumer c = deployExample("logits");
    BigInteger id = ask(c, input().canonicalBytes());
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    outputs.put("probabilities", Tensor.ofFloats(new int[] {1, 4}, 0.9f, 0.05f, 0.03f, 0.02f));
    outputs.put("logits", logits(0.1f, 0.2f, 0.3f, 2.5f));
    outputs.put("embedding", Tensor.ofInts(new int[] {3}, 1, 2, 3));
    byte[] bundle = NamedTensors.of(outputs).canonicalBytes();

    submitRaw(id, bundle);
    finalizeAfterWindow(id);

    assertThat(status(c, id)).isEqualTo(DELIVERED);
    assertThat(c.answer(id).send().component2().intValue()).isEqualTo(3);
  }

  @Test
  void featuresEncodedOnChainHashExactlyAsJavaEncodesThem() throws Exception {
    ExampleConsumer c = deployExample("");
    List<BigInteger> features =
        List.of(BigInteger.valueOf(3), BigInteger.valueOf(-4), BigInteger.ZERO, BigInteger.TEN);

    TransactionReceipt r = as(c, requester).askFeatures(features, c.fee().send()).send();

    BigInteger id = ExampleConsumer.getAskedEvents(r).getFirst().requestId;
    assertThat(hub(deployer).getRequest(id).send().inputHash)
        .isEqualTo(Tensor.ofFloats(new int[] {1, 4}, 3f, -4f, 0f, 10f).hash().toArray());
  }

  @Test
  void aRequestNoNodeAnsweredFailsAndTheAskerTakesTheWholeFeeBack() throws Exception {
    ExampleConsumer c = deployExample("");
    BigInteger fee = c.fee().send();
    BigInteger id = ask(c, input().canonicalBytes());
    for (int attempt = 0; attempt < 2; attempt++) {
      anvil.increaseTime(601);
      anvil.mine();
      hub(stranger).reassignOrRefund(id).send();
    }

    assertThat(status(c, id)).isEqualTo(FAILED);
    assertThat(c.refundOf(requester.address().toHex()).send()).isEqualTo(fee);
    Address consumer = Address.fromHex(c.getContractAddress());
    BigInteger before = balanceOf(consumer);
    as(c, requester).withdrawRefund().send();
    assertThat(before.subtract(balanceOf(consumer))).isEqualTo(fee);
    assertReverts("NothingToRefund", () -> as(c, requester).withdrawRefund().send());
  }

  // ------------------------------------------------------------------------------ fees

  @Test
  void theQuoteIsTheModelFeePlusTheCheapestAndTheDearestEligibleNodesPrice() throws Exception {
    BigInteger cheaper = NODE_PRICE.divide(BigInteger.TWO);
    nodes(node2)
        .updateCapabilities(
            "http://127.0.0.1:8002",
            BigInteger.valueOf(VerificationLevel.VANILLA.bit() | VerificationLevel.TEE.bit()),
            cheaper,
            List.of(modelId.toArray()))
        .send();
    KitProbeConsumer p = deployProbe();

    var quote = p.quote().send();

    assertThat(quote.component1()).isEqualTo(MODEL_FEE.add(cheaper));
    assertThat(quote.component2()).isEqualTo(MODEL_FEE.add(NODE_PRICE));
  }

  @Test
  void aQuotedRequestIsPaidFromTheConsumersBalance() throws Exception {
    KitProbeConsumer p = deployProbe();
    BigInteger maxFee = p.quote().send().component2();
    Address probe = Address.fromHex(p.getContractAddress());
    assertReverts("InsufficientBalance", () -> p.requestQuoted(input().canonicalBytes()).send());
    deployer.send(probe, new byte[0], maxFee, 100_000);

    TransactionReceipt r = p.requestQuoted(input().canonicalBytes()).send();

    var requested = InferenceHub.getInferenceRequestedEvents(r).getFirst();
    assertThat(requested.maxFee).isEqualTo(maxFee);
    assertThat(requested.requester).isEqualToIgnoringCase(probe.toHex());
    assertThat(balanceOf(probe)).isZero();
  }

  @Test
  void aMalformedInputIsRefusedBeforeAnyFeeIsPaid() throws Exception {
    ExampleConsumer c = deployExample("");
    byte[] bad = input().canonicalBytes();
    byte[] truncated = java.util.Arrays.copyOf(bad, bad.length - 1);

    assertReverts("TensorLengthMismatch", () -> as(c, requester).ask(truncated, FEE).send());
  }

  // ------------------------------------------------------------------------------ bad answers

  @Test
  void aMalformedOutputIsRejectedAndRecordedNotActedOn() throws Exception {
    ExampleConsumer c = deployExample("");
    BigInteger id = ask(c, input().canonicalBytes());
    byte[] lyingShape = Hex.decode("05010400000001000000"); // int32 [4] with one element

    submitRaw(id, lyingShape);
    TransactionReceipt finalized = finalizeAfterWindow(id);

    assertThat(status(c, id)).isEqualTo(REJECTED);
    var rejected = ExampleConsumer.getVouchResultRejectedEvents(finalized).getFirst();
    assertThat(deployer.revertDecoder().decode(Hex.prefixed(rejected.reason)).name())
        .isEqualTo("TensorLengthMismatch");
    assertThat(ExampleConsumer.getAnsweredEvents(finalized)).isEmpty();
    assertThat(InferenceHub.getCallbackDeliveredEvents(finalized)).hasSize(1);
  }

  @Test
  void aNanLogitIsRejected() throws Exception {
    ExampleConsumer c = deployExample("");
    BigInteger id = ask(c, input().canonicalBytes());

    submitCorrectly(id, logits(1f, Float.NaN, 0f, 0f));
    TransactionReceipt finalized = finalizeAfterWindow(id);

    assertThat(status(c, id)).isEqualTo(REJECTED);
    var rejected = ExampleConsumer.getVouchResultRejectedEvents(finalized).getFirst();
    assertThat(deployer.revertDecoder().decode(Hex.prefixed(rejected.reason)).name())
        .isEqualTo("TensorNaN");
  }

  @Test
  void aBundleWithALyingLengthIsRejected() throws Exception {
    ExampleConsumer c = deployExample("logits");
    BigInteger id = ask(c, input().canonicalBytes());
    byte[] a = logits(5f, 1f, 0f, 0f).canonicalBytes();
    byte[] b = Tensor.ofInts(new int[] {1}, 7).canonicalBytes();
    // "logits" claims to be longer than what follows it: reading it would run into other bytes.
    byte[] lying =
        VouchTensorTest.lyingLength(VouchTensorTest.bundle(2, "embedding", b, "logits", a), 1, 999);

    submitRaw(id, lying);
    TransactionReceipt finalized = finalizeAfterWindow(id);

    assertThat(status(c, id)).isEqualTo(REJECTED);
    var rejected = ExampleConsumer.getVouchResultRejectedEvents(finalized).getFirst();
    assertThat(deployer.revertDecoder().decode(Hex.prefixed(rejected.reason)).name())
        .isEqualTo("BundleLengthOutOfRange");
  }

  // ------------------------------------------------------------------------------ attacks

  @Test
  void aCallbackFromAnyoneButTheHubIsRefused() throws Exception {
    ExampleConsumer c = deployExample("");
    BigInteger id = ask(c, input().canonicalBytes());
    ExampleConsumer attacker = as(c, stranger);
    byte[] output = logits(0f, 0f, 9f, 0f).canonicalBytes();

    assertReverts(
        "NotHub", () -> attacker.onInferenceResult(id, new byte[32], output, true).send());
    assertReverts("NotHub", () -> attacker.onInferenceError(id, "no node").send());
    assertReverts("OnlySelf", () -> attacker.vouchDeliver(id, new byte[32], output).send());
    assertThat(status(c, id)).isEqualTo(PENDING);
  }

  @Test
  void aResultForARequestTheConsumerNeverMadeIsRefused() throws Exception {
    ExampleConsumer c = deployExample("");
    // Anyone may name any contract as the callback of their own request: the hub then delivers a
    // genuine, signed result that answers someone else's question.
    BigInteger foreign = requestNamingCallback(stranger, c.getContractAddress());

    submitCorrectly(foreign, logits(0f, 9f, 0f, 0f));
    TransactionReceipt finalized = finalizeAfterWindow(foreign);

    assertThat(InferenceHub.getCallbackFailedEvents(finalized)).hasSize(1);
    assertThat(ExampleConsumer.getAnsweredEvents(finalized)).isEmpty();
    assertThat(status(c, foreign)).isEqualTo(NONE);
  }

  @Test
  void anErrorForARequestTheConsumerNeverMadeIsRefused() throws Exception {
    ExampleConsumer c = deployExample("");
    BigInteger foreign = requestNamingCallback(stranger, c.getContractAddress());
    TransactionReceipt refunded = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      anvil.increaseTime(601);
      anvil.mine();
      refunded = hub(stranger).reassignOrRefund(foreign).send();
    }

    assertThat(InferenceHub.getCallbackFailedEvents(refunded)).hasSize(1);
    assertThat(c.refundsOwed().send()).isZero();
  }

  BigInteger requestNamingCallback(TransactionSender from, String callback) throws Exception {
    TransactionReceipt r =
        hub(from)
            .request(
                modelId.toArray(),
                input().canonicalBytes(),
                input().hash().toArray(),
                BigInteger.ZERO,
                BigInteger.valueOf(now() + 600),
                Address.ZERO.toHex(),
                callback,
                BigInteger.valueOf(200_000),
                false,
                FEE)
            .send();
    return InferenceHub.getInferenceRequestedEvents(r).getFirst().requestId;
  }

  @Test
  void theConstructorRefusesAnAddressThatIsNotAHub() {
    for (Address notAHub : List.of(stranger.address(), deployment.modelRegistry())) {
      ContractRevertException e =
          assertDeploymentReverts(
              "NotAHub",
              () ->
                  ExampleConsumer.deploy(
                          anvil.web3j(),
                          KitArtifacts.decodingKitErrors(deployer),
                          new GasLimits(6_000_000),
                          notAHub.toHex(),
                          "support-intent",
                          BigInteger.ONE,
                          "")
                      .send());
      assertThat(e.argument("hub")).isEqualTo(notAHub);
    }
  }

  @Test
  void theExampleRefusesAModelThatIsNotPublished() {
    assertDeploymentReverts(
        "UnknownModel",
        () ->
            ExampleConsumer.deploy(
                    anvil.web3j(),
                    KitArtifacts.decodingKitErrors(deployer),
                    new GasLimits(6_000_000),
                    deployment.inferenceHub().toHex(),
                    "no-such-model",
                    BigInteger.ONE,
                    "")
                .send());
  }

  /** web3j wraps what a deployment throws: the revert is the cause. */
  static ContractRevertException assertDeploymentReverts(
      String errorName, org.assertj.core.api.ThrowableAssert.ThrowingCallable deploy) {
    return assertReverts(
        errorName,
        () -> {
          try {
            deploy.call();
          } catch (RuntimeException e) {
            throw e.getCause() instanceof ContractRevertException revert ? revert : e;
          }
        });
  }

  // ------------------------------------------------------------------------------ the base

  @Test
  void fastDeliveryReachesTheHookUnfinalizedThenFinal() throws Exception {
    KitProbeConsumer p = deployProbe();
    p.configure(BigInteger.ZERO, true, BigInteger.valueOf(200_000)).send();
    BigInteger id = requestThroughProbe(p);

    submitCorrectly(id, logits(1f, 2f, 3f, 4f));
    assertThat(p.unfinalizedResults().send().intValue()).isEqualTo(1);
    assertThat(p.results().send().intValue()).isZero();
    assertThat(p.vouchRequest(id).send().status.intValue()).isEqualTo(PENDING);
    finalizeAfterWindow(id);

    assertThat(p.results().send().intValue()).isEqualTo(1);
    assertThat(p.vouchRequest(id).send().status.intValue()).isEqualTo(DELIVERED);
    assertThat(p.lastOutput().send()).isEqualTo(logits(1f, 2f, 3f, 4f).canonicalBytes());
  }

  @Test
  void aHookThatRevertsWithAReasonRejectsTheResult() throws Exception {
    KitProbeConsumer p = deployProbe();
    p.configure(BigInteger.ONE, false, BigInteger.valueOf(200_000)).send();
    BigInteger id = requestThroughProbe(p);

    submitCorrectly(id, logits(1f, 2f, 3f, 4f));
    finalizeAfterWindow(id);

    assertThat(p.vouchRequest(id).send().status.intValue()).isEqualTo(REJECTED);
    assertThat(p.rejections().send().intValue()).isEqualTo(1);
    var reason = deployer.revertDecoder().decode(Hex.prefixed(p.lastRejection().send()));
    assertThat(reason.name()).isEqualTo("Refused");
    assertThat(reason.argument("requestId")).isEqualTo(id);
  }

  @Test
  void aHookThatRunsOutOfGasFailsTheCallbackAndLeavesTheRequestPending() throws Exception {
    KitProbeConsumer p = deployProbe();
    p.configure(BigInteger.TWO, false, BigInteger.valueOf(200_000)).send();
    BigInteger id = requestThroughProbe(p);

    submitCorrectly(id, logits(1f, 2f, 3f, 4f));
    TransactionReceipt finalized = finalizeAfterWindow(id);

    assertThat(InferenceHub.getCallbackFailedEvents(finalized)).hasSize(1);
    assertThat(p.vouchRequest(id).send().status.intValue()).isEqualTo(PENDING);
    assertThat(p.rejections().send().intValue()).isZero();
  }

  @Test
  void aConsumerMayOpenTheNextRequestFromItsCallback() throws Exception {
    KitProbeConsumer p = deployProbe();
    p.configure(BigInteger.valueOf(3), false, BigInteger.valueOf(500_000)).send();
    // The follow-up is paid from what the hub refunds of this request's fee before calling back.
    BigInteger id = requestThroughProbe(p);

    submitCorrectly(id, logits(1f, 2f, 3f, 4f));
    TransactionReceipt finalized = finalizeAfterWindow(id);

    BigInteger next = p.followUpRequestId().send();
    assertThat(next).isGreaterThan(id);
    assertThat(hub(deployer).statusOf(next).send().intValue()).isEqualTo(1); // Assigned
    assertThat(p.vouchRequest(next).send().status.intValue()).isEqualTo(PENDING);
    assertThat(InferenceHub.getInferenceRequestedEvents(finalized)).hasSize(1);
  }

  BigInteger requestThroughProbe(KitProbeConsumer p) throws Exception {
    TransactionReceipt r = p.request(input().canonicalBytes(), FEE).send();
    return InferenceHub.getInferenceRequestedEvents(r).getFirst().requestId;
  }

  // ------------------------------------------------------------------------------ gas

  // Each gas test starts from the same deployed state (the hub's first request), like
  // SupportDeskTest's, so that the figures compare.

  @Test
  void gasOfOneFinalizedInferenceThroughTheKit() throws Exception {
    ExampleConsumer c = deployExample("");
    TransactionReceipt asked =
        as(c, requester).ask(input().canonicalBytes(), c.fee().send()).send();
    BigInteger id = ExampleConsumer.getAskedEvents(asked).getFirst().requestId;
    TransactionReceipt submitted = submitCorrectly(id, logits(0.1f, 0.7f, 0.2f, 0f));
    TransactionReceipt finalized = finalizeAfterWindow(id);

    assertThat(status(c, id)).isEqualTo(DELIVERED);
    report("ExampleConsumer.ask, 4 float32 logits", asked, submitted, finalized);
  }

  @Test
  void gasOfAModelWithTwoOutputsThroughTheKit() throws Exception {
    ExampleConsumer c = deployExample("logits");
    TransactionReceipt asked =
        as(c, requester).ask(input().canonicalBytes(), c.fee().send()).send();
    BigInteger id = ExampleConsumer.getAskedEvents(asked).getFirst().requestId;
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    outputs.put("logits", logits(0.1f, 0.7f, 0.2f, 0f));
    outputs.put("probabilities", logits(0.2f, 0.5f, 0.2f, 0.1f));
    TransactionReceipt submitted = submitRaw(id, NamedTensors.of(outputs).canonicalBytes());
    TransactionReceipt finalized = finalizeAfterWindow(id);

    assertThat(status(c, id)).isEqualTo(DELIVERED);
    report("ExampleConsumer.ask, 2 outputs, reads \"logits\"", asked, submitted, finalized);
  }

  @Test
  void gasOfTheSameInferenceWithoutAConsumer() throws Exception {
    // An EOA requests without a callback: what the hub costs before any consumer code.
    TransactionReceipt asked =
        hub(requester)
            .request(
                modelId.toArray(),
                input().canonicalBytes(),
                input().hash().toArray(),
                BigInteger.ZERO,
                BigInteger.valueOf(now() + 600),
                Address.ZERO.toHex(),
                Address.ZERO.toHex(),
                BigInteger.ZERO,
                false,
                MODEL_FEE.add(NODE_PRICE))
            .send();
    BigInteger id = InferenceHub.getInferenceRequestedEvents(asked).getFirst().requestId;
    TransactionReceipt submitted = submitCorrectly(id, logits(0.1f, 0.7f, 0.2f, 0f));
    TransactionReceipt finalized = finalizeAfterWindow(id);

    report("the hub alone: an EOA requests, no callback", asked, submitted, finalized);
  }

  static void report(
      String what,
      TransactionReceipt asked,
      TransactionReceipt submitted,
      TransactionReceipt done) {
    System.out.printf(
        "GAS %s: request %s + submitResult %s + finalize %s = %s%n",
        what,
        asked.getGasUsed(),
        submitted.getGasUsed(),
        done.getGasUsed(),
        asked.getGasUsed().add(submitted.getGasUsed()).add(done.getGasUsed()));
  }
}
