package io.vouch.node.settlement;

import io.vouch.chain.hub.InferenceHubClient;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.core.Address;
import io.vouch.infra.service.Scheduler;
import io.vouch.infra.service.Service;
import io.vouch.node.journal.Journal;
import io.vouch.node.journal.JournalEntry;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns held vouchers into wei: for each payer, redeems the highest held voucher with {@code
 * redeemVoucher} once it is worth at least {@code thresholdWei} more than what the hub already paid
 * this node from that payer (one transaction settles any number of requests), or at once on demand.
 * The amount already redeemed is read from chain, so a redemption that landed before a crash is
 * never repeated (the hub would refuse it anyway: vouchers are cumulative).
 *
 * <p>A payer who asked funds back from its channel to this node ({@code requestUnlock}) can take
 * them {@code channelUnlockDelay} later; every {@code unlockWatch} the redeemer looks at the
 * channels of payers whose vouchers it has not redeemed in full, and redeems such a payer's voucher
 * at once, whatever the threshold, so what the node accepted is paid before the funds can leave.
 * {@code unlockWatch} plus the channel cache time must stay well under the unlock delay (NodeApp
 * checks it at start).
 */
public final class VoucherRedeemer extends Service {
  private static final Logger LOG = LoggerFactory.getLogger(VoucherRedeemer.class);

  private final InferenceHubClient hub;
  private final Address node;
  private final Journal journal;
  private final PayerChannels channels;
  private final BigInteger thresholdWei;
  private final Duration interval;
  private final Duration unlockWatch;
  private final Scheduler scheduler;
  private Scheduler.Repeating loop;
  private long lastRoundNanos;

  public VoucherRedeemer(
      InferenceHubClient hub,
      Address node,
      Journal journal,
      PayerChannels channels,
      BigInteger thresholdWei,
      Duration interval,
      Duration unlockWatch,
      Scheduler scheduler) {
    this.scheduler = scheduler;
    this.hub = hub;
    this.node = node;
    this.journal = journal;
    this.channels = channels;
    this.thresholdWei = thresholdWei;
    this.interval = interval;
    this.unlockWatch = unlockWatch;
  }

  @Override
  protected void doStart() {
    lastRoundNanos = System.nanoTime();
    Duration tick =
        Duration.ofMillis(Math.max(1, Math.min(interval.toMillis(), unlockWatch.toMillis())));
    loop = scheduler.repeat("vouch-redeemer-" + node, tick, tick, this::tick);
  }

  private void tick() {
    try {
      redeemUnlocking();
      if (System.nanoTime() - lastRoundNanos >= interval.toNanos()) {
        lastRoundNanos = System.nanoTime();
        redeem(false);
      }
    } catch (RuntimeException e) {
      LOG.warn("redeeming vouchers failed, will retry: {}", e.getMessage());
    }
  }

  /**
   * Redeems, whatever they are worth, the vouchers of payers who asked funds back from their
   * channel to this node; returns what it redeemed.
   */
  public synchronized List<Redemption> redeemUnlocking() {
    List<Redemption> done = new ArrayList<>();
    for (Journal.HeldVoucher v : journal.vouchers()) {
      if (v.unredeemed().signum() <= 0) {
        continue;
      }
      PayerChannels.Channel ch;
      try {
        ch = channels.fresh(v.payer());
      } catch (RuntimeException e) {
        LOG.warn("cannot read the channel of {}: {}", v.payer(), e.getMessage());
        continue;
      }
      if (ch.unlockPending()) {
        LOG.info(
            "{} asked {} wei of its channel back (due at {}): redeeming its voucher now",
            v.payer(),
            ch.unlocking(),
            ch.unlockAt());
        redeemOne(v, BigInteger.ONE).ifPresent(done::add);
      }
    }
    return done;
  }

  @Override
  protected void doStop() {
    loop.cancel(false);
  }

  /**
   * Redeems every held voucher worth redeeming: at least the threshold, or anything when {@code
   * all}. A payer whose deposit is empty is skipped (logged) and retried next time.
   */
  public synchronized List<Redemption> redeem(boolean all) {
    List<Redemption> done = new ArrayList<>();
    BigInteger floor = all ? BigInteger.ONE : thresholdWei.max(BigInteger.ONE);
    for (Journal.HeldVoucher v : journal.vouchers()) {
      if (v.unredeemed().compareTo(floor) >= 0) {
        redeemOne(v, floor).ifPresent(done::add);
      }
    }
    return done;
  }

  private Optional<Redemption> redeemOne(Journal.HeldVoucher v, BigInteger floor) {
    BigInteger onChain;
    try {
      onChain = hub.redeemedOf(v.payer(), node);
    } catch (Exception e) {
      LOG.warn("cannot read what {} redeemed so far: {}", v.payer(), e.getMessage());
      return Optional.empty();
    }
    BigInteger due = v.cumulativeAmount().subtract(onChain);
    if (due.signum() <= 0) {
      // Redeemed before a crash let us journal it: record it, pay nothing twice.
      journal.append(
          new JournalEntry.VoucherRedeemed(
              v.payer(), v.cumulativeAmount(), BigInteger.ZERO, "(recovered)"));
      return Optional.empty();
    }
    if (due.compareTo(floor) < 0) {
      return Optional.empty();
    }
    try {
      InferenceHubClient.Redemption r =
          hub.redeemVoucher(v.payer(), v.cumulativeAmount(), v.signature());
      journal.append(
          new JournalEntry.VoucherRedeemed(
              v.payer(), v.cumulativeAmount(), r.paid(), r.transactionHash()));
      channels.invalidate(v.payer());
      LOG.info(
          "redeemed {} wei from {} (voucher {}) in {}",
          r.paid(),
          v.payer(),
          v.cumulativeAmount(),
          r.transactionHash());
      return Optional.of(
          new Redemption(
              v.payer(), v.cumulativeAmount(), r.paid(), r.shortfall(), r.transactionHash()));
    } catch (ContractRevertException e) {
      LOG.warn("the hub refused to redeem {}'s voucher: {}", v.payer(), e.getMessage());
    } catch (Exception e) {
      LOG.warn("redeeming {}'s voucher failed, will retry: {}", v.payer(), e.getMessage());
    }
    return Optional.empty();
  }
}
