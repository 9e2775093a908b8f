package io.vouch.tee;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.EnclaveKeyBinding;
import io.vouch.tee.dev.DevRootAuthority;
import io.vouch.tee.nitro.NitroAttestationVerifier;
import io.vouch.tee.nitro.TrustAnchors;
import io.vouch.tee.policy.MeasurementId;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a KeyApproval committee member concludes about a registration, on simulated documents: a
 * genuine one is approved; every registration that does not hold up is refused with the reason; a
 * document under a root the member cannot judge (and no AWS root held) is no vote.
 */
class EnclaveKeyApprovalTest {
  static final Eip712Domain REGISTRY_DOMAIN =
      Eip712Domain.of(TeeFixture.CHAIN_ID, TeeFixture.REGISTRY);
  static TeeFixture f;
  static EnclaveKeyRegistration genuine;

  @BeforeAll
  static void fixture() {
    f = new TeeFixture();
    genuine = f.signer.registration(REGISTRY_DOMAIN, TeeFixture.OPERATOR, Duration.ofHours(1));
  }

  static EnclaveKeyApproval.Registration registration(
      Address key, byte[] doc, long docTime, byte[] proof) {
    return new EnclaveKeyApproval.Registration(
        TeeFixture.OPERATOR,
        key,
        Keccak.hash(genuine.measurement()),
        Keccak.hash(doc),
        docTime,
        doc,
        proof);
  }

  static EnclaveKeyApproval.Registration genuineRegistration() {
    return registration(
        genuine.enclaveKey(),
        genuine.attestationDocument(),
        genuine.docTimeSeconds(),
        genuine.keyProof().toArray());
  }

  static EnclaveKeyApproval.Outcome judge(TrustAnchors anchors, EnclaveKeyApproval.Registration r) {
    return new EnclaveKeyApproval(new NitroAttestationVerifier(anchors), REGISTRY_DOMAIN)
        .judge(r, m -> m.equals(f.measurement()));
  }

  static String refusal(EnclaveKeyApproval.Outcome o) {
    assertThat(o).isInstanceOf(EnclaveKeyApproval.Outcome.Refuse.class);
    return ((EnclaveKeyApproval.Outcome.Refuse) o).reason();
  }

  @Test
  void aGenuineRegistrationUnderAnAllowedRootIsApproved() {
    EnclaveKeyApproval.Outcome o = judge(f.developmentAnchors(), genuineRegistration());

    assertThat(o)
        .isEqualTo(
            new EnclaveKeyApproval.Outcome.Approve(f.measurement(), TrustAnchors.Kind.DEVELOPMENT));
  }

  @Test
  void aMutatedDocumentIsRefused() {
    byte[] doc = genuine.attestationDocument();
    doc[doc.length - 1] ^= 1;

    assertThat(
            refusal(
                judge(
                    f.developmentAnchors(),
                    registration(
                        genuine.enclaveKey(),
                        doc,
                        genuine.docTimeSeconds(),
                        genuine.keyProof().toArray()))))
        .contains("not genuine");
  }

  @Test
  void aDevelopmentDocumentIsRefusedWhereTheDeploymentDoesNotAllowDevelopmentAttestation() {
    TrustAnchors heldButNotAllowed =
        TrustAnchors.builder().developmentRoot(f.authority.rootCertificate()).build();

    assertThat(refusal(judge(heldButNotAllowed, genuineRegistration())))
        .contains("DEVELOPMENT_ROOT_NOT_ALLOWED");
  }

  @Test
  void aDocumentOfAnotherDevelopmentRootIsRefused() {
    TrustAnchors otherRoot =
        TrustAnchors.builder()
            .developmentRoot(DevRootAuthority.generate(TeeFixture.BOOT).rootCertificate())
            .allowDevelopmentRoot(true)
            .build();

    // a simulator's document says what it is: refused as a development document
    assertThat(refusal(judge(otherRoot, genuineRegistration()))).contains("not genuine");
  }

  @Test
  void aGenuineNitroDocumentIsNoVoteForAMemberThatHoldsNoAwsRoot() {
    byte[] nitro =
        SharedFixtures.read(SharedFixtures.nitro(SharedFixtures.nitroDocuments().getFirst()));
    var someKey = TeeFixture.key("some key");
    byte[] proof =
        new EnclaveKeyBinding(TeeFixture.OPERATOR, someKey.address())
            .sign(REGISTRY_DOMAIN, someKey)
            .toArray();

    EnclaveKeyApproval.Outcome o =
        judge(f.developmentAnchors(), registration(someKey.address(), nitro, 0, proof));

    assertThat(o).isInstanceOf(EnclaveKeyApproval.Outcome.Unjudged.class);
    assertThat(o.approved()).isFalse();
  }

  @Test
  void aDocumentThatBindsAnotherKeyIsRefused() {
    Address otherKey = TeeFixture.key("another enclave").address();
    byte[] proof =
        new EnclaveKeyBinding(TeeFixture.OPERATOR, otherKey)
            .sign(REGISTRY_DOMAIN, TeeFixture.key("another enclave"))
            .toArray();

    assertThat(
            refusal(
                judge(
                    f.developmentAnchors(),
                    registration(
                        otherKey, genuine.attestationDocument(), genuine.docTimeSeconds(), proof))))
        .contains("binds key " + genuine.enclaveKey())
        .contains("not the registered key " + otherKey);
  }

  @Test
  void aWrongProofOfPossessionIsRefused() {
    byte[] byTheOperator =
        new EnclaveKeyBinding(TeeFixture.OPERATOR, genuine.enclaveKey())
            .sign(REGISTRY_DOMAIN, TeeFixture.key("operator"))
            .toArray();

    assertThat(
            refusal(
                judge(
                    f.developmentAnchors(),
                    registration(
                        genuine.enclaveKey(),
                        genuine.attestationDocument(),
                        genuine.docTimeSeconds(),
                        byTheOperator))))
        .contains("proof of possession recovers to");
  }

  @Test
  void aLaterDeclaredDocumentTimeIsRefused() {
    assertThat(
            refusal(
                judge(
                    f.developmentAnchors(),
                    registration(
                        genuine.enclaveKey(),
                        genuine.attestationDocument(),
                        genuine.docTimeSeconds() + 3_600,
                        genuine.keyProof().toArray()))))
        .contains("the registration says the document is of");
  }

  @Test
  void aMeasurementOtherThanTheRegisteredOneOrOffTheAllowListIsRefused() {
    EnclaveKeyApproval.Registration declaredOther =
        new EnclaveKeyApproval.Registration(
            TeeFixture.OPERATOR,
            genuine.enclaveKey(),
            Keccak.hash("another measurement"),
            genuine.attestationDocHash(),
            genuine.docTimeSeconds(),
            genuine.attestationDocument(),
            genuine.keyProof().toArray());
    assertThat(refusal(judge(f.developmentAnchors(), declaredOther)))
        .contains("not the registered one");

    EnclaveKeyApproval.Outcome revoked =
        new EnclaveKeyApproval(
                new NitroAttestationVerifier(f.developmentAnchors()), REGISTRY_DOMAIN)
            .judge(genuineRegistration(), (MeasurementId m) -> false);
    assertThat(refusal(revoked)).contains("not on the registry's allow-list");
  }

  @Test
  void aDocumentThatDoesNotHashToTheRegisteredHashIsRefused() {
    EnclaveKeyApproval.Registration r =
        new EnclaveKeyApproval.Registration(
            TeeFixture.OPERATOR,
            genuine.enclaveKey(),
            Keccak.hash(genuine.measurement()),
            Bytes32.ZERO,
            genuine.docTimeSeconds(),
            genuine.attestationDocument(),
            genuine.keyProof().toArray());

    assertThat(refusal(judge(f.developmentAnchors(), r))).contains("not the registered");
  }
}
