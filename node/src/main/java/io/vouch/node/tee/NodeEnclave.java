package io.vouch.node.tee;

import io.vouch.chain.ChainException;
import io.vouch.chain.ChainHead;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.registry.NodeRegistryClient;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Bytes32;
import io.vouch.core.Hex;
import io.vouch.tee.EnclaveKeyRegistration;
import io.vouch.tee.EnclaveSigner;
import io.vouch.tee.TeeEvidence;
import io.vouch.tee.dev.DevEnclave;
import io.vouch.tee.nitro.AttestationVerdict;
import io.vouch.tee.nitro.NitroAttestationVerifier;
import io.vouch.tee.nitro.TrustAnchors;
import io.vouch.tee.policy.AttestationPolicy;
import io.vouch.tee.policy.EnclaveManifest;
import io.vouch.tee.policy.MeasurementId;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's enclave (development simulator): boots a {@link DevEnclave} under the devnet's root,
 * makes a secp256k1 enclave key, attests it (public key, manifest hash in {@code user_data}, nonce
 * = the latest block hash), checks its own document with the tee verifier under the development
 * root, and registers the key in the NodeRegistry with the key's proof of possession (its signature
 * over {@code EnclaveKeyBinding(node, key)} in the registry's EIP-712 domain), paying the court's
 * key approval fee. The key is pending until a committee of validators approves it (its KeyApproval
 * case); receipts are then signed through {@link #signer()}.
 */
public final class NodeEnclave {
  private static final Logger LOG = LoggerFactory.getLogger(NodeEnclave.class);

  private final TeeProfile profile;
  private final Clock clock;
  private final EnclaveSigner signer;
  private final NitroAttestationVerifier verifier;

  private NodeEnclave(TeeProfile profile, Clock clock) {
    this.profile = profile;
    this.clock = clock;
    DevEnclave enclave =
        profile
            .devRoot()
            .startEnclave(TeeProfile.nodeSoftware(), TeeProfile.enclaveConfig(), clock.instant());
    this.signer = EnclaveSigner.generate(enclave::attest, new SecureRandom());
    this.verifier =
        new NitroAttestationVerifier(
            TrustAnchors.builder()
                .developmentRoot(profile.devRoot().rootCertificate())
                .allowDevelopmentRoot(true)
                .build());
  }

  /** Boots the simulated enclave and makes its key; nothing is attested or registered yet. */
  public static NodeEnclave start(TeeProfile profile, Clock clock) {
    return new NodeEnclave(profile, clock);
  }

  /** Signs TEE receipts; its evidence is the last registered attestation. */
  public EnclaveSigner signer() {
    return signer;
  }

  /** A registration sent: the key awaits its KeyApproval case's committee. */
  public record Registered(
      io.vouch.core.Address enclaveKey,
      java.math.BigInteger approvalCase,
      EnclaveKeyRegistration registration) {}

  /**
   * Attests the enclave key for {@code modelIds}, verifies the document as any verifier would, and
   * registers (or renews) the key on chain. Called at startup and whenever the served models change
   * (the manifest names them).
   *
   * @throws ChainException when the registry refuses the key (e.g. its measurement is not on the
   *     governance allow-list)
   */
  public synchronized Registered attestAndRegister(
      TransactionSender sender, VouchDeployment deployment, Collection<Bytes32> modelIds) {
    return attestAndRegister(sender, deployment, modelIds, m -> {});
  }

  /**
   * Like {@link #attestAndRegister(TransactionSender, VouchDeployment, Collection)}; {@code serve}
   * receives the attested manifest before the registration is sent, to serve it to the committee
   * ({@code GET /v1/enclave/manifests/{sha256}}: validators refuse a key whose manifest they cannot
   * read).
   */
  public synchronized Registered attestAndRegister(
      TransactionSender sender,
      VouchDeployment deployment,
      Collection<Bytes32> modelIds,
      java.util.function.Consumer<EnclaveManifest> serve) {
    NodeRegistryClient registry = new NodeRegistryClient(sender, deployment);
    byte[] nonce;
    long ttlCap;
    try {
      nonce = ChainHead.hash(sender.web3j()).toArray();
      ttlCap = registry.maxAttestationTtlSeconds();
    } catch (RuntimeException e) {
      throw new ChainException("cannot read the chain to attest the enclave key: " + e, e);
    }
    EnclaveManifest manifest =
        new EnclaveManifest(
            TeeProfile.nodeSoftwareMeasurement(),
            List.copyOf(modelIds),
            deployment.chainId(),
            deployment.nodeRegistry(),
            sender.address());
    TeeEvidence evidence = signer.attest(manifest, nonce, clock.instant());
    AttestationVerdict verdict =
        AttestationPolicy.builder()
            .allow(MeasurementId.of(evidence.document()))
            .expectedPublicKey(signer.publicKey())
            .expectedManifest(manifest)
            .expectedNonce(nonce)
            .build()
            .apply(
                verifier.verify(evidence.attestationDocument(), clock.instant()), clock.instant());
    if (!(verdict instanceof AttestationVerdict.Accepted accepted)) {
      throw new IllegalStateException(
          "the enclave's own attestation does not verify under the development root: " + verdict);
    }
    serve.accept(manifest);
    Duration ttl = profile.keyTtl();
    if (ttl.toSeconds() > ttlCap) {
      ttl = Duration.ofSeconds(ttlCap);
    }
    // The enclave key proves possession for this node, on this chain's registry only.
    EnclaveKeyRegistration reg =
        signer.registration(deployment.nodeRegistryDomain(), sender.address(), ttl);
    NodeRegistryClient.KeyRegistration sent;
    try {
      sent =
          registry.registerEnclaveKey(
              new NodeRegistryClient.EnclaveKey(
                  reg.enclaveKey(),
                  reg.measurement(),
                  reg.attestationDocHash(),
                  reg.docTimeSeconds(),
                  reg.expirySeconds(),
                  reg.attestationDocument(),
                  reg.keyProof()));
    } catch (ChainException e) {
      throw new ChainException(
          "the NodeRegistry refused enclave key "
              + reg.enclaveKey()
              + " (measurement "
              + Hex.encode(reg.measurement())
              + "): "
              + e.getMessage()
              + ". A devnet's governance must allowMeasurement the development measurement"
              + " (TeeProfile.devMeasurement()) and deploy with development attestation on",
          e);
    } catch (RuntimeException e) {
      throw new ChainException("registering enclave key " + reg.enclaveKey() + ": " + e, e);
    }
    LOG.info(
        "enclave key {} registered ({} root, measurement {}, document {}, expires {}), pending"
            + " its committee's approval",
        reg.enclaveKey(),
        accepted.anchor(),
        Hex.encode(reg.measurement()),
        reg.attestationDocHash(),
        reg.expirySeconds());
    return new Registered(reg.enclaveKey(), sent.approvalCase(), reg);
  }
}
