package io.vouch.evidence;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import java.time.Duration;
import java.util.Optional;

/** What the NodeRegistry says about enclave keys (the TEE level). */
public interface EnclaveKeyDirectory {
  /**
   * Bound by {@code node} in its current registration, not revoked, not expired, and its
   * measurement still on the governance allow-list ({@code NodeRegistry.isActiveEnclaveKey}).
   */
  boolean isActiveEnclaveKey(Address node, Address enclaveKey);

  /**
   * The attestation document {@code node} registered for {@code enclaveKey} whose keccak256 is
   * {@code documentHash}, from the registry's {@code EnclaveKeyRegistered} events; empty if none.
   */
  Optional<byte[]> attestationDocument(Address node, Address enclaveKey, Bytes32 documentHash);

  /** How long after its document an enclave key may sign (the registry's maxAttestationTtl). */
  Duration maxKeyAge();

  /**
   * Whether this deployment accepts development-root (simulator) attestations (the registry's
   * immutable {@code developmentAttestationAllowed}): a client trusts a development root only then.
   */
  boolean developmentAttestationAllowed();
}
