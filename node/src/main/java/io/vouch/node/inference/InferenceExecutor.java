package io.vouch.node.inference;

import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.evidence.EvidenceProducer;
import io.vouch.evidence.EvidenceProducers;
import io.vouch.evidence.Production;
import io.vouch.tee.EnclaveSigner;
import java.util.Optional;

/**
 * Runs a request on a loaded model through the producer of the level it asks for ({@link
 * EvidenceProducers}: the engine the level prescribes, the receipt and the level's evidence).
 * Checks that do not need the model's schema (level served, size, finiteness) happen here, before
 * the producer sees the input; the producer and the runner check the rest.
 */
public final class InferenceExecutor {
  private final ModelCatalog catalog;
  private final ReceiptSigner signer;
  private final long maxInputElements;
  private final ProofStore proofs;
  private final EvidenceProducers producers;
  private volatile EnclaveSigner enclave;
  private volatile String enclaveAwaiting;
  private volatile FaultyOutputs fault;
  private final java.util.Map<io.vouch.core.Bytes32, byte[]> enclaveManifests =
      new java.util.concurrent.ConcurrentHashMap<>();

  public InferenceExecutor(ModelCatalog catalog, ReceiptSigner signer, long maxInputElements) {
    this(catalog, signer, maxInputElements, ProofStore.inMemory());
  }

  public InferenceExecutor(
      ModelCatalog catalog, ReceiptSigner signer, long maxInputElements, ProofStore proofs) {
    this.catalog = catalog;
    this.signer = signer;
    this.maxInputElements = maxInputElements;
    this.proofs = proofs;
    this.producers = EvidenceProducers.all(signer, this::enclave);
  }

  /** The ZKML proofs this node produced, served at {@code GET /v1/proofs/{hash}}. */
  public ProofStore proofs() {
    return proofs;
  }

  /**
   * Everything {@link #execute} checks before running, without running: the model, the level, the
   * input's size, finiteness and fit to the model's schema. The direct path calls it before it
   * looks at payment, so that a request that cannot run costs the client no voucher.
   */
  public LoadedModel check(InferenceRequest request) {
    LoadedModel model = admissible(request);
    producers.forLevel(request.level()).check(model, request.inputs());
    return model;
  }

  public InferenceResult execute(InferenceRequest request) {
    LoadedModel model = admissible(request);
    Production p =
        producers.forLevel(request.level()).produce(request.requestId(), model, request.inputs());
    // Evidence bytes (the ZKML proof) are kept for whoever holds the receipt: on chain only their
    // hash is posted.
    p.evidence().payload().ifPresent(proofs::put);
    FaultyOutputs f = fault;
    if (f != null && !request.level().runsInEnclave() && f.liesOn(request.requestId())) {
      return lie(f, model, p);
    }
    return new InferenceResult(model, p.outputs(), p.receipt(), p.executionMicros(), p.evidence());
  }

  /**
   * The devnet's faulty node: {@code p} with a wrong output and a receipt over it, signed with the
   * staked key like an honest one (same evidence: a ZKML proof of the true output no longer fits).
   */
  private InferenceResult lie(FaultyOutputs f, LoadedModel model, Production p) {
    NamedTensors wrong = f.falsify(p.outputs());
    var r = p.receipt().receipt();
    var receipt =
        signer.sign(
            r.requestId(), r.modelId(), r.inputHash(), wrong.hash(), r.level(), r.evidenceHash());
    return new InferenceResult(model, wrong, receipt, p.executionMicros(), p.evidence());
  }

  /**
   * Makes this a devnet's faulty node: from now on it claims a wrong output for the share of
   * VANILLA and ZKML requests {@code fault} draws (TEE results, signed in the enclave, are left
   * honest). Only the devnet does this ({@code io.vouch.node.assembly.DevnetFault}).
   */
  public void lieOn(FaultyOutputs fault) {
    this.fault = fault;
  }

  /** The model, level, size and finiteness checks of a request; the model it names. */
  private LoadedModel admissible(InferenceRequest request) {
    LoadedModel model = catalog.resolve(request.model());
    VerificationLevel level = request.level();
    EvidenceProducer producer = producers.forLevel(level);
    Optional<String> unavailable = producer.unavailableFor(model);
    if (unavailable.isPresent()) {
      throw new VouchException(ErrorCode.UNSUPPORTED_LEVEL, unavailable.get());
    }
    if (!model.levels().contains(level)) {
      throw new VouchException(
          ErrorCode.UNSUPPORTED_LEVEL,
          "model " + model.ref() + " allows levels " + model.levels() + ", not " + level);
    }
    NamedTensors inputs = request.inputs();
    if (inputs.elementCount() > maxInputElements) {
      throw new VouchException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "input has "
              + inputs.elementCount()
              + " elements; this node accepts at most "
              + maxInputElements);
    }
    for (var e : inputs.asMap().entrySet()) {
      Tensor input = e.getValue();
      int bad = input.firstNonFinite();
      if (bad >= 0) {
        throw new VouchException(
            ErrorCode.BAD_INPUT,
            (inputs.size() == 1 ? "input" : "input '" + e.getKey() + "'")
                + " element "
                + bad
                + " is "
                + input.getAsDouble(bad)
                + "; inputs must be finite");
      }
    }
    return model;
  }

  /**
   * Gives this executor an enclave: from now on it serves TEE requests for models that allow TEE,
   * signed with the enclave key (level TEE, evidenceHash = its attestation document's hash).
   */
  public void enclave(EnclaveSigner enclaveSigner) {
    this.enclave = enclaveSigner;
    if (enclaveSigner != null) {
      this.enclaveAwaiting = null;
    }
  }

  /**
   * Serves an enclave manifest at {@code GET /v1/enclave/manifests/{sha256}}: its canonical bytes
   * by their SHA-256, the {@code user_data} of the attestation that names it. Published before the
   * key is registered, so that the KeyApproval committee can check what the enclave attested.
   */
  public void serveEnclaveManifest(io.vouch.tee.policy.EnclaveManifest manifest) {
    enclaveManifests.put(
        io.vouch.core.Bytes32.wrap(manifest.userData()), manifest.canonicalBytes());
  }

  /** The canonical bytes of a served enclave manifest whose SHA-256 is {@code sha256}. */
  public Optional<byte[]> enclaveManifest(io.vouch.core.Bytes32 sha256) {
    return Optional.ofNullable(enclaveManifests.get(sha256)).map(byte[]::clone);
  }

  /**
   * Says why this node's enclave does not serve yet although it will (its key awaits a committee's
   * approval); {@code null}: nothing is awaited. The on-chain worker keeps TEE assignments pending
   * meanwhile instead of giving them up.
   */
  public void awaitingEnclave(String why) {
    this.enclaveAwaiting = why;
  }

  /** Why the enclave is awaited, while it is ({@link #awaitingEnclave}). */
  public Optional<String> enclaveAwaiting() {
    return enclave != null ? Optional.empty() : Optional.ofNullable(enclaveAwaiting);
  }

  /** The enclave signer, when this node serves the TEE level. */
  public Optional<EnclaveSigner> enclave() {
    return Optional.ofNullable(enclave);
  }

  public ReceiptSigner signer() {
    return signer;
  }

  /** The most input elements one request may carry, over all its inputs. */
  public long maxInputElements() {
    return maxInputElements;
  }

  public ModelCatalog catalog() {
    return catalog;
  }
}
