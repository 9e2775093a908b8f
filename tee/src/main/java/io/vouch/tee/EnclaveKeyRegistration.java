package io.vouch.tee;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;

/**
 * The arguments of {@code NodeRegistry.registerEnclaveKey(enclaveKey, measurement,
 * attestationDocHash, docTime, expiry, developmentRoot, attestationDoc)}, in that order; times in
 * seconds since the epoch. Built by {@link TeeEvidence#registration}.
 */
public record EnclaveKeyRegistration(
    Address enclaveKey,
    byte[] measurement,
    Bytes32 attestationDocHash,
    long docTimeSeconds,
    long expirySeconds,
    boolean developmentRoot,
    byte[] attestationDocument) {

  public EnclaveKeyRegistration {
    measurement = measurement.clone();
    attestationDocument = attestationDocument.clone();
  }

  @Override
  public byte[] measurement() {
    return measurement.clone();
  }

  @Override
  public byte[] attestationDocument() {
    return attestationDocument.clone();
  }
}
