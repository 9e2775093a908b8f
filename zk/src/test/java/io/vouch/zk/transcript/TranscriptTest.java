package io.vouch.zk.transcript;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TranscriptTest {
  private static Transcript withMessage(String protocol, String label, byte[] data) {
    Transcript t = new Transcript(protocol);
    t.absorb(label, data);
    return t;
  }

  /** The transcript's byte layout, rebuilt by hand: proofs depend on every byte of it. */
  @Test
  void challengesFollowTheDocumentedHashChain() throws Exception {
    var sha = java.security.MessageDigest.getInstance("SHA-256");
    var bytes = new java.io.ByteArrayOutputStream();
    bytes.writeBytes("vouch/transcript/v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    bytes.writeBytes(new byte[] {5, 0, 0, 0});
    bytes.writeBytes("proto".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] state = sha.digest(bytes.toByteArray());
    long[] message = {1, -1, 0x0102030405060708L};
    bytes.reset();
    bytes.writeBytes(state);
    bytes.writeBytes(new byte[] {1, 3, 0, 0, 0, 'm', 's', 'g', 24, 0, 0, 0});
    for (long v : message) {
      for (int b = 0; b < 8; b++) {
        bytes.write((int) (v >>> (8 * b)));
      }
    }
    state = sha.digest(bytes.toByteArray());
    bytes.reset();
    bytes.writeBytes(state);
    bytes.writeBytes(new byte[] {2, 1, 0, 0, 0, 'c'});
    byte[] seed = sha.digest(bytes.toByteArray());
    long c0 = java.nio.ByteBuffer.wrap(seed).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
    long c1 = java.nio.ByteBuffer.wrap(seed).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(8);

    Transcript t = new Transcript("proto");
    t.absorbLongs("msg", message);
    // both words are canonical for this seed (else the transcript would skip to the next word)
    assertThat(io.vouch.zk.field.Goldilocks.isCanonical(c0)).isTrue();
    assertThat(io.vouch.zk.field.Goldilocks.isCanonical(c1)).isTrue();
    assertThat(t.challengeExt("c")).isEqualTo(new io.vouch.zk.field.GoldilocksExt2(c0, c1));
  }

  @Test
  void sameMessagesGiveSameChallenges() {
    var a = withMessage("p", "m", new byte[] {1, 2, 3});
    var b = withMessage("p", "m", new byte[] {1, 2, 3});
    assertThat(a.challengeExt("c")).isEqualTo(b.challengeExt("c"));
  }

  @Test
  void differentMessageChangesTheChallenge() {
    var a = withMessage("p", "m", new byte[] {1, 2, 3});
    var b = withMessage("p", "m", new byte[] {1, 2, 4});
    assertThat(a.challengeExt("c")).isNotEqualTo(b.challengeExt("c"));
  }

  @Test
  void protocolLabelSeparatesDomains() {
    var a = withMessage("vouch-zkml-v1", "m", new byte[] {1});
    var b = withMessage("other-protocol", "m", new byte[] {1});
    assertThat(a.challengeExt("c")).isNotEqualTo(b.challengeExt("c"));
  }

  @Test
  void messageLabelSeparatesDomains() {
    var a = withMessage("p", "root", new byte[] {1});
    var b = withMessage("p", "eval", new byte[] {1});
    assertThat(a.challengeExt("c")).isNotEqualTo(b.challengeExt("c"));
  }

  @Test
  void messageBoundariesMatter() {
    Transcript a = new Transcript("p");
    a.absorb("m", new byte[] {1, 2});
    a.absorb("m", new byte[] {3});
    Transcript b = new Transcript("p");
    b.absorb("m", new byte[] {1});
    b.absorb("m", new byte[] {2, 3});
    assertThat(a.challengeExt("c")).isNotEqualTo(b.challengeExt("c"));
  }

  @Test
  void consecutiveChallengesDiffer() {
    Transcript t = new Transcript("p");
    assertThat(t.challengeExt("c")).isNotEqualTo(t.challengeExt("c"));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 7, 100, 4096, 1000003})
  void indicesStayBelowTheBound(int bound) {
    int[] idx = new Transcript("p").challengeIndices("q", bound, 500);
    assertThat(idx).hasSize(500);
    assertThat(Arrays.stream(idx).boxed()).allMatch(i -> i >= 0 && i < bound);
  }

  @Test
  void indicesAreRoughlyUniform() {
    // 3 does not divide 2^32: a modulo without rejection would still pass this coarse check, but a
    // constant or stuck generator would not
    int[] idx = new Transcript("p").challengeIndices("q", 3, 30000);
    int[] counts = new int[3];
    Arrays.stream(idx).forEach(i -> counts[i]++);
    assertThat(Arrays.stream(counts).boxed()).allMatch(c -> c > 9400 && c < 10600);
  }
}
