package io.vouch.hub.cid;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A content identifier: CIDv1, codec {@code raw} (0x55), multihash {@code sha2-256} (0x12, 32
 * bytes), written as multibase base32 lower case without padding (prefix {@code 'b'}), so every
 * string starts with {@code "bafkrei"}. This is the one shape the hub produces and accepts; it is
 * the shape {@code ipfs add --cid-version=1 --raw-leaves} gives a single-block file, so the same
 * bytes have the same id here and in IPFS tooling.
 *
 * <p>Immutable; equal when the digests are equal.
 */
public final class Cid implements Comparable<Cid> {
  public static final int VERSION = 1;
  public static final int CODEC_RAW = 0x55;
  public static final int MULTIHASH_SHA2_256 = 0x12;
  public static final int SHA2_256_LENGTH = 32;
  public static final char MULTIBASE_BASE32_LOWER = 'b';

  private final byte[] digest;
  private final String text;

  private Cid(byte[] digest) {
    this.digest = digest;
    this.text = MULTIBASE_BASE32_LOWER + Base32.encode(toBytes(digest));
  }

  /** The CID of these bytes (hashes them). */
  public static Cid ofBytes(byte[] content) {
    return new Cid(newSha256().digest(content));
  }

  /** Wraps a SHA-256 digest already computed, e.g. while streaming a large file. */
  public static Cid ofSha256(byte[] digest) {
    if (digest.length != SHA2_256_LENGTH) {
      throw new InvalidCidException(
          "a sha2-256 digest has 32 bytes, got " + digest.length + "; pass the raw digest bytes");
    }
    return new Cid(digest.clone());
  }

  /** A fresh SHA-256 hasher, for callers that hash streams and then call {@link #ofSha256}. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  /**
   * Parses the text form.
   *
   * @throws InvalidCidException naming what is wrong: the multibase, the version, the codec, the
   *     hash function or the digest length
   */
  public static Cid parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidCidException("empty CID; expected a string like 'bafkrei...'");
    }
    if (text.length() == 46 && text.startsWith("Qm")) {
      throw new InvalidCidException(
          "'"
              + text
              + "' is a CIDv0 (base58, dag-pb); this hub uses CIDv1 raw sha2-256, e.g."
              + " re-add the file with 'ipfs add --cid-version=1 --raw-leaves'");
    }
    char prefix = text.charAt(0);
    if (prefix != MULTIBASE_BASE32_LOWER) {
      throw new InvalidCidException(
          "unsupported multibase prefix '"
              + prefix
              + "' in '"
              + text
              + "'; only 'b' (base32 lower case, no padding) is accepted");
    }
    return fromBytes(Base32.decode(text.substring(1)));
  }

  /** Decodes the binary form (version, codec, multihash). */
  public static Cid fromBytes(byte[] bytes) {
    int at = 0;
    UnsignedVarint.Decoded version = UnsignedVarint.decode(bytes, at);
    at += version.length();
    if (version.value() != VERSION) {
      throw new InvalidCidException(
          "unsupported CID version " + version.value() + "; only CIDv1 is accepted");
    }
    UnsignedVarint.Decoded codec = UnsignedVarint.decode(bytes, at);
    at += codec.length();
    if (codec.value() != CODEC_RAW) {
      throw new InvalidCidException(
          "unsupported codec "
              + codecName(codec.value())
              + "; blobs are addressed with codec raw (0x55)");
    }
    UnsignedVarint.Decoded hash = UnsignedVarint.decode(bytes, at);
    at += hash.length();
    if (hash.value() != MULTIHASH_SHA2_256) {
      throw new InvalidCidException(
          "unsupported multihash function "
              + hashName(hash.value())
              + "; only sha2-256 (0x12) is accepted");
    }
    UnsignedVarint.Decoded length = UnsignedVarint.decode(bytes, at);
    at += length.length();
    if (length.value() != SHA2_256_LENGTH) {
      throw new InvalidCidException(
          "bad digest length " + length.value() + " in the multihash; sha2-256 digests have 32");
    }
    int remaining = bytes.length - at;
    if (remaining != SHA2_256_LENGTH) {
      throw new InvalidCidException(
          "bad length: the multihash announces 32 digest bytes but "
              + remaining
              + " follow; the CID is truncated or has trailing bytes");
    }
    return new Cid(Arrays.copyOfRange(bytes, at, bytes.length));
  }

  /** The 36-byte binary form: {@code 01 55 12 20 || digest}. */
  public byte[] toBytes() {
    return toBytes(digest);
  }

  /** The raw SHA-256 digest (a copy). */
  public byte[] sha256() {
    return digest.clone();
  }

  public String sha256Hex() {
    return HexFormat.of().formatHex(digest);
  }

  /** True when these bytes hash to this CID. */
  public boolean matches(byte[] content) {
    return MessageDigest.isEqual(digest, newSha256().digest(content));
  }

  /** True when a digest computed elsewhere (e.g. over a stream) is this CID's digest. */
  public boolean matchesSha256(byte[] otherDigest) {
    return MessageDigest.isEqual(digest, otherDigest);
  }

  private static byte[] toBytes(byte[] digest) {
    byte[] out = new byte[4 + digest.length];
    out[0] = VERSION;
    out[1] = CODEC_RAW;
    out[2] = MULTIHASH_SHA2_256;
    out[3] = SHA2_256_LENGTH;
    System.arraycopy(digest, 0, out, 4, digest.length);
    return out;
  }

  private static String codecName(long code) {
    String name =
        switch ((int) Math.min(code, Integer.MAX_VALUE)) {
          case 0x70 -> "dag-pb";
          case 0x71 -> "dag-cbor";
          case 0x0129 -> "dag-json";
          case 0x0200 -> "json";
          default -> null;
        };
    return hex(code) + (name == null ? "" : " (" + name + ")");
  }

  private static String hashName(long code) {
    String name =
        switch ((int) Math.min(code, Integer.MAX_VALUE)) {
          case 0x00 -> "identity";
          case 0x11 -> "sha1";
          case 0x13 -> "sha2-512";
          case 0x16 -> "sha3-256";
          case 0x1b -> "keccak-256";
          case 0x1e -> "blake3";
          case 0xb220 -> "blake2b-256";
          default -> null;
        };
    return hex(code) + (name == null ? "" : " (" + name + ")");
  }

  private static String hex(long code) {
    return "0x" + Long.toHexString(code);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cid cid && Arrays.equals(digest, cid.digest);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(digest);
  }

  @Override
  public int compareTo(Cid other) {
    return Arrays.compareUnsigned(digest, other.digest);
  }

  /** The canonical text form, {@code "bafkrei..."}. */
  @Override
  public String toString() {
    return text;
  }
}
