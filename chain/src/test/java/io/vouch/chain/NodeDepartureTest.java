package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.ModelId;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Secp256k1;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Item 10: a node that has left (withdrawn its stake) can no longer submit results, its enclave
 * keys die with its registration (and stay dead if it registers again), and no deployment lets
 * stake go while a result can still be challenged. Each test is an attack through the public
 * contracts.
 */
class NodeDepartureTest extends TeeChainTest {

  /** requestUnbond, wait out the unbonding delay, withdraw. */
  void leave(TransactionSender node) throws Exception {
    nodes(node).requestUnbond().send();
    anvil.increaseTime(PARAMETERS.unbondingDelaySeconds() + 1);
    anvil.mine();
    nodes(node).withdraw().send();
  }

  /**
   * Registers {@code key} for {@code node} and leaves while the key is still unexpired: the node
   * asks to unbond, registers the key shortly before the delay ends (an hour's validity), then
   * withdraws.
   */
  void registerKeyThenLeave(TransactionSender node, Secp256k1.KeyPair key) throws Exception {
    nodes(node).requestUnbond().send();
    anvil.increaseTime(PARAMETERS.unbondingDelaySeconds() - 600);
    anvil.mine();
    registerKey(node, key);
    assertThat(isActive(node, key)).as("active before the node leaves").isTrue();
    anvil.increaseTime(601);
    anvil.mine();
    nodes(node).withdraw().send();
  }

  /** The node registers again as DevChainTest registered it: TEE and VANILLA, both models. */
  void registerAgain(TransactionSender node) throws Exception {
    nodes(node)
        .register(
            BigInteger.ONE,
            "http://127.0.0.1:8001",
            BigInteger.valueOf(VerificationLevel.VANILLA.bit() | VerificationLevel.TEE.bit()),
            NODE_PRICE,
            List.of(
                ModelId.of("support-intent", 1).toArray(),
                ModelId.of("support-intent-tee", 1).toArray()),
            ETH.multiply(BigInteger.TWO))
        .send();
  }

  // ------------------------------------------------------------------ results of a node that left

  @Test
  void aWithdrawnNodeCannotSubmitAResultForItsOldAssignment() throws Exception {
    BigInteger id = request(requester, FEE);
    TransactionSender node = senderFor(assignedNode(id));
    leave(node);

    var e = assertReverts("AssignedNodeLeft", () -> submitCorrectly(id, logits(1f, 0f, 0f, 0f)));
    assertThat(e.argument("node").toString()).isEqualToIgnoringCase(node.address().toHex());
  }

  // ------------------------------------------------------------------ enclave keys of a node that
  // left

  @Test
  void aWithdrawnNodesEnclaveKeyIsInactive() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    registerKeyThenLeave(node1, key);

    assertThat(nodes(deployer).enclaveKeyInfo(key.address().toHex()).send().expiry.longValueExact())
        .as("the key itself has not expired")
        .isGreaterThan(now());
    assertThat(isActive(node1, key)).isFalse();
  }

  @Test
  void aNodeThatRegistersAgainDoesNotReviveItsOldEnclaveKeys() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    registerKeyThenLeave(node1, key);

    registerAgain(node1);

    assertThat(nodes(deployer).registrationOf(node1.address().toHex()).send())
        .isEqualTo(BigInteger.TWO);
    assertThat(nodes(deployer).enclaveKeyInfo(key.address().toHex()).send().nodeRegistration)
        .isEqualTo(BigInteger.ONE);
    assertThat(isActive(node1, key)).isFalse();
  }

  @Test
  void aTeeResultSignedWithAnEnclaveKeyOfAnEarlierRegistrationIsRefused() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    registerKeyThenLeave(node1, key);
    registerAgain(node1);
    BigInteger id = requestTee(node1);

    var e =
        assertReverts(
            "InactiveEnclaveKey", () -> submitTee(node1, id, logits(1f, 0f, 0f, 0f), key));
    assertThat(e.argument("signer").toString()).isEqualToIgnoringCase(key.address().toHex());
  }

  @Test
  void aNodeThatRegistersAgainMayBindItsKeyAgainWithAFreshProof() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    registerKeyThenLeave(node1, key);
    registerAgain(node1);

    registerKey(node1, key);

    assertThat(isActive(node1, key)).isTrue();
    BigInteger id = requestTee(node1);
    submitTee(node1, id, logits(1f, 0f, 0f, 0f), key);
    assertThat(hub(deployer).statusOf(id).send()).isEqualTo(BigInteger.valueOf(3)); // Finalized
  }

  // ------------------------------------------------------------------ deployment

  @Test
  void aDeploymentWhoseUnbondingDelayEndsBeforeAResultCanNoLongerBeChallengedIsRefused() {
    // 2 attempts × 3,600 s deadline + 60 s challenge window = 7,260 s; one second short.
    VouchDeployment.Parameters tooShort =
        new VouchDeployment.Parameters(ETH, 7_259, 60, 3_600, 500_000, 2, 3_600);

    var e =
        assertReverts("UnbondingDelayTooShort", () -> VouchDeployment.deploy(deployer, tooShort));

    assertThat(e.argument("unbondingDelay")).isEqualTo(BigInteger.valueOf(7_259));
    assertThat(e.argument("required")).isEqualTo(BigInteger.valueOf(7_260));
    assertThat(e.argument("maxAttempts")).isEqualTo(BigInteger.TWO);
    assertThat(e.argument("maxDeadlineSeconds")).isEqualTo(BigInteger.valueOf(3_600));
    assertThat(e.argument("challengeWindow")).isEqualTo(BigInteger.valueOf(60));
    assertThat(e.getMessage()).contains("7259").contains("7260").contains("3600");
  }

  @Test
  void aDeploymentWithExactlyTheRequiredUnbondingDelayIsAccepted() throws Exception {
    // the hub's 7,260 s plus the court's 2 rounds × 600 s of voting
    VouchDeployment d =
        VouchDeployment.deploy(
            deployer, new VouchDeployment.Parameters(ETH, 8_460, 60, 3_600, 500_000, 2, 3_600));

    assertThat(d.inferenceHub(deployer).maxAttempts().send()).isEqualTo(BigInteger.TWO);
  }

  @Test
  void aDeploymentWhoseUnbondingDelayEndsBeforeTheCourtsLastRoundIsRefused() {
    // enough for the hub (7,260 s), one second short of 2 court rounds of 600 s on top
    VouchDeployment.Parameters tooShort =
        new VouchDeployment.Parameters(ETH, 8_459, 60, 3_600, 500_000, 2, 3_600);

    var e =
        assertReverts("UnbondingDelayTooShort", () -> VouchDeployment.deploy(deployer, tooShort));

    assertThat(e.argument("unbondingDelay")).isEqualTo(BigInteger.valueOf(8_459));
    assertThat(e.argument("required")).isEqualTo(BigInteger.valueOf(8_460));
  }
}
