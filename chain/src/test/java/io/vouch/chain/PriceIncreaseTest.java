package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.NodeRegistry;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.VerificationLevel;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Price front-running (issue 9.3): a node that sees a request coming and raises its price is
 * charged at the price it had; a higher price is charged only {@code priceIncreaseDelay} after it
 * is announced, lower prices apply at once.
 */
class PriceIncreaseTest extends DevChainTest {
  static final BigInteger LEVELS =
      BigInteger.valueOf(VerificationLevel.VANILLA.bit() | VerificationLevel.TEE.bit());

  void setPrice(TransactionSender node, BigInteger price) throws Exception {
    NodeRegistry.NodeInfo info = nodes(node).nodeInfo(node.address().toHex()).send();
    nodes(node).updateCapabilities(info.endpoint, LEVELS, price, info.models).send();
  }

  BigInteger priceOf(TransactionSender node) throws Exception {
    return nodes(stranger).priceOf(node.address().toHex()).send();
  }

  @Test
  void aPriceRaisedJustBeforeARequestIsNotCharged() throws Exception {
    // Both nodes raise their price to the whole fee the requester offers, as a front-runner would
    // after seeing the request in the mempool; the request lands right after.
    BigInteger greedy = FEE.subtract(MODEL_FEE);
    setPrice(node1, greedy);
    setPrice(node2, greedy);
    BigInteger id = request(requester, FEE);

    assertThat(hub(stranger).getRequest(id).send().nodePrice)
        .as("price at assignment")
        .isEqualTo(NODE_PRICE);
    BigInteger requesterBefore = balanceOf(requester.address());
    submitCorrectly(id, logits(1f, 2f));
    passChallengeWindow();
    hub(stranger).finalize(id).send();
    assertThat(balanceOf(requester.address()).subtract(requesterBefore))
        .as("refund: everything but the old price and the model fee")
        .isEqualTo(FEE.subtract(NODE_PRICE).subtract(MODEL_FEE));
  }

  @Test
  void aHigherPriceIsAnnouncedAndChargedOnlyAfterTheDelay() throws Exception {
    BigInteger higher = NODE_PRICE.multiply(BigInteger.TWO);
    setPrice(node1, higher);

    var schedule = nodes(stranger).priceSchedule(node1.address().toHex()).send();
    assertThat(schedule.component1()).isEqualTo(NODE_PRICE);
    assertThat(schedule.component2()).isEqualTo(higher);
    assertThat(schedule.component3().longValueExact())
        .isBetween(now(), now() + PARAMETERS.priceIncreaseDelaySeconds());
    assertThat(priceOf(node1)).isEqualTo(NODE_PRICE);
    assertThat(nodes(stranger).nodeInfo(node1.address().toHex()).send().price)
        .isEqualTo(NODE_PRICE);
    assertThat(nodes(stranger).candidates(modelId.toArray(), BigInteger.ZERO).send().component3())
        .containsOnly(NODE_PRICE);

    anvil.increaseTime(PARAMETERS.priceIncreaseDelaySeconds() + 1);
    anvil.mine();
    assertThat(priceOf(node1)).isEqualTo(higher);
    NodeRegistry.NodeInfo info = nodes(stranger).nodeInfo(node1.address().toHex()).send();
    assertThat(info.price).isEqualTo(higher);
    assertThat(info.pendingPriceAt).isZero();
  }

  @Test
  void announcingTheSameIncreaseAgainKeepsItsTimeAndAnotherRestartsIt() throws Exception {
    BigInteger higher = NODE_PRICE.multiply(BigInteger.TWO);
    setPrice(node1, higher);
    long due =
        nodes(stranger).priceSchedule(node1.address().toHex()).send().component3().longValueExact();
    anvil.increaseTime(10);
    anvil.mine();
    setPrice(node1, higher); // a node republishing its capabilities when its models change
    assertThat(
            nodes(stranger)
                .priceSchedule(node1.address().toHex())
                .send()
                .component3()
                .longValueExact())
        .isEqualTo(due);

    setPrice(node1, higher.add(BigInteger.ONE));
    assertThat(
            nodes(stranger)
                .priceSchedule(node1.address().toHex())
                .send()
                .component3()
                .longValueExact())
        .isGreaterThan(due);
  }

  @Test
  void aLowerPriceAppliesAtOnceAndCancelsAnAnnouncedIncrease() throws Exception {
    setPrice(node1, NODE_PRICE.multiply(BigInteger.TEN));
    BigInteger lower = NODE_PRICE.divide(BigInteger.TWO);
    setPrice(node1, lower);

    assertThat(priceOf(node1)).isEqualTo(lower);
    anvil.increaseTime(PARAMETERS.priceIncreaseDelaySeconds() + 1);
    anvil.mine();
    assertThat(priceOf(node1)).as("the cancelled increase never arrives").isEqualTo(lower);
  }

  @Test
  void aNewRegistrationChargesItsPriceAtOnce() throws Exception {
    nodes(stranger)
        .register(
            BigInteger.ONE,
            "http://127.0.0.1:8009",
            LEVELS,
            NODE_PRICE.multiply(BigInteger.valueOf(7)),
            List.of(modelId.toArray()),
            ETH)
        .send();
    assertThat(priceOf(stranger)).isEqualTo(NODE_PRICE.multiply(BigInteger.valueOf(7)));
  }
}
