package io.vouch.node.validator;

import io.vouch.chain.court.CourtCase;
import io.vouch.chain.court.CourtClient;
import io.vouch.chain.events.HubEvent;
import io.vouch.chain.events.HubEventWatcher;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.protocol.NodeProtocol;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.TensorFormatException;
import io.vouch.evidence.EvidenceVerifiers;
import io.vouch.evidence.SubmittedResult;
import io.vouch.evidence.TeeTrust;
import io.vouch.evidence.ToleranceRule;
import io.vouch.evidence.VanillaVerifier;
import io.vouch.evidence.Verdict;
import io.vouch.evidence.ZkmlVerifier;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.ModelCatalog;
import io.vouch.tee.EnclaveKeyApproval;
import io.vouch.tee.nitro.NitroAttestationVerifier;
import io.vouch.tee.nitro.TrustAnchors;
import io.vouch.tee.policy.MeasurementId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.web3j.protocol.Web3j;

/**
 * Decides one case the way VERIFICATION.md prescribes, through the evidence verifiers: the
 * submission of the case's own attempt is read from the hub's events; a ZKML case's proof is
 * fetched from the executing node by its hash ({@code GET /v1/proofs/{evidenceHash}} at its
 * registered endpoint) and checked by the level's {@link io.vouch.evidence.EvidenceVerifier}
 * ({@link ZkmlVerifier}); an audit or challenge of a VANILLA result re-executes the model from the
 * node's catalog (provisioned from the model hub, hash-checked) and compares under the model's
 * {@link ToleranceRule} from the ModelRegistry.
 *
 * <p>A KeyApproval case (an enclave key registration) is judged by tee's {@link
 * EnclaveKeyApproval}: the document and proof of possession from the registry's {@code
 * EnclaveKeyRegistered} event, verified under the deployment's anchors — the configured AWS Nitro
 * root, and the configured development root only when the NodeRegistry says {@code
 * developmentAttestationAllowed} — fresh at the registration's block time ({@code
 * MAX_ATTESTATION_AGE}), its nonce a recent block of this chain, and its {@code user_data} the
 * manifest the node serves at {@code GET /v1/enclave/manifests/{sha256}}, naming this chain,
 * registry and node. Without an anchor that can tell, no vote; a node that does not answer for its
 * manifest is asked again, and voted INVALID past the role's patience as for a ZKML proof.
 *
 * <p>A node that answers the proof request with an HTTP error has not served its proof: INVALID. A
 * node that cannot be reached is asked again ({@link Judgment.Retry}); the role votes INVALID when
 * it stays unreachable past its patience.
 */
public final class CaseJudge {
  /** What the judge concluded. */
  public sealed interface Judgment {
    /** A verdict on the submission named by its output and evidence hashes. */
    record Decided(Bytes32 outputHash, Bytes32 evidenceHash, Verdict verdict) implements Judgment {}

    /**
     * Not now: the proof's node is unreachable ({@code proofUnreachable}) or the chain or hub did
     * not answer; ask again.
     */
    record Retry(String reason, boolean proofUnreachable, Bytes32 outputHash, Bytes32 evidenceHash)
        implements Judgment {}
  }

  private final CourtClient court;
  private final Web3j web3j;
  private final Address hub;
  private final long fromBlock;
  private final ModelCatalog catalog;
  private final EvidenceVerifiers verifiers;
  private final HttpClient http;
  private final Duration proofTimeout;
  private final TeeTrust keyTrust;

  /**
   * @param keyTrust the roots enclave keys' attestation documents are checked against (its
   *     development root only on a deployment that allows development attestation)
   */
  public CaseJudge(
      CourtClient court,
      Web3j web3j,
      Address hub,
      long fromBlock,
      Eip712Domain receiptDomain,
      ModelCatalog catalog,
      Duration proofTimeout,
      TeeTrust keyTrust) {
    this.court = court;
    this.keyTrust = keyTrust;
    this.web3j = web3j;
    this.hub = hub;
    this.fromBlock = fromBlock;
    this.catalog = catalog;
    this.proofTimeout = proofTimeout;
    this.verifiers =
        EvidenceVerifiers.of(
            new VanillaVerifier(receiptDomain, court::isRegistered),
            new ZkmlVerifier(receiptDomain, court::isRegistered, this::zkModel));
    this.http = HttpClient.newBuilder().connectTimeout(proofTimeout).build();
  }

  private io.vouch.zk.mlp.ZkModel zkModel(Bytes32 modelId) {
    return model(modelId)
        .flatMap(LoadedModel::zk)
        .orElseThrow(() ->
            new VouchException(
                ErrorCode.VERIFICATION_FAILED,
                "this validator has no ZK model of "
                    + modelId
                    + " (it provisions the registry's ZK-enabled models from the model hub)"));
  }

  private Optional<LoadedModel> model(Bytes32 modelId) {
    return catalog.all().stream().filter(m -> m.modelId().equals(modelId)).findFirst();
  }

  /** Thrown by the proof source: the node answered, without the proof. */
  private static final class ProofWithheld extends RuntimeException {
    ProofWithheld(String message) {
      super(message);
    }
  }

  /** Thrown by the proof source: the node did not answer. */
  private static final class ProofUnreachable extends RuntimeException {
    ProofUnreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public Judgment judge(CourtCase c) {
    if (c.judgesEnclaveKey()) {
      return judgeKey(c);
    }
    List<HubEvent> events;
    try (HubEventWatcher w = new HubEventWatcher(web3j, hub, fromBlock)) {
      events = w.requestEvents(c.requestId());
    } catch (RuntimeException e) {
      return new Judgment.Retry("reading the hub's events: " + e.getMessage(), false, null, null);
    }
    HubEvent.InferenceRequested requested = null;
    HubEvent.ResultSubmitted submitted = null;
    int attempt = 0; // the assignment the events have reached, in chain order
    for (HubEvent e : events) {
      if (e instanceof HubEvent.InferenceRequested r) {
        requested = r;
      } else if (e instanceof HubEvent.RequestAssigned a) {
        attempt = a.attempt();
      } else if (e instanceof HubEvent.ResultSubmitted s
          && attempt == c.attempt()
          && s.node().equals(c.node())) {
        submitted = s; // the submission of the case's own attempt (one per attempt)
      }
    }
    if (requested == null || submitted == null) {
      return new Judgment.Retry(
          "the request's or the submission's event is not readable yet", false, null, null);
    }
    Bytes32 outputHash = submitted.outputHash();
    Bytes32 evidenceHash = submitted.evidenceHash();
    NamedTensors inputs;
    NamedTensors outputs;
    try {
      inputs = NamedTensors.decode(requested.input(), NamedTensors.LONE);
      outputs = NamedTensors.decode(submitted.output(), NamedTensors.LONE);
    } catch (TensorFormatException e) {
      return decided(
          outputHash,
          evidenceHash,
          new Verdict.Invalid("the submitted output does not decode: " + e.getMessage()));
    }
    VerificationLevel level = VerificationLevel.fromCode(requested.level());
    Address node = c.node();
    SubmittedResult result =
        new SubmittedResult(
            Bytes32.fromUint(c.requestId()),
            requested.modelId(),
            level,
            inputs,
            outputs,
            evidenceHash,
            new SubmittedResult.EvidenceSource() {
              @Override
              public SignedReceipt receipt() {
                // the hub checked the receipt's signature at submission; no verifier of a
                // level that validators judge asks for it
                throw new UnsupportedOperationException("receipt not read by validators");
              }

              @Override
              public byte[] payload(Bytes32 hash) {
                return fetchProof(node, hash);
              }
            });
    Optional<Verdict> evidence;
    try {
      evidence = verifiers.verifySubmitted(result);
    } catch (ProofWithheld e) {
      return decided(outputHash, evidenceHash, new Verdict.Invalid(e.getMessage()));
    } catch (ProofUnreachable e) {
      return new Judgment.Retry(e.getMessage(), true, outputHash, evidenceHash);
    } catch (VouchException e) {
      return decided(outputHash, evidenceHash, new Verdict.Undecided(e.getMessage()));
    } catch (RuntimeException e) {
      return new Judgment.Retry(e.getMessage(), false, outputHash, evidenceHash);
    }
    if (evidence.isPresent() && !evidence.get().isValid()) {
      return decided(outputHash, evidenceHash, evidence.get());
    }
    if (c.kind() == CourtCase.Kind.ZKML) {
      return decided(
          outputHash,
          evidenceHash,
          evidence.orElse(new Verdict.Undecided("no verifier for level " + level)));
    }
    return decided(outputHash, evidenceHash, reexecute(requested.modelId(), inputs, outputs));
  }

  /**
   * A KeyApproval case: the registration it judges, checked under the deployment's anchors. The
   * verdict names the key ({@link CourtClient#keySubject}) and the document's hash.
   */
  private Judgment judgeKey(CourtCase c) {
    io.vouch.chain.registry.NodeRegistryClient.RegisteredEnclaveKey r;
    boolean developmentAllowed;
    try {
      var found = court.keyRegistration(c);
      if (found.isEmpty()) {
        return new Judgment.Retry(
            "the key's EnclaveKeyRegistered event is not readable yet", false, null, null);
      }
      r = found.get();
      developmentAllowed = court.developmentAttestationAllowed();
    } catch (RuntimeException e) {
      return new Judgment.Retry(
          "reading the key's registration: " + e.getMessage(), false, null, null);
    }
    Bytes32 subject = CourtClient.keySubject(r.enclaveKey());
    Bytes32 documentHash = r.attestationDocHash();
    TrustAnchors.Builder anchors = TrustAnchors.builder();
    keyTrust.awsRoot().ifPresent(anchors::awsRoot);
    keyTrust.developmentRoot().ifPresent(anchors::developmentRoot);
    anchors.allowDevelopmentRoot(developmentAllowed && keyTrust.developmentRoot().isPresent());
    if (keyTrust.awsRoot().isEmpty() && keyTrust.developmentRoot().isEmpty()) {
      return decided(
          subject,
          documentHash,
          new Verdict.Undecided(
              "this validator holds no root to check enclave attestations against: give it the"
                  + " devnet's development root (vouch node run --role validator --tee-dev-root"
                  + " FILE) or the AWS Nitro root (--nitro-root PEM)"));
    }
    EnclaveKeyApproval.Outcome outcome;
    try {
      long registeredAt = court.blockTimeAt(r.blockNumber());
      Duration maxAge = Duration.ofSeconds(court.maxAttestationAgeSeconds());
      outcome =
          new EnclaveKeyApproval(
                  new NitroAttestationVerifier(anchors.build()), court.registryDomain(), maxAge)
              .judge(
                  new EnclaveKeyApproval.Registration(
                      r.node(),
                      r.enclaveKey(),
                      r.measurementId(),
                      documentHash,
                      r.docTimeSeconds(),
                      r.attestationDocument(),
                      r.keyProof(),
                      registeredAt),
                  r.blockNumber(),
                  new EnclaveKeyApproval.Deployment() {
                    @Override
                    public boolean measurementAllowed(MeasurementId m) {
                      return court.measurementAllowed(m.toArray());
                    }

                    @Override
                    public OptionalLong blockTime(Bytes32 hash, long atOrBeforeBlock) {
                      return court.blockTime(hash, atOrBeforeBlock);
                    }

                    @Override
                    public boolean servesInEnclave(Bytes32 modelId) {
                      return court.publishedForEnclaves(modelId);
                    }

                    @Override
                    public Optional<byte[]> manifest(Address node, byte[] userData) {
                      return fetchManifest(node, userData);
                    }
                  });
    } catch (EnclaveKeyApproval.ManifestUnavailable e) {
      return new Judgment.Retry(e.getMessage(), true, subject, documentHash);
    } catch (RuntimeException e) {
      return new Judgment.Retry(
          "judging enclave key " + r.enclaveKey() + ": " + e.getMessage(),
          false,
          subject,
          documentHash);
    }
    Verdict v =
        switch (outcome) {
          case EnclaveKeyApproval.Outcome.Approve a ->
              new Verdict.Valid(
                  "enclave key "
                      + r.enclaveKey()
                      + " attested under the "
                      + a.anchor()
                      + " root, measurement "
                      + a.measurement());
          case EnclaveKeyApproval.Outcome.Refuse f -> new Verdict.Invalid(f.reason());
          case EnclaveKeyApproval.Outcome.Unjudged u -> new Verdict.Undecided(u.reason());
        };
    return decided(subject, documentHash, v);
  }

  /** A VANILLA audit or challenge: run the model and compare under the model's tolerance rule. */
  private Verdict reexecute(Bytes32 modelId, NamedTensors inputs, NamedTensors outputs) {
    Optional<LoadedModel> m = model(modelId);
    if (m.isEmpty()) {
      return new Verdict.Undecided(
          "this validator does not have model " + modelId + " to re-execute");
    }
    Optional<ToleranceRule> rule = ToleranceRule.decode(court.toleranceOf(modelId));
    if (rule.isEmpty()) {
      return new Verdict.Undecided(
          "model " + m.get().ref() + " records a tolerance rule this validator does not know");
    }
    NamedTensors named = inputs;
    if (inputs.size() == 1 && inputs.names().getFirst().equals(NamedTensors.LONE)) {
      named = NamedTensors.single(m.get().inputNames().getFirst(), inputs.only());
    }
    NamedTensors mine;
    try {
      mine = m.get().run(named);
    } catch (VouchException | IllegalArgumentException e) {
      return new Verdict.Invalid(
          "the request's input is not one the model runs on, so no output is right: "
              + e.getMessage());
    }
    if (mine.size() == 1 && outputs.size() == 1) {
      mine = NamedTensors.lone(mine.only());
      outputs = NamedTensors.lone(outputs.only());
    }
    Optional<String> why = rule.get().mismatch(mine, outputs);
    return why.<Verdict>map(Verdict.Invalid::new)
        .orElseGet(
            () -> new Verdict.Valid("re-executed " + m.get().ref() + " under " + rule.get()));
  }

  /**
   * The manifest {@code node} serves for {@code userData} ({@code GET
   * /v1/enclave/manifests/{sha256}}); empty when it answers without it (4xx).
   *
   * @throws EnclaveKeyApproval.ManifestUnavailable when it does not answer (or answers 5xx)
   */
  private Optional<byte[]> fetchManifest(Address node, byte[] userData) {
    String endpoint = court.nodeEndpoint(node);
    URI uri;
    try {
      uri =
          URI.create(
              (endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint)
                  + NodeProtocol.ENCLAVE_MANIFESTS_PREFIX
                  + Bytes32.wrap(userData).toHex());
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a registered endpoint that is no URI serves nothing
    }
    HttpResponse<byte[]> resp;
    try {
      resp =
          http.send(
              HttpRequest.newBuilder(uri).timeout(proofTimeout).build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | IllegalArgumentException e) {
      throw new EnclaveKeyApproval.ManifestUnavailable(
          "node " + node + " did not answer for its enclave manifest at " + uri + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnclaveKeyApproval.ManifestUnavailable("interrupted", e);
    }
    if (resp.statusCode() >= 500) {
      throw new EnclaveKeyApproval.ManifestUnavailable(
          "node " + node + " answered " + resp.statusCode() + " for its manifest at " + uri, null);
    }
    return resp.statusCode() == 200 ? Optional.of(resp.body()) : Optional.empty();
  }

  private byte[] fetchProof(Address node, Bytes32 hash) {
    String endpoint = court.nodeEndpoint(node);
    URI uri =
        URI.create(
            (endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint)
                + "/v1/proofs/"
                + hash.toHex());
    HttpResponse<byte[]> resp;
    try {
      resp =
          http.send(
              HttpRequest.newBuilder(uri).timeout(proofTimeout).build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | IllegalArgumentException e) {
      throw new ProofUnreachable(
          "node " + node + " did not answer for its proof at " + uri + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProofUnreachable("interrupted", e);
    }
    if (resp.statusCode() >= 500) {
      throw new ProofUnreachable(
          "node " + node + " answered " + resp.statusCode() + " for its proof at " + uri, null);
    }
    if (resp.statusCode() != 200) {
      throw new ProofWithheld(
          "node "
              + node
              + " did not serve the proof "
              + hash
              + " its receipt committed to ("
              + uri
              + " answered "
              + resp.statusCode()
              + "): treated as a lie");
    }
    return resp.body();
  }

  private static Judgment decided(Bytes32 outputHash, Bytes32 evidenceHash, Verdict v) {
    return new Judgment.Decided(outputHash, evidenceHash, v);
  }
}
