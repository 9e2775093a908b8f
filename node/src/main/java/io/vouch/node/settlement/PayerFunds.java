package io.vouch.node.settlement;

import io.vouch.chain.contracts.InferenceHub;
import io.vouch.core.Address;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A payer's deposit in the hub and what this node already redeemed from it, read from chain and
 * trusted for a short while: the voucher check runs on every paid request and must not cost two RPC
 * round trips each time.
 *
 * <p>Staleness is safe against this node's own redemptions: a redemption lowers the deposit and
 * raises the redeemed amount by the same sum, so {@code cumulative − redeemed ≤ deposit} reads the
 * same before and after. It is not safe against a payer's withdrawal or another node's redemption
 * within the cache time; that window is the price of not reading the chain per request.
 */
public final class PayerFunds {
  /** What the hub holds for a payer and what it paid this node from it so far. */
  public record Funds(BigInteger deposit, BigInteger redeemed) {}

  private record Cached(Funds funds, long readAtNanos) {}

  private final InferenceHub hub;
  private final Address node;
  private final long ttlNanos;
  private final Map<Address, Cached> cache = new ConcurrentHashMap<>();

  public PayerFunds(InferenceHub hub, Address node, Duration ttl) {
    this.hub = hub;
    this.node = node;
    this.ttlNanos = ttl.toNanos();
  }

  /** The payer's funds, from the cache when fresh enough. */
  public Funds of(Address payer) {
    Cached c = cache.get(payer);
    if (c != null && System.nanoTime() - c.readAtNanos() < ttlNanos) {
      return c.funds();
    }
    return fresh(payer);
  }

  /** The payer's funds read from chain now. */
  public Funds fresh(Address payer) {
    try {
      Funds f =
          new Funds(
              hub.depositOf(payer.toHex()).send(),
              hub.redeemedOf(payer.toHex(), node.toHex()).send());
      cache.put(payer, new Cached(f, System.nanoTime()));
      return f;
    } catch (Exception e) {
      throw new VouchException(
          ErrorCode.CHAIN_ERROR,
          "cannot read the deposit of "
              + payer
              + " from the hub to check the voucher; try again: "
              + e.getMessage(),
          e);
    }
  }

  public void invalidate(Address payer) {
    cache.remove(payer);
  }
}
