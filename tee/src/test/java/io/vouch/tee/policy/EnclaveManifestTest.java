package io.vouch.tee.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnclaveManifestTest {
  private static final Address REGISTRY = Address.fromHex("0x" + "11".repeat(20));
  private static final Address OPERATOR = Address.fromHex("0x" + "22".repeat(20));
  private static final Bytes32 MODEL_A = Bytes32.fromUint(BigInteger.ONE);
  private static final Bytes32 MODEL_B = Bytes32.fromUint(BigInteger.TWO);

  private static byte[] measurement() {
    byte[] m = new byte[48];
    m[0] = (byte) 0xab;
    return m;
  }

  @Test
  void canonicalBytesFollowTheDocumentedLayout() {
    EnclaveManifest manifest =
        new EnclaveManifest(measurement(), List.of(MODEL_B, MODEL_A), 31337, REGISTRY, OPERATOR);
    String expected =
        "86" // array(6)
            + "7818" // text(24)
            + HexFormat.of().formatHex("vouch-enclave-manifest/1".getBytes())
            + "5830"
            + "ab"
            + "00".repeat(47) // bytes(48) software measurement
            + "82" // array(2) of model ids, ascending
            + "5820"
            + "00".repeat(31)
            + "01"
            + "5820"
            + "00".repeat(31)
            + "02"
            + "197a69" // 31337
            + "54"
            + "11".repeat(20)
            + "54"
            + "22".repeat(20);
    assertThat(HexFormat.of().formatHex(manifest.canonicalBytes())).isEqualTo(expected);
  }

  @Test
  void userDataIsSha256OfTheCanonicalBytes() throws Exception {
    EnclaveManifest manifest =
        new EnclaveManifest(measurement(), List.of(MODEL_A), 1, REGISTRY, OPERATOR);
    assertThat(manifest.userData())
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(manifest.canonicalBytes()))
        .hasSize(32);
  }

  @Test
  void theOrderInWhichModelsAreGivenDoesNotChangeTheBytes() {
    EnclaveManifest ab =
        new EnclaveManifest(measurement(), List.of(MODEL_A, MODEL_B), 1, REGISTRY, OPERATOR);
    EnclaveManifest ba =
        new EnclaveManifest(measurement(), List.of(MODEL_B, MODEL_A), 1, REGISTRY, OPERATOR);
    assertThat(ab.canonicalBytes()).isEqualTo(ba.canonicalBytes());
    assertThat(ab).isEqualTo(ba);
  }

  @Test
  void everyFieldChangesTheBytes() {
    byte[] base =
        new EnclaveManifest(measurement(), List.of(MODEL_A), 1, REGISTRY, OPERATOR)
            .canonicalBytes();
    byte[] otherSoftware = measurement();
    otherSoftware[47] = 1;
    assertThat(
            new EnclaveManifest(otherSoftware, List.of(MODEL_A), 1, REGISTRY, OPERATOR)
                .canonicalBytes())
        .isNotEqualTo(base);
    assertThat(
            new EnclaveManifest(measurement(), List.of(MODEL_B), 1, REGISTRY, OPERATOR)
                .canonicalBytes())
        .isNotEqualTo(base);
    assertThat(
            new EnclaveManifest(measurement(), List.of(MODEL_A), 2, REGISTRY, OPERATOR)
                .canonicalBytes())
        .isNotEqualTo(base);
    assertThat(
            new EnclaveManifest(measurement(), List.of(MODEL_A), 1, OPERATOR, REGISTRY)
                .canonicalBytes())
        .isNotEqualTo(base);
  }

  @Test
  void refusesDuplicateModelsAShortMeasurementAndANonPositiveChain() {
    assertThatThrownBy(() ->
            new EnclaveManifest(measurement(), List.of(MODEL_A, MODEL_A), 1, REGISTRY, OPERATOR))
        .hasMessageContaining("distinct");
    assertThatThrownBy(() -> new EnclaveManifest(new byte[32], List.of(), 1, REGISTRY, OPERATOR))
        .hasMessageContaining("48 bytes");
    assertThatThrownBy(() -> new EnclaveManifest(measurement(), List.of(), 0, REGISTRY, OPERATOR))
        .hasMessageContaining("positive");
  }

  // ---- decode: only the canonical bytes read back ----

  private static EnclaveManifest twoModels() {
    return new EnclaveManifest(measurement(), List.of(MODEL_A, MODEL_B), 31337, REGISTRY, OPERATOR);
  }

  private static String hex(EnclaveManifest m) {
    return HexFormat.of().formatHex(m.canonicalBytes());
  }

  private static String decodeError(String hex) {
    return org.assertj.core.api.Assertions.catchThrowableOfType(
            IllegalArgumentException.class,
            () -> EnclaveManifest.decode(HexFormat.of().parseHex(hex)))
        .getMessage();
  }

  @Test
  void decodeReadsBackTheCanonicalBytes() {
    EnclaveManifest m = twoModels();
    assertThat(EnclaveManifest.decode(m.canonicalBytes())).isEqualTo(m);
    EnclaveManifest none = new EnclaveManifest(measurement(), List.of(), 1, REGISTRY, OPERATOR);
    assertThat(EnclaveManifest.decode(none.canonicalBytes())).isEqualTo(none);
  }

  @Test
  void decodeRefusesWhatIsNotAManifest() {
    assertThat(decodeError("")).contains("not CBOR");
    assertThat(decodeError("ff")).contains("not CBOR");
    assertThat(decodeError("a0")).contains("array of 6");
    assertThat(decodeError("85" + hex(twoModels()).substring(2, 60))).contains("not CBOR");
    // another layout's domain
    assertThat(decodeError(hex(twoModels()).replace("2f31", "2f32"))).contains("unknown layout");
    // a software measurement of 47 bytes
    assertThat(
            decodeError(
                hex(twoModels()).replace("5830ab" + "00".repeat(47), "582fab" + "00".repeat(46))))
        .contains("node software measurement");
    // an operator of 19 bytes
    String h = hex(twoModels());
    assertThat(decodeError(h.substring(0, h.length() - 42) + "53" + "22".repeat(19)))
        .contains("operator address");
    // chain id 0 and a negative chain id
    assertThat(decodeError(h.replace("197a69", "00"))).contains("chain id");
    assertThat(decodeError(h.replace("197a69", "20"))).contains("chain id");
  }

  @Test
  void decodeRefusesNonCanonicalEncodings() {
    String h = hex(twoModels());
    String a = "5820" + "00".repeat(31) + "01";
    String b = "5820" + "00".repeat(31) + "02";
    // models in descending order: same set, other bytes
    assertThat(decodeError(h.replace("82" + a + b, "82" + b + a))).contains("canonical");
    // a chain id with a longer head than needed
    assertThat(decodeError(h.replace("197a69", "1a00007a69"))).contains("canonical");
    // the same model twice
    assertThat(decodeError(h.replace("82" + a + b, "82" + a + a))).contains("distinct");
  }
}
