package io.vouch.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The binary form's headers: what one side encodes the other decodes to the same fields (seeded
 * random values), and what a hostile peer may send (missing, malformed, oversize) fails with a
 * message that names the header.
 */
class InferHeadersTest {
  static final Secp256k1.KeyPair NODE =
      Secp256k1.KeyPair.fromPrivateKey(Bytes32.fromHex("0x" + "42".repeat(32)));

  static Bytes32 random32(Random r) {
    byte[] b = new byte[32];
    r.nextBytes(b);
    return Bytes32.wrap(b);
  }

  static Address randomAddress(Random r) {
    byte[] b = new byte[20];
    r.nextBytes(b);
    return Address.wrap(b);
  }

  static InferHeaders.Result result(long seed) {
    Random r = new Random(seed);
    Eip712Domain domain = Eip712Domain.of(1 + r.nextInt(1 << 20), randomAddress(r));
    InferenceReceipt receipt =
        new InferenceReceipt(
            random32(r),
            random32(r),
            random32(r),
            random32(r),
            VerificationLevel.values()[r.nextInt(VerificationLevel.values().length)],
            random32(r),
            NODE.address(),
            r.nextLong() & Long.MAX_VALUE,
            r.nextLong() & Long.MAX_VALUE);
    Optional<InferHeaders.Payment> payment =
        r.nextBoolean()
            ? Optional.of(
                new InferHeaders.Payment(
                    randomAddress(r), new BigInteger(256, r), new BigInteger(64, r)))
            : Optional.empty();
    return new InferHeaders.Result(
        new SignedReceipt(receipt, receipt.sign(domain, NODE)),
        "model-" + seed + "@" + (1 + r.nextInt(9)),
        domain,
        OptionalLong.of(r.nextInt(1_000_000)),
        Optional.of(random32(r)),
        payment);
  }

  /** Headers as a server or client hands them over: by lower-case name. */
  static Function<String, String> lookup(Map<String, String> encoded) {
    Map<String, String> lower = new HashMap<>();
    encoded.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    return lower::get;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void anAnswerDecodesToWhatWasEncoded(long seed) {
    InferHeaders.Result sent = result(seed);

    InferHeaders.Result got = InferHeaders.decodeResult(lookup(InferHeaders.encode(sent)));

    assertThat(got).isEqualTo(sent);
    assertThat(got.receipt().signer(got.domain())).isEqualTo(NODE.address());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void aRequestDecodesToWhatWasEncoded(long seed) {
    Random r = new Random(seed);
    Optional<InferHeaders.Voucher> voucher =
        r.nextBoolean()
            ? Optional.of(
                new InferHeaders.Voucher(
                    randomAddress(r),
                    r.nextBoolean() ? Optional.of(randomAddress(r)) : Optional.empty(),
                    new BigInteger(256, r),
                    NODE.sign(random32(r))))
            : Optional.empty();
    InferHeaders.Request sent =
        new InferHeaders.Request(
            "mlp@" + seed,
            r.nextBoolean() ? Optional.of(VerificationLevel.TEE) : Optional.empty(),
            r.nextBoolean() ? Optional.of(random32(r)) : Optional.empty(),
            voucher);

    assertThat(InferHeaders.decodeRequest(lookup(InferHeaders.encode(sent)))).isEqualTo(sent);
  }

  @Test
  void anAnswerWithoutExecutionTimeDigestOrPaymentStillDecodes() {
    InferHeaders.Result full = result(1);
    InferHeaders.Result bare =
        new InferHeaders.Result(
            full.receipt(),
            full.model(),
            full.domain(),
            OptionalLong.empty(),
            Optional.empty(),
            Optional.empty());

    assertThat(InferHeaders.decodeResult(lookup(InferHeaders.encode(bare)))).isEqualTo(bare);
  }

  static Stream<String> requiredAnswerHeaders() {
    return Stream.of(
        InferHeaders.REQUEST_ID,
        InferHeaders.MODEL_ID,
        InferHeaders.MODEL,
        InferHeaders.LEVEL,
        InferHeaders.INPUT_HASH,
        InferHeaders.OUTPUT_HASH,
        InferHeaders.EVIDENCE_HASH,
        InferHeaders.NODE,
        InferHeaders.TIMESTAMP,
        InferHeaders.SEQUENCE,
        InferHeaders.SIGNATURE,
        InferHeaders.CHAIN_ID,
        InferHeaders.HUB);
  }

  @ParameterizedTest
  @MethodSource("requiredAnswerHeaders")
  void anAnswerMissingAHeaderNamesIt(String name) {
    Map<String, String> h = InferHeaders.encode(result(3));
    h.remove(name);

    assertThatThrownBy(() -> InferHeaders.decodeResult(lookup(h)))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("header " + name + " is missing");
  }

  static Stream<Arguments> malformedAnswerHeaders() {
    return Stream.of(
        Arguments.of(InferHeaders.REQUEST_ID, "0x1234", "expected 32 bytes"),
        Arguments.of(InferHeaders.NODE, "not-hex", InferHeaders.NODE),
        Arguments.of(InferHeaders.LEVEL, "platinum", "unknown verification level"),
        Arguments.of(InferHeaders.TIMESTAMP, "-5", "decimal digits only"),
        Arguments.of(InferHeaders.SEQUENCE, "+5", "decimal digits only"),
        Arguments.of(InferHeaders.SEQUENCE, "99999999999999999999", "19 decimal digits"),
        Arguments.of(InferHeaders.CHAIN_ID, "1e3", "decimal digits only"),
        Arguments.of(InferHeaders.SIGNATURE, "0x" + "11".repeat(64), "65 bytes"),
        Arguments.of(InferHeaders.EXECUTION_MICROS, "fast", "decimal digits only"),
        Arguments.of(InferHeaders.PAYMENT_PRICE, "1.5", "decimal digits only"));
  }

  @ParameterizedTest
  @MethodSource("malformedAnswerHeaders")
  void aMalformedAnswerHeaderIsRefusedWithItsName(String name, String value, String why) {
    Map<String, String> h = InferHeaders.encode(result(4));
    h.put(name, value);
    if (name.startsWith("Vouch-Payment")) {
      h.put(InferHeaders.PAYMENT_PAYER, NODE.address().toHex());
      h.putIfAbsent(InferHeaders.PAYMENT_CUMULATIVE_AMOUNT, "1");
    }

    assertThatThrownBy(() -> InferHeaders.decodeResult(lookup(h)))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining(name)
        .hasMessageContaining(why);
  }

  @Test
  void anOversizeHeaderIsRefusedWithoutEchoingIt() {
    Map<String, String> h = InferHeaders.encode(result(5));
    h.put(InferHeaders.OUTPUT_HASH, "0x" + "ab".repeat(100_000));

    assertThatThrownBy(() -> InferHeaders.decodeResult(lookup(h)))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("header Vouch-Output-Hash is 200002 characters long; at most 512 are accepted");
  }

  @Test
  void anOversizeAmountIsRefusedInDigits() {
    Map<String, String> h =
        Map.of(
            "vouch-model", "mlp@1",
            "vouch-voucher-payer", NODE.address().toHex(),
            "vouch-voucher-cumulative-amount", "9".repeat(60_000),
            "vouch-voucher-signature", NODE.sign(Bytes32.ZERO).toHex());

    assertThatThrownBy(() -> InferHeaders.decodeRequest(h::get))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("Vouch-Voucher-Cumulative-Amount")
        .hasMessageContaining("at most 78 decimal digits");
  }

  @Test
  void aRequestWithoutAModelSaysWhatToSend() {
    assertThatThrownBy(() -> InferHeaders.decodeRequest(Map.<String, String>of()::get))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("header Vouch-Model is missing");
    assertThatThrownBy(() -> InferHeaders.decodeRequest(Map.of("vouch-model", " ")::get))
        .hasMessageContaining("a model id or name@version");
  }

  @Test
  void aPartialVoucherNamesTheHeadersThatBelongTogether() {
    Map<String, String> h =
        Map.of("vouch-model", "mlp@1", "vouch-voucher-payer", NODE.address().toHex());

    assertThatThrownBy(() -> InferHeaders.decodeRequest(h::get))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining(InferHeaders.VOUCHER_CUMULATIVE_AMOUNT)
        .hasMessageContaining(InferHeaders.VOUCHER_SIGNATURE);
  }

  @Test
  void aModelReferenceWithALineBreakIsNotEncoded() {
    InferHeaders.Request r =
        new InferHeaders.Request(
            "mlp@1\r\nX-Injected: yes", Optional.empty(), Optional.empty(), Optional.empty());

    assertThatThrownBy(() -> InferHeaders.encode(r))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("Vouch-Model must be printable ASCII");
  }
}
