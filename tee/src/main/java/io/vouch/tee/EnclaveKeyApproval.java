package io.vouch.tee;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.Hex;
import io.vouch.core.crypto.InvalidSignatureException;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.EnclaveKeyBinding;
import io.vouch.tee.nitro.AttestationVerdict;
import io.vouch.tee.nitro.MalformedAttestationException;
import io.vouch.tee.nitro.NitroAttestationDocument;
import io.vouch.tee.nitro.NitroAttestationVerifier;
import io.vouch.tee.nitro.RejectionReason;
import io.vouch.tee.nitro.TrustAnchors;
import io.vouch.tee.policy.AttestationPolicy;
import io.vouch.tee.policy.EnclaveManifest;
import io.vouch.tee.policy.MeasurementId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a member of a KeyApproval committee checks of an enclave key registration before it votes
 * (VERIFICATION.md, TEE row; TEE.md, step 6), in this order:
 *
 * <ol>
 *   <li>the document hashes to the registered {@code attestationDocHash};
 *   <li>the key's proof of possession: its signature over {@code EnclaveKeyBinding(node, key)} in
 *       the registry's EIP-712 domain recovers to the key (the registry checked it too: a second
 *       look costs nothing);
 *   <li>the document is genuine at its own time under the anchors this verifier was built with —
 *       the deployment's: the AWS Nitro root, and the development root only where the deployment
 *       allows development attestation (a document of the dev root on a production deployment fails
 *       here) — and is no debug enclave;
 *   <li>its measurement is the one registered ({@code keccak256} of the 48 bytes) and is on the
 *       registry's allow-list;
 *   <li>its {@code public_key} binds the registered key;
 *   <li>the registered document time is the document's own (a later one would stretch the key's
 *       life past its attestation);
 *   <li>freshness, judged against the block time of the registration (never the member's clock):
 *       the document is at most the deployment's maximum age old ({@code
 *       NodeRegistry.MAX_ATTESTATION_AGE}) and not dated after the registration by more than the
 *       registry's clock skew;
 *   <li>its {@code nonce} is the hash of a block of this chain at or before the registration's, at
 *       most the maximum age older than it, and the document is not older than that block: the
 *       enclave made the document after the block existed, for this chain;
 *   <li>its {@code user_data} is SHA-256 of the manifest the registering node serves ({@link
 *       EnclaveManifest}), and that manifest binds this registration: this chain id, this registry,
 *       the registering node as operator, the document's PCR2 as the node software, and models that
 *       the ModelRegistry publishes with an enclave level. A document replayed by another node, on
 *       another chain or registry, fails here even with a valid proof of possession.
 * </ol>
 */
public final class EnclaveKeyApproval {
  /**
   * A registration as the NodeRegistry's {@code EnclaveKeyRegistered} event records it, with the
   * time of the block that holds it ({@code registeredAtSeconds}, seconds since the epoch).
   */
  public record Registration(
      Address node,
      Address enclaveKey,
      Bytes32 measurementId,
      Bytes32 attestationDocHash,
      long docTimeSeconds,
      byte[] attestationDocument,
      byte[] keyProof,
      long registeredAtSeconds) {
    public Registration {
      attestationDocument = attestationDocument.clone();
      keyProof = keyProof.clone();
    }

    @Override
    public byte[] attestationDocument() {
      return attestationDocument.clone();
    }

    @Override
    public byte[] keyProof() {
      return keyProof.clone();
    }
  }

  /** What the member concluded. */
  public sealed interface Outcome {
    boolean approved();

    /** Every check passed: vote VALID. */
    record Approve(MeasurementId measurement, TrustAnchors.Kind anchor) implements Outcome {
      @Override
      public boolean approved() {
        return true;
      }
    }

    /** A check failed: vote INVALID; {@code reason} says which and why. */
    record Refuse(String reason) implements Outcome {
      @Override
      public boolean approved() {
        return false;
      }
    }

    /**
     * This verifier cannot tell: the document chains to a root it was not given, and it was not
     * given the AWS root either (so the document might be a genuine Nitro one). No vote.
     */
    record Unjudged(String reason) implements Outcome {
      @Override
      public boolean approved() {
        return false;
      }
    }
  }

  /**
   * What the member reads of the deployment besides the registration: the chain, the registries and
   * the registering node.
   */
  public interface Deployment {
    /** Whether the registry's allow-list holds a measurement now. */
    boolean measurementAllowed(MeasurementId measurement);

    /**
     * The time (seconds since the epoch) of the block of this chain whose hash is {@code hash},
     * when there is one at or before {@code atOrBeforeBlock}; empty when this chain has no such
     * block (another chain's hash, a later block, or no block hash at all).
     */
    OptionalLong blockTime(Bytes32 hash, long atOrBeforeBlock);

    /** Whether the ModelRegistry publishes {@code modelId} with a level that runs in an enclave. */
    boolean servesInEnclave(Bytes32 modelId);

    /**
     * The manifest the registering node serves for {@code userData} (the SHA-256 it attested);
     * empty when the node answered without it.
     *
     * @throws ManifestUnavailable when the node could not be asked (ask again later)
     */
    Optional<byte[]> manifest(Address node, byte[] userData);
  }

  /** Thrown by {@link Deployment#manifest}: the node could not be reached; nothing is decided. */
  public static final class ManifestUnavailable extends RuntimeException {
    public ManifestUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** How far after its registration's block a document may be dated (NodeRegistry's skew). */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(300);

  private final NitroAttestationVerifier attestations;
  private final Eip712Domain registryDomain;
  private final Duration maxAge;

  /**
   * @param attestations verifies documents against the deployment's anchors (build it with the
   *     development root only when the deployment allows development attestation)
   * @param registryDomain the NodeRegistry's EIP-712 domain (proofs of possession; its chain id and
   *     address are what the manifest must name)
   * @param maxAge the deployment's maximum age of a document at registration ({@code
   *     NodeRegistry.MAX_ATTESTATION_AGE})
   */
  public EnclaveKeyApproval(
      NitroAttestationVerifier attestations, Eip712Domain registryDomain, Duration maxAge) {
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("the maximum document age must be positive: " + maxAge);
    }
    this.attestations = attestations;
    this.registryDomain = registryDomain;
    this.maxAge = maxAge;
  }

  /**
   * @param r the registration
   * @param blockNumber the number of the block that holds the registration (the nonce's block must
   *     be this one or earlier)
   * @param deployment what the member reads of the chain, the registries and the node
   * @throws ManifestUnavailable when the node could not be asked for its manifest
   */
  public Outcome judge(Registration r, long blockNumber, Deployment deployment) {
    byte[] doc = r.attestationDocument();
    Bytes32 actual = Keccak.hash(doc);
    if (!actual.equals(r.attestationDocHash())) {
      return refuse(
          "the document hashes to " + actual + ", not the registered " + r.attestationDocHash());
    }
    Address possessor;
    try {
      possessor =
          Secp256k1.recover(
              new EnclaveKeyBinding(r.node(), r.enclaveKey()).digest(registryDomain),
              Signature.of(r.keyProof()));
    } catch (IllegalArgumentException | InvalidSignatureException e) {
      return refuse("the key's proof of possession is malformed: " + e.getMessage());
    }
    if (!possessor.equals(r.enclaveKey())) {
      return refuse(
          "the proof of possession recovers to "
              + possessor
              + ", not to the registered key "
              + r.enclaveKey());
    }
    TeeEvidence evidence;
    try {
      evidence = TeeEvidence.of(doc);
    } catch (MalformedAttestationException e) {
      return refuse("the attestation document does not parse: " + e.getMessage());
    }
    NitroAttestationDocument document = evidence.document();
    AttestationVerdict genuine = attestations.verifyAtDocumentTime(document);
    if (genuine instanceof AttestationVerdict.Rejected rejected) {
      if (rejected.reason() == RejectionReason.UNTRUSTED_ROOT
          && attestations.anchors().awsRoot().isEmpty()) {
        return new Outcome.Unjudged(
            "the document chains to a root this validator does not hold, and it holds no AWS"
                + " Nitro root to tell a genuine enclave: "
                + rejected.message());
      }
      return refuse(
          "the attestation document is not genuine under this deployment's anchors: " + genuine);
    }
    MeasurementId measurement = evidence.measurement();
    AttestationVerdict acceptable =
        AttestationPolicy.builder().allow(measurement).build().apply(genuine, document.timestamp());
    if (!(acceptable instanceof AttestationVerdict.Accepted accepted)) {
      return refuse("the attestation document is refused by policy: " + acceptable);
    }
    Bytes32 measured = Keccak.hash(measurement.toArray());
    if (!measured.equals(r.measurementId())) {
      return refuse(
          "the document attests measurement "
              + measurement
              + ", not the registered one (keccak256 "
              + r.measurementId()
              + ")");
    }
    if (!deployment.measurementAllowed(measurement)) {
      return refuse("measurement " + measurement + " is not on the registry's allow-list");
    }
    Address bound;
    try {
      bound = evidence.enclaveKey();
    } catch (IllegalStateException | IllegalArgumentException e) {
      return refuse("the document binds no secp256k1 key: " + e.getMessage());
    }
    if (!bound.equals(r.enclaveKey())) {
      return refuse(
          "the document binds key " + bound + ", not the registered key " + r.enclaveKey());
    }
    long docTime = document.timestamp().getEpochSecond();
    if (docTime != r.docTimeSeconds()) {
      return refuse(
          "the registration says the document is of "
              + r.docTimeSeconds()
              + " s, the document says "
              + docTime
              + " s");
    }
    Optional<String> stale = staleness(document, r, blockNumber, deployment);
    if (stale.isPresent()) {
      return refuse(stale.get());
    }
    Optional<String> unbound = manifestMismatch(document, r, deployment);
    if (unbound.isPresent()) {
      return refuse(unbound.get());
    }
    return new Outcome.Approve(measurement, accepted.anchor());
  }

  /** Steps 7 and 8: the document's age and its nonce, against the registration's block. */
  private Optional<String> staleness(
      NitroAttestationDocument document, Registration r, long blockNumber, Deployment deployment) {
    long docTime = document.timestamp().getEpochSecond();
    long registeredAt = r.registeredAtSeconds();
    if (docTime > registeredAt + CLOCK_SKEW.toSeconds()) {
      return Optional.of(
          "the document is dated "
              + docTime
              + " s, more than "
              + CLOCK_SKEW.toSeconds()
              + " s after its registration's block ("
              + registeredAt
              + " s)");
    }
    if (registeredAt - docTime > maxAge.toSeconds()) {
      return Optional.of(
          "the document is stale: dated "
              + docTime
              + " s, "
              + (registeredAt - docTime)
              + " s before its registration's block ("
              + registeredAt
              + " s); this deployment allows at most "
              + maxAge.toSeconds()
              + " s");
    }
    Optional<byte[]> nonce = document.nonce();
    if (nonce.isEmpty() || nonce.get().length != 32) {
      return Optional.of(
          "the document's nonce is "
              + nonce.map(n -> n.length + " bytes").orElse("absent")
              + "; it must be the 32-byte hash of a recent block of this chain");
    }
    Bytes32 challenge = Bytes32.wrap(nonce.get());
    OptionalLong challengeTime = deployment.blockTime(challenge, blockNumber);
    if (challengeTime.isEmpty()) {
      return Optional.of(
          "the document's nonce "
              + challenge
              + " is not the hash of a block of this chain at or before the registration's block "
              + blockNumber
              + " (a document made for another chain or a replayed one)");
    }
    long blockTime = challengeTime.getAsLong();
    if (registeredAt - blockTime > maxAge.toSeconds()) {
      return Optional.of(
          "the document's nonce is the hash of a block of "
              + blockTime
              + " s, "
              + (registeredAt - blockTime)
              + " s before the registration; this deployment allows at most "
              + maxAge.toSeconds()
              + " s");
    }
    if (docTime + CLOCK_SKEW.toSeconds() < blockTime) {
      return Optional.of(
          "the document is dated "
              + docTime
              + " s, before the block its nonce names ("
              + blockTime
              + " s): its time or its nonce is not its own");
    }
    return Optional.empty();
  }

  /** Step 9: {@code user_data} is the served manifest, and the manifest is this registration's. */
  private Optional<String> manifestMismatch(
      NitroAttestationDocument document, Registration r, Deployment deployment) {
    Optional<byte[]> userData = document.userData();
    if (userData.isEmpty() || userData.get().length != 32) {
      return Optional.of(
          "the document's user_data is "
              + userData.map(u -> u.length + " bytes").orElse("absent")
              + "; it must be SHA-256 of the enclave manifest");
    }
    Optional<byte[]> served = deployment.manifest(r.node(), userData.get());
    if (served.isEmpty()) {
      return Optional.of(
          "node "
              + r.node()
              + " does not serve the manifest its enclave attested (user_data "
              + Hex.encode(userData.get())
              + ")");
    }
    byte[] bytes = served.get();
    if (!MessageDigest.isEqual(sha256(bytes), userData.get())) {
      return Optional.of(
          "the manifest node "
              + r.node()
              + " serves does not hash to the document's user_data "
              + Hex.encode(userData.get()));
    }
    EnclaveManifest manifest;
    try {
      manifest = EnclaveManifest.decode(bytes);
    } catch (IllegalArgumentException e) {
      return Optional.of("the attested manifest does not parse: " + e.getMessage());
    }
    if (manifest.chainId() != registryDomain.chainId()) {
      return Optional.of(
          "the manifest names chain "
              + manifest.chainId()
              + ", not this chain "
              + registryDomain.chainId()
              + ": a document made for another chain");
    }
    if (!manifest.registry().equals(registryDomain.verifyingContract())) {
      return Optional.of(
          "the manifest names registry "
              + manifest.registry()
              + ", not this NodeRegistry "
              + registryDomain.verifyingContract());
    }
    if (!manifest.operator().equals(r.node())) {
      return Optional.of(
          "the manifest names operator "
              + manifest.operator()
              + ", not the registering node "
              + r.node()
              + ": another registration's document");
    }
    Optional<byte[]> pcr2 = document.pcr(2);
    if (pcr2.isEmpty() || !MessageDigest.isEqual(pcr2.get(), manifest.nodeSoftwareMeasurement())) {
      return Optional.of(
          "the manifest's node software "
              + Hex.encode(manifest.nodeSoftwareMeasurement())
              + " is not the document's PCR2 (the application the enclave runs)");
    }
    for (Bytes32 model : manifest.modelIds()) {
      if (!deployment.servesInEnclave(model)) {
        return Optional.of(
            "the manifest names model "
                + model
                + ", which the ModelRegistry does not publish with an enclave level");
      }
    }
    return Optional.empty();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static Outcome refuse(String reason) {
    return new Outcome.Refuse(reason);
  }
}
