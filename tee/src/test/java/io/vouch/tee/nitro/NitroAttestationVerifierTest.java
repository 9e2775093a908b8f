package io.vouch.tee.nitro;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.tee.SharedFixtures;
import io.vouch.tee.dev.DevRootAuthority;
import io.vouch.tee.nitro.AttestationVerdict.Accepted;
import io.vouch.tee.nitro.AttestationVerdict.Rejected;
import io.vouch.tee.nitro.DocumentRegions.Range;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Verification of genuine AWS Nitro documents from the shared fixtures. */
class NitroAttestationVerifierTest {

  static List<String> nitroDocuments() {
    return SharedFixtures.nitroDocuments();
  }

  private static NitroAttestationVerifier production() {
    return new NitroAttestationVerifier(TrustAnchors.production(SharedFixtures.awsRootPem()));
  }

  private static byte[] fixture(String name) {
    return SharedFixtures.read(SharedFixtures.nitro(name));
  }

  private static Instant documentTime(byte[] cose) {
    return NitroAttestationDocument.parse(cose).timestamp();
  }

  @ParameterizedTest
  @MethodSource("nitroDocuments")
  void everyGenuineDocumentVerifiesAtItsOwnTimestamp(String name) {
    byte[] cose = fixture(name);
    AttestationVerdict verdict = production().verify(cose, documentTime(cose));
    assertThat(verdict)
        .isInstanceOfSatisfying(
            Accepted.class, a -> assertThat(a.anchor()).isEqualTo(TrustAnchors.Kind.AWS_NITRO));
  }

  @ParameterizedTest
  @MethodSource("nitroDocuments")
  void everyGenuineDocumentIsExpiredNow(String name) {
    AttestationVerdict verdict = production().verify(fixture(name), Instant.now());
    assertThat(verdict)
        .isInstanceOfSatisfying(
            Rejected.class,
            r -> assertThat(r.reason()).isEqualTo(RejectionReason.CERTIFICATE_NOT_VALID_AT_TIME));
  }

  @ParameterizedTest
  @MethodSource("nitroDocuments")
  void theLeafCertificateExpiresWithinHoursOfTheDocument(String name) {
    byte[] cose = fixture(name);
    Instant later = documentTime(cose).plus(Duration.ofHours(4));
    assertThat(production().verify(cose, later))
        .isInstanceOfSatisfying(
            Rejected.class,
            r -> {
              assertThat(r.reason()).isEqualTo(RejectionReason.CERTIFICATE_NOT_VALID_AT_TIME);
              assertThat(r.message()).contains("the leaf certificate");
            });
  }

  /** Which part of the document a mutation lands in, and the reasons it may produce. */
  enum Part {
    SIGNATURE(r -> List.of(r.signature()), List.of(RejectionReason.BAD_SIGNATURE)),
    PCRS(r -> List.of(r.pcrs()), List.of(RejectionReason.BAD_SIGNATURE, RejectionReason.MALFORMED)),
    LEAF_CERTIFICATE(
        r -> List.of(r.certificate()),
        List.of(
            RejectionReason.MALFORMED,
            RejectionReason.CHAIN_INVALID,
            RejectionReason.CERTIFICATE_NOT_VALID_AT_TIME,
            RejectionReason.BAD_SIGNATURE)),
    CABUNDLE_ROOT(
        r -> List.of(r.cabundle()[0]),
        List.of(RejectionReason.MALFORMED, RejectionReason.UNTRUSTED_ROOT)),
    CABUNDLE_INTERMEDIATES(
        r -> List.of(r.cabundle()).subList(1, r.cabundle().length),
        List.of(
            RejectionReason.MALFORMED,
            RejectionReason.CHAIN_INVALID,
            RejectionReason.CERTIFICATE_NOT_VALID_AT_TIME)),
    ANYWHERE_IN_PAYLOAD(r -> List.of(r.payload()), List.of(RejectionReason.values()));

    final Function<DocumentRegions, List<Range>> ranges;
    final List<RejectionReason> allowed;

    Part(Function<DocumentRegions, List<Range>> ranges, List<RejectionReason> allowed) {
      this.ranges = ranges;
      this.allowed = allowed;
    }
  }

  static Stream<Arguments> mutations() {
    List<Arguments> cases = new ArrayList<>();
    for (String name : SharedFixtures.productionDocuments()) {
      for (Part part : Part.values()) {
        cases.add(Arguments.of(name, part, (long) (name.hashCode() * 31 + part.ordinal())));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("mutations")
  void aChangedByteAnywhereInThePartIsRejectedWithAReason(String name, Part part, long seed) {
    byte[] original = fixture(name);
    Instant at = documentTime(original);
    NitroAttestationVerifier verifier = production();
    List<Range> ranges = part.ranges.apply(DocumentRegions.of(original));
    SplittableRandom random = new SplittableRandom(seed);
    for (int trial = 0; trial < 12; trial++) {
      Range range = ranges.get(random.nextInt(ranges.size()));
      int position = range.offset() + random.nextInt(range.length());
      byte[] mutated = original.clone();
      mutated[position] ^= (byte) random.nextInt(1, 256);
      AttestationVerdict verdict = verifier.verify(mutated, at);
      assertThat(verdict)
          .as("byte %d of %s changed", position, name)
          .isInstanceOfSatisfying(
              Rejected.class,
              r -> {
                assertThat(r.reason()).isIn(part.allowed);
                assertThat(r.message()).isNotBlank();
              });
    }
  }

  @Test
  void aGenuineDocumentUnderAnotherRootIsUntrusted() {
    DevRootAuthority other = DevRootAuthority.generate(Instant.now());
    TrustAnchors wrong =
        TrustAnchors.builder()
            .developmentRoot(other.rootCertificate())
            .allowDevelopmentRoot(true)
            .build();
    byte[] cose = fixture("evervault-2022-10-13-prod.cose");
    assertThat(new NitroAttestationVerifier(wrong).verify(cose, documentTime(cose)))
        .isInstanceOfSatisfying(
            Rejected.class,
            r -> {
              assertThat(r.reason()).isEqualTo(RejectionReason.UNTRUSTED_ROOT);
              assertThat(r.message()).contains("cabundle[0]").contains(AwsNitroRoot.SHA256_PIN);
            });
  }

  @Test
  void aMalformedDocumentIsARejectionNotAnException() {
    assertThat(production().verify(new byte[] {(byte) 0x80}, Instant.now()))
        .isInstanceOfSatisfying(
            Rejected.class, r -> assertThat(r.reason()).isEqualTo(RejectionReason.MALFORMED));
  }

  @Test
  void verifyAtDocumentTimeUsesTheDocumentsOwnTimestamp() {
    NitroAttestationDocument doc =
        NitroAttestationDocument.parse(fixture("anjuna-2021-03-24-prod-pubkey.cose"));
    assertThat(production().verifyAtDocumentTime(doc).isAccepted()).isTrue();
  }
}
