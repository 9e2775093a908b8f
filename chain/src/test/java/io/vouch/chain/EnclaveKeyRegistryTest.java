package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.NodeRegistry;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

class EnclaveKeyRegistryTest extends TeeChainTest {

  @Test
  void aNodeRegistersAnEnclaveKeyUnderAnAllowedMeasurementWithItsDocumentInTheEvent()
      throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    long now = now();

    TransactionReceipt r = registerKey(node1, key, MEASUREMENT, now - 10, now + 3_600);

    NodeRegistry.EnclaveKey info = nodes(deployer).enclaveKeyInfo(key.address().toHex()).send();
    assertThat(info.node).isEqualToIgnoringCase(node1.address().toHex());
    assertThat(Bytes32.wrap(info.measurementId)).isEqualTo(Keccak.hash(MEASUREMENT));
    assertThat(Bytes32.wrap(info.attestationDocHash)).isEqualTo(Keccak.hash(documentFor(key)));
    assertThat(info.docTime.longValueExact()).isEqualTo(now - 10);
    assertThat(info.expiry.longValueExact()).isEqualTo(now + 3_600);
    assertThat(info.status.intValueExact()).as("Approved").isEqualTo(2);
    assertThat(info.approvalCase).isEqualTo(approvalCaseOf(r));
    assertThat(isActive(node1, key)).isTrue();
    var event = NodeRegistry.getEnclaveKeyRegisteredEvents(r).getFirst();
    assertThat(event.attestationDoc).isEqualTo(documentFor(key));
    assertThat(event.enclaveKey).isEqualToIgnoringCase(key.address().toHex());
    assertThat(event.keyProof).isEqualTo(keyProof(node1, key));
  }

  @Test
  void aKeyIsActiveOnlyForTheNodeThatRegisteredIt() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    registerKey(node1, key);

    assertThat(isActive(node2, key)).isFalse();
  }

  @Test
  void aMeasurementOffTheAllowListIsRefused() throws Exception {
    long now = now();
    assertReverts(
        "MeasurementNotAllowed",
        () -> registerKey(node1, enclaveKey(1), OTHER_MEASUREMENT, now, now + 3_600));
  }

  @Test
  void aMeasurementThatIsNot48BytesIsRefused() throws Exception {
    long now = now();
    assertReverts(
        "InvalidMeasurementLength",
        () -> registerKey(node1, enclaveKey(1), new byte[32], now, now + 3_600));
  }

  @Test
  void anAlreadyExpiredKeyIsRefused() throws Exception {
    long now = now();
    assertReverts(
        "EnclaveKeyExpired", () -> registerKey(node1, enclaveKey(1), MEASUREMENT, now - 100, now));
  }

  @Test
  void aKeyThatOutlivesItsDocumentByMoreThanTheMaxTtlIsRefused() throws Exception {
    long now = now();
    assertReverts(
        "AttestationTtlTooLong",
        () -> registerKey(node1, enclaveKey(1), MEASUREMENT, now, now + TTL + 1));
  }

  @Test
  void aDocumentDatedInTheFutureIsRefused() throws Exception {
    long now = now();
    assertReverts(
        "AttestationFromFuture",
        () -> registerKey(node1, enclaveKey(1), MEASUREMENT, now + 3_600, now + 7_200));
  }

  @Test
  void aDocumentThatDoesNotHashToTheDeclaredHashIsRefused() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    long now = now();
    assertReverts(
        "AttestationDocHashMismatch",
        () ->
            nodes(node1)
                .registerEnclaveKey(
                    key.address().toHex(),
                    MEASUREMENT,
                    Keccak.hash("another document").toArray(),
                    BigInteger.valueOf(now),
                    BigInteger.valueOf(now + 3_600),
                    documentFor(key),
                    keyProof(node1, key),
                    keyApprovalFee())
                .send());
  }

  @Test
  void aKeyRegisteredByOneNodeCannotBeTakenByAnother() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    registerKey(node1, key);

    var e = assertReverts("EnclaveKeyTaken", () -> registerKey(node2, key));
    assertThat(e.argument("node").toString()).isEqualToIgnoringCase(node1.address().toHex());
  }

  @Test
  void theOwningNodeMayRenewItsKeyWithANewerDocument() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    registerKey(node1, key);
    anvil.increaseTime(1_800);
    anvil.mine();
    long now = now();

    registerKey(node1, key, MEASUREMENT, now, now + 7_200);

    assertThat(nodes(deployer).enclaveKeyInfo(key.address().toHex()).send().expiry.longValueExact())
        .isEqualTo(now + 7_200);
  }

  @Test
  void anAccountThatIsNotARegisteredNodeCannotRegisterAKey() throws Exception {
    assertReverts("NotRegistered", () -> registerKey(stranger, enclaveKey(1)));
  }

  @Test
  void whetherDevelopmentAttestationIsAcceptableIsThePropertyOfTheDeploymentAlone()
      throws Exception {
    assertThat(nodes(deployer).developmentAttestationAllowed().send()).isFalse();
    VouchDeployment devnet =
        VouchDeployment.deploy(deployer, PARAMETERS.withDevelopmentAttestation(true));

    assertThat(devnet.nodeRegistry(node1).developmentAttestationAllowed().send()).isTrue();
  }

  @Test
  void aKeyIsInactiveOnceItExpires() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    long now = now();
    registerKey(node1, key, MEASUREMENT, now, now + 100);

    anvil.increaseTime(101);
    anvil.mine();

    assertThat(isActive(node1, key)).isFalse();
  }

  @Test
  void revokingAMeasurementRevokesEveryKeyUnderItEvenAfterItIsAllowedAgain() throws Exception {
    Secp256k1.KeyPair first = enclaveKey(1);
    Secp256k1.KeyPair second = enclaveKey(2);
    registerKey(node1, first);
    registerKey(node2, second);

    nodes(deployer).revokeMeasurement(MEASUREMENT).send();
    assertThat(isActive(node1, first)).isFalse();
    assertThat(isActive(node2, second)).isFalse();

    nodes(deployer).allowMeasurement(MEASUREMENT).send();
    assertThat(isActive(node1, first)).as("keys of an earlier epoch stay revoked").isFalse();
    assertThat(isActive(node2, second)).isFalse();
  }

  @Test
  void aKeyRegisteredAfterTheMeasurementIsAllowedAgainIsActive() throws Exception {
    nodes(deployer).revokeMeasurement(MEASUREMENT).send();
    nodes(deployer).allowMeasurement(MEASUREMENT).send();
    Secp256k1.KeyPair key = enclaveKey(3);

    registerKey(node1, key);

    assertThat(isActive(node1, key)).isTrue();
  }

  @Test
  void aRevokedMeasurementRefusesNewKeys() throws Exception {
    nodes(deployer).revokeMeasurement(MEASUREMENT).send();

    assertReverts("MeasurementNotAllowed", () -> registerKey(node1, enclaveKey(1)));
  }

  @Test
  void onlyGovernanceMaintainsTheAllowList() throws Exception {
    assertReverts(
        "NotGovernance", () -> nodes(stranger).allowMeasurement(OTHER_MEASUREMENT).send());
    assertReverts("NotGovernance", () -> nodes(node1).revokeMeasurement(MEASUREMENT).send());
  }

  @Test
  void anOperatorRevokesItsOwnKeyForGoodAndNobodyElseCan() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    registerKey(node1, key);
    assertReverts(
        "NotEnclaveKeyOwner", () -> nodes(node2).revokeEnclaveKey(key.address().toHex()).send());

    nodes(node1).revokeEnclaveKey(key.address().toHex()).send();

    assertThat(isActive(node1, key)).isFalse();
    assertReverts("EnclaveKeyIsRevoked", () -> registerKey(node1, key));
  }
}
