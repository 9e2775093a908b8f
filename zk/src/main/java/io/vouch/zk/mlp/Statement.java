package io.vouch.zk.mlp;

import io.vouch.core.Bytes32;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.transcript.Transcript;

/**
 * The public statement of a proof (model id, request id, input, output) and the transcript that
 * starts from it, shared by prover and verifier so that both absorb exactly the same bytes.
 */
final class Statement {
  static final String PROTOCOL = "vouch/zkml/graph/v1";

  private Statement() {}

  static Transcript transcript(VerifyingKey key, byte[] requestId, byte[] input, long[] logits) {
    return transcript(key, key.modelId(), requestId, input, logits);
  }

  /** As above with the key's model id already computed (the prover's registered model keeps it). */
  static Transcript transcript(
      VerifyingKey key, Bytes32 modelId, byte[] requestId, byte[] input, long[] logits) {
    if (requestId.length != 32) {
      throw new IllegalArgumentException("request id must be 32 bytes, got " + requestId.length);
    }
    if (input.length != key.inputBytes()) {
      throw new IllegalArgumentException(
          "model takes " + key.inputBytes() + " input bytes, got " + input.length);
    }
    if (logits.length != key.outputSize()) {
      throw new IllegalArgumentException(
          "model outputs " + key.outputSize() + " logits, got " + logits.length);
    }
    Transcript t = new Transcript(PROTOCOL);
    t.absorb("statement/model-id", modelId.toArray());
    t.absorb("statement/request-id", requestId);
    t.absorb("statement/input", input);
    t.absorbLongs("statement/output", logits);
    return t;
  }

  /**
   * SHA-256 of a folded weight vector u_l (its words little-endian): what the transcript absorbs
   * for it, so the prover can hash the vector on the thread that folded it. Binding, since SHA-256
   * is collision resistant; the vector itself travels in the proof.
   */
  static byte[] foldDigest(long[] u) {
    java.security.MessageDigest sha;
    try {
      sha = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK must provide SHA-256", e);
    }
    byte[] bytes = new byte[8 * u.length];
    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(u);
    return sha.digest(bytes);
  }

  /** (1, γ, γ^2, ..., γ^(n−1)) as an interleaved K vector. */
  static long[] powers(GoldilocksExt2 gamma, int n) {
    long[] out = new long[2 * n];
    GoldilocksExt2 x = GoldilocksExt2.ONE;
    for (int i = 0; i < n; i++) {
      x.store(out, i);
      x = x.mul(gamma);
    }
    return out;
  }
}
