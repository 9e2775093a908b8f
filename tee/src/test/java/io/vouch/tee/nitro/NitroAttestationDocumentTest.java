package io.vouch.tee.nitro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.tee.SharedFixtures;
import io.vouch.tee.cbor.CborArray;
import io.vouch.tee.cbor.CborByteString;
import io.vouch.tee.cbor.CborDecoder;
import io.vouch.tee.cbor.CborEncoder;
import io.vouch.tee.cbor.CborInteger;
import io.vouch.tee.cbor.CborItem;
import io.vouch.tee.cbor.CborMap;
import io.vouch.tee.cbor.CborSimple;
import io.vouch.tee.cbor.CborTag;
import io.vouch.tee.cbor.CborTextString;
import io.vouch.tee.cbor.Span;
import io.vouch.tee.dev.DevRootAuthority;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NitroAttestationDocumentTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static byte[] simulated;

  @BeforeAll
  static void simulate() {
    simulated =
        DevRootAuthority.generate(T0)
            .startEnclave("node".getBytes(), "config".getBytes(), T0)
            .attest(
                Optional.of(new byte[] {1}),
                Optional.empty(),
                Optional.of(new byte[] {2}),
                T0.plusSeconds(5));
  }

  static List<String> nitroDocuments() {
    return SharedFixtures.nitroDocuments();
  }

  @ParameterizedTest
  @MethodSource("nitroDocuments")
  void everyGenuineDocumentParsesWithTheNitroShape(String name) {
    NitroAttestationDocument doc =
        NitroAttestationDocument.parse(SharedFixtures.read(SharedFixtures.nitro(name)));
    assertThat(doc.moduleId()).startsWith("i-");
    assertThat(doc.digest()).isEqualTo("SHA384");
    assertThat(doc.pcrs()).hasSize(16).allSatisfy((i, v) -> assertThat(v).hasSize(48));
    assertThat(doc.cabundle()).hasSize(4);
    assertThat(doc.signature()).hasSize(96);
    assertThat(doc.timestamp()).isAfter(Instant.parse("2020-01-01T00:00:00Z"));
  }

  @Test
  void theIndefiniteLengthPayloadMapParses() {
    NitroAttestationDocument doc =
        NitroAttestationDocument.parse(
            SharedFixtures.read(SharedFixtures.nitro("base-2026-01-03-prod-indefinite-map.cose")));
    assertThat(doc.indefiniteLengthPayload()).isTrue();
    assertThat(doc.userData()).get().satisfies(u -> assertThat(u).hasSize(20));
    assertThat(doc.publicKey()).isEmpty();
  }

  @Test
  void nullOptionalFieldsOfGenuineDocumentsReadAsAbsent() {
    NitroAttestationDocument bare =
        NitroAttestationDocument.parse(
            SharedFixtures.read(SharedFixtures.nitro("anjuna-2021-03-17-prod.cose")));
    assertThat(bare.publicKey()).isEmpty();
    assertThat(bare.userData()).isEmpty();
    assertThat(bare.nonce()).isEmpty();

    NitroAttestationDocument full =
        NitroAttestationDocument.parse(
            SharedFixtures.read(SharedFixtures.nitro("anjuna-2024-01-24-debug-full.cose")));
    assertThat(full.publicKey()).isPresent();
    assertThat(full.userData()).isPresent();
    assertThat(full.nonce()).isPresent();
  }

  @Test
  void aTaggedDocumentParsesLikeAnUntaggedOne() {
    byte[] tagged = CborEncoder.encode(CborTag.of(18, CborDecoder.decode(simulated)));
    assertThat(NitroAttestationDocument.parse(tagged).payload())
        .isEqualTo(NitroAttestationDocument.parse(simulated).payload());
  }

  @Test
  void keepsProtectedHeaderAndPayloadAsReceived() {
    NitroAttestationDocument doc = NitroAttestationDocument.parse(simulated);
    CborArray cose = (CborArray) CborDecoder.decode(simulated);
    assertThat(doc.protectedHeader()).isEqualTo(((CborByteString) cose.get(0)).value());
    assertThat(doc.payload()).isEqualTo(((CborByteString) cose.get(2)).value());
    assertThat(doc.encoded()).isEqualTo(simulated);
  }

  static Stream<Arguments> brokenCoseRules() {
    return Stream.of(
        Arguments.of("cose", "tagged 17", (UnaryOperator<CborArray>) a -> null),
        Arguments.of("cose", "array of 4", (UnaryOperator<CborArray>) a -> CborArray.of(a.get(0))),
        Arguments.of(
            "protected",
            "{1: -35}",
            (UnaryOperator<CborArray>)
                a ->
                    replace(
                        a,
                        0,
                        CborByteString.of(
                            CborEncoder.encode(
                                CborMap.builder().put(1, CborInteger.of(-7)).build())))),
        Arguments.of(
            "unprotected",
            "must be a map",
            (UnaryOperator<CborArray>) a -> replace(a, 1, CborArray.of())),
        Arguments.of(
            "payload",
            "byte string",
            (UnaryOperator<CborArray>) a -> replace(a, 2, CborSimple.NULL)),
        Arguments.of(
            "payload",
            "CBOR map",
            (UnaryOperator<CborArray>)
                a -> replace(a, 2, CborByteString.of(CborEncoder.encode(CborArray.of())))),
        Arguments.of(
            "signature",
            "96 bytes",
            (UnaryOperator<CborArray>) a -> replace(a, 3, CborByteString.of(new byte[64]))));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("brokenCoseRules")
  void refusesABrokenCoseEnvelopeNamingTheField(
      String field, String rule, UnaryOperator<CborArray> breaker) {
    CborArray cose = (CborArray) CborDecoder.decode(simulated);
    CborArray broken = breaker.apply(cose);
    byte[] bytes = CborEncoder.encode(broken == null ? CborTag.of(17, cose) : broken);
    assertThatThrownBy(() -> NitroAttestationDocument.parse(bytes))
        .isInstanceOfSatisfying(
            MalformedAttestationException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(rule);
  }

  static Stream<Arguments> brokenPayloadRules() {
    CborMap.Builder tooManyPcrs = CborMap.builder();
    for (int i = 0; i < 33; i++) {
      tooManyPcrs.put(i, CborByteString.of(new byte[48]));
    }
    return Stream.of(
        Arguments.of("module_id", "required but absent", null),
        Arguments.of("module_id", "required but null", CborSimple.NULL),
        Arguments.of("module_id", "must not be empty", CborTextString.of("")),
        Arguments.of("module_id", "text string", CborInteger.of(1)),
        Arguments.of("digest", "\"SHA384\"", CborTextString.of("SHA256")),
        Arguments.of("timestamp", "> 0", CborInteger.of(0)),
        Arguments.of("timestamp", "> 0", CborInteger.of(-5)),
        Arguments.of("pcrs", "1 to 32 entries", CborMap.builder().build()),
        Arguments.of("pcrs", "1 to 32 entries", tooManyPcrs.build()),
        Arguments.of(
            "pcrs",
            "integers 0 to 31",
            CborMap.builder().put(32, CborByteString.of(new byte[48])).build()),
        Arguments.of(
            "pcrs",
            "integers 0 to 31",
            CborMap.builder().put("0", CborByteString.of(new byte[48])).build()),
        Arguments.of(
            "pcrs",
            "32, 48 or 64 bytes",
            CborMap.builder().put(0, CborByteString.of(new byte[20])).build()),
        Arguments.of("certificate", "DER-encoded X.509", CborByteString.of(new byte[] {0x30, 0})),
        Arguments.of("certificate", "required but null", CborSimple.NULL),
        Arguments.of("cabundle", "at least the root", CborArray.of()),
        Arguments.of(
            "cabundle[0]", "DER-encoded X.509", CborArray.of(CborByteString.of(new byte[3]))),
        Arguments.of("public_key", "at most 1024", CborByteString.of(new byte[1025])),
        Arguments.of("user_data", "at most 512", CborByteString.of(new byte[513])),
        Arguments.of("nonce", "at most 512", CborByteString.of(new byte[513])),
        Arguments.of("nonce", "byte string", CborTextString.of("abc")));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("brokenPayloadRules")
  void refusesAPayloadFieldThatBreaksARuleNamingFieldAndRule(
      String field, String rule, CborItem replacement) {
    String mapField = field.startsWith("cabundle") ? "cabundle" : field;
    byte[] bytes = withPayloadField(mapField, replacement);
    assertThatThrownBy(() -> NitroAttestationDocument.parse(bytes))
        .isInstanceOfSatisfying(
            MalformedAttestationException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(rule);
  }

  @Test
  void acceptsTheLargestAllowedOptionalFields() {
    byte[] bytes = withPayloadField("public_key", CborByteString.of(new byte[1024]));
    assertThat(NitroAttestationDocument.parse(bytes).publicKey().orElseThrow()).hasSize(1024);
  }

  @Test
  void refusesBytesThatAreNotCbor() {
    assertThatThrownBy(() -> NitroAttestationDocument.parse(new byte[] {(byte) 0x84, 0x40}))
        .isInstanceOfSatisfying(
            MalformedAttestationException.class, e -> assertThat(e.field()).isEqualTo("cose"))
        .hasMessageContaining("not well-formed CBOR");
  }

  @Test
  void aDebugDocumentHasPcr0To2AllZero() {
    byte[] zero = new byte[48];
    CborMap.Builder pcrs = CborMap.builder();
    for (int i = 0; i < 3; i++) {
      pcrs.put(i, CborByteString.of(zero));
    }
    assertThat(NitroAttestationDocument.parse(withPayloadField("pcrs", pcrs.build())).isDebugMode())
        .isTrue();
    assertThat(NitroAttestationDocument.parse(simulated).isDebugMode()).isFalse();
  }

  /** The simulated document with one payload field replaced (null removes it); unsigned. */
  private static byte[] withPayloadField(String field, CborItem replacement) {
    CborArray cose = (CborArray) CborDecoder.decode(simulated);
    CborMap payload = (CborMap) CborDecoder.decode(((CborByteString) cose.get(2)).value());
    List<CborMap.Entry> entries = new ArrayList<>();
    for (CborMap.Entry e : payload.entries()) {
      if (!((CborTextString) e.key()).value().equals(field)) {
        entries.add(e);
      } else if (replacement != null) {
        entries.add(new CborMap.Entry(e.key(), replacement));
      }
    }
    byte[] newPayload = CborEncoder.encode(new CborMap(entries, false, Span.NONE));
    return CborEncoder.encode(replace(cose, 2, CborByteString.of(newPayload)));
  }

  private static CborArray replace(CborArray array, int index, CborItem item) {
    List<CborItem> items = new ArrayList<>(array.items());
    items.set(index, item);
    return CborArray.of(items);
  }
}
