package io.vouch.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.chain.EscrowBooks;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.tensor.Tensor;
import io.vouch.node.inference.InferenceRequest;
import io.vouch.node.inference.InferenceResult;
import io.vouch.sdk.onchain.Finality;
import io.vouch.sdk.onchain.OnChainOptions;
import io.vouch.sdk.onchain.OnChainRequest;
import io.vouch.sdk.onchain.OnChainResult;
import io.vouch.sdk.onchain.RequestRecord;
import io.vouch.sdk.onchain.Settled;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The on-chain path on the real hub contract. The test plays the assigned node's part as the node's
 * on-chain worker does: it runs the request on that node's executor and submits the signed result.
 */
class OnChainPathTest {
  static final BigInteger FEE = BigInteger.valueOf(100_000);
  static final Duration WAIT = Duration.ofSeconds(30);

  static Devnet devnet;
  static VouchClient requester;

  @BeforeAll
  static void connect() {
    devnet = Devnet.get();
    requester = devnet.client(devnet.fundedKey("requester"));
  }

  @AfterAll
  static void close() {
    requester.close();
  }

  /** What the assigned node does when it sees its RequestAssigned event. */
  Tensor actAsTheAssignedNode(OnChainRequest handle) throws Exception {
    Devnet.TestNode node = devnet.node(handle.assignedNode());
    InferenceResult result =
        node.app()
            .executor()
            .execute(
                new InferenceRequest(
                    handle.modelId().toHex(),
                    handle.input(),
                    handle.level(),
                    Bytes32.fromUint(handle.requestId())));
    var receipt = result.receipt().receipt();
    devnet
        .deployment
        .inferenceHub(devnet.sender(devnet.fund(node.key())))
        .submitResult(
            handle.requestId(),
            receipt.outputHash().toArray(),
            result.output().canonicalBytes(),
            receipt.evidenceHash().toArray(),
            BigInteger.valueOf(receipt.timestamp()),
            BigInteger.valueOf(receipt.sequence()),
            result.receipt().signature().toArray())
        .send();
    return result.output();
  }

  /** Escrow is conserved after every test: the hub's and the court's books (chain's test-jar). */
  EscrowBooks books;

  @BeforeEach
  void openTheBooks() throws Exception {
    books = devnet.books();
  }

  @AfterEach
  void escrowIsConserved() throws Exception {
    books.assertBalanced();
  }

  @Test
  void aRequestEscrowsTheFeeAndIsAssignedToARegisteredNode() {
    OnChainRequest handle =
        requester.inferOnChain("demo@1", Devnet.input(1f), OnChainOptions.defaults(FEE));

    assertThat(handle.requestId()).isPositive();
    assertThat(handle.transactionHash()).startsWith("0x");
    assertThat(handle.assignedNode()).isIn(devnet.nodeA.address(), devnet.nodeB.address());
  }

  @Test
  void withFastDeliveryTheSubmittedResultArrivesWithItsHashChecked() throws Exception {
    Tensor input = Devnet.input(2f);
    OnChainRequest handle =
        requester.inferOnChain(
            "demo@1", input, OnChainOptions.defaults(FEE).withFastDelivery(true));
    Tensor computed = actAsTheAssignedNode(handle);

    OnChainResult r = requester.awaitResult(handle, WAIT);

    assertThat(r.finality()).isEqualTo(Finality.SUBMITTED);
    assertThat(r.output()).isEqualTo(computed).isEqualTo(devnet.expectedOutput(input));
    assertThat(r.outputHash()).isEqualTo(Keccak.hash(r.output().canonicalBytes()));
    assertThat(r.node()).isEqualTo(handle.assignedNode());
    assertThat(r.finalizeTransaction()).isEmpty();
  }

  @Test
  void withoutFastDeliveryTheResultArrivesFinalizedWithTheSettlement() throws Exception {
    OnChainRequest handle =
        requester.inferOnChain("demo@1", Devnet.input(3f), OnChainOptions.defaults(FEE));
    actAsTheAssignedNode(handle);
    devnet.passTime(Devnet.CHALLENGE_WINDOW + 1);

    assertThat(requester.settle(handle)).isEqualTo("finalized");
    OnChainResult r = requester.awaitResult(handle, WAIT);

    assertThat(r.finality()).isEqualTo(Finality.FINALIZED);
    assertThat(r.finalizeTransaction()).isPresent();
    BigInteger price =
        handle.assignedNode().equals(devnet.nodeA.address()) ? Devnet.PRICE_A : Devnet.PRICE_B;
    assertThat(r.settlement().orElseThrow())
        .isEqualTo(
            new OnChainResult.Settlement(
                price, Devnet.MODEL_FEE, FEE.subtract(price).subtract(Devnet.MODEL_FEE)));
  }

  @Test
  void aRequestNoNodeAnswersIsRefundedAndTheReasonSurfaces() {
    OnChainRequest handle =
        requester.inferOnChain(
            "demo@1",
            Devnet.input(4f),
            OnChainOptions.defaults(FEE).withDeadline(Duration.ofSeconds(30)));
    String last = "";
    for (int attempt = 0; attempt < Devnet.MAX_ATTEMPTS && !last.equals("refunded"); attempt++) {
      devnet.passTime(31);
      last = requester.settle(handle);
    }
    assertThat(last).isEqualTo("refunded");

    assertThatThrownBy(() -> requester.awaitResult(handle, WAIT))
        .isInstanceOfSatisfying(
            RequestRefundedException.class,
            e -> {
              assertThat(e.amountWei()).isEqualTo(FEE);
              assertThat(e.requestId()).isEqualTo(handle.requestId());
            })
        .hasMessageContaining("deadline");
  }

  @Test
  void aRequestIsReadBackByIdWithWhereItStandsAndItsTransactions() throws Exception {
    OnChainRequest handle =
        requester.inferOnChain(
            "demo@1", Devnet.input(8f), OnChainOptions.defaults(FEE).withFastDelivery(true));

    RequestRecord assigned = requester.request(handle.requestId());
    assertThat(assigned.state()).isEqualTo(RequestRecord.State.ASSIGNED);
    assertThat(assigned.node()).isEqualTo(handle.assignedNode());
    assertThat(assigned.deadline()).isEqualTo(handle.deadline());
    assertThat(assigned.maxFeeWei()).isEqualTo(FEE);
    assertThat(assigned.modelFeeWei()).isEqualTo(Devnet.MODEL_FEE);
    assertThat(assigned.finality()).isEmpty();
    assertThat(assigned.transaction("requested")).contains(handle.transactionHash());

    actAsTheAssignedNode(handle);
    RequestRecord submitted = requester.request(handle.requestId());

    assertThat(submitted.state()).isEqualTo(RequestRecord.State.SUBMITTED);
    assertThat(submitted.finality()).contains(Finality.SUBMITTED);
    assertThat(submitted.outputHash().isZero()).isFalse();
    assertThat(submitted.finalizableAt()).isGreaterThan(0);
    assertThat(submitted.history())
        .extracting(RequestRecord.Event::kind)
        .containsExactly("requested", "assigned", "submitted");
  }

  @Test
  void settlingByIdBeforeTheWindowEndsIsTooEarlyAndSaysWhenThenFinalizes() throws Exception {
    OnChainRequest handle =
        requester.inferOnChain(
            "demo@1", Devnet.input(9f), OnChainOptions.defaults(FEE).withFastDelivery(true));
    actAsTheAssignedNode(handle);

    assertThatThrownBy(() -> requester.settle(handle.requestId()))
        .isInstanceOfSatisfying(
            VouchClientException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_EARLY))
        .hasMessageContaining("challenge window is open until chain time");

    devnet.passTime(Devnet.CHALLENGE_WINDOW + 1);
    Settled s = requester.settle(handle.requestId());

    assertThat(s.action()).isEqualTo("finalized");
    assertThat(s.after().state()).isEqualTo(RequestRecord.State.FINALIZED);
    assertThat(s.after().transaction("finalized")).isEqualTo(s.transactionHash());
    assertThat(requester.settle(handle.requestId()).action()).isEqualTo("none");
  }

  @Test
  void anUnknownRequestIdIsBadInput() {
    assertThatThrownBy(() -> requester.request(BigInteger.valueOf(999_999)))
        .isInstanceOfSatisfying(
            VouchClientException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT))
        .hasMessageContaining("no request 999999");
  }

  @Test
  void aFeeBelowModelFeePlusTheCheapestNodeIsRefusedBeforeSending() {
    OnChainOptions tooCheap = OnChainOptions.defaults(Devnet.MODEL_FEE);

    assertThatThrownBy(() -> requester.inferOnChain("demo@1", Devnet.input(5f), tooCheap))
        .isInstanceOfSatisfying(
            VouchClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_ELIGIBLE_NODE))
        .hasMessageContaining(
            "raise maxFeeWei to at least " + Devnet.MODEL_FEE.add(Devnet.PRICE_A));
  }

  @Test
  void aLevelTheModelDoesNotAllowIsRefusedBeforeSending() {
    OnChainOptions tee = OnChainOptions.defaults(FEE).withLevel(VerificationLevel.TEE);

    assertThatThrownBy(() -> requester.inferOnChain("demo@1", Devnet.input(6f), tee))
        .isInstanceOfSatisfying(
            VouchClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_LEVEL));
  }

  @Test
  void waitingLongerThanTheTimeoutSaysWhereTheRequestStands() {
    OnChainRequest handle =
        requester.inferOnChain("demo@1", Devnet.input(7f), OnChainOptions.defaults(FEE));

    assertThatThrownBy(() -> requester.awaitResult(handle, Duration.ofMillis(200)))
        .isInstanceOfSatisfying(
            VouchClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NODE_UNAVAILABLE))
        .hasMessageContaining("assigned to");
  }
}
