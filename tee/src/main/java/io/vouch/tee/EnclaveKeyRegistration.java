package io.vouch.tee;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Signature;

/**
 * The arguments of {@code NodeRegistry.registerEnclaveKey(enclaveKey, measurement,
 * attestationDocHash, docTime, expiry, attestationDoc, keyProof)}, in that order; times in seconds
 * since the epoch. Built by {@link EnclaveSigner#registration}. Nothing here says which root the
 * document chains to: whether a development root is acceptable is the deployment's alone, and the
 * committee that approves the key checks the document under the deployment's anchors.
 *
 * @param keyProof the enclave key's proof of possession: its signature over {@code
 *     EnclaveKeyBinding(node, enclaveKey)} in the NodeRegistry's EIP-712 domain, valid only for the
 *     node that sends the registration
 */
public record EnclaveKeyRegistration(
    Address enclaveKey,
    byte[] measurement,
    Bytes32 attestationDocHash,
    long docTimeSeconds,
    long expirySeconds,
    byte[] attestationDocument,
    Signature keyProof) {

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
