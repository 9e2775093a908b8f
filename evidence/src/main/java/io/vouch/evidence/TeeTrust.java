package io.vouch.evidence;

import io.vouch.tee.nitro.AwsNitroRoot;
import io.vouch.tee.nitro.TrustAnchors;
import io.vouch.tee.policy.MeasurementId;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Set;

/**
 * How the client checks TEE results beyond the receipt signature.
 *
 * <p>Always: the receipt recovers to an enclave key that the NodeRegistry lists as active for the
 * node named in the receipt (bound by it in its current registration, not revoked or expired,
 * measurement still allowed by governance).
 *
 * <p>By default ({@link #attested()}) also the attestation document the receipt's evidenceHash
 * names, fetched from the registry's {@code EnclaveKeyRegistered} event and verified with tee's
 * {@code TeeReceiptVerifier} (genuine at its own time under a trust anchor, binds the signing key,
 * measurement acceptable). The anchors come from configuration:
 *
 * <ul>
 *   <li>the AWS Nitro root ({@link #withAwsRoot}): a PEM that must hash to the pinned SHA-256
 *       ({@link AwsNitroRoot#SHA256_PIN}); it is not shipped with Vouch;
 *   <li>a development root ({@link #withDevelopmentRoot}, e.g. a devnet's {@code
 *       <devnet>/tee-dev-root.pem}): trusted <em>only</em> on a deployment whose NodeRegistry says
 *       {@code developmentAttestationAllowed}; on any other deployment it is ignored.
 * </ul>
 *
 * With no anchor usable for the deployment, a TEE result is refused with a message saying how to
 * configure one: the client never silently falls back to the chain's word. {@link #chainOnly()} is
 * the explicit opt-out (signature and on-chain key status only).
 *
 * @param checksAttestation false only for {@link #chainOnly()}
 * @param awsRoot the pinned AWS Nitro root, when configured
 * @param developmentRoot a development (simulator) root, used only where the deployment allows
 *     development attestation
 * @param measurements measurement ids the client itself accepts; empty = those the registry's
 *     allow-list accepts (already implied by the active-key check)
 */
public record TeeTrust(
    boolean checksAttestation,
    Optional<AwsNitroRoot> awsRoot,
    Optional<X509Certificate> developmentRoot,
    Set<MeasurementId> measurements) {

  /** Where to point a client at a root when none is configured (error messages name it). */
  public static final String HOW_TO_CONFIGURE =
      "configure the AWS Nitro root PEM (SHA-256 "
          + AwsNitroRoot.SHA256_PIN
          + ", from https://aws-nitro-enclaves.amazonaws.com/AWS_NitroEnclaves_Root-G1.zip):"
          + " TeeTrust.attested().withAwsRoot(path) in the SDK, --nitro-root FILE or"
          + " $VOUCH_NITRO_ROOT for the vouch CLI; on a devnet (development attestation allowed) the"
          + " development root <devnet>/tee-dev-root.pem: TeeTrust.attested().withDevelopmentRoot(path),"
          + " which the CLI reads from the devnet folder; or skip the document check explicitly with"
          + " TeeTrust.chainOnly() (--tee-trust chain-only)";

  public TeeTrust {
    measurements = Set.copyOf(measurements);
  }

  /**
   * The default: verify the attestation document under the configured anchors (none yet: add them
   * with {@link #withAwsRoot} / {@link #withDevelopmentRoot}).
   */
  public static TeeTrust attested() {
    return new TeeTrust(true, Optional.empty(), Optional.empty(), Set.of());
  }

  /**
   * Verify the attestation document under {@code anchors}: their AWS root, and their development
   * root if they allow it (still only on a deployment that allows development attestation).
   */
  public static TeeTrust attested(TrustAnchors anchors) {
    return new TeeTrust(
        true,
        anchors.awsRoot(),
        anchors.allowsDevelopmentRoot() ? anchors.developmentRoot() : Optional.empty(),
        Set.of());
  }

  /**
   * The explicit opt-out: the receipt signature and the on-chain key status only; nobody checks
   * that the key is really an enclave's.
   */
  public static TeeTrust chainOnly() {
    return new TeeTrust(false, Optional.empty(), Optional.empty(), Set.of());
  }

  /** Trusts the AWS Nitro root (checked against its pin). */
  public TeeTrust withAwsRoot(AwsNitroRoot root) {
    return new TeeTrust(true, Optional.of(root), developmentRoot, measurements);
  }

  /**
   * Trusts the AWS Nitro root read from a PEM (or DER) file.
   *
   * @throws io.vouch.tee.nitro.TrustAnchorException when the file is not the pinned root
   */
  public TeeTrust withAwsRoot(Path pem) {
    return withAwsRoot(AwsNitroRoot.load(pem));
  }

  /**
   * Trusts a development root, on deployments that allow development attestation only.
   * <b>Development only</b>: whoever holds its keys can mint attestations.
   */
  public TeeTrust withDevelopmentRoot(X509Certificate root) {
    return new TeeTrust(true, awsRoot, Optional.of(root), measurements);
  }

  /**
   * Like {@link #withDevelopmentRoot(X509Certificate)}, the root being the first certificate of a
   * PEM file (a devnet's {@code tee-dev-root.pem}).
   */
  public TeeTrust withDevelopmentRoot(Path pem) {
    return withDevelopmentRoot(
        TrustAnchors.builder().developmentRoot(pem).build().developmentRoot().orElseThrow());
  }

  /** Accept only these measurements in the attestation check (on top of the registry's list). */
  public TeeTrust onlyMeasurements(Set<MeasurementId> ids) {
    return new TeeTrust(checksAttestation, awsRoot, developmentRoot, ids);
  }

  public boolean verifyAttestation() {
    return checksAttestation;
  }

  /**
   * The anchors usable on a deployment: the AWS root if configured, the development root if
   * configured and the deployment allows development attestation; empty when neither.
   */
  public Optional<TrustAnchors> anchorsFor(boolean developmentAttestationAllowed) {
    boolean dev = developmentAttestationAllowed && developmentRoot.isPresent();
    if (awsRoot.isEmpty() && !dev) {
      return Optional.empty();
    }
    TrustAnchors.Builder b = TrustAnchors.builder();
    awsRoot.ifPresent(b::awsRoot);
    if (dev) {
      b.developmentRoot(developmentRoot.get()).allowDevelopmentRoot(true);
    }
    return Optional.of(b.build());
  }

  /** What this trust checks, for logs and {@code toString} of configurations. */
  public String describe() {
    if (!checksAttestation) {
      return "chainOnly";
    }
    return "attested(awsRoot="
        + (awsRoot.isPresent() ? "pinned" : "none")
        + ", developmentRoot="
        + (developmentRoot.isPresent() ? "configured (devnets only)" : "none")
        + ")";
  }
}
