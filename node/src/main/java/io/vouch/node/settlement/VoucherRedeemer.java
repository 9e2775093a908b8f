package io.vouch.node.settlement;

import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.core.Address;
import io.vouch.node.journal.Journal;
import io.vouch.node.journal.JournalEntry;
import io.vouch.node.service.Service;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns held vouchers into wei: for each payer, redeems the highest held voucher with {@code
 * redeemVoucher} once it is worth at least {@code thresholdWei} more than what the hub already paid
 * this node from that payer (one transaction settles any number of requests), or at once on demand.
 * The amount already redeemed is read from chain, so a redemption that landed before a crash is
 * never repeated (the hub would refuse it anyway: vouchers are cumulative).
 */
public final class VoucherRedeemer extends Service {
  private static final Logger LOG = LoggerFactory.getLogger(VoucherRedeemer.class);

  private final InferenceHub hub;
  private final Address node;
  private final Journal journal;
  private final PayerFunds funds;
  private final BigInteger thresholdWei;
  private final Duration interval;
  private ScheduledExecutorService loop;

  public VoucherRedeemer(
      InferenceHub hub,
      Address node,
      Journal journal,
      PayerFunds funds,
      BigInteger thresholdWei,
      Duration interval) {
    this.hub = hub;
    this.node = node;
    this.journal = journal;
    this.funds = funds;
    this.thresholdWei = thresholdWei;
    this.interval = interval;
  }

  @Override
  protected void doStart() {
    loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("vouch-redeemer-" + node).unstarted(r));
    loop.scheduleWithFixedDelay(
        () -> {
          try {
            redeem(false);
          } catch (RuntimeException e) {
            LOG.warn("redeeming vouchers failed, will retry: {}", e.getMessage());
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  protected void doStop() {
    loop.shutdown();
    try {
      loop.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Redeems every held voucher worth redeeming: at least the threshold, or anything when {@code
   * all}. A payer whose deposit is empty is skipped (logged) and retried next time.
   */
  public synchronized List<Redemption> redeem(boolean all) {
    List<Redemption> done = new ArrayList<>();
    for (Journal.HeldVoucher v : journal.vouchers()) {
      BigInteger floor = all ? BigInteger.ONE : thresholdWei.max(BigInteger.ONE);
      if (v.unredeemed().compareTo(floor) < 0) {
        continue;
      }
      BigInteger onChain;
      try {
        onChain = hub.redeemedOf(v.payer().toHex(), node.toHex()).send();
      } catch (Exception e) {
        LOG.warn("cannot read what {} redeemed so far: {}", v.payer(), e.getMessage());
        continue;
      }
      BigInteger due = v.cumulativeAmount().subtract(onChain);
      if (due.signum() <= 0) {
        // Redeemed before a crash let us journal it: record it, pay nothing twice.
        journal.append(
            new JournalEntry.VoucherRedeemed(
                v.payer(), v.cumulativeAmount(), BigInteger.ZERO, "(recovered)"));
        continue;
      }
      if (due.compareTo(floor) < 0) {
        continue;
      }
      try {
        var receipt =
            hub.redeemVoucher(v.payer().toHex(), v.cumulativeAmount(), v.signature().toArray())
                .send();
        var event = InferenceHub.getVoucherRedeemedEvents(receipt).getFirst();
        journal.append(
            new JournalEntry.VoucherRedeemed(
                v.payer(), v.cumulativeAmount(), event.paid, receipt.getTransactionHash()));
        funds.invalidate(v.payer());
        done.add(
            new Redemption(
                v.payer(),
                v.cumulativeAmount(),
                event.paid,
                event.shortfall,
                receipt.getTransactionHash()));
        LOG.info(
            "redeemed {} wei from {} (voucher {}) in {}",
            event.paid,
            v.payer(),
            v.cumulativeAmount(),
            receipt.getTransactionHash());
      } catch (ContractRevertException e) {
        LOG.warn("the hub refused to redeem {}'s voucher: {}", v.payer(), e.getMessage());
      } catch (Exception e) {
        LOG.warn("redeeming {}'s voucher failed, will retry: {}", v.payer(), e.getMessage());
      }
    }
    return done;
  }
}
