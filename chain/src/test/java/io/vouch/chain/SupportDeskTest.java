package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.SupportDesk;
import io.vouch.chain.tx.GasLimits;
import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.Tensor;
import java.math.BigInteger;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** The example consumer: tickets routed by the demo model's intent, failures refunded. */
class SupportDeskTest extends DevChainTest {
  static final List<String> QUEUES = List.of("billing", "technical", "account", "other");
  static final int PENDING = 1;
  static final int ROUTED = 2;
  static final int UNROUTABLE = 3;
  static final int FAILED = 4;

  SupportDesk desk;

  SupportDesk deployDesk() throws Exception {
    return SupportDesk.deploy(
            anvil.web3j(),
            deployer,
            new GasLimits(5_000_000),
            deployment.inferenceHub().toHex(),
            modelId.toArray(),
            BigInteger.valueOf(600),
            QUEUES)
        .send();
  }

  SupportDesk deskAs(io.vouch.chain.tx.TransactionSender s) {
    return SupportDesk.load(desk.getContractAddress(), anvil.web3j(), s, GasLimits.DEFAULT);
  }

  BigInteger openTicket() throws Exception {
    TransactionReceipt r = deskAs(requester).openTicket(input().canonicalBytes(), FEE).send();
    return SupportDesk.getTicketOpenedEvents(r).getFirst().requestId;
  }

  SupportDesk.Ticket ticket() throws Exception {
    return desk.ticket(BigInteger.ZERO).send();
  }

  void answerAndFinalize(BigInteger requestId, Tensor output) throws Exception {
    submitCorrectly(requestId, output);
    passChallengeWindow();
    hub(stranger).finalize(requestId).send();
  }

  @Test
  void aTicketIsRoutedToTheQueueOfTheLargestLogitOnceTheResultIsFinal() throws Exception {
    desk = deployDesk();
    BigInteger id = openTicket();

    submitCorrectly(id, logits(-3.5f, -0.25f, -7f, -1f));
    assertThat(ticket().status.intValue()).as("not routed before finality").isEqualTo(PENDING);
    passChallengeWindow();
    TransactionReceipt finalized = hub(stranger).finalize(id).send();

    assertThat(ticket().status.intValue()).isEqualTo(ROUTED);
    assertThat(ticket().queue).isEqualTo(BigInteger.ONE);
    assertThat(SupportDesk.getTicketRoutedEvents(finalized).getFirst().queueName)
        .isEqualTo("technical");
  }

  @Test
  void int32LogitsOfAQuantizedModelRouteToo() throws Exception {
    desk = deployDesk();
    BigInteger id = openTicket();

    answerAndFinalize(id, Tensor.ofInts(new int[] {1, 4}, -5, 3, 12, -40));

    assertThat(ticket().queue).isEqualTo(BigInteger.TWO);
  }

  @Test
  void aNanLogitMakesTheTicketUnroutable() throws Exception {
    desk = deployDesk();
    BigInteger id = openTicket();

    answerAndFinalize(id, logits(1f, Float.NaN, 0f, 0f));

    assertThat(ticket().status.intValue()).isEqualTo(UNROUTABLE);
  }

  @Test
  void aClassWithoutAQueueMakesTheTicketUnroutable() throws Exception {
    desk = deployDesk();
    BigInteger id = openTicket();

    answerAndFinalize(id, logits(0f, 0f, 0f, 0f, 9f));

    assertThat(ticket().status.intValue()).isEqualTo(UNROUTABLE);
  }

  @Test
  void aRequestNoNodeAnsweredMarksTheTicketFailedAndRefundsTheCustomer() throws Exception {
    desk = deployDesk();
    BigInteger id = openTicket();
    for (int attempt = 0; attempt < 2; attempt++) {
      anvil.increaseTime(601);
      anvil.mine();
      hub(stranger).reassignOrRefund(id).send();
    }

    assertThat(ticket().status.intValue()).isEqualTo(FAILED);
    assertThat(desk.refundOf(requester.address().toHex()).send()).isEqualTo(FEE);
    BigInteger deskBefore = balanceOf(io.vouch.core.Address.fromHex(desk.getContractAddress()));
    deskAs(requester).withdrawRefund().send();
    assertThat(
            deskBefore.subtract(
                balanceOf(io.vouch.core.Address.fromHex(desk.getContractAddress()))))
        .isEqualTo(FEE);
    assertReverts("NothingToRefund", () -> deskAs(requester).withdrawRefund().send());
  }

  @Test
  void onlyTheHubCanDeliverResults() throws Exception {
    desk = deployDesk();
    BigInteger id = openTicket();
    assertReverts(
        "NotHub",
        () -> deskAs(stranger).onInferenceResult(id, new byte[32], new byte[0], true).send());
    assertReverts("NotHub", () -> deskAs(stranger).onInferenceError(id, "x").send());
  }

  @Test
  void onlyTheOperatorTakesTheSurplus() throws Exception {
    desk = deployDesk();
    assertReverts(
        "NotOperator", () -> deskAs(stranger).withdrawSurplus(stranger.address().toHex()).send());
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14, 15, 16})
  void onChainArgmaxAgreesWithJavaForRandomFloatLogits(long seed) throws Exception {
    desk = deployDesk();
    SplittableRandom r = new SplittableRandom(seed);
    float[] values = new float[1 + r.nextInt(12)];
    for (int i = 0; i < values.length; i++) {
      // mixed signs and magnitudes, with repeats so that ties occur
      values[i] =
          r.nextInt(4) == 0
              ? 0f
              : (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(6) - 2));
    }
    Tensor t = Tensor.ofFloats(new int[] {values.length}, values);

    var result = desk.argmax(t.canonicalBytes()).send();

    assertThat(result.component1()).isTrue();
    assertThat(result.component2().intValue()).isEqualTo(t.argmax());
  }

  @Test
  void onChainArgmaxTreatsMinusZeroAsATieWithPlusZeroAsJavaDoes() throws Exception {
    desk = deployDesk();
    Tensor t = Tensor.ofFloats(new int[] {3}, -1f, -0f, 0f);

    var result = desk.argmax(t.canonicalBytes()).send();

    assertThat(result.component2().intValue()).isEqualTo(t.argmax()).isEqualTo(1);
  }

  @Test
  void onChainArgmaxRejectsOtherDtypes() throws Exception {
    desk = deployDesk();
    Tensor doubles = Tensor.of(DType.FLOAT64, new int[] {1}, new byte[8]);
    var result = desk.argmax(doubles.canonicalBytes()).send();
    assertThat(result.component1()).isFalse();
    assertThat(result.component3()).contains("float32 or int32");
  }

  @Test
  void gasOfOneFinalizedOnChainInference() throws Exception {
    desk = deployDesk();
    TransactionReceipt opened = deskAs(requester).openTicket(input().canonicalBytes(), FEE).send();
    BigInteger id = SupportDesk.getTicketOpenedEvents(opened).getFirst().requestId;
    TransactionReceipt submitted = submitCorrectly(id, logits(0.1f, 0.7f, 0.2f, 0.0f));
    passChallengeWindow();
    TransactionReceipt finalized = hub(stranger).finalize(id).send();
    BigInteger total = opened.getGasUsed().add(submitted.getGasUsed()).add(finalized.getGasUsed());
    System.out.printf(
        "GAS on-chain inference (SupportDesk ticket, %d-byte input, 4 float32 logits):"
            + " request %s + submitResult %s + finalize %s = %s gas%n",
        input().canonicalBytes().length,
        opened.getGasUsed(),
        submitted.getGasUsed(),
        finalized.getGasUsed(),
        total);

    assertThat(ticket().status.intValue()).isEqualTo(ROUTED);
  }
}
