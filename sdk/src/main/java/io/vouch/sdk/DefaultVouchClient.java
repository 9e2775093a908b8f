package io.vouch.sdk;

import io.vouch.chain.VouchContracts;
import io.vouch.chain.court.CourtCase;
import io.vouch.chain.court.CourtClient;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.evidence.NodeDirectory;
import io.vouch.evidence.SubmittedResult;
import io.vouch.hub.http.HubClient;
import io.vouch.sdk.chain.ChainCalls;
import io.vouch.sdk.direct.DirectInference;
import io.vouch.sdk.direct.NodeTransport;
import io.vouch.sdk.models.HubZkModels;
import io.vouch.sdk.models.ModelsApi;
import io.vouch.sdk.models.PublishedModel;
import io.vouch.sdk.models.RegistryModels;
import io.vouch.sdk.onchain.Finality;
import io.vouch.sdk.onchain.OnChainOptions;
import io.vouch.sdk.onchain.OnChainRequest;
import io.vouch.sdk.onchain.OnChainRequester;
import io.vouch.sdk.onchain.OnChainResult;
import io.vouch.sdk.onchain.OnChainVerification;
import io.vouch.sdk.onchain.RequestRecord;
import io.vouch.sdk.onchain.Settled;
import io.vouch.sdk.onchain.SubmittedReceipts;
import io.vouch.sdk.payment.PaymentChannel;
import io.vouch.sdk.plan.InferencePlan;
import io.vouch.sdk.plan.LatencyTracker;
import io.vouch.sdk.plan.NodeCandidate;
import io.vouch.sdk.registry.NodeOffer;
import io.vouch.sdk.registry.NodeRegistryView;
import io.vouch.sdk.verify.ResultVerifier;
import java.math.BigInteger;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/** The one {@link VouchClient}: wires the chain view, the hub, the planner and the verifier. */
final class DefaultVouchClient implements VouchClient {
  /** A failing node ranks as if every call took this long, until it recovers. */
  private static final Duration FAILURE_PENALTY = Duration.ofSeconds(30);

  private final Web3j web3j;
  private final VouchContracts contracts;
  private final RegistryModels models;
  private final NodeRegistryView registry;
  private final ResultVerifier verifier;
  private final DirectInference direct;
  private final NodeTransport transport;

  /** How long a node may take to serve a ZKML proof (on-chain path). */
  private static final Duration PROOF_TIMEOUT = Duration.ofSeconds(10);

  private final OnChainRequester onChain;
  private final VouchConfig config;
  private final Optional<PaymentChannel> payments;
  private final ExecutorService async = Executors.newVirtualThreadPerTaskExecutor();

  private DefaultVouchClient(Web3j web3j, VouchConfig config, NodeTransport transport) {
    this.web3j = web3j;
    this.config = config;
    this.contracts = ChainCalls.connect(web3j, config.deployment(), config.key());
    Optional<HubClient> hub =
        config.hubUrls().isEmpty()
            ? Optional.empty()
            : Optional.of(HubClient.of(config.hubUrls().toArray(URI[]::new)));
    this.models = new RegistryModels(contracts, hub);
    this.registry =
        new NodeRegistryView(contracts, config.timeouts().registryCache(), Clock.systemUTC());
    this.verifier =
        new ResultVerifier(config.deployment().domain(), registry, registry, config.teeTrust())
            .withZkModels(new HubZkModels(models, hub));
    this.transport =
        transport != null ? transport : NodeTransport.http(config.timeouts().nodeConnect());
    this.payments = config.key().map(k -> new PaymentChannel(contracts, k));
    this.direct =
        new DirectInference(
            registry, new LatencyTracker(FAILURE_PENALTY), this.transport, verifier, payments);
    this.onChain = new OnChainRequester(contracts, registry, config.timeouts().eventPoll());
  }

  /** With {@code transport} null, the node HTTP API's ({@link NodeTransport#http}). */
  static VouchClient connect(VouchConfig config, NodeTransport transport) {
    Web3j web3j = Web3j.build(new HttpService(config.rpcUrl().toString()));
    try {
      return new DefaultVouchClient(web3j, config, transport);
    } catch (RuntimeException e) {
      web3j.shutdown();
      throw e;
    }
  }

  @Override
  public ModelsApi models() {
    return models;
  }

  @Override
  public List<NodeCandidate> candidates(String modelRef, VerificationLevel level) {
    PublishedModel m = models.terms(modelRef);
    return registry.candidates(m.modelId(), List.of(level));
  }

  @Override
  public NodeDirectory nodeDirectory() {
    return registry;
  }

  @Override
  public List<NodeOffer> offers(String modelRef) {
    PublishedModel m = models.terms(modelRef);
    return registry.offers(m.modelId(), m.levels());
  }

  @Override
  public InferenceOutcome infer(String modelRef, NamedTensors input, Requirements requirements) {
    return direct.run(models.terms(modelRef), input, requirements);
  }

  @Override
  public InferencePlan plan(String modelRef, Requirements requirements) {
    return direct.plan(models.terms(modelRef), requirements);
  }

  @Override
  public InferenceOutcome infer(InferencePlan plan, NamedTensors inputs) {
    return direct.run(plan, inputs);
  }

  @Override
  public CompletableFuture<InferenceOutcome> inferAsync(
      String modelRef, NamedTensors input, Requirements requirements) {
    return CompletableFuture.supplyAsync(() -> infer(modelRef, input, requirements), async);
  }

  @Override
  public InferenceOutcome verify(InferenceOutcome outcome) {
    PublishedModel m =
        models
            .read(outcome.modelId())
            .orElseThrow(() ->
                new VouchClientException(
                    ErrorCode.VERIFICATION_FAILED,
                    "the result is for model "
                        + outcome.modelId()
                        + ", which is not published in this deployment"));
    if (!m.allows(outcome.level())) {
      throw new VouchClientException(
          ErrorCode.VERIFICATION_FAILED,
          "the result claims level "
              + outcome.level()
              + " but model "
              + m.ref()
              + " allows only "
              + m.levels());
    }
    return verifier.verify(outcome, outcome.requestId(), m.modelId());
  }

  @Override
  public PaymentChannel payments() {
    return payments.orElseThrow(() ->
        new VouchClientException(
            ErrorCode.BAD_INPUT,
            "payments need a key: give VouchConfig the key of the account that pays"));
  }

  @Override
  public Finality verifyOnChain(
      BigInteger requestId,
      Bytes32 modelId,
      VerificationLevel level,
      NamedTensors input,
      NamedTensors output,
      Address node) {
    return onChain.verify(requestId, modelId, level, input, output, node);
  }

  @Override
  public OnChainRequest inferOnChain(String modelRef, NamedTensors input, OnChainOptions options) {
    return onChain.send(models.terms(modelRef), input, options);
  }

  @Override
  public OnChainResult awaitResult(OnChainRequest request, Finality finality, Duration timeout) {
    OnChainResult result = onChain.await(request, finality, timeout);
    OnChainResult checked =
        verifier
            .verifySubmitted(submitted(request, result))
            .map(result::withProofVerification)
            .orElse(result);
    return checked.withVerification(verification(request.requestId()));
  }

  @Override
  public OnChainVerification verification(BigInteger requestId) {
    RequestRecord r = onChain.record(requestId);
    List<CourtCase> cases = new ArrayList<>();
    if (!config.deployment().verificationCourt().equals(Address.ZERO)) {
      CourtClient court = court();
      for (int attempt = 1; attempt <= r.attempts(); attempt++) {
        int a = attempt;
        CourtCase c =
            ChainCalls.call(
                "reading the VerificationCourt's case of request " + requestId,
                () -> court.getCase(CourtClient.caseIdOf(requestId, a)));
        if (c.exists()) {
          cases.add(c);
        }
      }
    }
    return OnChainVerification.of(r, cases, approvedEnclaveKey(r));
  }

  /**
   * For a result signed in an enclave: the key that signed it (recovered from the receipt in its
   * submit transaction), the block at which a committee approved it and that committee's
   * KeyApproval case (members, verdicts, quorum); empty otherwise or when it cannot be read.
   */
  private Optional<OnChainVerification.ApprovedKey> approvedEnclaveKey(RequestRecord r) {
    if (!r.level().runsInEnclave() || r.transaction("submitted").isEmpty()) {
      return Optional.empty();
    }
    try {
      SignedReceipt receipt =
          SubmittedReceipts.read(web3j, r, r.transaction("submitted").orElseThrow());
      Address key = receipt.signer(config.deployment().domain());
      var record =
          io.vouch.chain.registry.NodeRegistryClient.readOnly(web3j, config.deployment())
              .enclaveKeyInfo(key);
      if (record.approvedAtBlock() == 0) {
        return Optional.empty();
      }
      Optional<CourtCase> approval;
      try {
        approval =
            Optional.of(court().getCase(record.approvalCase()))
                .filter(c -> c.state() == CourtCase.State.VALID);
      } catch (RuntimeException e) {
        approval = Optional.empty(); // said without its committee
      }
      return Optional.of(
          new OnChainVerification.ApprovedKey(key, record.approvedAtBlock(), approval));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The court client for reads (a key of its own when this client has none: it never sends). */
  private CourtClient court() {
    TransactionSender sender =
        TransactionSender.create(
            web3j,
            config
                .key()
                .orElseGet(() -> Secp256k1.KeyPair.generate(new java.security.SecureRandom())));
    return new CourtClient(sender, config.deployment());
  }

  /**
   * An on-chain result as the evidence verifiers see it: what is not in the hub's events is read
   * only if the level's verifier asks for it — the receipt rebuilt from the submit transaction, the
   * evidence bytes (the ZKML proof) from the node that submitted them.
   */
  private SubmittedResult submitted(OnChainRequest request, OnChainResult result) {
    return new SubmittedResult(
        Bytes32.fromUint(request.requestId()),
        request.modelId(),
        request.level(),
        request.inputs(),
        result.outputs(),
        result.evidenceHash(),
        new SubmittedResult.EvidenceSource() {
          @Override
          public SignedReceipt receipt() {
            return SubmittedReceipts.read(web3j, request, result);
          }

          @Override
          public byte[] payload(Bytes32 evidenceHash) {
            return fetchProof(result, evidenceHash);
          }
        });
  }

  private byte[] fetchProof(OnChainResult result, Bytes32 evidenceHash) {
    String endpoint = registry.standing(result.node()).endpoint();
    try {
      return transport.proof(endpoint, evidenceHash, PROOF_TIMEOUT);
    } catch (VouchClientException e) {
      if (e.code() == ErrorCode.NODE_UNAVAILABLE) {
        throw new VouchClientException(
            ErrorCode.NODE_UNAVAILABLE,
            "cannot fetch the ZKML proof "
                + evidenceHash
                + " from node "
                + result.node()
                + ": "
                + e.getMessage()
                + "; try again later",
            e);
      }
      throw e;
    }
  }

  @Override
  public String settle(OnChainRequest request) {
    return onChain.settle(request);
  }

  @Override
  public RequestRecord request(BigInteger requestId) {
    return onChain.record(requestId);
  }

  @Override
  public Settled settle(BigInteger requestId) {
    return onChain.settle(requestId);
  }

  @Override
  public Optional<Address> address() {
    return contracts.self();
  }

  @Override
  public void close() {
    async.shutdownNow();
    transport.close();
    web3j.shutdown();
  }
}
