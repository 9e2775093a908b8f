package io.vouch.node.chain;

import io.vouch.chain.ChainException;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.contracts.NodeRegistry;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.VerificationLevel;
import io.vouch.node.inference.LoadedModel;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's entry in the NodeRegistry in step with what it serves: registers it with its
 * stake the first time, and updates endpoint, levels, price and models afterwards.
 */
public final class NodeRegistration {
  private static final int ROLE_INFERENCE = 1;
  private static final Logger LOG = LoggerFactory.getLogger(NodeRegistration.class);

  private final NodeRegistry registry;
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
    this.registry = deployment.nodeRegistry(sender);
    this.stakeWei = stakeWei;
    this.priceWei = priceWei;
  }

  /** Registers or updates; returns the transaction hash. */
  public String publish(String endpoint, Collection<LoadedModel> models) {
    int levels = 0;
    for (LoadedModel m : models) {
      levels |= VerificationLevel.mask(m.levels());
    }
    if (levels == 0) {
      levels = VerificationLevel.VANILLA.bit();
    }
    List<byte[]> ids = models.stream().map(m -> m.modelId().toArray()).toList();
    BigInteger price = priceWei;
    if ((roles & ROLE_INFERENCE) == 0) {
      levels = 0; // a validator only: in no inference pool
      ids = List.of();
      price = BigInteger.ZERO;
    }
    try {
      boolean registered = registry.isRegistered(sender.address().toHex()).send();
      String tx;
      if (registered) {
        tx =
            registry
                .updateCapabilities(endpoint, BigInteger.valueOf(levels), price, ids)
                .send()
                .getTransactionHash();
      } else {
        tx =
            registry
                .register(
                    BigInteger.valueOf(roles),
                    endpoint,
                    BigInteger.valueOf(levels),
                    price,
                    ids,
                    stakeWei)
                .send()
                .getTransactionHash();
        LOG.info(
            "registered node {} (roles {}) with stake {} wei", sender.address(), roles, stakeWei);
      }
      return tx;
    } catch (ChainException e) {
      throw e;
    } catch (Exception e) {
      throw new ChainException("node registration failed: " + e.getMessage(), e);
    }
  }
}
