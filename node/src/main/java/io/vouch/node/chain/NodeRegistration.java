package io.vouch.node.chain;

import io.vouch.chain.ChainException;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.registry.NodeRegistryClient;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.node.inference.LoadedModel;
import java.math.BigInteger;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's entry in the NodeRegistry in step with what it serves: registers it with its
 * stake the first time, and updates endpoint, levels, price and models afterwards.
 */
public final class NodeRegistration {
  private static final int ROLE_INFERENCE = NodeRegistryClient.ROLE_INFERENCE;
  private static final Logger LOG = LoggerFactory.getLogger(NodeRegistration.class);

  private final NodeRegistryClient registry;
  private final TransactionSender sender;
  private final BigInteger stakeWei;
  private final BigInteger priceWei;
  private final int roles;

  /** An inference node's registration. */
  public NodeRegistration(
      TransactionSender sender,
      VouchDeployment deployment,
      BigInteger stakeWei,
      BigInteger priceWei) {
    this(sender, deployment, stakeWei, priceWei, ROLE_INFERENCE);
  }

  /**
   * @param roles the NodeRegistry role bits (1 inference, 2 validator), fixed at registration; a
   *     node without the inference role registers no levels, models or price
   */
  public NodeRegistration(
      TransactionSender sender,
      VouchDeployment deployment,
      BigInteger stakeWei,
      BigInteger priceWei,
      int roles) {
    this.roles = roles;
    this.sender = sender;
    this.registry = new NodeRegistryClient(sender, deployment);
    this.stakeWei = stakeWei;
    this.priceWei = priceWei;
  }

  /** Registers or updates; returns the transaction hash. */
  public String publish(String endpoint, Collection<LoadedModel> models) {
    Set<VerificationLevel> levels = EnumSet.noneOf(VerificationLevel.class);
    for (LoadedModel m : models) {
      levels.addAll(m.levels());
    }
    if (levels.isEmpty()) {
      levels.add(VerificationLevel.VANILLA);
    }
    List<Bytes32> ids = models.stream().map(LoadedModel::modelId).toList();
    BigInteger price = priceWei;
    if ((roles & ROLE_INFERENCE) == 0) {
      levels.clear(); // a validator only: in no inference pool
      ids = List.of();
      price = BigInteger.ZERO;
    }
    try {
      String tx;
      if (registry.isRegistered(sender.address())) {
        tx = registry.updateCapabilities(endpoint, levels, price, ids);
      } else {
        tx = registry.register(roles, endpoint, levels, price, ids, stakeWei);
        LOG.info(
            "registered node {} (roles {}) with stake {} wei", sender.address(), roles, stakeWei);
      }
      return tx;
    } catch (ChainException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ChainException("node registration failed: " + e.getMessage(), e);
    }
  }
}
