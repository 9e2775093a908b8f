package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.ModelRegistry;
import io.vouch.chain.contracts.NodeRegistry;
import io.vouch.chain.tx.GasLimits;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint32;

/** NodeRegistry and ModelRegistry: their rules and every custom error. */
class RegistriesTest extends DevChainTest {
  static final BigInteger VANILLA = BigInteger.valueOf(VerificationLevel.VANILLA.bit());

  void register(io.vouch.chain.tx.TransactionSender s, BigInteger stake) throws Exception {
    nodes(s).register(BigInteger.ONE, "http://node", VANILLA, NODE_PRICE, List.of(), stake).send();
  }

  // ---------------------------------------------------------------- NodeRegistry

  @Test
  void registrationBelowTheMinimumStakeReverts() {
    var e = assertReverts("StakeTooLow", () -> register(stranger, ETH.subtract(BigInteger.ONE)));
    assertThat(e.argument("required")).isEqualTo(ETH);
  }

  @Test
  void registeringTwiceReverts() {
    assertReverts("AlreadyRegistered", () -> register(node1, ETH));
  }

  @Test
  void registrationWithInvalidRolesLevelsOrEndpointReverts() {
    assertReverts(
        "InvalidRoles",
        () ->
            nodes(stranger)
                .register(BigInteger.ZERO, "e", VANILLA, NODE_PRICE, List.of(), ETH)
                .send());
    assertReverts(
        "InvalidLevels",
        () ->
            nodes(stranger)
                .register(BigInteger.ONE, "e", BigInteger.valueOf(8), NODE_PRICE, List.of(), ETH)
                .send());
    assertReverts(
        "EmptyEndpoint",
        () ->
            nodes(stranger)
                .register(BigInteger.ONE, "", VANILLA, NODE_PRICE, List.of(), ETH)
                .send());
  }

  @Test
  void aNodeListingModelsIsEligibleOnlyForThem() throws Exception {
    Bytes32 other = Keccak.hash("other model");
    nodes(stranger)
        .register(BigInteger.ONE, "http://s", VANILLA, NODE_PRICE, List.of(other.toArray()), ETH)
        .send();

    assertThat(
            nodes(stranger)
                .isEligible(stranger.address().toHex(), other.toArray(), BigInteger.ZERO)
                .send())
        .isTrue();
    assertThat(
            nodes(stranger)
                .isEligible(stranger.address().toHex(), modelId.toArray(), BigInteger.ZERO)
                .send())
        .isFalse();
    NodeRegistry.NodeInfo info = nodes(stranger).nodeInfo(stranger.address().toHex()).send();
    assertThat(info.endpoint).isEqualTo("http://s");
    assertThat(info.models).hasSize(1);
  }

  @Test
  void updatingCapabilitiesOfAnUnregisteredAccountReverts() {
    assertReverts(
        "NotRegistered",
        () -> nodes(stranger).updateCapabilities("e", VANILLA, NODE_PRICE, List.of()).send());
  }

  @Test
  void addingZeroStakeReverts() {
    assertReverts("ZeroAmount", () -> nodes(node1).addStake(BigInteger.ZERO).send());
  }

  @Test
  void requestingUnbondMakesTheNodeIneligibleAtOnce() throws Exception {
    nodes(node1).requestUnbond().send();

    assertThat(nodes(stranger).eligibleNodes(modelId.toArray(), BigInteger.ZERO).send())
        .containsExactly(node2.address().toHex());
    assertReverts("NodeIsUnbonding", () -> nodes(node1).requestUnbond().send());
    assertReverts("NodeIsUnbonding", () -> nodes(node1).addStake(ETH).send());
  }

  @Test
  void withdrawingBeforeUnbondingReverts() {
    assertReverts("NotUnbonding", () -> nodes(node1).withdraw().send());
  }

  @Test
  void withdrawingBeforeTheUnbondingDelayReverts() throws Exception {
    nodes(node1).requestUnbond().send();
    anvil.increaseTime(PARAMETERS.unbondingDelaySeconds() - 100);
    anvil.mine();
    assertReverts("UnbondingNotFinished", () -> nodes(node1).withdraw().send());
  }

  @Test
  void afterTheUnbondingDelayTheWholeStakeIsReturned() throws Exception {
    nodes(node1).requestUnbond().send();
    anvil.increaseTime(PARAMETERS.unbondingDelaySeconds() + 1);
    anvil.mine();
    BigInteger registryBefore = balanceOf(deployment.nodeRegistry());

    nodes(node1).withdraw().send();

    assertThat(registryBefore.subtract(balanceOf(deployment.nodeRegistry())))
        .isEqualTo(ETH.multiply(BigInteger.TWO));
    assertThat(nodes(node1).isRegistered(node1.address().toHex()).send()).isFalse();
  }

  @Test
  void onlyTheHubCanSlash() {
    var e =
        assertReverts(
            "NotHub",
            () ->
                nodes(deployer)
                    .slash(node1.address().toHex(), ETH, stranger.address().toHex())
                    .send());
    assertThat(e.argument("hub")).isEqualTo(deployment.inferenceHub());
  }

  @Test
  void theHubIsSetOnceByTheDeployer() {
    assertReverts("HubAlreadySet", () -> nodes(deployer).setHub(stranger.address().toHex()).send());
    assertReverts("NotDeployer", () -> nodes(stranger).setHub(stranger.address().toHex()).send());
  }

  @Test
  void theDesignatedHubSlashesAtMostTheStakeToTheBeneficiary() throws Exception {
    // A registry whose hub is an account this test controls, to exercise the hub-only path.
    NodeRegistry registry =
        NodeRegistry.deploy(
                anvil.web3j(),
                deployer,
                new GasLimits(5_000_000),
                ETH,
                BigInteger.ONE,
                false,
                BigInteger.valueOf(86_400),
                BigInteger.valueOf(60))
            .send();
    NodeRegistry.load(registry.getContractAddress(), anvil.web3j(), deployer, GasLimits.DEFAULT)
        .setHub(modelOwner.address().toHex())
        .send();
    NodeRegistry.load(registry.getContractAddress(), anvil.web3j(), node1, GasLimits.DEFAULT)
        .register(BigInteger.ONE, "e", VANILLA, NODE_PRICE, List.of(), ETH)
        .send();
    BigInteger before = balanceOf(stranger.address());

    NodeRegistry.load(registry.getContractAddress(), anvil.web3j(), modelOwner, GasLimits.DEFAULT)
        .slash(node1.address().toHex(), ETH.multiply(BigInteger.TEN), stranger.address().toHex())
        .send();

    assertThat(balanceOf(stranger.address()).subtract(before)).isEqualTo(ETH);
    assertThat(registry.stakeOf(node1.address().toHex()).send()).isZero();
    assertThat(
            registry.isEligible(node1.address().toHex(), modelId.toArray(), BigInteger.ZERO).send())
        .as("below the minimum stake")
        .isFalse();
  }

  @Test
  void nodeIndexBeyondTheListReverts() {
    assertReverts("NodeIndexOutOfRange", () -> nodes(stranger).nodeAt(BigInteger.TEN).send());
  }

  // ---------------------------------------------------------------- ModelRegistry

  void publish(
      io.vouch.chain.tx.TransactionSender s, String name, int version, String cid, int levels)
      throws Exception {
    models(s)
        .publish(
            name,
            BigInteger.valueOf(version),
            cid,
            new byte[32],
            new byte[32],
            BigInteger.valueOf(levels),
            MODEL_FEE)
        .send();
  }

  @Test
  void modelIdIsKeccakOfAbiEncodedNameAndVersion() throws Exception {
    String encoded =
        TypeEncoder.encode(new DynamicStruct(new Utf8String("support-intent"), new Uint32(1)));
    Bytes32 expected = Keccak.hash(io.vouch.core.Hex.decode(encoded));

    assertThat(modelId).isEqualTo(expected);
    assertThat(Bytes32.wrap(models(stranger).modelIdOf("support-intent", BigInteger.ONE).send()))
        .isEqualTo(expected);
  }

  @Test
  void publishedModelIsReadBackWithTheDefaultChallengeWindow() throws Exception {
    ModelRegistry.Model m = models(stranger).getModel(modelId.toArray()).send();
    assertThat(m.exists).isTrue();
    assertThat(Address.fromHex(m.owner)).isEqualTo(modelOwner.address());
    assertThat(m.name).isEqualTo("support-intent");
    assertThat(m.fee).isEqualTo(MODEL_FEE);
    assertThat(m.challengeWindow).isEqualTo(BigInteger.valueOf(CHALLENGE_WINDOW));
    assertThat(models(stranger).latestVersion("support-intent").send()).isEqualTo(BigInteger.ONE);
  }

  @Test
  void republishingAnExistingVersionReverts() {
    assertReverts(
        "VersionAlreadyPublished", () -> publish(modelOwner, "support-intent", 1, "cid2", 1));
  }

  @Test
  void onlyTheNameOwnerPublishesNewVersions() throws Exception {
    var e = assertReverts("NotNameOwner", () -> publish(stranger, "support-intent", 2, "cid", 1));
    assertThat(e.argument("owner")).isEqualTo(modelOwner.address());
    publish(modelOwner, "support-intent", 2, "cid", 1);
    assertThat(models(stranger).latestVersion("support-intent").send()).isEqualTo(BigInteger.TWO);
  }

  @Test
  void invalidPublicationsRevert() {
    assertReverts("EmptyName", () -> publish(stranger, "", 1, "cid", 1));
    assertReverts("VersionMustBePositive", () -> publish(stranger, "m", 0, "cid", 1));
    assertReverts("EmptyCid", () -> publish(stranger, "m", 1, "", 1));
    assertReverts("InvalidLevels", () -> publish(stranger, "m", 1, "cid", 0));
    assertReverts("InvalidLevels", () -> publish(stranger, "m", 1, "cid", 8));
  }

  @Test
  void modelIndexBeyondTheListReverts() {
    assertReverts("ModelIndexOutOfRange", () -> models(stranger).modelAt(BigInteger.TEN).send());
  }
}
