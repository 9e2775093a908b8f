package io.vouch.tee.policy;

import java.util.Arrays;
import java.util.Optional;

/**
 * One allow-list entry: an enclave image (PCR0–2, by their measurement id) and, optionally, the
 * PCR8 it must also report (PCR8 is the hash of the certificate that signed the enclave image
 * file). When PCR8 is pinned, a document whose PCR8 is absent or different does not match.
 */
public final class AllowedMeasurement {
  private final MeasurementId id;
  private final byte[] pcr8;

  private AllowedMeasurement(MeasurementId id, byte[] pcr8) {
    this.id = id;
    this.pcr8 = pcr8;
  }

  public static AllowedMeasurement of(MeasurementId id) {
    return new AllowedMeasurement(id, null);
  }

  public static AllowedMeasurement of(byte[] pcr0, byte[] pcr1, byte[] pcr2) {
    return of(MeasurementId.of(pcr0, pcr1, pcr2));
  }

  /** The same image, additionally pinned to an image-signing certificate (PCR8). */
  public AllowedMeasurement withPcr8(byte[] pcr8) {
    return new AllowedMeasurement(id, pcr8.clone());
  }

  public MeasurementId id() {
    return id;
  }

  public Optional<byte[]> pcr8() {
    return Optional.ofNullable(pcr8).map(byte[]::clone);
  }

  boolean matches(MeasurementId documentId, Optional<byte[]> documentPcr8) {
    return id.equals(documentId)
        && (pcr8 == null || documentPcr8.map(p -> Arrays.equals(p, pcr8)).orElse(false));
  }

  @Override
  public String toString() {
    return "AllowedMeasurement[" + id + (pcr8 == null ? "" : ", PCR8 pinned") + "]";
  }
}
