package io.vouch.tee.policy;

import io.vouch.core.Hex;
import io.vouch.tee.nitro.NitroAttestationDocument;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The identity of an enclave image: SHA-384(PCR0 ‖ PCR1 ‖ PCR2), 48 bytes. The registry stores it
 * per enclave key; revoking a measurement revokes every key under it.
 */
public final class MeasurementId {
  public static final int LENGTH = 48;

  private final byte[] value;

  private MeasurementId(byte[] value) {
    this.value = value;
  }

  public static MeasurementId of(byte[] pcr0, byte[] pcr1, byte[] pcr2) {
    ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
    concatenated.writeBytes(pcr0);
    concatenated.writeBytes(pcr1);
    concatenated.writeBytes(pcr2);
    return new MeasurementId(sha384(concatenated.toByteArray()));
  }

  /** The measurement of a document; every Nitro document has PCR0–2. */
  public static MeasurementId of(NitroAttestationDocument document) {
    return of(pcr(document, 0), pcr(document, 1), pcr(document, 2));
  }

  public static MeasurementId fromHex(String hex) {
    byte[] b = Hex.decode(hex.trim());
    if (b.length != LENGTH) {
      throw new IllegalArgumentException(
          "a measurement id is SHA-384 (48 bytes, 96 hex digits), got " + b.length + " bytes");
    }
    return new MeasurementId(b);
  }

  private static byte[] pcr(NitroAttestationDocument document, int index) {
    return document
        .pcr(index)
        .orElseThrow(() ->
            new IllegalArgumentException(
                "the document has no PCR" + index + ", so it has no measurement id"));
  }

  static byte[] sha384(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-384").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-384", e);
    }
  }

  public byte[] toArray() {
    return value.clone();
  }

  public String toHex() {
    return Hex.encode(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MeasurementId other && Arrays.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
