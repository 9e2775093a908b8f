package io.vouch.chain.registry;

import io.vouch.chain.ChainException;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.contracts.NodeRegistry;
import io.vouch.chain.contracts.VerificationCourt;
import io.vouch.chain.tx.ChainCall;
import io.vouch.chain.tx.ContractKey;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Signature;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The NodeRegistry in the project's types: a node's entry ({@link NodeInfo}), the nodes eligible
 * for a model and level, prices, enclave keys and their attestation documents, and a node's own
 * moves (register, update, unbond, withdraw, register an enclave key). Refusals are recognised by
 * selector ({@link NodeRegistryError}).
 */
public final class NodeRegistryClient {
  /** NodeRegistry role bits. */
  public static final int ROLE_INFERENCE = 1;

  public static final int ROLE_VALIDATOR = 2;

  private final ContractKey key;
  private final VouchDeployment deployment;
  private final NodeRegistry registry;

  /** A client that reads and sends from {@code sender}'s key (a node operator, governance). */
  public NodeRegistryClient(TransactionSender sender, VouchDeployment deployment) {
    this(sender.web3j(), deployment, Optional.of(sender));
  }

  private NodeRegistryClient(
      Web3j web3j, VouchDeployment deployment, Optional<TransactionSender> sender) {
    this.key = new ContractKey(web3j, sender);
    this.deployment = deployment;
    this.registry = key.load(deployment.nodeRegistry(), NodeRegistry::load);
  }

  /** A client that only reads. */
  public static NodeRegistryClient readOnly(Web3j web3j, VouchDeployment deployment) {
    return new NodeRegistryClient(web3j, deployment, Optional.empty());
  }

  /** With {@code sender}'s key when there is one, read-only otherwise. */
  public static NodeRegistryClient of(
      Web3j web3j, VouchDeployment deployment, Optional<TransactionSender> sender) {
    return new NodeRegistryClient(web3j, deployment, sender);
  }

  public Address address() {
    return deployment.nodeRegistry();
  }

  // ------------------------------------------------------------------ reads

  /**
   * A node's entry ({@code nodeInfo}).
   *
   * @param roles role bits ({@link #ROLE_INFERENCE}, {@link #ROLE_VALIDATOR})
   * @param unbondingSince chain time it asked to leave; 0 while bonded
   * @param priceWei its price per request now (a due increase applied)
   * @param pendingPriceWei an announced increase, from chain time {@code pendingPriceAt} (0: none)
   * @param models the models it serves
   */
  public record NodeInfo(
      Address node,
      boolean registered,
      int roles,
      Set<VerificationLevel> levels,
      long unbondingSince,
      BigInteger stakeWei,
      BigInteger priceWei,
      BigInteger pendingPriceWei,
      long pendingPriceAt,
      String endpoint,
      List<Bytes32> models) {
    public NodeInfo {
      levels = Set.copyOf(levels);
      models = List.copyOf(models);
    }

    /** It asked to leave: no longer eligible, its stake on the way out. */
    public boolean unbonding() {
      return unbondingSince != 0;
    }
  }

  public NodeInfo nodeInfo(Address node) {
    NodeRegistry.NodeInfo i = view("nodeInfo", () -> registry.nodeInfo(node.toHex()).send());
    return new NodeInfo(
        node,
        Boolean.TRUE.equals(i.registered),
        i.roles.intValueExact(),
        LevelMask.levels(i.levels.intValueExact()),
        i.unbondingSince.longValueExact(),
        i.stake,
        i.price,
        i.pendingPrice,
        i.pendingPriceAt.longValueExact(),
        i.endpoint,
        i.models.stream().map(Bytes32::wrap).toList());
  }

  /** Whether {@code node} is registered (not necessarily bonded). */
  public boolean isRegistered(Address node) {
    return Boolean.TRUE.equals(
        view("isRegistered", () -> registry.isRegistered(node.toHex()).send()));
  }

  /**
   * The registry's own rule for an assignment: registered, bonded, inference role, serves {@code
   * level} and {@code modelId}, stake at least the minimum.
   */
  public boolean isEligible(Address node, Bytes32 modelId, VerificationLevel level) {
    return Boolean.TRUE.equals(
        view(
            "isEligible",
            () ->
                registry
                    .isEligible(node.toHex(), modelId.toArray(), BigInteger.valueOf(level.code()))
                    .send()));
  }

  /** An eligible node of a model's pool, with its stake and price. */
  public record Candidate(Address node, BigInteger stakeWei, BigInteger priceWei) {}

  /** The nodes eligible for {@code modelId} at {@code level} ({@code candidates}). */
  public List<Candidate> candidates(Bytes32 modelId, VerificationLevel level) {
    var t =
        view(
            "candidates",
            () -> registry.candidates(modelId.toArray(), BigInteger.valueOf(level.code())).send());
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i < t.component1().size(); i++) {
      out.add(
          new Candidate(
              Address.fromHex(t.component1().get(i)),
              t.component2().get(i),
              t.component3().get(i)));
    }
    return out;
  }

  /** What {@code node} charges per request now. */
  public BigInteger priceOf(Address node) {
    return view("priceOf", () -> registry.priceOf(node.toHex()).send());
  }

  /**
   * A node's price now and an announced increase ({@code priceSchedule}).
   *
   * @param effectiveAt chain time from which {@code nextWei} applies; 0 when none is announced
   */
  public record PriceSchedule(BigInteger currentWei, BigInteger nextWei, long effectiveAt) {
    public boolean increaseAnnounced() {
      return effectiveAt != 0;
    }
  }

  public PriceSchedule priceSchedule(Address node) {
    var t = view("priceSchedule", () -> registry.priceSchedule(node.toHex()).send());
    return new PriceSchedule(t.component1(), t.component2(), t.component3().longValueExact());
  }

  /** The stake a node needs to be eligible (immutable). */
  public BigInteger minStake() {
    return view("minStake", () -> registry.minStake().send());
  }

  /** Seconds between asking to unbond and withdrawing the stake (immutable). */
  public long unbondingDelaySeconds() {
    return view("unbondingDelay", () -> registry.unbondingDelay().send()).longValueExact();
  }

  /** The longest an enclave key may live past its attestation document's time (immutable). */
  public long maxAttestationTtlSeconds() {
    return view("maxAttestationTtl", () -> registry.maxAttestationTtl().send()).longValueExact();
  }

  /**
   * Whether this deployment accepts enclave keys attested under a development root (immutable):
   * what approving validators read, never a registration's own claim.
   */
  public boolean developmentAttestationAllowed() {
    return Boolean.TRUE.equals(
        view(
            "developmentAttestationAllowed",
            () -> registry.developmentAttestationAllowed().send()));
  }

  /** Solidity {@code NodeRegistry.KeyStatus}: where a key's committee approval stands. */
  public enum KeyStatus {
    /** Never registered. */
    NONE,
    /** Registered; its KeyApproval case is open. */
    PENDING,
    /** A committee's quorum found its attestation valid: it may sign while unrevoked, unexpired. */
    APPROVED,
    /** A committee's quorum found its attestation invalid: never usable again. */
    REJECTED,
    /** No quorum before its case closed: inactive, may be registered again. */
    NOT_APPROVED;

    static KeyStatus of(int ordinal) {
      return values()[ordinal];
    }
  }

  /**
   * A key's record ({@code enclaveKeyInfo}).
   *
   * @param approvedAtBlock the block of the approving quorum (0 unless {@link KeyStatus#APPROVED})
   * @param approvalCase the court's KeyApproval case of its latest registration
   */
  public record EnclaveKeyRecord(
      Address enclaveKey,
      Address node,
      KeyStatus status,
      long approvedAtBlock,
      BigInteger approvalCase,
      Bytes32 attestationDocHash,
      long docTimeSeconds,
      long expirySeconds,
      boolean revoked) {}

  public EnclaveKeyRecord enclaveKeyInfo(Address enclaveKey) {
    NodeRegistry.EnclaveKey k =
        view("enclaveKeyInfo", () -> registry.enclaveKeyInfo(enclaveKey.toHex()).send());
    return new EnclaveKeyRecord(
        enclaveKey,
        Address.fromHex(k.node),
        KeyStatus.of(k.status.intValueExact()),
        k.approvedAtBlock.longValueExact(),
        k.approvalCase,
        Bytes32.wrap(k.attestationDocHash),
        k.docTime.longValueExact(),
        k.expiry.longValueExact(),
        Boolean.TRUE.equals(k.revoked));
  }

  /**
   * What an enclave key registration pays for its committee (the court's {@code keyApprovalFee}).
   */
  public BigInteger keyApprovalFeeWei() {
    VerificationCourt court = key.load(deployment.verificationCourt(), VerificationCourt::load);
    return view("keyApprovalFee", () -> court.keyApprovalFee().send());
  }

  /**
   * A registration as its {@code EnclaveKeyRegistered} event records it: what a KeyApproval
   * committee judges.
   *
   * @param measurementId keccak256 of the 48-byte measurement the node declared
   * @param keyProof the key's proof of possession ({@code EnclaveKeyBinding(node, key)} signed in
   *     the registry's domain)
   */
  public record RegisteredEnclaveKey(
      Address node,
      Address enclaveKey,
      Bytes32 measurementId,
      Bytes32 attestationDocHash,
      long docTimeSeconds,
      long expirySeconds,
      BigInteger approvalCase,
      byte[] attestationDocument,
      byte[] keyProof,
      long blockNumber) {
    public RegisteredEnclaveKey {
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

  /** The registration of {@code enclaveKey} by {@code node} that opened {@code approvalCase}. */
  public Optional<RegisteredEnclaveKey> registration(
      Address node, Address enclaveKey, BigInteger approvalCase) {
    return registrations(node, enclaveKey).stream()
        .filter(r -> r.approvalCase().equals(approvalCase))
        .findFirst();
  }

  /** Whether {@code enclaveKey} may sign TEE receipts for {@code node} now. */
  public boolean isActiveEnclaveKey(Address node, Address enclaveKey) {
    return Boolean.TRUE.equals(
        view(
            "isActiveEnclaveKey",
            () -> registry.isActiveEnclaveKey(node.toHex(), enclaveKey.toHex()).send()));
  }

  /**
   * The attestation document {@code node} registered {@code enclaveKey} with whose keccak256 is
   * {@code documentHash}, from the registry's EnclaveKeyRegistered events since the deployment.
   */
  public Optional<byte[]> attestationDocument(
      Address node, Address enclaveKey, Bytes32 documentHash) {
    return registrations(node, enclaveKey).stream()
        .filter(r -> r.attestationDocHash().equals(documentHash))
        .map(RegisteredEnclaveKey::attestationDocument)
        .findFirst();
  }

  /**
   * Every registration of {@code enclaveKey} by {@code node} since the deployment, oldest first.
   */
  public List<RegisteredEnclaveKey> registrations(Address node, Address enclaveKey) {
    return registrations(node, Optional.of(enclaveKey));
  }

  /** Every enclave key registration by {@code node} since the deployment, oldest first. */
  public List<RegisteredEnclaveKey> registrationsOf(Address node) {
    return registrations(node, Optional.empty());
  }

  private List<RegisteredEnclaveKey> registrations(Address node, Optional<Address> enclaveKey) {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(deployment.deployedAtBlock())),
            DefaultBlockParameterName.LATEST,
            deployment.nodeRegistry().toHex());
    filter.addSingleTopic(EventEncoder.encode(NodeRegistry.ENCLAVEKEYREGISTERED_EVENT));
    filter.addSingleTopic(topic(node));
    enclaveKey.ifPresent(k -> filter.addSingleTopic(topic(k)));
    EthLog logs;
    try {
      logs = key.web3j().ethGetLogs(filter).send();
    } catch (IOException e) {
      throw new ChainException(
          "reading the EnclaveKeyRegistered events of " + node + " failed: " + e.getMessage(), e);
    }
    if (logs.hasError()) {
      throw new ChainException(
          "eth_getLogs for EnclaveKeyRegistered failed: " + logs.getError().getMessage());
    }
    List<RegisteredEnclaveKey> out = new ArrayList<>();
    for (EthLog.LogResult<?> result : logs.getLogs()) {
      if (result.get() instanceof Log log) {
        var e = NodeRegistry.getEnclaveKeyRegisteredEventFromLog(log);
        out.add(
            new RegisteredEnclaveKey(
                Address.fromHex(e.node),
                Address.fromHex(e.enclaveKey),
                Bytes32.wrap(e.measurementId),
                Bytes32.wrap(e.attestationDocHash),
                e.docTime.longValueExact(),
                e.expiry.longValueExact(),
                e.approvalCase,
                e.attestationDoc,
                e.keyProof,
                log.getBlockNumber().longValueExact()));
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ a node's own moves

  /**
   * Registers this account with {@code stakeWei}: {@code roles} bits, where it serves, the levels
   * and models it serves and its price per request.
   *
   * @return the transaction hash
   */
  public String register(
      int roles,
      String endpoint,
      Set<VerificationLevel> levels,
      BigInteger priceWei,
      Collection<Bytes32> models,
      BigInteger stakeWei) {
    NodeRegistry r = sending("register");
    return tx(
            "register",
            () ->
                r.register(
                        BigInteger.valueOf(roles),
                        endpoint,
                        BigInteger.valueOf(VerificationLevel.mask(levels)),
                        priceWei,
                        arrays(models),
                        stakeWei)
                    .send())
        .getTransactionHash();
  }

  /**
   * Changes what this node offers. A lower or equal price applies at once; a higher one is
   * announced and charged after the registry's price increase delay.
   */
  public String updateCapabilities(
      String endpoint,
      Set<VerificationLevel> levels,
      BigInteger priceWei,
      Collection<Bytes32> models) {
    NodeRegistry r = sending("update its capabilities");
    return tx(
            "updateCapabilities",
            () ->
                r.updateCapabilities(
                        endpoint,
                        BigInteger.valueOf(VerificationLevel.mask(levels)),
                        priceWei,
                        arrays(models))
                    .send())
        .getTransactionHash();
  }

  /**
   * An unbonding this node asked for: its stake can be withdrawn from chain time {@code
   * availableAt}.
   */
  public record Unbonding(String transactionHash, long availableAt) {}

  /** Asks to leave: no new assignments; the stake stays slashable for the unbonding delay. */
  public Unbonding requestUnbond() {
    NodeRegistry r = sending("unregister");
    TransactionReceipt receipt = tx("requestUnbond", () -> r.requestUnbond().send());
    var event = NodeRegistry.getUnbondRequestedEvents(receipt).getFirst();
    return new Unbonding(receipt.getTransactionHash(), event.availableAt.longValueExact());
  }

  /** A withdrawn stake. */
  public record Withdrawal(String transactionHash, BigInteger amountWei) {}

  /**
   * Takes the stake back after the unbonding delay.
   *
   * @throws ContractRevertException {@link NodeRegistryError#UNBONDING_NOT_FINISHED} (with {@code
   *     availableAt}) before the delay has passed, {@code NotUnbonding}, {@code NotRegistered}
   */
  public Withdrawal withdraw() {
    NodeRegistry r = sending("withdraw");
    TransactionReceipt receipt = tx("withdraw", () -> r.withdraw().send());
    var event = NodeRegistry.getWithdrawnEvents(receipt).getFirst();
    return new Withdrawal(receipt.getTransactionHash(), event.amount);
  }

  /**
   * The arguments of {@code registerEnclaveKey}: an enclave key, the measurement its document
   * attests, the document and its hash and times, and the key's proof of possession (its signature
   * over {@code EnclaveKeyBinding(node, key)} in the registry's EIP-712 domain).
   */
  public record EnclaveKey(
      Address enclaveKey,
      byte[] measurement,
      Bytes32 attestationDocHash,
      long docTimeSeconds,
      long expirySeconds,
      byte[] attestationDocument,
      Signature keyProof) {
    public EnclaveKey {
      measurement = measurement.clone();
      attestationDocument = attestationDocument.clone();
    }

    @Override
    public byte[] measurement() {
      return measurement.clone();
    }

    @Override
    public byte[] attestationDocument() {
      return attestationDocument.clone();
    }
  }

  /** A registration sent: the key is pending until its KeyApproval case is decided. */
  public record KeyRegistration(
      String transactionHash, long blockNumber, BigInteger approvalCase) {}

  /**
   * Binds an enclave key to this node, paying the court's key approval fee: the key is {@link
   * KeyStatus#PENDING} until a committee approves it ({@link #enclaveKeyInfo}, {@link
   * #isActiveEnclaveKey}).
   *
   * @throws ContractRevertException the registry refused it ({@code MeasurementNotAllowed}, {@code
   *     InvalidEnclaveKeyProof}, {@code EnclaveKeyIsRejected}, …)
   */
  public KeyRegistration registerEnclaveKey(EnclaveKey k) {
    NodeRegistry r = sending("register an enclave key");
    BigInteger fee = keyApprovalFeeWei();
    TransactionReceipt receipt =
        tx(
            "registerEnclaveKey",
            () ->
                r.registerEnclaveKey(
                        k.enclaveKey().toHex(),
                        k.measurement(),
                        k.attestationDocHash().toArray(),
                        BigInteger.valueOf(k.docTimeSeconds()),
                        BigInteger.valueOf(k.expirySeconds()),
                        k.attestationDocument(),
                        k.keyProof().toArray(),
                        fee)
                    .send());
    var event = NodeRegistry.getEnclaveKeyRegisteredEvents(receipt).getFirst();
    return new KeyRegistration(
        receipt.getTransactionHash(),
        receipt.getBlockNumber().longValueExact(),
        event.approvalCase);
  }

  /** Governance: allows enclaves of the 48-byte {@code measurement} to register keys. */
  public String allowMeasurement(byte[] measurement) {
    NodeRegistry r = sending("allow a measurement");
    return tx("allowMeasurement", () -> r.allowMeasurement(measurement).send())
        .getTransactionHash();
  }

  // ------------------------------------------------------------------ plumbing

  private NodeRegistry sending(String purpose) {
    key.require("NodeRegistry", purpose);
    return registry;
  }

  private static List<byte[]> arrays(Collection<Bytes32> ids) {
    return ids.stream().map(Bytes32::toArray).toList();
  }

  private static String topic(Address a) {
    return "0x" + TypeEncoder.encode(new org.web3j.abi.datatypes.Address(a.toHex()));
  }

  private static <T> T view(String function, Callable<T> call) {
    return ChainCall.run("NodeRegistry." + function, call);
  }

  private static TransactionReceipt tx(String function, Callable<TransactionReceipt> call) {
    return ChainCall.run("NodeRegistry." + function, call);
  }
}
