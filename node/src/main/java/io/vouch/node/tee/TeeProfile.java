package io.vouch.node.tee;

import io.vouch.tee.dev.DevRootAuthority;
import io.vouch.tee.policy.MeasurementId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * <b>DEVELOPMENT ONLY.</b> How a node runs the TEE level without enclave hardware: a simulated
 * Nitro enclave ({@link io.vouch.tee.dev.DevEnclave}) issued under the devnet's shared {@code
 * DEV-ONLY} root. The enclave key, its attestation and every TEE receipt follow the real code path;
 * the isolation does not exist (the key lives in the node's memory).
 *
 * <p><b>What "node software" means here.</b> A real Nitro image is measured by its EIF build
 * (PCR0–2 from the image). The simulator measures two fixed byte strings instead, {@link
 * #DEV_NODE_SOFTWARE} (PCR2) and {@link #DEV_ENCLAVE_CONFIG} (PCR1), so that every development node
 * of any build has the same, known measurement ({@link #devMeasurement()}) that a devnet's
 * governance can put on the allow-list before any node starts, and that a test can revoke. Hashing
 * the node jar would make the measurement change with every rebuild and would not exist when the
 * node runs from class folders (tests, IDE).
 *
 * @param devRoot the devnet's shared development root (the supervisor writes it, {@link
 *     DevRootAuthority#writeTo}; nodes read it, {@link DevRootAuthority#readFrom})
 * @param keyTtl how long the enclave key stays active after its attestation (capped at the
 *     registry's {@code maxAttestationTtl})
 */
public record TeeProfile(DevRootAuthority devRoot, Duration keyTtl) {
  /** Stands for the node software measured into PCR2 by the development enclave. */
  public static final String DEV_NODE_SOFTWARE_ID = "vouch-node/dev-enclave/software/1";

  /** Stands for the enclave configuration measured into PCR1. */
  public static final String DEV_ENCLAVE_CONFIG_ID = "vouch-node/dev-enclave/config/1";

  public static final Duration DEFAULT_KEY_TTL = Duration.ofHours(12);

  public TeeProfile {
    if (devRoot == null) {
      throw new IllegalArgumentException("the TEE profile needs the devnet's development root");
    }
    if (keyTtl.isNegative() || keyTtl.isZero()) {
      throw new IllegalArgumentException("the enclave key TTL must be positive, got " + keyTtl);
    }
  }

  /** The development profile with the default key TTL. */
  public static TeeProfile development(DevRootAuthority devRoot) {
    return new TeeProfile(devRoot, DEFAULT_KEY_TTL);
  }

  static byte[] nodeSoftware() {
    return DEV_NODE_SOFTWARE_ID.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] enclaveConfig() {
    return DEV_ENCLAVE_CONFIG_ID.getBytes(StandardCharsets.US_ASCII);
  }

  /** SHA-384 of the node software: PCR2 and the manifest's node software measurement. */
  public static byte[] nodeSoftwareMeasurement() {
    return sha384(nodeSoftware());
  }

  /**
   * The measurement id every development node enclave reports, SHA-384(PCR0‖PCR1‖PCR2), as {@code
   * NodeRegistry.allowMeasurement} takes it (48 bytes).
   */
  public static byte[] devMeasurement() {
    byte[] pcr2 = sha384(nodeSoftware());
    byte[] pcr1 = sha384(enclaveConfig());
    byte[] image = new byte[pcr2.length + pcr1.length];
    System.arraycopy(pcr2, 0, image, 0, pcr2.length);
    System.arraycopy(pcr1, 0, image, pcr2.length, pcr1.length);
    return MeasurementId.of(sha384(image), pcr1, pcr2).toArray();
  }

  private static byte[] sha384(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-384").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-384", e);
    }
  }
}
