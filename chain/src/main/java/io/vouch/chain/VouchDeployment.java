package io.vouch.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.contracts.ModelRegistry;
import io.vouch.chain.contracts.NodeRegistry;
import io.vouch.chain.contracts.VerificationCourt;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.chain.tx.GasLimits;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.eip712.Eip712Domain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the Vouch contracts live on one chain: what {@code vouch devnet up} writes and every node,
 * SDK and CLI command reads. Written as JSON ({@link #toJson}/{@link #fromJson}).
 *
 * @param verificationCourt the VerificationCourt wired into the hub and the node registry, {@link
 *     Address#ZERO} for a deployment recorded without one
 */
public record VouchDeployment(
    long chainId,
    Address nodeRegistry,
    Address modelRegistry,
    Address inferenceHub,
    long deployedAtBlock,
    Address verificationCourt) {

  /** A deployment recorded without its court (as written before courts existed). */
  public VouchDeployment(
      long chainId,
      Address nodeRegistry,
      Address modelRegistry,
      Address inferenceHub,
      long deployedAtBlock) {
    this(chainId, nodeRegistry, modelRegistry, inferenceHub, deployedAtBlock, Address.ZERO);
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Contract parameters; see contracts/README.md for their meaning.
   *
   * @param unbondingDelaySeconds must be at least {@code maxAttempts × maxDeadlineSeconds +
   *     defaultChallengeWindowSeconds} (the hub's constructor refuses less)
   * @param channelUnlockDelaySeconds how long a payer waits between asking funds back from a
   *     direct-path channel and taking them: the node's time to redeem the vouchers it accepted
   * @param developmentAttestation whether the NodeRegistry accepts enclave keys attested under a
   *     development (simulator) root: true on a devnet only, immutable once deployed
   * @param maxAttestationTtlSeconds the longest an enclave key may live past its attestation
   *     document's time
   * @param priceIncreaseDelaySeconds how long after a node announces a higher price it may charge
   *     it (lower prices apply at once)
   * @param court the VerificationCourt's parameters; {@code unbondingDelaySeconds} must also cover
   *     {@code court.maxRounds × court.verdictWindowSeconds} beyond the hub's bound (the court's
   *     constructor refuses less)
   */
  public record Parameters(
      BigInteger minStake,
      long unbondingDelaySeconds,
      long defaultChallengeWindowSeconds,
      long maxDeadlineSeconds,
      long maxCallbackGas,
      int maxAttempts,
      long channelUnlockDelaySeconds,
      boolean developmentAttestation,
      long maxAttestationTtlSeconds,
      long priceIncreaseDelaySeconds,
      Court court) {

    /** The parameters without a court of their own: {@link Court#defaults()}. */
    public Parameters(
        BigInteger minStake,
        long unbondingDelaySeconds,
        long defaultChallengeWindowSeconds,
        long maxDeadlineSeconds,
        long maxCallbackGas,
        int maxAttempts,
        long channelUnlockDelaySeconds,
        boolean developmentAttestation,
        long maxAttestationTtlSeconds,
        long priceIncreaseDelaySeconds) {
      this(
          minStake,
          unbondingDelaySeconds,
          defaultChallengeWindowSeconds,
          maxDeadlineSeconds,
          maxCallbackGas,
          maxAttempts,
          channelUnlockDelaySeconds,
          developmentAttestation,
          maxAttestationTtlSeconds,
          priceIncreaseDelaySeconds,
          Court.defaults());
    }

    /** Enclave keys live at most a day past their attestation unless configured otherwise. */
    public static final long DEFAULT_MAX_ATTESTATION_TTL_SECONDS = 86_400;

    /** A higher price is charged an hour after it is announced unless configured otherwise. */
    public static final long DEFAULT_PRICE_INCREASE_DELAY_SECONDS = 3_600;

    /**
     * Production TEE settings: development-root attestations refused, a one-day attestation TTL.
     */
    public Parameters(
        BigInteger minStake,
        long unbondingDelaySeconds,
        long defaultChallengeWindowSeconds,
        long maxDeadlineSeconds,
        long maxCallbackGas,
        int maxAttempts,
        long channelUnlockDelaySeconds) {
      this(
          minStake,
          unbondingDelaySeconds,
          defaultChallengeWindowSeconds,
          maxDeadlineSeconds,
          maxCallbackGas,
          maxAttempts,
          channelUnlockDelaySeconds,
          false,
          DEFAULT_MAX_ATTESTATION_TTL_SECONDS,
          DEFAULT_PRICE_INCREASE_DELAY_SECONDS);
    }

    /**
     * A devnet: 1 ETH minimum stake, 1-day unbonding, 60 s challenge window, 3 attempts, a 1-hour
     * channel unlock delay, price increases due after 60 s, and the development enclave simulator's
     * attestations accepted.
     */
    public static Parameters devnet() {
      return new Parameters(
          BigInteger.TEN.pow(18),
          86_400,
          60,
          3_600,
          500_000,
          3,
          3_600,
          true,
          DEFAULT_MAX_ATTESTATION_TTL_SECONDS,
          60,
          Court.devnet());
    }

    /** The same parameters with another court. */
    public Parameters withCourt(Court c) {
      return new Parameters(
          minStake,
          unbondingDelaySeconds,
          defaultChallengeWindowSeconds,
          maxDeadlineSeconds,
          maxCallbackGas,
          maxAttempts,
          channelUnlockDelaySeconds,
          developmentAttestation,
          maxAttestationTtlSeconds,
          priceIncreaseDelaySeconds,
          c);
    }

    public Parameters withChallengeWindow(long seconds) {
      return new Parameters(
          minStake,
          unbondingDelaySeconds,
          seconds,
          maxDeadlineSeconds,
          maxCallbackGas,
          maxAttempts,
          channelUnlockDelaySeconds,
          developmentAttestation,
          maxAttestationTtlSeconds,
          priceIncreaseDelaySeconds,
          court);
    }

    /** The same parameters with development-root attestations accepted or refused. */
    public Parameters withDevelopmentAttestation(boolean allowed) {
      return new Parameters(
          minStake,
          unbondingDelaySeconds,
          defaultChallengeWindowSeconds,
          maxDeadlineSeconds,
          maxCallbackGas,
          maxAttempts,
          channelUnlockDelaySeconds,
          allowed,
          maxAttestationTtlSeconds,
          priceIncreaseDelaySeconds,
          court);
    }

    public Parameters withMaxAttestationTtl(long seconds) {
      return new Parameters(
          minStake,
          unbondingDelaySeconds,
          defaultChallengeWindowSeconds,
          maxDeadlineSeconds,
          maxCallbackGas,
          maxAttempts,
          channelUnlockDelaySeconds,
          developmentAttestation,
          seconds,
          priceIncreaseDelaySeconds,
          court);
    }

    public Parameters withPriceIncreaseDelay(long seconds) {
      return new Parameters(
          minStake,
          unbondingDelaySeconds,
          defaultChallengeWindowSeconds,
          maxDeadlineSeconds,
          maxCallbackGas,
          maxAttempts,
          channelUnlockDelaySeconds,
          developmentAttestation,
          maxAttestationTtlSeconds,
          seconds,
          court);
    }

    public Parameters withChannelUnlockDelay(long seconds) {
      return new Parameters(
          minStake,
          unbondingDelaySeconds,
          defaultChallengeWindowSeconds,
          maxDeadlineSeconds,
          maxCallbackGas,
          maxAttempts,
          seconds,
          developmentAttestation,
          maxAttestationTtlSeconds,
          priceIncreaseDelaySeconds,
          court);
    }
  }

  /**
   * The VerificationCourt's parameters (contracts/README.md, "Verification").
   *
   * @param committeeSize validators per committee (1..8)
   * @param quorumBps the share of a committee's stake that decides, in basis points (5001..10000)
   * @param maxRounds committees drawn for one case before it is released (≥ 1)
   * @param minValidators validators registered from which requests are routed through the court;
   *     with fewer the court is not in session and requests behave as without a court
   * @param verdictWindowSeconds how long a committee has to reach quorum
   * @param verdictFeeWei what a member who votes with the quorum earns; a routed request reserves
   *     {@code committeeSize ×} this from its escrow
   * @param challengeBondWei what a challenger puts up (≥ committeeSize × verdictFeeWei)
   * @param slashWei stake taken from a node whose result a quorum finds invalid
   * @param dissentSlashWei stake taken from a member who voted against the quorum
   * @param defaultAuditRateBps the audit rate of a model published without one (ModelRegistry)
   */
  public record Court(
      int committeeSize,
      int quorumBps,
      int maxRounds,
      int minValidators,
      long verdictWindowSeconds,
      BigInteger verdictFeeWei,
      BigInteger challengeBondWei,
      BigInteger slashWei,
      BigInteger dissentSlashWei,
      int defaultAuditRateBps) {

    private static final BigInteger ETHER = BigInteger.TEN.pow(18);

    /**
     * 3 members, quorum 66.66 % of their stake (2 of 3 equal stakes), 2 rounds of 10 minutes, in
     * session from 4 validators, 0.0001 ETH per verdict, a 0.01 ETH bond, 1 ETH slashed for an
     * invalid result and 0.1 ETH for a contradicted verdict, a 10 % audit rate.
     */
    public static Court defaults() {
      return new Court(
          3,
          6_666,
          2,
          4,
          600,
          ETHER.divide(BigInteger.valueOf(10_000)),
          ETHER.divide(BigInteger.valueOf(100)),
          ETHER,
          ETHER.divide(BigInteger.TEN),
          1_000);
    }

    /**
     * {@link #defaults()} with 30-second rounds, so that a devnet demo finishes in seconds, and in
     * session from 3 validators (a full committee): a devnet's validators hold no inference role,
     * so the executing node is never among them and 3 fill every committee.
     */
    public static Court devnet() {
      return defaults().withVerdictWindow(30).withMinValidators(3);
    }

    public Court withVerdictWindow(long seconds) {
      return new Court(
          committeeSize,
          quorumBps,
          maxRounds,
          minValidators,
          seconds,
          verdictFeeWei,
          challengeBondWei,
          slashWei,
          dissentSlashWei,
          defaultAuditRateBps);
    }

    public Court withMinValidators(int validators) {
      return new Court(
          committeeSize,
          quorumBps,
          maxRounds,
          validators,
          verdictWindowSeconds,
          verdictFeeWei,
          challengeBondWei,
          slashWei,
          dissentSlashWei,
          defaultAuditRateBps);
    }

    /** What a request routed through the court reserves: committee size × verdict fee. */
    public BigInteger verificationFeeWei() {
      return verdictFeeWei.multiply(BigInteger.valueOf(committeeSize));
    }

    VerificationCourt.Config toConfig() {
      return new VerificationCourt.Config(
          BigInteger.valueOf(committeeSize),
          BigInteger.valueOf(quorumBps),
          BigInteger.valueOf(maxRounds),
          BigInteger.valueOf(minValidators),
          BigInteger.valueOf(verdictWindowSeconds),
          verdictFeeWei,
          challengeBondWei,
          slashWei,
          dissentSlashWei);
    }
  }

  /**
   * Deploys NodeRegistry, ModelRegistry, InferenceHub and VerificationCourt from {@code deployer}
   * (a funded key), wires the hub into the node registry (it slashes a node whose result a
   * committee rejected) and the court into both (it draws committees from the registry's
   * validators, the hub settles and slashes on its verdicts, the registry lets it slash validators
   * whose verdict a quorum contradicted). The deployer is the registry's governance: it maintains
   * the enclave measurement allow-list. The court routes nothing until {@code court.minValidators}
   * validators have registered: until then requests behave as on a deployment without a court.
   *
   * @throws ContractRevertException {@code UnbondingDelayTooShort} (with the numbers) when {@code
   *     unbondingDelaySeconds < maxAttempts × maxDeadlineSeconds + defaultChallengeWindowSeconds}:
   *     the hub refuses a registry that would let stake go while a result can still be challenged
   *     (the court's own {@code UnbondingDelayTooShort} also counts {@code maxRounds ×
   *     verdictWindowSeconds})
   */
  public static VouchDeployment deploy(TransactionSender deployer, Parameters p) {
    var web3j = deployer.web3j();
    // Creating the hub (about 16 KB of code) costs more than any call: give deployments room.
    GasLimits gas = new GasLimits(8_000_000);
    try {
      NodeRegistry nodes =
          NodeRegistry.deploy(
                  web3j,
                  deployer,
                  gas,
                  p.minStake(),
                  BigInteger.valueOf(p.unbondingDelaySeconds()),
                  p.developmentAttestation(),
                  BigInteger.valueOf(p.maxAttestationTtlSeconds()),
                  BigInteger.valueOf(p.priceIncreaseDelaySeconds()))
              .send();
      ModelRegistry models =
          ModelRegistry.deploy(
                  web3j,
                  deployer,
                  gas,
                  BigInteger.valueOf(p.defaultChallengeWindowSeconds()),
                  BigInteger.valueOf(p.court().defaultAuditRateBps()))
              .send();
      InferenceHub hub =
          InferenceHub.deploy(
                  web3j,
                  deployer,
                  gas,
                  nodes.getContractAddress(),
                  models.getContractAddress(),
                  BigInteger.valueOf(p.maxDeadlineSeconds()),
                  BigInteger.valueOf(p.maxCallbackGas()),
                  BigInteger.valueOf(p.maxAttempts()),
                  BigInteger.valueOf(p.channelUnlockDelaySeconds()))
              .send();
      VerificationCourt court =
          VerificationCourt.deploy(
                  web3j,
                  deployer,
                  gas,
                  nodes.getContractAddress(),
                  models.getContractAddress(),
                  hub.getContractAddress(),
                  p.court().toConfig())
              .send();
      NodeRegistry registry =
          NodeRegistry.load(nodes.getContractAddress(), web3j, deployer, GasLimits.DEFAULT);
      registry.setHub(hub.getContractAddress()).send();
      registry.setCourt(court.getContractAddress()).send();
      InferenceHub.load(hub.getContractAddress(), web3j, deployer, GasLimits.DEFAULT)
          .setCourt(court.getContractAddress())
          .send();
      long block = hub.getTransactionReceipt().orElseThrow().getBlockNumber().longValueExact();
      return new VouchDeployment(
          deployer.chainId(),
          Address.fromHex(nodes.getContractAddress()),
          Address.fromHex(models.getContractAddress()),
          Address.fromHex(hub.getContractAddress()),
          block,
          Address.fromHex(court.getContractAddress()));
    } catch (ChainException e) {
      throw e;
    } catch (Exception e) {
      // web3j wraps a reverted creation (e.g. the hub's UnbondingDelayTooShort): surface the
      // revert.
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        if (c instanceof ContractRevertException revert) {
          throw revert;
        }
      }
      throw new ChainException("deploying the Vouch contracts failed: " + e.getMessage(), e);
    }
  }

  /** The EIP-712 domain receipts and vouchers of this deployment are signed in. */
  public Eip712Domain domain() {
    return Eip712Domain.of(chainId, inferenceHub);
  }

  /**
   * The NodeRegistry's EIP-712 domain: enclave keys sign their proof of possession ({@code
   * EnclaveKeyBinding}) in it.
   */
  public Eip712Domain nodeRegistryDomain() {
    return Eip712Domain.of(chainId, nodeRegistry);
  }

  public NodeRegistry nodeRegistry(TransactionSender sender) {
    return NodeRegistry.load(nodeRegistry.toHex(), sender.web3j(), sender, GasLimits.DEFAULT);
  }

  public ModelRegistry modelRegistry(TransactionSender sender) {
    return ModelRegistry.load(modelRegistry.toHex(), sender.web3j(), sender, GasLimits.DEFAULT);
  }

  public InferenceHub inferenceHub(TransactionSender sender) {
    return InferenceHub.load(inferenceHub.toHex(), sender.web3j(), sender, GasLimits.DEFAULT);
  }

  /** The VerificationCourt (a {@link ChainException} for a deployment recorded without one). */
  public VerificationCourt verificationCourt(TransactionSender sender) {
    if (verificationCourt.equals(Address.ZERO)) {
      throw new ChainException("this deployment has no VerificationCourt recorded");
    }
    return VerificationCourt.load(
        verificationCourt.toHex(), sender.web3j(), sender, GasLimits.DEFAULT);
  }

  /** The court's EIP-712 domain: committee members sign their {@code Verdict}s in it. */
  public Eip712Domain courtDomain() {
    return Eip712Domain.of(chainId, verificationCourt);
  }

  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("chainId", chainId);
    m.put("nodeRegistry", nodeRegistry.toHex());
    m.put("modelRegistry", modelRegistry.toHex());
    m.put("inferenceHub", inferenceHub.toHex());
    m.put("deployedAtBlock", deployedAtBlock);
    if (!verificationCourt.equals(Address.ZERO)) {
      m.put("verificationCourt", verificationCourt.toHex());
    }
    try {
      return JSON.writeValueAsString(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static VouchDeployment fromJson(String json) {
    try {
      var n = JSON.readTree(json);
      for (String field :
          new String[] {
            "chainId", "nodeRegistry", "modelRegistry", "inferenceHub", "deployedAtBlock"
          }) {
        if (!n.hasNonNull(field)) {
          throw new IllegalArgumentException(
              "deployment JSON lacks '" + field + "'; expected the output of toJson(): " + json);
        }
      }
      return new VouchDeployment(
          n.get("chainId").asLong(),
          Address.fromHex(n.get("nodeRegistry").asText()),
          Address.fromHex(n.get("modelRegistry").asText()),
          Address.fromHex(n.get("inferenceHub").asText()),
          n.get("deployedAtBlock").asLong(),
          n.hasNonNull("verificationCourt")
              ? Address.fromHex(n.get("verificationCourt").asText())
              : Address.ZERO);
    } catch (IOException e) {
      throw new IllegalArgumentException("deployment JSON is not valid JSON: " + e.getMessage(), e);
    }
  }

  public void writeTo(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, toJson());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the deployment to " + file, e);
    }
  }

  public static VouchDeployment readFrom(Path file) {
    try {
      return fromJson(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the deployment from " + file + " (run 'vouch devnet up' first?)", e);
    }
  }
}
