package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.NodeRegistry;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Assignment through the NodeRegistry's stake-weighted sortition pools (issue 12: "request() scans
 * every node that ever registered: it fails past about 650 withdrawn entries ... locking escrow"):
 * request() draws from the pool of the model and level in O(log n) reads, a node that leaves leaves
 * every pool, and the gas of a request does not grow with the nodes that registered and left.
 */
class SortitionAssignmentTest extends DevChainTest {
  static final BigInteger LEVELS =
      BigInteger.valueOf(VerificationLevel.VANILLA.bit() | VerificationLevel.TEE.bit());
  static final BigInteger VANILLA = BigInteger.ZERO;
  static int extra;

  /** A fresh funded key registered as an inference node serving the test model. */
  TransactionSender registerNode(BigInteger stake) throws Exception {
    Secp256k1.KeyPair k =
        Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("sortition-node-" + extra++));
    anvil.setBalance(k.address(), ETH.multiply(BigInteger.valueOf(1_000)));
    TransactionSender s = TransactionSender.create(anvil.web3j(), k);
    nodes(s)
        .register(
            BigInteger.ONE,
            "http://127.0.0.1:9",
            LEVELS,
            NODE_PRICE,
            List.of(modelId.toArray()),
            stake)
        .send();
    return s;
  }

  BigInteger poolTotal() throws Exception {
    return nodes(stranger).poolTotal(modelId.toArray(), VANILLA).send();
  }

  Address draw(BigInteger ticket) throws Exception {
    return Address.fromHex(nodes(stranger).drawNode(modelId.toArray(), VANILLA, ticket).send());
  }

  long requestGas() throws Exception {
    TransactionReceipt r =
        hub(requester)
            .request(
                modelId.toArray(),
                input().canonicalBytes(),
                input().hash().toArray(),
                VANILLA,
                BigInteger.valueOf(now() + 600),
                Address.ZERO.toHex(),
                Address.ZERO.toHex(),
                BigInteger.ZERO,
                false,
                FEE)
            .send();
    return r.getGasUsed().longValueExact();
  }

  @Test
  void requestGasDoesNotGrowWithNodesThatRegisteredAndLeft() throws Exception {
    requestGas(); // the first request initializes the hub's counters
    long before = requestGas();
    List<TransactionSender> leavers = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      leavers.add(registerNode(ETH));
    }
    for (TransactionSender s : leavers) {
      nodes(s).requestUnbond().send();
    }
    anvil.increaseTime(PARAMETERS.unbondingDelaySeconds() + 1);
    anvil.mine();
    for (TransactionSender s : leavers) {
      nodes(s).withdraw().send();
    }
    long after = requestGas();
    System.out.printf(
        "GAS request() with 2 nodes: %,d; with 150 more registered and withdrawn: %,d%n",
        before, after);

    assertThat(poolTotal())
        .as("the leavers left the pool")
        .isEqualTo(ETH.multiply(BigInteger.valueOf(4)));
    // a few more cold reads down a deeper tree (its free slots stay), not a scan that cost
    // thousands of gas per registered entry (150 entries: about 750k)
    assertThat(after - before).isLessThan(40_000);
  }

  @Test
  void requestGasGrowsLogarithmicallyWithEligibleNodes() throws Exception {
    requestGas(); // the first request initializes the hub's counters
    long two = requestGas();
    for (int i = 0; i < 126; i++) {
      registerNode(ETH);
    }
    long many = requestGas();
    System.out.printf("GAS request() with 2 eligible nodes: %,d; with 128: %,d%n", two, many);
    // log2(128) = 7 tree levels: a few cold reads more, not 126 eligibility checks
    assertThat(many - two).isLessThan(40_000);
  }

  @Test
  void drawsFollowStakeExactlyOverTheTicketRange() throws Exception {
    // node1 and node2 hold 2 ETH each; a third node joins with 6 ETH
    TransactionSender big = registerNode(ETH.multiply(BigInteger.valueOf(6)));
    BigInteger total = poolTotal();
    assertThat(total).isEqualTo(ETH.multiply(BigInteger.TEN));

    BigInteger step = ETH.divide(BigInteger.TWO);
    int bigCount = 0;
    int others = 0;
    for (BigInteger t = BigInteger.ZERO; t.compareTo(total) < 0; t = t.add(step)) {
      Address a = draw(t);
      if (a.equals(big.address())) {
        bigCount++;
      } else {
        assertThat(a).isIn(node1.address(), node2.address());
        others++;
      }
    }
    assertThat(bigCount).as("6 of 10 ETH: 12 of 20 half-ETH tickets").isEqualTo(12);
    assertThat(others).isEqualTo(8);
  }

  @Test
  void theTreeAgreesWithTheStakesAfterSeededJoinsTopUpsAndLeaves() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    List<TransactionSender> joined = new ArrayList<>();
    for (int step = 0; step < 40; step++) {
      int op = random.nextInt(3);
      if (op == 0 || joined.isEmpty()) {
        joined.add(
            registerNode(ETH.add(BigInteger.valueOf(random.nextLong(1_000_000_000_000_000L)))));
      } else if (op == 1) {
        TransactionSender s = joined.get(random.nextInt(joined.size()));
        if (nodes(stranger).nodeInfo(s.address().toHex()).send().unbondingSince.signum() == 0) {
          nodes(s).addStake(BigInteger.valueOf(1 + random.nextLong(1_000_000_000_000_000L))).send();
        }
      } else {
        TransactionSender s = joined.remove(random.nextInt(joined.size()));
        nodes(s).requestUnbond().send();
      }
      if (step % 10 == 9) {
        assertTreeMatchesStakes();
      }
    }
    // slots of nodes that left are reused by nodes that join
    var before = nodes(stranger).poolSize(modelId.toArray(), VANILLA).send();
    registerNode(ETH);
    var after = nodes(stranger).poolSize(modelId.toArray(), VANILLA).send();
    assertThat(after.component2()).isEqualTo(before.component2());
    assertTreeMatchesStakes();
  }

  static final BigInteger GWEI = BigInteger.TEN.pow(9);

  /**
   * For every member in slot order, its first and last ticket draw it; the total is the sum. A
   * node's weight is its stake in whole gwei (the pool's unit; the seeded stakes carry wei below a
   * gwei, which do not count).
   */
  void assertTreeMatchesStakes() throws Exception {
    var size = nodes(stranger).poolSize(modelId.toArray(), VANILLA).send();
    BigInteger start = BigInteger.ZERO;
    int members = 0;
    for (long slot = 1; slot <= size.component2().longValueExact(); slot++) {
      Address a =
          Address.fromHex(
              nodes(stranger)
                  .poolMemberAt(modelId.toArray(), VANILLA, BigInteger.valueOf(slot))
                  .send());
      if (a.equals(Address.ZERO)) {
        continue;
      }
      members++;
      BigInteger stake = nodes(stranger).stakeOf(a.toHex()).send();
      stake = stake.subtract(stake.mod(GWEI));
      assertThat(draw(start)).as("first ticket of slot %d", slot).isEqualTo(a);
      assertThat(draw(start.add(stake).subtract(BigInteger.ONE)))
          .as("last ticket of slot %d", slot)
          .isEqualTo(a);
      start = start.add(stake);
    }
    assertThat(poolTotal()).isEqualTo(start);
    assertThat(size.component1().longValueExact()).isEqualTo(members);
  }

  @Test
  void aNodeThatUnbondsOrDropsTheModelLeavesItsPoolAtOnce() throws Exception {
    nodes(node1).requestUnbond().send();
    assertThat(poolTotal()).isEqualTo(ETH.multiply(BigInteger.TWO));
    NodeRegistry.NodeInfo info = nodes(node2).nodeInfo(node2.address().toHex()).send();
    nodes(node2).updateCapabilities(info.endpoint, LEVELS, NODE_PRICE, List.of()).send();
    assertThat(poolTotal()).isZero();
    assertReverts("NoEligibleNode", () -> requestGas());
  }

  @Test
  void aReassignedRequestFindsTheOtherNodeOfASmallPoolWhateverTheDraws() throws Exception {
    BigInteger id = request(requester, FEE);
    Address first = assignedNode(id);
    anvil.increaseTime(601);
    anvil.mine();
    hub(stranger).reassignOrRefund(id).send();

    Address second = assignedNode(id);
    assertThat(second).isNotEqualTo(first).isIn(node1.address(), node2.address());
    assertThat(hub(stranger).getRequest(id).send().attempts).isEqualTo(BigInteger.TWO);
  }

  @Test
  void aNodeListingTooManyModelsIsRefused() {
    List<byte[]> many = new ArrayList<>();
    for (int i = 0; i < 33; i++) {
      many.add(Bytes32.fromUint(BigInteger.valueOf(i)).toArray());
    }
    var e =
        assertReverts(
            "TooManyModels",
            () ->
                nodes(stranger)
                    .register(BigInteger.ONE, "http://s", LEVELS, NODE_PRICE, many, ETH)
                    .send());
    assertThat(e.argument("maximum")).isEqualTo(BigInteger.valueOf(32));
  }
}
