package io.vouch.tee;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.tee.TeeReceiptVerdict.Invalid;
import io.vouch.tee.TeeReceiptVerdict.Reason;
import io.vouch.tee.TeeReceiptVerdict.Valid;
import io.vouch.tee.nitro.AwsNitroRoot;
import io.vouch.tee.nitro.NitroAttestationVerifier;
import io.vouch.tee.nitro.TrustAnchors;
import io.vouch.tee.policy.AttestationPolicy;
import io.vouch.tee.policy.MeasurementId;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TeeReceiptVerifierTest {
  private static final Duration TTL = Duration.ofDays(1);
  private static TeeFixture f;
  private static TeeReceiptVerifier verifier;

  @BeforeAll
  static void boot() {
    f = new TeeFixture();
    verifier = new TeeReceiptVerifier(f.developmentVerifier(), f.policy(), TTL);
  }

  private static SignedReceipt signed() {
    return f.signer.sign(TeeFixture.DOMAIN, TeeFixture.draft());
  }

  private static void assertInvalid(TeeReceiptVerdict verdict, Reason reason) {
    assertThat(verdict)
        .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).isEqualTo(reason));
  }

  /** {@code r} with one field changed, keeping the original signature. */
  private static InferenceReceipt withOutputHash(InferenceReceipt r, Bytes32 outputHash) {
    return new InferenceReceipt(
        r.requestId(),
        r.modelId(),
        r.inputHash(),
        outputHash,
        r.level(),
        r.evidenceHash(),
        r.node(),
        r.timestamp(),
        r.sequence());
  }

  @Test
  void anEnclaveSignedReceiptWithItsAttestationIsValid() {
    TeeReceiptVerdict verdict =
        verifier.verify(signed(), f.evidence.attestationDocument(), TeeFixture.DOMAIN);

    assertThat(verdict)
        .isInstanceOfSatisfying(
            Valid.class,
            v -> {
              assertThat(v.enclaveKey()).isEqualTo(f.signer.address());
              assertThat(v.measurement()).isEqualTo(f.measurement());
              assertThat(v.anchor()).isEqualTo(TrustAnchors.Kind.DEVELOPMENT);
            });
  }

  @Test
  void aTamperedReceiptIsRefused() {
    SignedReceipt original = signed();
    SignedReceipt tampered =
        new SignedReceipt(
            withOutputHash(original.receipt(), Keccak.hash("another output")),
            original.signature());

    assertInvalid(
        verifier.verify(tampered, f.evidence.attestationDocument(), TeeFixture.DOMAIN),
        Reason.WRONG_SIGNER);
  }

  @Test
  void aReceiptSignedByAnotherKeyIsRefused() {
    InferenceReceipt receipt = signed().receipt();
    SignedReceipt byOther =
        new SignedReceipt(receipt, receipt.sign(TeeFixture.DOMAIN, TeeFixture.key("other")));

    assertInvalid(
        verifier.verify(byOther, f.evidence.attestationDocument(), TeeFixture.DOMAIN),
        Reason.WRONG_SIGNER);
  }

  @Test
  void aReceiptSignedForAnotherChainIsRefused() {
    Eip712Domain otherChain = Eip712Domain.of(1, TeeFixture.HUB);
    SignedReceipt forMainnet = f.signer.sign(otherChain, TeeFixture.draft());

    assertInvalid(
        verifier.verify(forMainnet, f.evidence.attestationDocument(), TeeFixture.DOMAIN),
        Reason.WRONG_SIGNER);
  }

  @Test
  void aReceiptWhoseSigningKeyIsNotTheOneTheAttestationBindsIsRefused() {
    byte[] otherKey = EnclaveKeys.uncompressed(TeeFixture.key("other").publicKey());
    byte[] bindsOther =
        f.enclave.attest(
            Optional.of(otherKey),
            Optional.of(f.manifest.userData()),
            Optional.of(TeeFixture.NONCE),
            TeeFixture.DOC_TIME);
    InferenceReceipt receipt = withEvidence(signed().receipt(), Keccak.hash(bindsOther));
    SignedReceipt signedByEnclaveKey =
        new SignedReceipt(receipt, receipt.sign(TeeFixture.DOMAIN, TeeFixture.key("enclave")));

    assertInvalid(
        verifier.verify(signedByEnclaveKey, bindsOther, TeeFixture.DOMAIN), Reason.WRONG_SIGNER);
  }

  @Test
  void anAttestationWithoutAPublicKeyBindsNoKey() {
    byte[] noKey =
        f.enclave.attest(
            Optional.empty(),
            Optional.of(f.manifest.userData()),
            Optional.of(TeeFixture.NONCE),
            TeeFixture.DOC_TIME);
    InferenceReceipt receipt = withEvidence(signed().receipt(), Keccak.hash(noKey));
    SignedReceipt s =
        new SignedReceipt(receipt, receipt.sign(TeeFixture.DOMAIN, TeeFixture.key("enclave")));

    assertInvalid(verifier.verify(s, noKey, TeeFixture.DOMAIN), Reason.KEY_NOT_BOUND);
  }

  @Test
  void aDocumentOtherThanTheOneTheEvidenceHashNamesIsRefused() {
    // A second attestation of the same key: genuine, bound to the key, but not the named document.
    EnclaveSigner sameKey = EnclaveSigner.withKey(f.enclave::attest, TeeFixture.key("enclave"));
    byte[] another =
        sameKey
            .attest(f.manifest, TeeFixture.NONCE, TeeFixture.DOC_TIME.plusSeconds(5))
            .attestationDocument();

    assertInvalid(verifier.verify(signed(), another, TeeFixture.DOMAIN), Reason.EVIDENCE_MISMATCH);
  }

  @Test
  void aMeasurementOffTheAllowListIsRefused() {
    AttestationPolicy otherImage =
        AttestationPolicy.builder()
            .allow(MeasurementId.of(new byte[48], new byte[48], new byte[] {1}))
            .build();
    TeeReceiptVerifier strict = new TeeReceiptVerifier(f.developmentVerifier(), otherImage, TTL);

    assertInvalid(
        strict.verify(signed(), f.evidence.attestationDocument(), TeeFixture.DOMAIN),
        Reason.ATTESTATION_REFUSED);
  }

  @Test
  void aDevelopmentAttestationIsRefusedWithoutTheDevelopmentFlag() {
    TrustAnchors noFlag =
        TrustAnchors.builder().developmentRoot(f.authority.rootCertificate()).build();
    TeeReceiptVerifier production =
        new TeeReceiptVerifier(new NitroAttestationVerifier(noFlag), f.policy(), TTL);

    assertInvalid(
        production.verify(signed(), f.evidence.attestationDocument(), TeeFixture.DOMAIN),
        Reason.ATTESTATION_INVALID);
  }

  @Test
  void theAwsProductionProfileRefusesASimulatedAttestation() {
    TrustAnchors aws = TrustAnchors.production(AwsNitroRoot.load(SharedFixtures.awsRootPem()));
    TeeReceiptVerifier production =
        new TeeReceiptVerifier(new NitroAttestationVerifier(aws), f.policy(), TTL);

    assertInvalid(
        production.verify(signed(), f.evidence.attestationDocument(), TeeFixture.DOMAIN),
        Reason.ATTESTATION_INVALID);
  }

  @Test
  void aReceiptThatIsNotLevelTeeIsRefused() {
    InferenceReceipt vanilla = TeeFixture.draft();
    SignedReceipt s =
        new SignedReceipt(vanilla, vanilla.sign(TeeFixture.DOMAIN, TeeFixture.key("enclave")));

    assertInvalid(
        verifier.verify(s, f.evidence.attestationDocument(), TeeFixture.DOMAIN),
        Reason.NOT_TEE_LEVEL);
  }

  @Test
  void aReceiptDatedPastTheKeysLifetimeIsRefused() {
    InferenceReceipt d = TeeFixture.draft();
    InferenceReceipt late =
        new InferenceReceipt(
            d.requestId(),
            d.modelId(),
            d.inputHash(),
            d.outputHash(),
            VerificationLevel.VANILLA,
            Bytes32.ZERO,
            d.node(),
            TeeFixture.DOC_TIME.plus(TTL).getEpochSecond() + 1,
            d.sequence());

    assertInvalid(
        verifier.verify(
            f.signer.sign(TeeFixture.DOMAIN, late),
            f.evidence.attestationDocument(),
            TeeFixture.DOMAIN),
        Reason.KEY_EXPIRED);
  }

  private static InferenceReceipt withEvidence(InferenceReceipt r, Bytes32 evidenceHash) {
    return new InferenceReceipt(
        r.requestId(),
        r.modelId(),
        r.inputHash(),
        r.outputHash(),
        r.level(),
        evidenceHash,
        r.node(),
        r.timestamp(),
        r.sequence());
  }
}
