package io.vouch.node;

import io.vouch.chain.court.CourtClient;
import io.vouch.chain.hub.InferenceHubClient;
import io.vouch.chain.registry.NodeRegistryClient;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.hub.http.HubClient;
import io.vouch.infra.service.Scheduler;
import io.vouch.infra.service.Service;
import io.vouch.infra.service.ServiceController;
import io.vouch.node.api.NodeHttpApi;
import io.vouch.node.chain.ModelProvisioner;
import io.vouch.node.chain.ModelSync;
import io.vouch.node.chain.NodeRegistration;
import io.vouch.node.chain.OnChainWorker;
import io.vouch.node.inference.InferenceExecutor;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.ModelCatalog;
import io.vouch.node.inference.ProofStore;
import io.vouch.node.inference.ReceiptSigner;
import io.vouch.node.journal.ForeignJournalException;
import io.vouch.node.journal.Journal;
import io.vouch.node.journal.JournalEntry;
import io.vouch.node.metrics.NodeMetrics;
import io.vouch.node.settlement.DirectSettlement;
import io.vouch.node.settlement.PayerChannels;
import io.vouch.node.settlement.ReceiptBatcher;
import io.vouch.node.settlement.ReceiptLog;
import io.vouch.node.settlement.RegisteredPrice;
import io.vouch.node.settlement.SettlementSettings;
import io.vouch.node.settlement.VoucherGate;
import io.vouch.node.settlement.VoucherRedeemer;
import io.vouch.node.tee.NodeEnclave;
import io.vouch.node.validator.CaseJudge;
import io.vouch.node.validator.ValidatorRole;
import io.vouch.node.validator.VerdictJournal;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.http.HttpService;

/**
 * A node process's components, wired and started in order, stopped in reverse. Without chain
 * settings it serves the direct path only; with them it also registers on chain, serves the models
 * published in the registry, and works the requests the hub assigns to it.
 */
public final class NodeApp extends Service {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NodeApp.class);

  private final NodeConfig config;
  private final Clock clock;
  private final Optional<ChainSettings> chain;
  private final ModelCatalog catalog = new ModelCatalog();
  private final NodeMetrics metrics = new NodeMetrics();
  private final Journal journal;
  private final InferenceExecutor executor;
  private final NodeHttpApi api;

  /** The one scheduler of this node's services (the first service started, the last stopped). */
  private final Scheduler scheduler = new Scheduler("vouch");

  private ServiceController services;
  private Web3j web3j;
  private ReceiptLog receiptLog;
  private volatile DirectSettlement settlement;
  private volatile NodeEnclave enclave;
  private volatile ValidatorRole validator;
  private VerdictJournal verdicts;

  /** A direct-path node with the given durable (or in-memory) sequence store. */
  public NodeApp(NodeConfig config, Clock clock, ReceiptSigner.SequenceStore sequences) {
    this(config, clock, Optional.empty(), null, sequences);
  }

  /** A node that also works on chain; its journal holds the receipt sequence reservations. */
  public NodeApp(NodeConfig config, Clock clock, ChainSettings chain) {
    this(config, clock, Optional.of(chain), Journal.open(chain.journal()), null);
  }

  private NodeApp(
      NodeConfig config,
      Clock clock,
      Optional<ChainSettings> chain,
      Journal journal,
      ReceiptSigner.SequenceStore sequences) {
    this.config = config;
    this.clock = clock;
    this.chain = chain;
    this.journal = journal;
    ReceiptSigner signer =
        new ReceiptSigner(
            config.key(),
            io.vouch.core.eip712.Eip712Domain.of(config.chainId(), config.hub()),
            clock,
            journal != null ? journal : sequences);
    this.executor =
        new InferenceExecutor(
            catalog,
            signer,
            config.maxInputElements(),
            chain.isPresent()
                ? ProofStore.onDisk(
                    chain.get().journal().toAbsolutePath().getParent().resolve("proofs"))
                : ProofStore.inMemory());
    this.api =
        new NodeHttpApi(config.host(), config.port(), config.maxBodyBytes(), executor, metrics);
  }

  public void load(LoadedModel model) {
    catalog.add(model);
  }

  public String baseUrl() {
    return api.baseUrl();
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  public InferenceExecutor executor() {
    return executor;
  }

  /**
   * Direct-path payment and settlement (vouchers, receipt batches, redemption); present once a node
   * on chain has started, absent in the direct-only mode.
   */
  public Optional<DirectSettlement> settlement() {
    return Optional.ofNullable(settlement);
  }

  /**
   * The node's enclave, once a node with a TEE profile has registered its key (it serves TEE only
   * once a committee has approved the key: {@link InferenceExecutor#enclave()}).
   */
  public Optional<NodeEnclave> enclave() {
    return Optional.ofNullable(enclave);
  }

  /** The validator role, once a node on chain with that role has started. */
  public Optional<ValidatorRole> validator() {
    return Optional.ofNullable(validator);
  }

  private List<Bytes32> teeModels() {
    return catalog.all().stream()
        .filter(m -> m.levels().stream().anyMatch(VerificationLevel::runsInEnclave))
        .map(LoadedModel::modelId)
        .toList();
  }

  @Override
  protected void doStart() throws Exception {
    if (chain.isEmpty()) {
      services = new ServiceController(List.of(scheduler, api));
      services.start();
      return;
    }
    ChainSettings c = chain.get();
    web3j = Web3j.build(new HttpService(c.rpcUrl()));
    TransactionSender sender = TransactionSender.create(web3j, config.key());
    if (sender.chainId() != config.chainId()) {
      throw new IllegalStateException(
          "RPC "
              + c.rpcUrl()
              + " is chain "
              + sender.chainId()
              + " but the node is configured for chain "
              + config.chainId());
    }
    bindJournal(web3j, c);
    ModelProvisioner provisioner =
        new ModelProvisioner(
            sender,
            c.deployment(),
            HubClient.of(c.modelHubs().toArray(URI[]::new)),
            catalog,
            c.servedModels(),
            config.priceWei(),
            c.tee().isPresent()
                ? EnumSet.of(
                    VerificationLevel.VANILLA, VerificationLevel.TEE, VerificationLevel.ZKML)
                : EnumSet.of(VerificationLevel.VANILLA, VerificationLevel.ZKML));
    NodeEnclave tee = c.tee().map(p -> NodeEnclave.start(p, clock)).orElse(null);
    NodeRegistration registration =
        new NodeRegistration(
            sender, c.deployment(), c.stakeWei(), config.priceWei(), NodeRole.mask(c.roles()));
    List<Service> roleServices = new java.util.ArrayList<>();
    if (c.roles().contains(NodeRole.INFERENCE)) {
      roleServices.add(
          new OnChainWorker(
              sender, c.deployment(), executor, journal, clock, c.pollInterval(), scheduler));
    }
    if (c.roles().contains(NodeRole.VALIDATOR)) {
      validator = validatorRole(sender, c);
      roleServices.add(validator);
    }
    SettlementSettings s = c.settlement();
    var hub = new InferenceHubClient(sender, c.deployment());
    var domain = executor.signer().domain();
    PayerChannels channels = new PayerChannels(hub, sender.address(), s.fundsCacheTtl());
    Duration unlockWatch = unlockWatch(hub, s);
    receiptLog = ReceiptLog.open(c.receiptLog());
    ReceiptBatcher batcher =
        new ReceiptBatcher(
            hub,
            sender.address(),
            journal,
            receiptLog,
            s.batchSize(),
            s.batchInterval(),
            scheduler);
    VoucherRedeemer redeemer =
        new VoucherRedeemer(
            hub,
            sender.address(),
            journal,
            channels,
            s.redeemThresholdWei(),
            s.redeemInterval(),
            unlockWatch,
            scheduler);
    RegisteredPrice price =
        new RegisteredPrice(
            new NodeRegistryClient(sender, c.deployment()), sender.address(), s.fundsCacheTtl());
    settlement =
        new DirectSettlement(
            new VoucherGate(
                journal, domain, sender.address(), channels, price::now, s.requireVouchers()),
            batcher,
            redeemer,
            domain);
    api.settlement(settlement);
    Publication publication = new Publication(registration, sender, c, tee);
    // One controller, in this order: the scheduler; the served models synced once (and a loop that
    // syncs them again) before anything is served; the API; the registry entry that points at it
    // (and the enclave key, before TEE is served: a receipt signed with an unregistered key would
    // be refused); then the roles and the settlement loops. Stopped in reverse.
    List<Service> all = new java.util.ArrayList<>(List.of(scheduler));
    if (!c.modelHubs().isEmpty()) {
      all.add(
          new ModelSync(provisioner::sync, publication::republish, c.pollInterval(), scheduler));
    }
    all.add(api);
    all.add(publication);
    all.addAll(roleServices);
    all.addAll(List.of(batcher, redeemer));
    services = new ServiceController(all);
    services.start();
  }

  /**
   * The node's registry entry: its endpoint and models published on start and again when the model
   * sync changed the models; with a TEE profile, the enclave key attested and registered for the
   * TEE models at start, and TEE served once a committee has approved it.
   */
  private final class Publication extends Service {
    private final NodeRegistration registration;
    private final TransactionSender sender;
    private final ChainSettings c;
    private final NodeEnclave tee;
    private String endpoint;

    Publication(
        NodeRegistration registration, TransactionSender sender, ChainSettings c, NodeEnclave tee) {
      this.registration = registration;
      this.sender = sender;
      this.c = c;
      this.tee = tee;
    }

    @Override
    public String name() {
      return "registry publication";
    }

    private Scheduler.Repeating approvalWatch;

    @Override
    protected synchronized void doStart() throws Exception {
      endpoint = c.advertisedEndpoint() != null ? c.advertisedEndpoint() : api.baseUrl();
      registration.publish(endpoint, catalog.all());
      if (tee != null) {
        registerEnclaveKey();
        enclave = tee;
      }
    }

    /** After a model sync changed the models; nothing before start (start publishes them). */
    synchronized void republish() {
      if (endpoint == null || state() != State.RUNNING) {
        return;
      }
      registration.publish(endpoint, catalog.all());
      // The enclave key is not registered again for the new models: every registration waits for
      // a committee (TEE would stop meanwhile); its manifest names the models it was attested for.
    }

    /**
     * Registers the enclave key (a new KeyApproval case) and serves TEE only once a committee has
     * approved it: until then the executor has no enclave, so TEE requests wait (on chain) or are
     * refused (direct path), and nothing is signed with a key the hub would refuse.
     */
    private void registerEnclaveKey() {
      executor.enclave(null);
      var reg =
          tee.attestAndRegister(
              sender, c.deployment(), teeModels(), executor::serveEnclaveManifest);
      executor.awaitingEnclave(
          "waiting for a committee to approve enclave key "
              + reg.enclaveKey()
              + " (KeyApproval case "
              + reg.approvalCase().toString(16)
              + ")");
      LOG.info(
          "waiting for a committee to approve enclave key {} (KeyApproval case 0x{})",
          reg.enclaveKey(),
          reg.approvalCase().toString(16));
      if (approvalWatch != null) {
        approvalWatch.cancel(false);
      }
      NodeRegistryClient registry = new NodeRegistryClient(sender, c.deployment());
      approvalWatch =
          scheduler.repeat(
              "vouch-enclave-approval",
              c.pollInterval(),
              c.pollInterval(),
              () -> checkApproval(registry, reg.enclaveKey(), reg.approvalCase()));
    }

    private synchronized void checkApproval(
        NodeRegistryClient registry, io.vouch.core.Address key, java.math.BigInteger approvalCase) {
      NodeRegistryClient.EnclaveKeyRecord k;
      try {
        k = registry.enclaveKeyInfo(key);
      } catch (RuntimeException e) {
        LOG.debug("reading enclave key {} failed, will retry: {}", key, e.getMessage());
        return;
      }
      if (!k.approvalCase().equals(approvalCase)) {
        return; // a newer registration's watch took over
      }
      switch (k.status()) {
        case APPROVED -> {
          approvalWatch.cancel(false);
          executor.enclave(tee.signer());
          LOG.info(
              "enclave key {} approved at block {}: serving the TEE level",
              key,
              k.approvedAtBlock());
        }
        case REJECTED -> {
          approvalWatch.cancel(false);
          executor.awaitingEnclave(null);
          LOG.error(
              "a committee REJECTED enclave key {} (its attestation did not verify under the"
                  + " deployment's anchors); this node does not serve the TEE level",
              key);
        }
        case NOT_APPROVED -> {
          LOG.warn("no committee reached a quorum on enclave key {}; registering it again", key);
          try {
            registerEnclaveKey();
          } catch (RuntimeException e) {
            LOG.warn("registering enclave key {} again failed: {}", key, e.getMessage());
          }
        }
        default -> {}
      }
    }

    @Override
    protected void doStop() {
      if (approvalWatch != null) {
        approvalWatch.cancel(false);
      }
    }
  }

  /**
   * The validator role: verdicts journaled next to the node's journal; a node whose proof cannot be
   * fetched for a third of the verdict window is voted INVALID.
   */
  private ValidatorRole validatorRole(TransactionSender sender, ChainSettings c) {
    CourtClient court = new CourtClient(sender, c.deployment());
    // the deployment's anchors: a validator that could not judge its keys does not start
    io.vouch.node.validator.ValidatorAnchors.check(
            court.developmentAttestationAllowed(),
            c.validatorTrust(),
            c.deployment().nodeRegistry())
        .ifPresent(w -> LOG.warn("validator: {}", w));
    verdicts = VerdictJournal.open(c.verdictJournal());
    Duration window = Duration.ofSeconds(court.verdictWindowSeconds());
    CaseJudge judge =
        new CaseJudge(
            court,
            web3j,
            c.deployment().inferenceHub(),
            c.deployment().deployedAtBlock(),
            c.deployment().domain(),
            catalog,
            Duration.ofSeconds(10),
            c.validatorTrust());
    return new ValidatorRole(
        court,
        judge,
        verdicts,
        config.key(),
        c.deployment().deployedAtBlock(),
        c.pollInterval(),
        window.dividedBy(3),
        c.challengeRateBps(),
        scheduler);
  }

  /**
   * Refuses a journal of another chain or deployment (its checkpoint would skip the new chain's
   * first blocks, its receipt numbers carry over) and binds a new one to this deployment: the chain
   * id, the hub and the hash of the block the contracts were deployed in, which tells a restarted
   * devnet (same addresses, same block numbers) from the previous one.
   */
  private void bindJournal(Web3j web3j, ChainSettings c) throws IOException {
    long at = c.deployment().deployedAtBlock();
    var block =
        web3j
            .ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(at)), false)
            .send()
            .getBlock();
    if (block == null) {
      throw new VouchException(
          ErrorCode.BAD_INPUT,
          "RPC "
              + c.rpcUrl()
              + " has no block "
              + at
              + ", where the deployment says the contracts were deployed: --rpc and --deployment"
              + " name different chains");
    }
    long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    if (journal.deployment().isEmpty() && journal.checkpoint() > head) {
      throw new ForeignJournalException(
          "the journal "
              + c.journal()
              + " has read up to block "
              + journal.checkpoint()
              + " but the chain at "
              + c.rpcUrl()
              + " is only at block "
              + head
              + ": it belongs to another chain. "
              + ForeignJournalException.remedy(c.journal()));
    }
    journal.bindTo(
        new JournalEntry.Deployment(
            config.chainId(), c.deployment().inferenceHub(), at, Bytes32.fromHex(block.getHash())));
  }

  /**
   * How often the redeemer looks for payers taking funds back from their channels: often enough
   * that a voucher accepted against a cached channel read is redeemed before the unlock can run
   * (cache time + watch interval at most half the hub's {@code channelUnlockDelay}).
   */
  private static Duration unlockWatch(InferenceHubClient hub, SettlementSettings s) {
    Duration delay = hub.channelUnlockDelay();
    Duration watch = s.redeemInterval();
    Duration quarter = delay.dividedBy(4);
    if (watch.compareTo(quarter) > 0) {
      watch = quarter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : quarter;
    }
    if (s.fundsCacheTtl().plus(watch).compareTo(delay.dividedBy(2)) > 0) {
      throw new IllegalStateException(
          "the hub lets payers take channel funds back "
              + delay.toSeconds()
              + " s after asking, too soon for this node to redeem in time (channel reads are"
              + " trusted for "
              + s.fundsCacheTtl().toMillis()
              + " ms, unlocks watched every "
              + watch.toMillis()
              + " ms); use a deployment with a longer channelUnlockDelay or a shorter cache time");
    }
    return watch;
  }

  @Override
  protected void doStop() {
    services.stop();
    catalog.close();
    if (receiptLog != null) {
      receiptLog.close();
    }
    if (verdicts != null) {
      verdicts.close();
    }
    if (journal != null) {
      journal.close();
    }
    if (web3j != null) {
      web3j.shutdown();
    }
  }
}
