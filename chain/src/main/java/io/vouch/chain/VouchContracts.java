package io.vouch.chain;

import io.vouch.chain.hub.InferenceHubClient;
import io.vouch.chain.registry.ModelRegistryClient;
import io.vouch.chain.registry.NodeRegistryClient;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.crypto.Secp256k1;
import java.io.IOException;
import java.util.Optional;
import org.web3j.protocol.Web3j;

/**
 * The contracts of one deployment as one account reaches them: the typed clients of the hub and the
 * two registries, reading with or without a key and sending only with one. What the SDK and the CLI
 * connect to.
 */
public final class VouchContracts {
  private final Web3j web3j;
  private final VouchDeployment deployment;
  private final Optional<TransactionSender> sender;
  private final InferenceHubClient hub;
  private final NodeRegistryClient nodeRegistry;
  private final ModelRegistryClient modelRegistry;

  private VouchContracts(
      Web3j web3j, VouchDeployment deployment, Optional<TransactionSender> sender) {
    this.web3j = web3j;
    this.deployment = deployment;
    this.sender = sender;
    this.hub = InferenceHubClient.of(web3j, deployment, sender);
    this.nodeRegistry = NodeRegistryClient.of(web3j, deployment, sender);
    this.modelRegistry = ModelRegistryClient.of(web3j, deployment, sender);
  }

  /**
   * Connects to {@code deployment} through {@code web3j}, with {@code key} when given; checks that
   * the endpoint serves the deployment's chain, so that a client never signs for one chain while
   * talking to another.
   *
   * @throws ChainException the endpoint is unreachable or serves another chain (the message says
   *     which and what to do)
   */
  public static VouchContracts connect(
      Web3j web3j, VouchDeployment deployment, Optional<Secp256k1.KeyPair> key) {
    long chainId;
    try {
      chainId = web3j.ethChainId().send().getChainId().longValueExact();
    } catch (IOException | RuntimeException e) {
      throw new ChainException(
          "reading the chain id failed: "
              + e.getMessage()
              + " (is the RPC endpoint up and synced?)",
          e);
    }
    if (chainId != deployment.chainId()) {
      throw new ChainException(
          "the RPC endpoint serves chain "
              + chainId
              + " but the deployment is on chain "
              + deployment.chainId()
              + "; point the client at the deployment's chain or load its deployment file");
    }
    Optional<TransactionSender> sender = key.map(k -> TransactionSender.create(web3j, k));
    return new VouchContracts(web3j, deployment, sender);
  }

  /** The contracts as {@code sender} reaches them (a node, a devnet's governance). */
  public static VouchContracts of(TransactionSender sender, VouchDeployment deployment) {
    return new VouchContracts(sender.web3j(), deployment, Optional.of(sender));
  }

  public Web3j web3j() {
    return web3j;
  }

  public VouchDeployment deployment() {
    return deployment;
  }

  /** The account this client sends from, when it has a key. */
  public Optional<Address> self() {
    return sender.map(TransactionSender::address);
  }

  /** Whether this client can send transactions. */
  public boolean hasKey() {
    return sender.isPresent();
  }

  public InferenceHubClient hub() {
    return hub;
  }

  public NodeRegistryClient nodeRegistry() {
    return nodeRegistry;
  }

  public ModelRegistryClient modelRegistry() {
    return modelRegistry;
  }

  /** The timestamp of the latest block: the clock deadlines and challenge windows run on. */
  public long chainTime() {
    return ChainHead.time(web3j);
  }
}
