package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.contracts.ModelRegistry;
import io.vouch.chain.contracts.NodeRegistry;
import io.vouch.chain.events.HubEvent;
import io.vouch.chain.events.HubEventWatcher;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.tensor.Tensor;
import java.math.BigInteger;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * One real anvil per test class with the Vouch contracts deployed, two inference nodes registered
 * and one model published; every test starts from that state (evm_snapshot / evm_revert) and ends
 * with the books checked ({@link EscrowBooks}, which the node's and the SDK's tests share). The
 * hub's: its balance equals escrow + deposits + owed payouts, and every wei that came in (fees,
 * deposits) is paid out (node and model fees, verification fees, refunds, vouchers, withdrawals) or
 * still held. The court's: its balance equals challenge bonds + owed payouts + the fees of open key
 * approvals, and every wei that came in (bonds, key approval fees, slashed stake) is paid out or
 * still held.
 */
abstract class DevChainTest {

  /**
   * Case {@code caseId}'s current committee as the court takes it with a vote, a relayed verdict or
   * an expiry: read from its CommitteeDrawn event, as clients do (the court stores only a digest).
   */
  io.vouch.chain.contracts.VerificationCourt.Committee committeeArg(java.math.BigInteger caseId) {
    return io.vouch.chain.court.CourtClient.committeeOf(
        new io.vouch.chain.court.CourtClient(stranger, deployment).getCase(caseId));
  }

  static final BigInteger ETH = BigInteger.TEN.pow(18);
  static final BigInteger MODEL_FEE = ETH.divide(BigInteger.valueOf(10_000)); // 0.0001 ETH
  static final BigInteger NODE_PRICE = ETH.divide(BigInteger.valueOf(1_000)); // 0.001 ETH
  static final BigInteger FEE = ETH.divide(BigInteger.valueOf(100)); // what requesters offer
  static final long CHALLENGE_WINDOW = 60;
  static final VouchDeployment.Parameters PARAMETERS =
      new VouchDeployment.Parameters(ETH, 86_400, CHALLENGE_WINDOW, 3_600, 500_000, 2, 3_600);

  static AnvilProcess anvil;
  static VouchDeployment deployment;
  static Bytes32 modelId;
  private static String snapshot;
  private static boolean dirty;

  TransactionSender deployer;
  TransactionSender node1;
  TransactionSender node2;
  TransactionSender requester;
  TransactionSender modelOwner;
  TransactionSender payer;
  TransactionSender stranger;
  private long firstBlockOfTest;
  private EscrowBooks books;

  @BeforeAll
  static void startChainAndDeploy() throws Exception {
    anvil = AnvilProcess.start();
    TransactionSender deployer = sender(0);
    deployment = VouchDeployment.deploy(deployer, PARAMETERS);
    for (int i : new int[] {1, 2}) {
      deployment
          .nodeRegistry(sender(i))
          .register(
              BigInteger.ONE,
              "http://127.0.0.1:" + (8000 + i),
              BigInteger.valueOf(VerificationLevel.VANILLA.bit() | VerificationLevel.TEE.bit()),
              NODE_PRICE,
              // A node lists what it serves; an empty list serves nothing.
              List.of(
                  io.vouch.core.ModelId.of("support-intent", 1).toArray(),
                  io.vouch.core.ModelId.of("support-intent-tee", 1).toArray()),
              ETH.multiply(BigInteger.TWO))
          .send();
    }
    TransactionReceipt published =
        deployment
            .modelRegistry(sender(4))
            .publish(
                "support-intent",
                BigInteger.ONE,
                "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
                Keccak.hash("schema").toArray(),
                new byte[32],
                BigInteger.valueOf(VerificationLevel.VANILLA.bit()),
                MODEL_FEE)
            .send();
    modelId = Bytes32.wrap(ModelRegistry.getModelPublishedEvents(published).getFirst().modelId);
    snapshot = anvil.snapshot();
    dirty = false;
  }

  /**
   * For subclasses that extend the deployed state in their own {@code @BeforeAll}: makes that
   * extended state the one every test starts from.
   */
  static void takeSnapshotOfDeployedState() {
    snapshot = anvil.snapshot();
    dirty = false;
  }

  @AfterAll
  static void stopChain() {
    if (anvil != null) {
      anvil.close();
    }
  }

  @BeforeEach
  void startFromTheDeployedState() throws Exception {
    if (dirty) {
      anvil.revertTo(snapshot);
      snapshot = anvil.snapshot();
    }
    dirty = true;
    // Fresh senders: a revert rewinds nonces, so cached ones would be wrong.
    deployer = sender(0);
    node1 = sender(1);
    node2 = sender(2);
    requester = sender(3);
    modelOwner = sender(4);
    payer = sender(5);
    stranger = sender(6);
    firstBlockOfTest = anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact() + 1;
    books = EscrowBooks.open(anvil.web3j(), deployment, deployer);
  }

  @AfterEach
  void hubBooksBalance() throws Exception {
    books.assertBalanced();
  }

  /** The court's logs since this test began. */
  List<Log> courtLogsOfThisTest() throws Exception {
    long head = anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    if (head < firstBlockOfTest) {
      return List.of();
    }
    EthLog logs =
        anvil
            .web3j()
            .ethGetLogs(
                new EthFilter(
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(firstBlockOfTest)),
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(head)),
                    deployment.verificationCourt().toHex()))
            .send();
    assertThat(logs.hasError()).as("eth_getLogs of the court").isFalse();
    return logs.getLogs().stream().map(r -> (Log) r.get()).toList();
  }

  List<HubEvent> eventsOfThisTest() {
    try (HubEventWatcher watcher =
        new HubEventWatcher(anvil.web3j(), deployment.inferenceHub(), firstBlockOfTest)) {
      return watcher.poll();
    }
  }

  static TransactionSender sender(int devAccount) {
    return TransactionSender.create(anvil.web3j(), anvil.devKeys().get(devAccount));
  }

  static Secp256k1.KeyPair key(TransactionSender sender) {
    for (Bytes32 k : anvil.devKeys()) {
      Secp256k1.KeyPair pair = Secp256k1.KeyPair.fromPrivateKey(k);
      if (pair.address().equals(sender.address())) {
        return pair;
      }
    }
    throw new IllegalArgumentException("not a dev account: " + sender.address());
  }

  InferenceHub hub(TransactionSender s) {
    return deployment.inferenceHub(s);
  }

  NodeRegistry nodes(TransactionSender s) {
    return deployment.nodeRegistry(s);
  }

  ModelRegistry models(TransactionSender s) {
    return deployment.modelRegistry(s);
  }

  long now() throws Exception {
    return anvil
        .web3j()
        .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
        .send()
        .getBlock()
        .getTimestamp()
        .longValueExact();
  }

  BigInteger balanceOf(Address a) throws Exception {
    return anvil
        .web3j()
        .ethGetBalance(a.toHex(), DefaultBlockParameterName.LATEST)
        .send()
        .getBalance();
  }

  static Tensor input() {
    return Tensor.ofFloats(new int[] {1, 4}, 1f, 0f, 1f, 0f);
  }

  static Tensor logits(float... values) {
    return Tensor.ofFloats(new int[] {1, values.length}, values);
  }

  /** An on-chain request by {@code from} with a plain EOA requester and no callback. */
  BigInteger request(TransactionSender from, BigInteger fee) throws Exception {
    TransactionReceipt r =
        hub(from)
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
                fee)
            .send();
    return InferenceHub.getInferenceRequestedEvents(r).getFirst().requestId;
  }

  Address assignedNode(BigInteger requestId) throws Exception {
    return Address.fromHex(hub(deployer).getRequest(requestId).send().node);
  }

  TransactionSender senderFor(Address node) {
    if (node.equals(node1.address())) {
      return node1;
    }
    if (node.equals(node2.address())) {
      return node2;
    }
    throw new IllegalArgumentException(node + " is not a test node");
  }

  /** The receipt the assigned node signs for {@code output}, as core builds it. */
  InferenceReceipt receiptFor(BigInteger requestId, Address node, Tensor output, long sequence) {
    return new InferenceReceipt(
        Bytes32.fromUint(requestId),
        modelId,
        input().hash(),
        output.hash(),
        VerificationLevel.VANILLA,
        Bytes32.ZERO,
        node,
        1_700_000_000L,
        sequence);
  }

  TransactionReceipt submit(
      TransactionSender from,
      BigInteger requestId,
      Tensor output,
      InferenceReceipt receipt,
      byte[] signature)
      throws Exception {
    return hub(from)
        .submitResult(
            requestId,
            receipt.outputHash().toArray(),
            output.canonicalBytes(),
            receipt.evidenceHash().toArray(),
            BigInteger.valueOf(receipt.timestamp()),
            BigInteger.valueOf(receipt.sequence()),
            signature)
        .send();
  }

  /** The assigned node submits {@code output} with a correctly signed receipt. */
  TransactionReceipt submitCorrectly(BigInteger requestId, Tensor output) throws Exception {
    Address node = assignedNode(requestId);
    TransactionSender s = senderFor(node);
    InferenceReceipt receipt = receiptFor(requestId, node, output, 1);
    return submit(
        s, requestId, output, receipt, receipt.sign(deployment.domain(), key(s)).toArray());
  }

  void passChallengeWindow() {
    anvil.increaseTime(CHALLENGE_WINDOW + 1);
    anvil.mine();
  }

  static ContractRevertException assertReverts(String errorName, ThrowingCallable call) {
    ContractRevertException e = catchThrowableOfType(ContractRevertException.class, call);
    assertThat(e).as("expected a revert with " + errorName).isNotNull();
    assertThat(e.errorName()).as(e.getMessage()).isEqualTo(errorName);
    return e;
  }
}
