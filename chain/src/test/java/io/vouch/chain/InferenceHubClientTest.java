package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vouch.chain.contracts.testing.ScriptedConsumer;
import io.vouch.chain.hub.HubError;
import io.vouch.chain.hub.HubRequest;
import io.vouch.chain.hub.InferenceHubClient;
import io.vouch.chain.hub.RequestStatus;
import io.vouch.chain.settlement.ReceiptMerkleTree;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.chain.tx.GasLimits;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.PaymentVoucher;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.tensor.NamedTensors;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The typed InferenceHub client: requests, results, channels, vouchers and receipt batches in the
 * project's types, and every refusal its callers act on recognised by selector.
 */
class InferenceHubClientTest extends DevChainTest {
  static final NamedTensors INPUT = NamedTensors.lone(input());
  static final NamedTensors OUTPUT = NamedTensors.lone(logits(0.25f, 0.75f));

  InferenceHubClient client(TransactionSender s) {
    return new InferenceHubClient(s, deployment);
  }

  InferenceHubClient.NewRequest newRequest(
      Bytes32 model, VerificationLevel level, long deadline, BigInteger fee) {
    return new InferenceHubClient.NewRequest(
        model, INPUT, level, deadline, Optional.empty(), Optional.empty(), 0, false, fee);
  }

  InferenceHubClient.Requested requestVanilla() throws Exception {
    return client(requester)
        .request(newRequest(modelId, VerificationLevel.VANILLA, now() + 600, FEE));
  }

  /** The receipt the assigned node signs for {@link #OUTPUT}. */
  SignedReceipt signedBy(TransactionSender node, BigInteger requestId) {
    InferenceReceipt receipt =
        new InferenceReceipt(
            Bytes32.fromUint(requestId),
            modelId,
            INPUT.hash(),
            OUTPUT.hash(),
            VerificationLevel.VANILLA,
            Bytes32.ZERO,
            node.address(),
            1_700_000_000L,
            1);
    return new SignedReceipt(receipt, receipt.sign(deployment.domain(), key(node)));
  }

  static HubError refusal(ThrowingCallable call) {
    ContractRevertException e = catchThrowableOfType(ContractRevertException.class, call);
    assertThat(e).as("the hub refused").isNotNull();
    return HubError.of(e).orElseThrow(() -> new AssertionError("not a hub error: " + e));
  }

  // ---------------------------------------------------------------- a request's life

  @Test
  void aRequestReadsAsTypedDataFromRequestToFinalization() throws Exception {
    long deadline = now() + 600;
    InferenceHubClient.Requested r =
        client(requester).request(newRequest(modelId, VerificationLevel.VANILLA, deadline, FEE));
    InferenceHubClient hub = client(stranger);

    HubRequest assigned = hub.getRequest(r.requestId());
    assertThat(assigned.status()).isEqualTo(RequestStatus.ASSIGNED);
    assertThat(assigned.node()).isEqualTo(r.node()).isIn(node1.address(), node2.address());
    assertThat(assigned.deadline()).isEqualTo(r.deadline()).isEqualTo(deadline);
    assertThat(assigned.requester()).isEqualTo(requester.address());
    assertThat(assigned.modelId()).isEqualTo(modelId);
    assertThat(assigned.level()).isEqualTo(VerificationLevel.VANILLA);
    assertThat(assigned.inputHash()).as("hashed from the input").isEqualTo(INPUT.hash());
    assertThat(assigned.attempts()).isEqualTo(1);
    assertThat(assigned.maxFee()).isEqualTo(FEE);
    assertThat(assigned.nodePrice()).isEqualTo(NODE_PRICE);
    assertThat(assigned.modelFee()).isEqualTo(MODEL_FEE);
    assertThat(assigned.finalizableAt()).isZero();
    assertThat(r.blockNumber()).isPositive();

    TransactionSender node = senderFor(r.node());
    var submitted = client(node).submitResult(r.requestId(), signedBy(node, r.requestId()), OUTPUT);
    assertThat(submitted).isInstanceOf(InferenceHubClient.Submission.Submitted.class);
    HubRequest withResult = hub.getRequest(r.requestId());
    assertThat(withResult.status()).isEqualTo(RequestStatus.SUBMITTED);
    assertThat(withResult.outputHash()).isEqualTo(OUTPUT.hash());
    assertThat(withResult.finalizableAt()).isEqualTo(withResult.submittedAt() + CHALLENGE_WINDOW);

    passChallengeWindow();
    hub.keeper().finalizeResult(r.requestId());
    assertThat(hub.statusOf(r.requestId())).isEqualTo(RequestStatus.FINALIZED);
  }

  @Test
  void anUnknownRequestReadsAsStatusNone() {
    HubRequest r = client(stranger).getRequest(BigInteger.valueOf(99));
    assertThat(r.status()).isEqualTo(RequestStatus.NONE);
    assertThat(r.exists()).isFalse();
  }

  @Test
  void theHubsParametersReadAsTypes() {
    InferenceHubClient hub = InferenceHubClient.readOnly(anvil.web3j(), deployment);
    assertThat(hub.maxAttempts()).isEqualTo(PARAMETERS.maxAttempts());
    assertThat(hub.channelUnlockDelay())
        .isEqualTo(Duration.ofSeconds(PARAMETERS.channelUnlockDelaySeconds()));
  }

  // ---------------------------------------------------------------- request() refusals

  @Test
  void aRequestForAnUnknownModelIsRefusedAsUnknownModel() {
    assertThat(
            refusal(() ->
                client(requester)
                    .request(
                        newRequest(
                            Keccak.hash("no such model"),
                            VerificationLevel.VANILLA,
                            now() + 600,
                            FEE))))
        .isEqualTo(HubError.UNKNOWN_MODEL);
  }

  @Test
  void aRequestAtALevelTheModelDoesNotAllowIsRefusedAsLevelNotAllowed() {
    assertThat(
            refusal(() ->
                client(requester)
                    .request(newRequest(modelId, VerificationLevel.TEE, now() + 600, FEE))))
        .isEqualTo(HubError.LEVEL_NOT_ALLOWED);
  }

  @Test
  void aRequestWithADeadlineInThePastIsRefusedAsDeadlinePassed() {
    assertThat(
            refusal(() ->
                client(requester)
                    .request(newRequest(modelId, VerificationLevel.VANILLA, now() - 1, FEE))))
        .isEqualTo(HubError.DEADLINE_PASSED);
  }

  @Test
  void aRequestWithADeadlineBeyondTheMaximumIsRefusedAsDeadlineTooFar() throws Exception {
    long tooFar = now() + PARAMETERS.maxDeadlineSeconds() + 60;
    assertThat(
            refusal(() ->
                client(requester)
                    .request(newRequest(modelId, VerificationLevel.VANILLA, tooFar, FEE))))
        .isEqualTo(HubError.DEADLINE_TOO_FAR);
  }

  @Test
  void aFeeBelowModelFeePlusNodePriceIsRefusedAsFeeTooLowWithTheRequiredAmount() {
    BigInteger tooLittle = MODEL_FEE.add(NODE_PRICE).subtract(BigInteger.ONE);
    ContractRevertException e =
        catchThrowableOfType(
            ContractRevertException.class,
            () ->
                client(requester)
                    .request(
                        newRequest(modelId, VerificationLevel.VANILLA, now() + 600, tooLittle)));
    assertThat(HubError.of(e)).contains(HubError.FEE_TOO_LOW);
    assertThat(e.argument("required")).isEqualTo(MODEL_FEE.add(NODE_PRICE));
  }

  @Test
  void aFeeAboveTheLargestEscrowableIsRefusedAsFeeTooHigh() {
    BigInteger huge = BigInteger.TWO.pow(96);
    anvil.setBalance(requester.address(), huge.multiply(BigInteger.TWO));
    assertThat(
            refusal(() ->
                client(requester)
                    .request(newRequest(modelId, VerificationLevel.VANILLA, now() + 600, huge))))
        .isEqualTo(HubError.FEE_TOO_HIGH);
  }

  @Test
  void aRequestNoNodeServesIsRefusedAsNoEligibleNode() throws Exception {
    Bytes32 zkOnly =
        new io.vouch.chain.registry.ModelRegistryClient(modelOwner, deployment)
            .publish(
                new io.vouch.chain.registry.ModelRegistryClient.Publication(
                    "zk-only",
                    1,
                    "bafy-zk",
                    Bytes32.ZERO,
                    Keccak.hash("zk"),
                    java.util.Set.of(VerificationLevel.ZKML),
                    BigInteger.ZERO,
                    java.util.Optional.empty()))
            .modelId();
    assertThat(
            refusal(() ->
                client(requester)
                    .request(newRequest(zkOnly, VerificationLevel.ZKML, now() + 600, FEE))))
        .isEqualTo(HubError.NO_ELIGIBLE_NODE);
  }

  @Test
  void aCallbackThatIsNotAContractIsRefusedAsCallbackNotContract() {
    assertThat(
            refusal(() ->
                client(requester)
                    .request(
                        new InferenceHubClient.NewRequest(
                            modelId,
                            INPUT,
                            VerificationLevel.VANILLA,
                            now() + 600,
                            Optional.empty(),
                            Optional.of(stranger.address()),
                            100_000,
                            false,
                            FEE))))
        .isEqualTo(HubError.CALLBACK_NOT_CONTRACT);
  }

  @Test
  void moreCallbackGasThanTheCapIsRefusedAsCallbackGasTooHigh() throws Exception {
    ScriptedConsumer c =
        ScriptedConsumer.deploy(
                anvil.web3j(), requester, GasLimits.DEFAULT, deployment.inferenceHub().toHex())
            .send();
    assertThat(
            refusal(() ->
                client(requester)
                    .request(
                        new InferenceHubClient.NewRequest(
                            modelId,
                            INPUT,
                            VerificationLevel.VANILLA,
                            now() + 600,
                            Optional.empty(),
                            Optional.of(Address.fromHex(c.getContractAddress())),
                            PARAMETERS.maxCallbackGas() + 1,
                            false,
                            FEE))))
        .isEqualTo(HubError.CALLBACK_GAS_TOO_HIGH);
  }

  // ---------------------------------------------------------------- submitResult()

  @Test
  void aResultFromANodeThatIsNotAssignedComesBackRefusedAsNotAssignedNode() throws Exception {
    InferenceHubClient.Requested r = requestVanilla();
    TransactionSender other = r.node().equals(node1.address()) ? node2 : node1;

    var s = client(other).submitResult(r.requestId(), signedBy(other, r.requestId()), OUTPUT);

    assertThat(s).isInstanceOf(InferenceHubClient.Submission.Refused.class);
    var refused = (InferenceHubClient.Submission.Refused) s;
    assertThat(refused.error()).contains(HubError.NOT_ASSIGNED_NODE);
    assertThat(refused.errorName()).isEqualTo("NotAssignedNode");
    assertThat(client(stranger).statusOf(r.requestId())).isEqualTo(RequestStatus.ASSIGNED);
  }

  @Test
  void aResultAfterTheDeadlineComesBackRefusedAsSubmissionAfterDeadline() throws Exception {
    InferenceHubClient.Requested r = requestVanilla();
    TransactionSender node = senderFor(r.node());
    anvil.increaseTime(601);
    anvil.mine();

    var s = client(node).submitResult(r.requestId(), signedBy(node, r.requestId()), OUTPUT);

    assertThat(((InferenceHubClient.Submission.Refused) s).error())
        .contains(HubError.SUBMISSION_AFTER_DEADLINE);
  }

  // ---------------------------------------------------------------- receipt batches

  @Test
  void aPostedReceiptRootReadsBackAsItsBatchAndProvesItsReceipts() {
    Bytes32 digest = Keccak.hash("a direct-path receipt");
    Bytes32 other = Keccak.hash("another receipt");
    ReceiptMerkleTree tree = new ReceiptMerkleTree(node1.address(), List.of(digest, other));
    InferenceHubClient hub = client(node1);
    long before = hub.batchCount();

    InferenceHubClient.PostedRoot posted = hub.postReceiptRoot(tree.root(), 2);

    assertThat(posted.batchId()).isEqualTo(before);
    assertThat(hub.batchCount()).isEqualTo(before + 1);
    InferenceHubClient.Batch batch = hub.getBatch(posted.batchId());
    assertThat(batch.root()).isEqualTo(tree.root());
    assertThat(batch.node()).isEqualTo(node1.address());
    assertThat(batch.count()).isEqualTo(2);
    assertThat(hub.inclusion().ofDigest(posted.batchId(), digest, tree.proof(0))).isTrue();
  }

  @Test
  void aReceiptRootFromAnUnregisteredAccountIsRefusedAsNotRegisteredNode() {
    assertThat(refusal(() -> client(stranger).postReceiptRoot(Keccak.hash("root"), 1)))
        .isEqualTo(HubError.NOT_REGISTERED_NODE);
  }

  // ---------------------------------------------------------------- deposits, channels, vouchers

  @Test
  void aPayersDepositChannelAndRedeemedVoucherReadAsTypes() {
    InferenceHubClient payerHub = client(payer);
    payerHub.deposit(ETH);
    assertThat(payerHub.depositOf(payer.address())).isEqualTo(ETH);

    payerHub.fundChannel(node1.address(), NODE_PRICE.multiply(BigInteger.TEN));
    assertThat(payerHub.depositOf(payer.address()))
        .isEqualTo(ETH.subtract(NODE_PRICE.multiply(BigInteger.TEN)));
    InferenceHubClient.Channel funded = payerHub.channelOf(payer.address(), node1.address());
    assertThat(funded.balance()).isEqualTo(NODE_PRICE.multiply(BigInteger.TEN));
    assertThat(funded.unlockAt()).isZero();

    BigInteger owed = NODE_PRICE.multiply(BigInteger.TWO);
    PaymentVoucher v = new PaymentVoucher(payer.address(), node1.address(), owed);
    InferenceHubClient.Redemption r =
        client(node1).redeemVoucher(payer.address(), owed, v.sign(deployment.domain(), key(payer)));
    assertThat(r.paid()).isEqualTo(owed);
    assertThat(r.shortfall()).isZero();
    assertThat(payerHub.redeemedOf(payer.address(), node1.address())).isEqualTo(owed);
    assertThat(payerHub.channelOf(payer.address(), node1.address()).redeemed()).isEqualTo(owed);

    payerHub.requestUnlock(node1.address(), NODE_PRICE);
    InferenceHubClient.Channel unlocking = payerHub.channelOf(payer.address(), node1.address());
    assertThat(unlocking.unlocking()).isEqualTo(NODE_PRICE);
    assertThat(unlocking.unlockAt()).isPositive();
    anvil.increaseTime(PARAMETERS.channelUnlockDelaySeconds() + 1);
    anvil.mine();
    payerHub.unlockChannel(node1.address());
    payerHub.withdrawDeposit(NODE_PRICE);

    InferenceHubClient.Books books = payerHub.books();
    assertThat(books.balanced()).isTrue();
    assertThat(books.deposits())
        .as("the payer's deposit and channel, less the redeemed voucher and the withdrawal")
        .isEqualTo(ETH.subtract(owed).subtract(NODE_PRICE));
  }

  @Test
  void aReadOnlyClientReadsButRefusesToSendWithNoKeyException() {
    InferenceHubClient readOnly = InferenceHubClient.readOnly(anvil.web3j(), deployment);
    assertThat(readOnly.self()).isEmpty();
    assertThat(readOnly.depositOf(payer.address())).isZero();
    assertThatThrownBy(() -> readOnly.deposit(ETH))
        .isInstanceOf(NoKeyException.class)
        .satisfies(e -> assertThat(((NoKeyException) e).purpose()).isEqualTo("deposit"));
  }
}
