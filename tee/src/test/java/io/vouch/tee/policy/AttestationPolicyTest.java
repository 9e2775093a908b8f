package io.vouch.tee.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.tee.SharedFixtures;
import io.vouch.tee.dev.DevEnclave;
import io.vouch.tee.dev.DevRootAuthority;
import io.vouch.tee.nitro.AttestationVerdict;
import io.vouch.tee.nitro.AttestationVerdict.Accepted;
import io.vouch.tee.nitro.AttestationVerdict.Rejected;
import io.vouch.tee.nitro.NitroAttestationDocument;
import io.vouch.tee.nitro.NitroAttestationVerifier;
import io.vouch.tee.nitro.RejectionReason;
import io.vouch.tee.nitro.TrustAnchors;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AttestationPolicyTest {
  private static final Instant BOOT = Instant.parse("2026-03-01T10:00:00Z");
  private static final Instant DOC_TIME = BOOT.plusSeconds(60);
  private static final byte[] NODE_SOFTWARE = "vouch-node-0.1.0.jar bytes".getBytes();
  private static final byte[] ENCLAVE_KEY = Bytes32.fromUint(java.math.BigInteger.TEN).toArray();
  private static final byte[] CHALLENGE = {9, 8, 7, 6};

  private static EnclaveManifest manifest;
  private static DevEnclave enclave;
  private static NitroAttestationVerifier devVerifier;
  private static byte[] boundDocument;

  @BeforeAll
  static void bootEnclave() {
    DevRootAuthority authority = DevRootAuthority.generate(BOOT);
    enclave = authority.startEnclave(NODE_SOFTWARE, "node.toml".getBytes(), BOOT);
    manifest = manifest(31337);
    boundDocument =
        enclave.attest(
            Optional.of(ENCLAVE_KEY),
            Optional.of(manifest.userData()),
            Optional.of(CHALLENGE),
            DOC_TIME);
    devVerifier =
        new NitroAttestationVerifier(
            TrustAnchors.builder()
                .developmentRoot(authority.rootCertificate())
                .allowDevelopmentRoot(true)
                .build());
  }

  private static EnclaveManifest manifest(long chainId) {
    return new EnclaveManifest(
        enclave.pcr(2),
        List.of(Bytes32.fromUint(java.math.BigInteger.ONE)),
        chainId,
        Address.fromHex("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
        Address.fromHex("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
  }

  private static AttestationPolicy.Builder bindingPolicy() {
    return AttestationPolicy.builder()
        .allow(MeasurementId.of(enclave.pcr(0), enclave.pcr(1), enclave.pcr(2)))
        .expectedNonce(CHALLENGE)
        .maxAge(Duration.ofMinutes(5))
        .expectedPublicKey(ENCLAVE_KEY)
        .expectedManifest(manifest);
  }

  private static AttestationVerdict check(AttestationPolicy policy, byte[] cose, Instant now) {
    return policy.apply(devVerifier.verify(cose, now), now);
  }

  private static void assertRejected(AttestationVerdict verdict, RejectionReason reason) {
    assertThat(verdict)
        .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo(reason));
  }

  @Test
  void aDocumentThatMeetsEveryRuleIsAccepted() {
    AttestationVerdict verdict =
        check(bindingPolicy().build(), boundDocument, DOC_TIME.plusSeconds(30));
    assertThat(verdict).isInstanceOf(Accepted.class);
  }

  @Test
  void aMeasurementNotOnTheAllowListIsRefused() {
    AttestationPolicy policy =
        AttestationPolicy.builder()
            .allow(MeasurementId.of(new byte[48], new byte[48], enclave.pcr(0)))
            .build();
    assertRejected(check(policy, boundDocument, DOC_TIME), RejectionReason.MEASUREMENT_NOT_ALLOWED);
  }

  @Test
  void otherNodeSoftwareHasAnotherMeasurementAndIsRefused() {
    DevRootAuthority authority = DevRootAuthority.generate(BOOT);
    DevEnclave patched =
        authority.startEnclave("patched node".getBytes(), "node.toml".getBytes(), BOOT);
    byte[] cose = patched.attest(Optional.empty(), Optional.empty(), Optional.empty(), DOC_TIME);
    NitroAttestationDocument doc = NitroAttestationDocument.parse(cose);
    AttestationPolicy policy =
        AttestationPolicy.builder()
            .allow(MeasurementId.of(enclave.pcr(0), enclave.pcr(1), enclave.pcr(2)))
            .build();
    assertThat(MeasurementId.of(doc))
        .isNotEqualTo(MeasurementId.of(enclave.pcr(0), enclave.pcr(1), enclave.pcr(2)));
    assertRejected(
        policy.apply(new Accepted(doc, TrustAnchors.Kind.DEVELOPMENT), DOC_TIME),
        RejectionReason.MEASUREMENT_NOT_ALLOWED);
  }

  @Test
  void aPinnedPcr8MustMatchTheDocument() {
    MeasurementId id = MeasurementId.of(enclave.pcr(0), enclave.pcr(1), enclave.pcr(2));
    AttestationPolicy wrongPcr8 =
        AttestationPolicy.builder()
            .allow(AllowedMeasurement.of(id).withPcr8(new byte[] {1}))
            .build();
    AttestationPolicy rightPcr8 =
        AttestationPolicy.builder()
            .allow(AllowedMeasurement.of(id).withPcr8(enclave.pcr(8)))
            .build();
    assertRejected(
        check(wrongPcr8, boundDocument, DOC_TIME), RejectionReason.MEASUREMENT_NOT_ALLOWED);
    assertThat(check(rightPcr8, boundDocument, DOC_TIME).isAccepted()).isTrue();
  }

  @Test
  void aDifferentOrMissingNonceIsRefused() {
    AttestationPolicy policy = bindingPolicy().expectedNonce(new byte[] {1, 2, 3}).build();
    assertRejected(check(policy, boundDocument, DOC_TIME), RejectionReason.NONCE_MISMATCH);
    byte[] noNonce =
        enclave.attest(
            Optional.of(ENCLAVE_KEY), Optional.of(manifest.userData()), Optional.empty(), DOC_TIME);
    assertRejected(
        check(bindingPolicy().build(), noNonce, DOC_TIME), RejectionReason.NONCE_MISMATCH);
  }

  @Test
  void aDocumentOlderThanTheMaximumAgeIsRefused() {
    Instant late = DOC_TIME.plus(Duration.ofMinutes(6));
    assertRejected(check(bindingPolicy().build(), boundDocument, late), RejectionReason.NOT_FRESH);
    assertThat(
            check(bindingPolicy().build(), boundDocument, DOC_TIME.plus(Duration.ofMinutes(4)))
                .isAccepted())
        .isTrue();
  }

  @Test
  void aDocumentDatedAfterTheReferenceTimeBeyondTheSkewIsRefused() {
    AttestationVerdict verified = devVerifier.verify(boundDocument, DOC_TIME);
    AttestationPolicy policy = bindingPolicy().clockSkew(Duration.ofSeconds(10)).build();
    assertRejected(policy.apply(verified, DOC_TIME.minusSeconds(11)), RejectionReason.NOT_FRESH);
    assertThat(policy.apply(verified, DOC_TIME.minusSeconds(9)).isAccepted()).isTrue();
  }

  @Test
  void anotherEnclaveKeyIsRefused() {
    AttestationPolicy policy = bindingPolicy().expectedPublicKey(new byte[32]).build();
    assertRejected(check(policy, boundDocument, DOC_TIME), RejectionReason.PUBLIC_KEY_MISMATCH);
  }

  @Test
  void aDocumentWithoutPublicKeyIsRefusedWhenAKeyIsExpected() {
    byte[] noKey =
        enclave.attest(
            Optional.empty(), Optional.of(manifest.userData()), Optional.of(CHALLENGE), DOC_TIME);
    assertRejected(
        check(bindingPolicy().build(), noKey, DOC_TIME), RejectionReason.PUBLIC_KEY_MISMATCH);
  }

  @Test
  void aManifestForAnotherChainIsRefused() {
    AttestationPolicy policy = bindingPolicy().expectedManifest(manifest(1)).build();
    assertRejected(check(policy, boundDocument, DOC_TIME), RejectionReason.MANIFEST_MISMATCH);
  }

  @Test
  void aVerifierRejectionPassesThroughUnchanged() {
    Rejected rejected = new Rejected(RejectionReason.BAD_SIGNATURE, "x");
    assertThat(bindingPolicy().build().apply(rejected, DOC_TIME)).isSameAs(rejected);
  }

  @Test
  void aPolicyMustChooseItsMeasurementsExplicitly() {
    assertThatThrownBy(() -> AttestationPolicy.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("allowAnyMeasurement");
  }

  // ---- genuine documents ----

  static List<String> debugDocuments() {
    return SharedFixtures.debugDocuments();
  }

  static List<String> productionDocuments() {
    return SharedFixtures.productionDocuments();
  }

  private static AttestationVerdict genuine(String name, AttestationPolicy policy) {
    byte[] cose = SharedFixtures.read(SharedFixtures.nitro(name));
    NitroAttestationVerifier verifier =
        new NitroAttestationVerifier(TrustAnchors.production(SharedFixtures.awsRootPem()));
    Instant at = NitroAttestationDocument.parse(cose).timestamp();
    return policy.apply(verifier.verify(cose, at), at);
  }

  @ParameterizedTest
  @MethodSource("debugDocuments")
  void aGenuineDebugDocumentIsRefusedByDefault(String name) {
    assertRejected(
        genuine(name, AttestationPolicy.builder().allowAnyMeasurement().build()),
        RejectionReason.DEBUG_MODE);
  }

  @ParameterizedTest
  @MethodSource("debugDocuments")
  void aGenuineDebugDocumentIsAcceptedWithAllowDebug(String name) {
    assertThat(
            genuine(
                name, AttestationPolicy.builder().allowAnyMeasurement().allowDebug(true).build()))
        .isInstanceOf(Accepted.class);
  }

  @ParameterizedTest
  @MethodSource("productionDocuments")
  void aGenuineProductionDocumentIsAcceptedWhenItsMeasurementIsAllowed(String name) {
    NitroAttestationDocument doc =
        NitroAttestationDocument.parse(SharedFixtures.read(SharedFixtures.nitro(name)));
    assertThat(doc.isDebugMode()).isFalse();
    AttestationPolicy allowed = AttestationPolicy.builder().allow(MeasurementId.of(doc)).build();
    assertThat(genuine(name, allowed)).isInstanceOf(Accepted.class);
  }

  @Test
  void theGenuineNonceMustMatchTheChallenge() {
    String name = "evervault-2022-10-13-prod.cose";
    byte[] nonce =
        NitroAttestationDocument.parse(SharedFixtures.read(SharedFixtures.nitro(name)))
            .nonce()
            .orElseThrow();
    AttestationPolicy.Builder any = AttestationPolicy.builder().allowAnyMeasurement();
    assertThat(genuine(name, any.expectedNonce(nonce).build()).isAccepted()).isTrue();
    nonce[0] ^= 1;
    assertRejected(genuine(name, any.expectedNonce(nonce).build()), RejectionReason.NONCE_MISMATCH);
  }
}
