package io.vouch.sdk.verify;

import io.vouch.tee.nitro.TrustAnchors;
import io.vouch.tee.policy.MeasurementId;
import java.util.Optional;
import java.util.Set;

/**
 * How far the client checks TEE results beyond the receipt signature.
 *
 * <p>Always: the receipt recovers to an enclave key that the NodeRegistry lists as active for the
 * node named in the receipt (registered by it, not revoked or expired, measurement still allowed by
 * governance). With {@link #attested}: also the attestation document the receipt's evidenceHash
 * names, fetched from the registry's {@code EnclaveKeyRegistered} event and verified with tee's
 * {@code TeeReceiptVerifier} under {@code anchors} (genuine at its own time, binds the signing key,
 * measurement acceptable). A development root is trusted only if {@code anchors} was built with
 * {@code allowDevelopmentRoot(true)}: that is the explicit development flag.
 *
 * @param anchors roots for the attestation check; empty = do not fetch and check documents
 * @param measurements measurement ids the client itself accepts; empty = those the registry's
 *     allow-list accepts (already implied by the active-key check)
 */
public record TeeTrust(Optional<TrustAnchors> anchors, Set<MeasurementId> measurements) {
  public TeeTrust {
    measurements = Set.copyOf(measurements);
  }

  /** Signature and on-chain key status only (the default). */
  public static TeeTrust chainOnly() {
    return new TeeTrust(Optional.empty(), Set.of());
  }

  /** Also fetch and verify the attestation document under {@code anchors}. */
  public static TeeTrust attested(TrustAnchors anchors) {
    return new TeeTrust(Optional.of(anchors), Set.of());
  }

  /** Accept only these measurements in the attestation check (on top of the registry's list). */
  public TeeTrust onlyMeasurements(Set<MeasurementId> ids) {
    return new TeeTrust(anchors, ids);
  }

  public boolean verifyAttestation() {
    return anchors.isPresent();
  }
}
