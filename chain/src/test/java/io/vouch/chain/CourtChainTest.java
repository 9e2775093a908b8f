package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.contracts.ModelRegistry;
import io.vouch.chain.contracts.VerificationCourt;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.ModelId;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.Verdict;
import io.vouch.core.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A devnet with a VerificationCourt in session: four validators (test keys, 2 ETH each) beside the
 * two inference nodes, which now also serve a ZKML model and two VANILLA models audited at 100 %
 * and 0 %. Validators are played by the test: they draw, vote and sign verdicts with their keys.
 * The books of the hub and of the court are checked after every test (DevChainTest).
 */
abstract class CourtChainTest extends DevChainTest {
  static final BigInteger ROLE_VALIDATOR = BigInteger.TWO;
  static final BigInteger ALL_LEVELS = BigInteger.valueOf(7);
  static final BigInteger VALIDATOR_STAKE = ETH.multiply(BigInteger.TWO);
  static final VouchDeployment.Court COURT = PARAMETERS.court();
  static final BigInteger VERDICT_FEE = COURT.verdictFeeWei();
  static final BigInteger VERIFICATION_FEE = COURT.verificationFeeWei();
  static final Bytes32 EVIDENCE = Keccak.hash("proof bytes");

  /** Solidity State enum of the court. */
  static final int LOTTERY = 1;

  static final int NOT_SELECTED = 2;
  static final int AWAITING_DRAW = 3;
  static final int VOTING = 4;
  static final int VALID = 5;
  static final int INVALID = 6;
  static final int RELEASED = 7;

  /** Solidity Kind enum of the court. */
  static final int KIND_ZKML = 0;

  static final int KIND_AUDIT = 1;
  static final int KIND_CHALLENGE = 2;

  static Bytes32 zkModel; // ZKML and VANILLA, the registry's default audit rate (10 %)
  static Bytes32 auditedModel; // VANILLA, audit rate 100 %
  static Bytes32 unauditedModel; // VANILLA, audit rate 0
  static final Map<Address, Secp256k1.KeyPair> validators = new LinkedHashMap<>();
  static final Map<Address, Secp256k1.KeyPair> fresh = new LinkedHashMap<>();
  static int extraKeys;

  @BeforeAll
  static void registerValidatorsAndPublishCourtModels() throws Exception {
    ModelRegistry publisher = deployment.modelRegistry(sender(4));
    zkModel = publish(publisher, "court-zk", BigInteger.valueOf(5), null);
    auditedModel = publish(publisher, "court-audited", BigInteger.ONE, 10_000);
    unauditedModel = publish(publisher, "court-unaudited", BigInteger.ONE, 0);
    List<byte[]> served =
        List.of(
            ModelId.of("support-intent", 1).toArray(),
            ModelId.of("support-intent-tee", 1).toArray(),
            zkModel.toArray(),
            auditedModel.toArray(),
            unauditedModel.toArray());
    for (int i : new int[] {1, 2}) {
      deployment
          .nodeRegistry(sender(i))
          .updateCapabilities("http://127.0.0.1:" + (8000 + i), ALL_LEVELS, NODE_PRICE, served)
          .send();
    }
    validators.clear();
    for (int i = 0; i < 4; i++) {
      Secp256k1.KeyPair k = Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("court-validator-" + i));
      registerValidator(k, VALIDATOR_STAKE);
      validators.put(k.address(), k);
    }
    assertThat(deployment.verificationCourt(sender(0)).inSession().send()).isTrue();
    takeSnapshotOfDeployedState();
  }

  static Bytes32 publish(ModelRegistry publisher, String name, BigInteger levels, Integer rate)
      throws Exception {
    TransactionReceipt r =
        rate == null
            ? publisher
                .publish(
                    name,
                    BigInteger.ONE,
                    "bafkrei" + name,
                    Keccak.hash("schema").toArray(),
                    Keccak.hash("zk " + name).toArray(),
                    levels,
                    MODEL_FEE)
                .send()
            : publisher
                .publish(
                    name,
                    BigInteger.ONE,
                    "bafkrei" + name,
                    Keccak.hash("schema").toArray(),
                    new byte[32],
                    levels,
                    MODEL_FEE,
                    BigInteger.valueOf(rate),
                    Keccak.hash("tolerance").toArray())
                .send();
    return Bytes32.wrap(ModelRegistry.getModelPublishedEvents(r).getFirst().modelId);
  }

  static TransactionSender registerValidator(Secp256k1.KeyPair k, BigInteger stake)
      throws Exception {
    anvil.setBalance(k.address(), ETH.multiply(BigInteger.valueOf(1_000)));
    TransactionSender s = TransactionSender.create(anvil.web3j(), k);
    deployment
        .nodeRegistry(s)
        .register(
            ROLE_VALIDATOR, "http://validator", BigInteger.ZERO, BigInteger.ZERO, List.of(), stake)
        .send();
    return s;
  }

  /** A fresh funded key (not a validator yet). */
  static Secp256k1.KeyPair freshKey(String purpose) {
    Secp256k1.KeyPair k =
        Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("court-extra-" + purpose + extraKeys++));
    anvil.setBalance(k.address(), ETH.multiply(BigInteger.valueOf(1_000)));
    fresh.put(k.address(), k);
    return k;
  }

  /** The key of a dev account, a test validator or a fresh key. */
  static Secp256k1.KeyPair keyOf(TransactionSender s) {
    Secp256k1.KeyPair k = validators.getOrDefault(s.address(), fresh.get(s.address()));
    return k != null ? k : key(s);
  }

  VerificationCourt court(TransactionSender s) {
    return deployment.verificationCourt(s);
  }

  TransactionSender validator(Address a) {
    Secp256k1.KeyPair k = validators.get(a);
    if (k == null) {
      throw new IllegalArgumentException(a + " is not a test validator");
    }
    return TransactionSender.create(anvil.web3j(), k);
  }

  /** A request for {@code model} at {@code level} with a plain EOA requester. */
  BigInteger requestOn(Bytes32 model, VerificationLevel level, BigInteger fee, Address preferred)
      throws Exception {
    TransactionReceipt r =
        hub(requester)
            .request(
                model.toArray(),
                input().canonicalBytes(),
                input().hash().toArray(),
                BigInteger.valueOf(level.code()),
                BigInteger.valueOf(now() + 600),
                preferred.toHex(),
                Address.ZERO.toHex(),
                BigInteger.ZERO,
                false,
                fee)
            .send();
    return InferenceHub.getInferenceRequestedEvents(r).getFirst().requestId;
  }

  BigInteger requestOn(Bytes32 model, VerificationLevel level) throws Exception {
    return requestOn(model, level, FEE, Address.ZERO);
  }

  InferenceHub.Request onChain(BigInteger id) throws Exception {
    return hub(stranger).getRequest(id).send();
  }

  /** The node assigned to {@code id} submits {@code output}, signed by {@code node}'s key. */
  TransactionReceipt submitAs(
      TransactionSender node, BigInteger id, Bytes32 model, VerificationLevel level, Tensor output)
      throws Exception {
    InferenceReceipt receipt =
        new InferenceReceipt(
            Bytes32.fromUint(id),
            model,
            input().hash(),
            output.hash(),
            level,
            EVIDENCE,
            node.address(),
            1_700_000_000L,
            1);
    return submit(
        node, id, output, receipt, receipt.sign(deployment.domain(), keyOf(node)).toArray());
  }

  TransactionReceipt submitOn(BigInteger id, Bytes32 model, VerificationLevel level, Tensor output)
      throws Exception {
    return submitAs(senderFor(assignedNode(id)), id, model, level, output);
  }

  BigInteger caseOf(BigInteger id) throws Exception {
    return Verdict.caseIdOf(id, onChain(id).attempts.intValueExact());
  }

  VerificationCourt.CaseView caseView(BigInteger caseId) throws Exception {
    return court(stranger).getCase(caseId).send();
  }

  int state(BigInteger caseId) throws Exception {
    return caseView(caseId).state.intValueExact();
  }

  /** A keeper draws the case in the next block but one (its seed block is then known). */
  TransactionReceipt draw(BigInteger caseId) throws Exception {
    anvil.mine();
    return court(stranger).draw(caseId).send();
  }

  List<Address> committee(BigInteger caseId) throws Exception {
    return new io.vouch.chain.court.CourtClient(stranger, deployment).getCase(caseId).members();
  }

  int round(BigInteger caseId) throws Exception {
    return caseView(caseId).round.intValueExact();
  }

  TransactionReceipt vote(Address member, BigInteger caseId, boolean valid) throws Exception {
    return court(validator(member))
        .vote(caseId, BigInteger.valueOf(round(caseId)), valid, committeeArg(caseId))
        .send();
  }

  /**
   * The first {@code count} members of the committee vote {@code valid}; returns their receipts.
   */
  List<TransactionReceipt> votes(BigInteger caseId, int count, boolean valid) throws Exception {
    List<Address> members = committee(caseId);
    List<TransactionReceipt> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(vote(members.get(i), caseId, valid));
    }
    return out;
  }

  /** A member's verdict as the court's wrapper takes it. */
  static VerificationCourt.Verdict onChainVerdict(Verdict v) {
    return new VerificationCourt.Verdict(
        v.caseId(),
        v.requestId(),
        v.outputHash().toArray(),
        v.evidenceHash().toArray(),
        v.valid(),
        BigInteger.valueOf(v.round()));
  }

  Verdict verdictOn(BigInteger caseId, Tensor output, boolean valid) throws Exception {
    return new Verdict(caseId, caseId.shiftRight(8), output.hash(), EVIDENCE, valid, round(caseId));
  }

  long blockNumber() throws Exception {
    return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
  }

  Bytes32 blockHash(long number) throws Exception {
    EthBlock.Block b =
        anvil
            .web3j()
            .ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false)
            .send()
            .getBlock();
    return Bytes32.fromHex(b.getHash());
  }

  /** keccak256(abi.encode(words…)) for 32-byte words. */
  static Bytes32 keccakWords(Bytes32... words) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Bytes32 w : words) {
      out.writeBytes(w.toArray());
    }
    return Keccak.hash(out.toByteArray());
  }

  /**
   * The audit lottery's ticket as the court computes it: keccak(seed ‖ caseId ‖ tag) mod 10,000.
   */
  static int auditTicket(Bytes32 seedHash, BigInteger caseId) {
    return keccakWords(seedHash, Bytes32.fromUint(caseId), Keccak.hash("vouch.audit"))
        .toUint()
        .mod(BigInteger.valueOf(10_000))
        .intValueExact();
  }

  /**
   * The committee the court draws for a case from {@code seedHash}, replayed in Java from the
   * registry's views (NodeRegistry.drawCommittee's NatSpec): seed = keccak(seedHash ‖ caseId ‖
   * round); seat i tries t = 0..15 with r = keccak(seed ‖ i ‖ t): the entry validatorAt((r mod
   * 2^128) mod validatorCount) is taken when (r >> 128) mod the ceiling (gwei) is below its weight
   * (gwei) and it is neither excluded nor drawn; after 16 misses the seat is drawn by the tree:
   * ticket keccak(seed ‖ i) mod the weight still in play, mapped past the intervals of the excluded
   * and of those drawn, in order of their start.
   */
  List<Address> expectedCommittee(
      Bytes32 seedHash, BigInteger caseId, int round, List<Address> exclude) throws Exception {
    Bytes32 seed =
        keccakWords(
            seedHash, Bytes32.fromUint(caseId), Bytes32.fromUint(BigInteger.valueOf(round)));
    BigInteger gwei = BigInteger.TEN.pow(9);
    int count = nodes(stranger).validatorCount().send().intValueExact();
    BigInteger ceiling = nodes(stranger).drawCeiling().send().divide(gwei);
    List<Address> entries = new ArrayList<>();
    List<BigInteger> weights = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      var e = nodes(stranger).validatorAt(BigInteger.valueOf(i)).send();
      entries.add(Address.fromHex(e.component1()));
      weights.add(e.component2().divide(gwei));
      assertThat(nodes(stranger).isActiveValidator(e.component1()).send()).isTrue();
      assertThat(e.component2())
          .isEqualTo(nodes(stranger).stakeOf(e.component1()).send().min(drawWeightCap()));
    }
    long eligible = count - exclude.stream().distinct().filter(entries::contains).count();
    BigInteger low128 = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    List<Address> out = new ArrayList<>();
    for (int seat = 0; out.size() < COURT.committeeSize() && eligible > 0; seat++) {
      Address chosen = null;
      for (int t = 0; t < 16 && chosen == null; t++) {
        BigInteger r =
            keccakWords(
                    seed,
                    Bytes32.fromUint(BigInteger.valueOf(seat)),
                    Bytes32.fromUint(BigInteger.valueOf(t)))
                .toUint();
        int idx = r.and(low128).mod(BigInteger.valueOf(count)).intValueExact();
        Address a = entries.get(idx);
        if (r.shiftRight(128).mod(ceiling).compareTo(weights.get(idx)) < 0
            && !exclude.contains(a)
            && !out.contains(a)) {
          chosen = a;
        }
      }
      out.add(chosen != null ? chosen : drawnByTree(seed, seat, exclude, out));
      eligible--;
    }
    return out;
  }

  BigInteger drawWeightCap() throws Exception {
    return nodes(stranger).drawWeightCap().send();
  }

  /** The tree's draw of seat {@code seat} (after 16 misses), replayed. */
  private Address drawnByTree(Bytes32 seed, int seat, List<Address> exclude, List<Address> drawn)
      throws Exception {
    java.util.TreeMap<BigInteger, BigInteger> cut = new java.util.TreeMap<>();
    BigInteger remaining = nodes(stranger).validatorPoolTotal().send();
    List<Address> out = new ArrayList<>(exclude);
    out.addAll(drawn);
    for (Address a : out) {
      var range = nodes(stranger).validatorRange(a.toHex()).send();
      if (range.component2().signum() > 0
          && cut.put(range.component1(), range.component2()) == null) {
        remaining = remaining.subtract(range.component2());
      }
    }
    BigInteger t =
        keccakWords(seed, Bytes32.fromUint(BigInteger.valueOf(seat))).toUint().mod(remaining);
    for (var e : cut.entrySet()) {
      if (t.compareTo(e.getKey()) < 0) {
        break;
      }
      t = t.add(e.getValue());
    }
    return Address.fromHex(nodes(stranger).drawValidator(t).send());
  }

  List<Address> expectedCommittee(Bytes32 seedHash, BigInteger caseId, int round, Address node)
      throws Exception {
    return expectedCommittee(seedHash, caseId, round, List.of(node));
  }

  BigInteger courtOwed(Address a) throws Exception {
    return court(stranger).owedTo(a.toHex()).send();
  }

  /** What the hub paid {@code to} for {@code kind} (Payout ordinal) in this test. */
  BigInteger hubPaid(Address to, int kind) {
    return eventsOfThisTest().stream()
        .filter(e -> e instanceof io.vouch.chain.events.HubEvent.FundsReleased)
        .map(e -> (io.vouch.chain.events.HubEvent.FundsReleased) e)
        .filter(f -> f.to().equals(to) && f.kind() == kind)
        .map(io.vouch.chain.events.HubEvent.FundsReleased::amount)
        .reduce(BigInteger.ZERO, BigInteger::add);
  }

  /** What the court paid {@code to} in this test, any kind. */
  BigInteger courtPaid(Address to) throws Exception {
    BigInteger sum = BigInteger.ZERO;
    for (var log : courtLogsOfThisTest()) {
      if (log.getTopics()
          .getFirst()
          .equals(org.web3j.abi.EventEncoder.encode(VerificationCourt.PAID_EVENT))) {
        var p = VerificationCourt.getPaidEventFromLog(log);
        if (Address.fromHex(p.to).equals(to)) {
          sum = sum.add(p.amount);
        }
      }
    }
    return sum;
  }

  static final int PAY_NODE_FEE = 0;
  static final int PAY_MODEL_FEE = 1;
  static final int PAY_REFUND = 2;
  static final int PAY_VERIFICATION_FEE = 6;
}
