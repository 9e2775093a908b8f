package io.vouch.tee.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.tee.SharedFixtures;
import io.vouch.tee.cbor.CborArray;
import io.vouch.tee.cbor.CborByteString;
import io.vouch.tee.cbor.CborDecoder;
import io.vouch.tee.cbor.CborMap;
import io.vouch.tee.cbor.CborTextString;
import io.vouch.tee.nitro.AttestationVerdict;
import io.vouch.tee.nitro.AttestationVerdict.Accepted;
import io.vouch.tee.nitro.AttestationVerdict.Rejected;
import io.vouch.tee.nitro.AwsNitroRoot;
import io.vouch.tee.nitro.NitroAttestationDocument;
import io.vouch.tee.nitro.NitroAttestationVerifier;
import io.vouch.tee.nitro.RejectionReason;
import io.vouch.tee.nitro.TrustAnchors;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DevEnclaveTest {
  private static final Instant BOOT = Instant.parse("2026-05-01T08:00:00Z");
  private static final Instant DOC_TIME = BOOT.plusSeconds(90);
  private static final byte[] SOFTWARE = "node jar".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CONFIG = "config".getBytes(StandardCharsets.UTF_8);

  private static DevRootAuthority authority;
  private static DevEnclave enclave;
  private static byte[] document;

  @BeforeAll
  static void boot() {
    authority = DevRootAuthority.generate(BOOT);
    enclave = authority.startEnclave(SOFTWARE, CONFIG, BOOT);
    document =
        enclave.attest(
            Optional.of(new byte[65]),
            Optional.of(new byte[32]),
            Optional.of(new byte[16]),
            DOC_TIME);
  }

  private static TrustAnchors development() {
    return TrustAnchors.builder()
        .developmentRoot(authority.rootCertificate())
        .allowDevelopmentRoot(true)
        .build();
  }

  private static void assertRejected(AttestationVerdict verdict, RejectionReason reason) {
    assertThat(verdict)
        .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo(reason));
  }

  @Test
  void aSimulatedDocumentVerifiesUnderTheDevelopmentRootWithTheFlag() {
    assertThat(new NitroAttestationVerifier(development()).verify(document, DOC_TIME))
        .isInstanceOfSatisfying(
            Accepted.class, a -> assertThat(a.anchor()).isEqualTo(TrustAnchors.Kind.DEVELOPMENT));
  }

  @Test
  void theProductionProfileRefusesASimulatedDocument() {
    TrustAnchors production =
        TrustAnchors.production(AwsNitroRoot.load(SharedFixtures.awsRootPem()));
    AttestationVerdict verdict =
        new NitroAttestationVerifier(production).verify(document, DOC_TIME);
    assertRejected(verdict, RejectionReason.DEVELOPMENT_ROOT_NOT_ALLOWED);
    assertThat(((Rejected) verdict).message()).contains("only the AWS Nitro root");
  }

  @Test
  void aConfiguredDevelopmentRootWithoutTheFlagIsRefused() {
    TrustAnchors noFlag =
        TrustAnchors.builder().developmentRoot(authority.rootCertificate()).build();
    assertRejected(
        new NitroAttestationVerifier(noFlag).verify(document, DOC_TIME),
        RejectionReason.DEVELOPMENT_ROOT_NOT_ALLOWED);
  }

  @Test
  void anotherDevelopmentRootIsNotTrusted() {
    TrustAnchors other =
        TrustAnchors.builder()
            .developmentRoot(DevRootAuthority.generate(BOOT).rootCertificate())
            .allowDevelopmentRoot(true)
            .build();
    assertRejected(
        new NitroAttestationVerifier(other).verify(document, DOC_TIME),
        RejectionReason.DEVELOPMENT_ROOT_NOT_ALLOWED);
  }

  @Test
  void aSimulatedDocumentExpiresWithItsThreeHourLeaf() {
    assertRejected(
        new NitroAttestationVerifier(development())
            .verify(document, BOOT.plus(DevEnclave.LEAF_LIFETIME).plusSeconds(1)),
        RejectionReason.CERTIFICATE_NOT_VALID_AT_TIME);
  }

  @Test
  void aChangedSignatureByteIsRefused() {
    byte[] mutated = document.clone();
    mutated[mutated.length - 10] ^= 0x40;
    assertRejected(
        new NitroAttestationVerifier(development()).verify(mutated, DOC_TIME),
        RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void theEnclaveCannotAttestOutsideItsLeafValidity() {
    assertThatThrownBy(() ->
            enclave.attest(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                BOOT.plus(Duration.ofHours(4))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("start a new enclave");
  }

  @Test
  void pcrsMeasureTheSoftwareAndConfiguration() throws Exception {
    NitroAttestationDocument doc = NitroAttestationDocument.parse(document);
    MessageDigest sha384 = MessageDigest.getInstance("SHA-384");
    byte[] software = sha384.digest(SOFTWARE);
    byte[] config = sha384.digest(CONFIG);
    sha384.update(software);
    sha384.update(config);
    assertThat(doc.pcr(0)).get().isEqualTo(sha384.digest());
    assertThat(doc.pcr(1)).get().isEqualTo(config);
    assertThat(doc.pcr(2)).get().isEqualTo(software);
    assertThat(doc.pcrs()).hasSize(16);
    assertThat(doc.isDebugMode()).isFalse();
  }

  @Test
  void fieldsAreAsGivenAndTheModuleIdIsMarked() {
    NitroAttestationDocument doc = NitroAttestationDocument.parse(document);
    assertThat(doc.moduleId()).startsWith("dev-sim-").isEqualTo(enclave.moduleId());
    assertThat(doc.timestamp()).isEqualTo(DOC_TIME);
    assertThat(doc.publicKey()).get().isEqualTo(new byte[65]);
    assertThat(doc.userData()).get().isEqualTo(new byte[32]);
    assertThat(doc.nonce()).get().isEqualTo(new byte[16]);
    assertThat(doc.cabundle().get(0).getSubjectX500Principal().getName()).contains("DEV-ONLY");
  }

  @Test
  void theLayoutIsTheAwsLayout() {
    byte[] genuine = SharedFixtures.read(SharedFixtures.nitro("anjuna-2021-03-17-prod.cose"));
    CborArray real = (CborArray) CborDecoder.decode(genuine);
    CborArray simulated = (CborArray) CborDecoder.decode(document);
    assertThat(simulated.size()).isEqualTo(real.size());
    assertThat(((CborByteString) simulated.get(0)).value())
        .isEqualTo(((CborByteString) real.get(0)).value());
    assertThat(simulated.get(1).span().bytes()).isEqualTo(real.get(1).span().bytes());
    assertThat(fieldOrder(simulated)).isEqualTo(fieldOrder(real));
    CborMap realPayload = payload(real);
    CborMap simulatedPayload = payload(simulated);
    // An absent optional field is encoded as null, as AWS does.
    CborArray bare =
        (CborArray)
            CborDecoder.decode(
                enclave.attest(Optional.empty(), Optional.empty(), Optional.empty(), DOC_TIME));
    assertThat(payload(bare).get("public_key").orElseThrow().span().bytes())
        .isEqualTo(realPayload.get("public_key").orElseThrow().span().bytes());
    assertThat(simulatedPayload.get("pcrs").orElseThrow().span().bytes()[0])
        .isEqualTo(realPayload.get("pcrs").orElseThrow().span().bytes()[0]);
  }

  @Test
  void theRootPemReadsBackAsTheSameCertificate() throws CertificateException {
    TrustAnchors fromPem =
        TrustAnchors.builder()
            .developmentRoot(readPem(authority.rootPem()))
            .allowDevelopmentRoot(true)
            .build();
    assertThat(new NitroAttestationVerifier(fromPem).verify(document, DOC_TIME).isAccepted())
        .isTrue();
  }

  private static X509Certificate readPem(String pem) throws CertificateException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static CborMap payload(CborArray cose) {
    return (CborMap) CborDecoder.decode(((CborByteString) cose.get(2)).value());
  }

  private static List<String> fieldOrder(CborArray cose) {
    return payload(cose).entries().stream()
        .map(CborMap.Entry::key)
        .map(k -> ((CborTextString) k).value())
        .toList();
  }
}
