package io.vouch.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.contracts.ModelRegistry;
import io.vouch.chain.contracts.NodeRegistry;
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
 */
public record VouchDeployment(
    long chainId,
    Address nodeRegistry,
    Address modelRegistry,
    Address inferenceHub,
    long deployedAtBlock) {

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
      long priceIncreaseDelaySeconds) {

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
          60);
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
          priceIncreaseDelaySeconds);
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
          priceIncreaseDelaySeconds);
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
          priceIncreaseDelaySeconds);
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
          seconds);
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
          priceIncreaseDelaySeconds);
    }
  }

  /**
   * Deploys NodeRegistry, ModelRegistry and InferenceHub from {@code deployer} (a funded key) and
   * wires the hub into the node registry (the only account allowed to slash). The deployer is the
   * registry's governance: it maintains the enclave measurement allow-list.
   *
   * @throws ContractRevertException {@code UnbondingDelayTooShort} (with the numbers) when {@code
   *     unbondingDelaySeconds < maxAttempts × maxDeadlineSeconds + defaultChallengeWindowSeconds}:
   *     the hub refuses a registry that would let stake go while a result can still be challenged
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
                  web3j, deployer, gas, BigInteger.valueOf(p.defaultChallengeWindowSeconds()))
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
      NodeRegistry.load(nodes.getContractAddress(), web3j, deployer, GasLimits.DEFAULT)
          .setHub(hub.getContractAddress())
          .send();
      long block = hub.getTransactionReceipt().orElseThrow().getBlockNumber().longValueExact();
      return new VouchDeployment(
          deployer.chainId(),
          Address.fromHex(nodes.getContractAddress()),
          Address.fromHex(models.getContractAddress()),
          Address.fromHex(hub.getContractAddress()),
          block);
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

  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("chainId", chainId);
    m.put("nodeRegistry", nodeRegistry.toHex());
    m.put("modelRegistry", modelRegistry.toHex());
    m.put("inferenceHub", inferenceHub.toHex());
    m.put("deployedAtBlock", deployedAtBlock);
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
          n.get("deployedAtBlock").asLong());
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
