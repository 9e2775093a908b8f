package io.vouch.node.settlement;

import io.vouch.chain.hub.InferenceHubClient;
import io.vouch.core.Address;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each payer's channel to this node in the hub ({@code channelOf(payer, node)}), read from chain
 * and trusted for a short while: the voucher check runs on every paid request and must not cost an
 * RPC round trip each time.
 *
 * <p>Why a stale read is safe. The channel holds funds only this node can take; they change in
 * three ways. This node's redemptions lower the balance and raise the redeemed amount by the same
 * sum, so {@code cumulative − redeemed ≤ balance − unlocking} reads the same before and after. The
 * payer's top-ups only make the check stricter than needed (a refusal re-reads). The payer's unlock
 * requests lower what may be promised, but take effect only {@code channelUnlockDelay} after they
 * are made: a voucher accepted against a read at most {@code ttl} old is still covered if the node
 * redeems within {@code channelUnlockDelay − ttl} of the request, which {@link VoucherRedeemer}
 * does as soon as it sees one (it looks every {@code unlockWatch}).
 */
public final class PayerChannels {
  /**
   * A payer's channel to this node: what is locked for it, how much of that the payer asked back
   * (and when it may take it), and what the node redeemed from this payer so far.
   */
  public record Channel(
      BigInteger balance, BigInteger unlocking, long unlockAt, BigInteger redeemed) {
    /**
     * What vouchers may promise beyond what is redeemed: the balance that is not being unlocked.
     */
    public BigInteger promisable() {
      return balance.subtract(unlocking).max(BigInteger.ZERO);
    }

    /** Whether the payer asked funds back and the node must redeem before {@link #unlockAt}. */
    public boolean unlockPending() {
      return unlockAt != 0;
    }
  }

  private record Cached(Channel channel, long readAtNanos) {}

  private final InferenceHubClient hub;
  private final Address node;
  private final long ttlNanos;
  private final Map<Address, Cached> cache = new ConcurrentHashMap<>();

  public PayerChannels(InferenceHubClient hub, Address node, Duration ttl) {
    this.hub = hub;
    this.node = node;
    this.ttlNanos = ttl.toNanos();
  }

  /** The payer's channel, from the cache when fresh enough. */
  public Channel of(Address payer) {
    Cached c = cache.get(payer);
    if (c != null && System.nanoTime() - c.readAtNanos() < ttlNanos) {
      return c.channel();
    }
    return fresh(payer);
  }

  /** The payer's channel read from chain now. */
  public Channel fresh(Address payer) {
    try {
      InferenceHubClient.Channel t = hub.channelOf(payer, node);
      Channel ch = new Channel(t.balance(), t.unlocking(), t.unlockAt(), t.redeemed());
      cache.put(payer, new Cached(ch, System.nanoTime()));
      return ch;
    } catch (RuntimeException e) {
      throw new VouchException(
          ErrorCode.CHAIN_ERROR,
          "cannot read the channel of "
              + payer
              + " to this node from the hub to check the voucher; try again: "
              + e.getMessage(),
          e);
    }
  }

  public void invalidate(Address payer) {
    cache.remove(payer);
  }
}
