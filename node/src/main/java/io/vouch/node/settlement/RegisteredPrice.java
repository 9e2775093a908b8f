package io.vouch.node.settlement;

import io.vouch.chain.registry.NodeRegistryClient;
import io.vouch.core.Address;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import java.math.BigInteger;
import java.time.Duration;

/**
 * What this node may charge per request now: its price in the NodeRegistry ({@code priceOf}), read
 * from chain and trusted for a short while. A higher price the node announced is charged only once
 * the registry's {@code priceIncreaseDelay} has passed, and clients never sign for more than the
 * registry says: a node that asked for its configured price before then would only be refused.
 */
public final class RegisteredPrice {
  private record Cached(BigInteger price, long readAtNanos) {}

  private final NodeRegistryClient registry;
  private final Address node;
  private final long ttlNanos;
  private volatile Cached cached;

  public RegisteredPrice(NodeRegistryClient registry, Address node, Duration ttl) {
    this.registry = registry;
    this.node = node;
    this.ttlNanos = ttl.toNanos();
  }

  /** The price the registry charges for this node now. */
  public BigInteger now() {
    Cached c = cached;
    if (c != null && System.nanoTime() - c.readAtNanos() < ttlNanos) {
      return c.price();
    }
    try {
      BigInteger p = registry.priceOf(node);
      cached = new Cached(p, System.nanoTime());
      return p;
    } catch (RuntimeException e) {
      throw new VouchException(
          ErrorCode.CHAIN_ERROR,
          "cannot read this node's registered price to charge it; try again: " + e.getMessage(),
          e);
    }
  }
}
