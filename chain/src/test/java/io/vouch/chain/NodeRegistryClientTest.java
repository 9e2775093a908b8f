package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vouch.chain.registry.NodeRegistryClient;
import io.vouch.chain.registry.NodeRegistryError;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Bytes32;
import io.vouch.core.ModelId;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.crypto.Signature;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The typed NodeRegistry client: nodes' entries, eligibility and prices, enclave keys with their
 * attestation documents, and a node's registration, unbonding and withdrawal.
 */
class NodeRegistryClientTest extends TeeChainTest {
  NodeRegistryClient client(TransactionSender s) {
    return new NodeRegistryClient(s, deployment);
  }

  NodeRegistryClient reader() {
    return NodeRegistryClient.readOnly(anvil.web3j(), deployment);
  }

  @Test
  void aNodesEntryReadsAsTypedData() {
    NodeRegistryClient.NodeInfo n = reader().nodeInfo(node1.address());

    assertThat(n.registered()).isTrue();
    assertThat(n.unbonding()).isFalse();
    assertThat(n.roles()).isEqualTo(NodeRegistryClient.ROLE_INFERENCE);
    assertThat(n.levels())
        .containsExactlyInAnyOrder(VerificationLevel.VANILLA, VerificationLevel.TEE);
    assertThat(n.stakeWei()).isEqualTo(ETH.multiply(BigInteger.TWO));
    assertThat(n.priceWei()).isEqualTo(NODE_PRICE);
    assertThat(n.endpoint()).isEqualTo("http://127.0.0.1:8001");
    assertThat(n.models()).contains(modelId, teeModelId);
    assertThat(reader().isRegistered(node1.address())).isTrue();
    assertThat(reader().isRegistered(stranger.address())).isFalse();
    assertThat(reader().nodeInfo(stranger.address()).registered()).isFalse();
  }

  @Test
  void theEligibleNodesOfAModelComeWithStakeAndPrice() {
    List<NodeRegistryClient.Candidate> c = reader().candidates(modelId, VerificationLevel.VANILLA);

    assertThat(c)
        .extracting(NodeRegistryClient.Candidate::node)
        .containsExactlyInAnyOrder(node1.address(), node2.address());
    assertThat(c).allMatch(x -> x.priceWei().equals(NODE_PRICE));
    assertThat(c).allMatch(x -> x.stakeWei().equals(ETH.multiply(BigInteger.TWO)));
    assertThat(reader().isEligible(node1.address(), modelId, VerificationLevel.VANILLA)).isTrue();
    assertThat(reader().isEligible(node1.address(), modelId, VerificationLevel.ZKML)).isFalse();
    assertThat(reader().candidates(ModelId.of("unserved", 1), VerificationLevel.VANILLA)).isEmpty();
  }

  @Test
  void aNewNodeRegistersAndAnnouncesAHigherPriceThatIsChargedLater() {
    NodeRegistryClient me = client(stranger);
    me.register(
        NodeRegistryClient.ROLE_INFERENCE,
        "http://127.0.0.1:9000",
        Set.of(VerificationLevel.VANILLA),
        NODE_PRICE,
        List.of(modelId),
        ETH);
    assertThat(reader().isEligible(stranger.address(), modelId, VerificationLevel.VANILLA))
        .isTrue();

    BigInteger higher = NODE_PRICE.multiply(BigInteger.TWO);
    me.updateCapabilities(
        "http://127.0.0.1:9001", Set.of(VerificationLevel.VANILLA), higher, List.of(modelId));

    NodeRegistryClient.PriceSchedule s = reader().priceSchedule(stranger.address());
    assertThat(s.currentWei()).isEqualTo(NODE_PRICE);
    assertThat(s.increaseAnnounced()).isTrue();
    assertThat(s.nextWei()).isEqualTo(higher);
    assertThat(reader().priceOf(stranger.address())).isEqualTo(NODE_PRICE);
    assertThat(reader().nodeInfo(stranger.address()).endpoint()).isEqualTo("http://127.0.0.1:9001");
  }

  @Test
  void withdrawingBeforeTheUnbondingDelayIsRefusedAsUnbondingNotFinishedThenPaysTheStake()
      throws Exception {
    NodeRegistryClient me = client(node1);
    NodeRegistryClient.Unbonding u = me.requestUnbond();
    assertThat(u.availableAt()).isEqualTo(now() + reader().unbondingDelaySeconds());
    assertThat(reader().nodeInfo(node1.address()).unbonding()).isTrue();

    ContractRevertException early =
        catchThrowableOfType(ContractRevertException.class, me::withdraw);
    assertThat(NodeRegistryError.of(early)).contains(NodeRegistryError.UNBONDING_NOT_FINISHED);
    assertThat(early.argument("availableAt")).isEqualTo(BigInteger.valueOf(u.availableAt()));

    anvil.increaseTime(reader().unbondingDelaySeconds() + 1);
    anvil.mine();
    NodeRegistryClient.Withdrawal w = me.withdraw();
    assertThat(w.amountWei()).isEqualTo(ETH.multiply(BigInteger.TWO));
    assertThat(reader().isRegistered(node1.address())).isFalse();
  }

  @Test
  void anEnclaveKeyRegisteredThroughTheClientIsPendingUntilApprovedAndItsDocumentCanBeFound()
      throws Exception {
    Secp256k1.KeyPair key = enclaveKey(7);
    byte[] doc = documentFor(key);
    long now = now();

    NodeRegistryClient.KeyRegistration registered =
        client(node1)
            .registerEnclaveKey(
                new NodeRegistryClient.EnclaveKey(
                    key.address(),
                    MEASUREMENT,
                    Keccak.hash(doc),
                    now,
                    now + 3_600,
                    doc,
                    Signature.of(keyProof(node1, key))));
    assertThat(reader().enclaveKeyInfo(key.address()).status())
        .isEqualTo(NodeRegistryClient.KeyStatus.PENDING);
    assertThat(reader().isActiveEnclaveKey(node1.address(), key.address())).isFalse();

    decideKey(registered.approvalCase(), true);

    NodeRegistryClient.EnclaveKeyRecord approved = reader().enclaveKeyInfo(key.address());
    assertThat(approved.status()).isEqualTo(NodeRegistryClient.KeyStatus.APPROVED);
    assertThat(approved.approvedAtBlock()).isGreaterThan(registered.blockNumber());
    assertThat(reader().isActiveEnclaveKey(node1.address(), key.address())).isTrue();
    assertThat(reader().isActiveEnclaveKey(node2.address(), key.address())).isFalse();
    assertThat(reader().attestationDocument(node1.address(), key.address(), Keccak.hash(doc)))
        .hasValueSatisfying(d -> assertThat(d).isEqualTo(doc));
    assertThat(reader().attestationDocument(node1.address(), key.address(), Bytes32.ZERO))
        .isEmpty();
  }

  NodeRegistryClient.EnclaveKey keyUnder(byte[] measurement, Secp256k1.KeyPair key)
      throws Exception {
    byte[] doc = documentFor(key);
    long now = now();
    return new NodeRegistryClient.EnclaveKey(
        key.address(),
        measurement,
        Keccak.hash(doc),
        now,
        now + 3_600,
        doc,
        Signature.of(keyProof(node1, key)));
  }

  @Test
  void aKeyOfAMeasurementNotAllowedIsRefusedUntilGovernanceAllowsIt() throws Exception {
    NodeRegistryClient.EnclaveKey k = keyUnder(OTHER_MEASUREMENT, enclaveKey(8));
    ContractRevertException e =
        catchThrowableOfType(
            ContractRevertException.class, () -> client(node1).registerEnclaveKey(k));
    assertThat(NodeRegistryError.of(e)).contains(NodeRegistryError.MEASUREMENT_NOT_ALLOWED);

    ContractRevertException notGovernance =
        catchThrowableOfType(
            ContractRevertException.class,
            () -> client(stranger).allowMeasurement(OTHER_MEASUREMENT));
    assertThat(NodeRegistryError.of(notGovernance)).contains(NodeRegistryError.NOT_GOVERNANCE);

    client(deployer).allowMeasurement(OTHER_MEASUREMENT);
    decideKey(client(node1).registerEnclaveKey(k).approvalCase(), true);
    assertThat(reader().isActiveEnclaveKey(node1.address(), k.enclaveKey())).isTrue();
  }

  @Test
  void theRegistrysImmutablesReadAsTypes() {
    assertThat(reader().minStake()).isEqualTo(PARAMETERS.minStake());
    assertThat(reader().unbondingDelaySeconds()).isEqualTo(PARAMETERS.unbondingDelaySeconds());
    assertThat(reader().maxAttestationTtlSeconds()).isEqualTo(TTL);
    assertThat(reader().developmentAttestationAllowed()).as("production registry").isFalse();
  }
}
