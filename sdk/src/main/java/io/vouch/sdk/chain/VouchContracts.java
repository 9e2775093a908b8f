package io.vouch.sdk.chain;

import io.vouch.chain.ChainException;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.contracts.ModelRegistry;
import io.vouch.chain.contracts.NodeRegistry;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.chain.tx.GasLimits;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.error.ErrorCode;
import io.vouch.sdk.VouchClientException;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.TransactionManager;

/**
 * The contracts of one deployment as this client reaches them. Views go through a read-only
 * transaction manager, so a client without a key can still list models and verify results;
 * transactions go through the key's {@link TransactionSender} and are refused, with the fix, when
 * the client has no key.
 */
public final class VouchContracts {
  private final Web3j web3j;
  private final VouchDeployment deployment;
  private final Optional<TransactionSender> sender;
  private final NodeRegistry nodesView;
  private final ModelRegistry modelsView;
  private final InferenceHub hubView;

  private VouchContracts(
      Web3j web3j, VouchDeployment deployment, Optional<TransactionSender> sender) {
    this.web3j = web3j;
    this.deployment = deployment;
    this.sender = sender;
    Address from = sender.map(TransactionSender::address).orElse(Address.ZERO);
    TransactionManager reader = new ReadonlyTransactionManager(web3j, from.toHex());
    this.nodesView =
        NodeRegistry.load(deployment.nodeRegistry().toHex(), web3j, reader, GasLimits.DEFAULT);
    this.modelsView =
        ModelRegistry.load(deployment.modelRegistry().toHex(), web3j, reader, GasLimits.DEFAULT);
    this.hubView =
        InferenceHub.load(deployment.inferenceHub().toHex(), web3j, reader, GasLimits.DEFAULT);
  }

  /**
   * Connects to {@code deployment} through {@code web3j}; checks that the endpoint serves the
   * deployment's chain, so that a client never signs for one chain while talking to another.
   */
  public static VouchContracts connect(
      Web3j web3j, VouchDeployment deployment, Optional<Secp256k1.KeyPair> key) {
    long chainId =
        call("reading the chain id", () -> web3j.ethChainId().send().getChainId().longValueExact());
    if (chainId != deployment.chainId()) {
      throw new VouchClientException(
          ErrorCode.CHAIN_ERROR,
          "the RPC endpoint serves chain "
              + chainId
              + " but the deployment is on chain "
              + deployment.chainId()
              + "; point the client at the deployment's chain or load its deployment file");
    }
    Optional<TransactionSender> sender = key.map(k -> TransactionSender.create(web3j, k));
    return new VouchContracts(web3j, deployment, sender);
  }

  public Web3j web3j() {
    return web3j;
  }

  public VouchDeployment deployment() {
    return deployment;
  }

  /** The client's address, when it has a key. */
  public Optional<Address> self() {
    return sender.map(TransactionSender::address);
  }

  public NodeRegistry nodesView() {
    return nodesView;
  }

  public ModelRegistry modelsView() {
    return modelsView;
  }

  public InferenceHub hubView() {
    return hubView;
  }

  /** The key's sender; refused with the fix when the client is read-only. */
  public TransactionSender sender(String purpose) {
    return sender.orElseThrow(() ->
        new VouchClientException(
            ErrorCode.BAD_INPUT,
            "this client has no key, so it cannot "
                + purpose
                + "; give VouchConfig a key (the account that pays)"));
  }

  public ModelRegistry modelsAs(String purpose) {
    return deployment.modelRegistry(sender(purpose));
  }

  public InferenceHub hubAs(String purpose) {
    return deployment.inferenceHub(sender(purpose));
  }

  /** The timestamp of the latest block: the clock deadlines and challenge windows run on. */
  public long chainTime() {
    return call(
        "reading the latest block",
        () ->
            web3j
                .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                .send()
                .getBlock()
                .getTimestamp()
                .longValueExact());
  }

  /**
   * Runs one chain call; a revert passes through as {@link ContractRevertException} for the caller
   * to translate, any other failure becomes a CHAIN_ERROR that names what was being done.
   */
  public static <T> T call(String what, Callable<T> c) {
    try {
      return c.call();
    } catch (ContractRevertException | VouchClientException e) {
      throw e;
    } catch (ChainException | IOException e) {
      throw new VouchClientException(
          ErrorCode.CHAIN_ERROR,
          what + " failed: " + e.getMessage() + " (is the RPC endpoint up and synced?)",
          e);
    } catch (Exception e) {
      throw new VouchClientException(ErrorCode.CHAIN_ERROR, what + " failed: " + e.getMessage(), e);
    }
  }
}
