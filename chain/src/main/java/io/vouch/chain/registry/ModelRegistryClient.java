package io.vouch.chain.registry;

import io.vouch.chain.VouchDeployment;
import io.vouch.chain.contracts.ModelRegistry;
import io.vouch.chain.tx.ChainCall;
import io.vouch.chain.tx.ContractKey;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import java.io.IOException;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The ModelRegistry in the project's types: a model's terms ({@link ModelTerms}), the registry's
 * list, name ownership, and publishing. Refusals of {@link #publish} are recognised by selector
 * ({@link ModelRegistryError}).
 */
public final class ModelRegistryClient {
  private final ContractKey key;
  private final VouchDeployment deployment;
  private final ModelRegistry registry;

  /** A client that reads and publishes from {@code sender}'s key. */
  public ModelRegistryClient(TransactionSender sender, VouchDeployment deployment) {
    this(sender.web3j(), deployment, Optional.of(sender));
  }

  private ModelRegistryClient(
      Web3j web3j, VouchDeployment deployment, Optional<TransactionSender> sender) {
    this.key = new ContractKey(web3j, sender);
    this.deployment = deployment;
    this.registry = key.load(deployment.modelRegistry(), ModelRegistry::load);
  }

  /** A client that only reads. */
  public static ModelRegistryClient readOnly(Web3j web3j, VouchDeployment deployment) {
    return new ModelRegistryClient(web3j, deployment, Optional.empty());
  }

  /** With {@code sender}'s key when there is one, read-only otherwise. */
  public static ModelRegistryClient of(
      Web3j web3j, VouchDeployment deployment, Optional<TransactionSender> sender) {
    return new ModelRegistryClient(web3j, deployment, sender);
  }

  public Address address() {
    return deployment.modelRegistry();
  }

  // ------------------------------------------------------------------ reads

  /** The terms of model {@code modelId}; empty when no such version is published. */
  public Optional<ModelTerms> terms(Bytes32 modelId) {
    ModelRegistry.Model m = view("getModel", () -> registry.getModel(modelId.toArray()).send());
    if (!Boolean.TRUE.equals(m.exists)) {
      return Optional.empty();
    }
    return Optional.of(
        new ModelTerms(
            modelId,
            Address.fromHex(m.owner),
            m.name,
            m.version.intValueExact(),
            m.cid,
            Bytes32.wrap(m.schemaHash),
            Bytes32.wrap(m.zkModelId),
            LevelMask.levels(m.levels.intValueExact()),
            m.fee,
            m.challengeWindow.longValueExact(),
            m.publishedAt.longValueExact(),
            m.auditRateBps.intValueExact(),
            Bytes32.wrap(m.tolerance)));
  }

  /** The audit rate, in basis points, of a version published without its own audit terms. */
  public int defaultAuditRateBps() {
    return view("defaultAuditRateBps", () -> registry.defaultAuditRateBps().send()).intValueExact();
  }

  /** How many model versions are published. */
  public long modelCount() {
    return view("modelCount", () -> registry.modelCount().send()).longValueExact();
  }

  /** The id of the {@code index}-th published version, in publishing order. */
  public Bytes32 modelAt(long index) {
    return Bytes32.wrap(view("modelAt", () -> registry.modelAt(BigInteger.valueOf(index)).send()));
  }

  /** The highest published version of {@code name}; 0 when none. */
  public int latestVersion(String name) {
    return view("latestVersion", () -> registry.latestVersion(name).send()).intValueExact();
  }

  /** Who owns {@code name} (its first publisher); {@link Address#ZERO} when nobody yet. */
  public Address ownerOfName(String name) {
    return Address.fromHex(view("ownerOfName", () -> registry.ownerOfName(name).send()));
  }

  /**
   * The tolerance rule of a model's VANILLA audits (byte 0 the rule, bytes 1..4 its ε; see
   * ModelRegistry.DEFAULT_TOLERANCE).
   */
  public Bytes32 toleranceOf(Bytes32 modelId) {
    return Bytes32.wrap(
        view("auditTermsOf", () -> registry.auditTermsOf(modelId.toArray()).send()).component2());
  }

  /**
   * Model id → publishing transaction, from the registry's ModelPublished logs since the
   * deployment. Empty when the endpoint refuses the range (some public RPCs cap eth_getLogs): the
   * hashes are a convenience.
   */
  public Map<Bytes32, String> publishTransactions() {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(deployment.deployedAtBlock())),
            DefaultBlockParameterName.LATEST,
            deployment.modelRegistry().toHex());
    filter.addSingleTopic(EventEncoder.encode(ModelRegistry.MODELPUBLISHED_EVENT));
    Map<Bytes32, String> txs = new HashMap<>();
    try {
      EthLog logs = key.web3j().ethGetLogs(filter).send();
      if (logs.hasError()) {
        return txs;
      }
      for (EthLog.LogResult<?> r : logs.getLogs()) {
        Log log = (Log) r.get();
        if (log.getTopics().size() > 1) {
          txs.put(Bytes32.fromHex(log.getTopics().get(1)), log.getTransactionHash());
        }
      }
    } catch (IOException e) {
      return txs;
    }
    return txs;
  }

  // ------------------------------------------------------------------ publishing

  /**
   * What to publish: a version of {@code name} whose ONNX file has {@code cid} on the hub.
   *
   * @param zkModelId zero when the model is not ZK-enabled
   * @param audit the version's audit terms; empty: the registry's defaults
   */
  public record Publication(
      String name,
      int version,
      String cid,
      Bytes32 schemaHash,
      Bytes32 zkModelId,
      Set<VerificationLevel> levels,
      BigInteger feeWei,
      Optional<AuditTerms> audit) {}

  /**
   * How a version's VANILLA results are audited, recorded at publication and fixed for the
   * version's life: the chance in basis points (0 to 10,000) that a result is drawn for a
   * committee's re-execution, and the tolerance rule (the registry's encoding; the chain does not
   * interpret it) the committee compares under.
   */
  public record AuditTerms(int rateBps, Bytes32 tolerance) {
    public AuditTerms {
      if (rateBps < 0 || rateBps > 10_000) {
        throw new IllegalArgumentException(
            "an audit rate is 0 to 10,000 basis points (0 % to 100 %), got " + rateBps);
      }
      if (tolerance == null) {
        throw new IllegalArgumentException("give the tolerance rule the audits compare under");
      }
    }
  }

  /** A published version: its id and the publishing transaction. */
  public record Published(Bytes32 modelId, String transactionHash) {}

  /**
   * Publishes {@code p}, with its audit terms or, when it has none, the registry's default ones.
   *
   * @throws ContractRevertException the registry refused: {@link ModelRegistryError#of} says why
   *     ({@code NotNameOwner} with the owner, {@code VersionAlreadyPublished}, …)
   */
  public Published publish(Publication p) {
    key.require("ModelRegistry", "publish a model");
    TransactionReceipt r =
        ChainCall.run(
            "ModelRegistry.publish",
            () ->
                p.audit().isEmpty()
                    ? registry
                        .publish(
                            p.name(),
                            BigInteger.valueOf(p.version()),
                            p.cid(),
                            p.schemaHash().toArray(),
                            p.zkModelId().toArray(),
                            BigInteger.valueOf(VerificationLevel.mask(p.levels())),
                            p.feeWei())
                        .send()
                    : registry
                        .publish(
                            p.name(),
                            BigInteger.valueOf(p.version()),
                            p.cid(),
                            p.schemaHash().toArray(),
                            p.zkModelId().toArray(),
                            BigInteger.valueOf(VerificationLevel.mask(p.levels())),
                            p.feeWei(),
                            BigInteger.valueOf(p.audit().get().rateBps()),
                            p.audit().get().tolerance().toArray())
                        .send());
    return new Published(
        Bytes32.wrap(ModelRegistry.getModelPublishedEvents(r).getFirst().modelId),
        r.getTransactionHash());
  }

  private static <T> T view(String function, Callable<T> call) {
    return ChainCall.run("ModelRegistry." + function, call);
  }
}
