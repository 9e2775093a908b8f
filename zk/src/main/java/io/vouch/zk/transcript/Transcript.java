package io.vouch.zk.transcript;

import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Fiat–Shamir transcript over SHA-256.
 *
 * <p>The state is a 32-byte hash chain started from a protocol label. Every prover message is
 * absorbed with its own label and length (state ← H(state ‖ 0x01 ‖ label ‖ data)), so two different
 * message sequences never hash the same. A challenge ratchets the state (state ← H(state ‖ 0x02 ‖
 * label)) and expands it in counter mode; prover and verifier must absorb exactly the same messages
 * in the same order, which is what makes the non-interactive proof sound in the random oracle
 * model.
 *
 * <p>Challenges in K take two uniform residues by rejection (a 64-bit word ≥ p is skipped,
 * probability 2^-32), and indices below a bound use rejection too, so neither has modulo bias.
 */
public final class Transcript {
  private static final byte ABSORB = 1;
  private static final byte CHALLENGE = 2;
  private static final byte EXPAND = 3;

  private final MessageDigest sha;
  private byte[] state;

  public Transcript(String protocolLabel) {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK must provide SHA-256", e);
    }
    sha.update("vouch/transcript/v1".getBytes(StandardCharsets.US_ASCII));
    updateLabel(protocolLabel);
    state = sha.digest();
  }

  /** Absorbs a prover message under its label; every later challenge depends on it. */
  public void absorb(String label, byte[] data) {
    absorb(label, data, data.length);
  }

  /**
   * Hashes state ‖ 0x01 ‖ len(label) ‖ label ‖ len(data) ‖ data, streamed into the digest (the same
   * bytes as one contiguous message, without building it).
   */
  private void absorb(String label, byte[] data, int length) {
    byte[] l = labelBytes(label);
    // state ‖ ABSORB ‖ len(label) ‖ label ‖ len(data): one update for the header, one for the data
    int headerLength = state.length + 1 + 4 + l.length + 4;
    if (header.length < headerLength) {
      header = new byte[headerLength];
    }
    System.arraycopy(state, 0, header, 0, state.length);
    header[state.length] = ABSORB;
    int at = putInt(header, state.length + 1, l.length);
    System.arraycopy(l, 0, header, at, l.length);
    putInt(header, at + l.length, length);
    sha.update(header, 0, headerLength);
    sha.update(data, 0, length);
    state = sha.digest();
  }

  private byte[] header = new byte[128];

  /** Absorbs the values as 8-byte little-endian words, one message. */
  public void absorbLongs(String label, long[] values) {
    int length = values.length * 8;
    if (scratch.length < length) {
      scratch = new byte[Math.max(length, 2 * scratch.length)];
    }
    for (int i = 0; i < values.length; i++) {
      LONG_LE.set(scratch, 8 * i, values[i]);
    }
    absorb(label, scratch, length);
  }

  private static final java.lang.invoke.VarHandle LONG_LE =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] scratch = new byte[256];

  public void absorbExt(String label, GoldilocksExt2 value) {
    absorbLongs(label, new long[] {value.c0(), value.c1()});
  }

  public GoldilocksExt2 challengeExt(String label) {
    long[] words = squeezeResidues(label, 2);
    return new GoldilocksExt2(words[0], words[1]);
  }

  public GoldilocksExt2[] challengeExts(String label, int count) {
    long[] words = squeezeResidues(label, 2 * count);
    GoldilocksExt2[] out = new GoldilocksExt2[count];
    for (int i = 0; i < count; i++) {
      out[i] = new GoldilocksExt2(words[2 * i], words[2 * i + 1]);
    }
    return out;
  }

  /** {@code count} independent uniform indices in [0, bound). */
  public int[] challengeIndices(String label, int bound, int count) {
    if (bound <= 0) {
      throw new IllegalArgumentException("index bound must be positive, got " + bound);
    }
    byte[] seed = ratchet(label);
    // accept a 32-bit word only below the largest multiple of bound: uniform after the modulo
    long limit = (1L << 32) - ((1L << 32) % bound);
    int[] out = new int[count];
    int filled = 0;
    for (int block = 0; filled < count; block++) {
      byte[] bytes = expand(seed, block);
      for (int w = 0; w + 4 <= bytes.length && filled < count; w += 4) {
        long word =
            (bytes[w] & 0xFFL)
                | (bytes[w + 1] & 0xFFL) << 8
                | (bytes[w + 2] & 0xFFL) << 16
                | (bytes[w + 3] & 0xFFL) << 24;
        if (word < limit) {
          out[filled++] = (int) (word % bound);
        }
      }
    }
    return out;
  }

  private long[] squeezeResidues(String label, int count) {
    byte[] seed = ratchet(label);
    long[] out = new long[count];
    int filled = 0;
    for (int block = 0; filled < count; block++) {
      byte[] bytes = expand(seed, block);
      for (int w = 0; w + 8 <= bytes.length && filled < count; w += 8) {
        long word = 0;
        for (int b = 7; b >= 0; b--) {
          word = (word << 8) | (bytes[w + b] & 0xFFL);
        }
        if (Goldilocks.isCanonical(word)) {
          out[filled++] = word;
        }
      }
    }
    return out;
  }

  private byte[] ratchet(String label) {
    byte[] l = labelBytes(label);
    byte[] msg = new byte[state.length + 1 + 4 + l.length];
    System.arraycopy(state, 0, msg, 0, state.length);
    msg[state.length] = CHALLENGE;
    int at = putInt(msg, state.length + 1, l.length);
    System.arraycopy(l, 0, msg, at, l.length);
    state = sha.digest(msg);
    return state;
  }

  /** Output block i of a challenge: the ratcheted state itself for i = 0, then H(seed ‖ 3 ‖ i). */
  private byte[] expand(byte[] seed, int block) {
    if (block == 0) {
      return seed;
    }
    byte[] msg = new byte[seed.length + 5];
    System.arraycopy(seed, 0, msg, 0, seed.length);
    msg[seed.length] = EXPAND;
    putInt(msg, seed.length + 1, block);
    return sha.digest(msg);
  }

  private static int putInt(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
    return at + 4;
  }

  private static final java.util.concurrent.ConcurrentHashMap<String, byte[]> LABELS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static byte[] labelBytes(String label) {
    return LABELS.computeIfAbsent(label, k -> k.getBytes(StandardCharsets.UTF_8));
  }

  private void updateLabel(String label) {
    byte[] b = label.getBytes(StandardCharsets.UTF_8);
    updateInt(b.length);
    sha.update(b);
  }

  private void updateInt(int v) {
    intBytes[0] = (byte) v;
    intBytes[1] = (byte) (v >>> 8);
    intBytes[2] = (byte) (v >>> 16);
    intBytes[3] = (byte) (v >>> 24);
    sha.update(intBytes);
  }

  private final byte[] intBytes = new byte[4];
}
