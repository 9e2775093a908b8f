package io.vouch.sdk.payment;

import io.vouch.chain.VouchContracts;
import io.vouch.chain.hub.InferenceHubClient;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.core.Address;
import io.vouch.core.crypto.InvalidSignatureException;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.PaymentVoucher;
import io.vouch.core.error.ErrorCode;
import io.vouch.sdk.VouchClientException;
import io.vouch.sdk.chain.ChainCalls;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * The payer's side of direct-path payment: a free deposit in the InferenceHub, a channel per node
 * that locks part of it for that node alone, and per node a running cumulative total signed as a
 * {@link PaymentVoucher}. Each voucher replaces the previous one for that node; the hub pays the
 * node the difference to what it already redeemed, at most what the channel holds.
 *
 * <p>Channels are funded on demand from the free deposit: when a voucher would promise a node more
 * than its channel holds, the channel is topped up for {@link #requestsPerFunding()} more requests
 * at that price (at least what is missing, at most the free deposit), one transaction per top-up. A
 * node accepts a voucher only within its channel ({@code cumulative − redeemed ≤ balance −
 * unlocking}), so a payer can never promise the same funds to two nodes.
 *
 * <p>What the client believes. Its book per node (the total signed, and the channel's ceiling
 * {@code balance + redeemed − unlocking}) starts from the chain ({@code channelOf}) and changes
 * only through this client's own actions: a node's redemption moves funds from balance to redeemed
 * and leaves the ceiling as it is. A node's claims are not believed: a held amount above the book
 * is taken only with the payer's own signature on it ({@link #resume}), and a voucher the node
 * refused is taken back ({@link #refused}), so a node that refuses every voucher it is sent ends up
 * with at most one request's price it did not earn.
 */
public final class PaymentChannel {
  /**
   * A channel top-up pays for this many requests at the node's price unless configured otherwise.
   */
  public static final int DEFAULT_REQUESTS_PER_FUNDING = 10;

  /** A payer's channel to one node as the hub holds it. */
  public record Channel(
      BigInteger balance, BigInteger unlocking, long unlockAt, BigInteger redeemed) {
    /**
     * The most the cumulative vouchers to this node may reach: {@code balance + redeemed −
     * unlocking}.
     */
    public BigInteger ceiling() {
      return balance.add(redeemed).subtract(unlocking);
    }
  }

  /** What this client signed for one node, and the most it may sign (guarded by the channel). */
  private static final class Book {
    BigInteger signed;
    BigInteger ceiling;

    Book(BigInteger signed, BigInteger ceiling) {
      this.signed = signed;
      this.ceiling = ceiling;
    }
  }

  private final VouchContracts contracts;
  private final Secp256k1.KeyPair key;
  private final Eip712Domain domain;
  private final Map<Address, Book> books = new HashMap<>(); // guarded by this
  private volatile int requestsPerFunding = DEFAULT_REQUESTS_PER_FUNDING;

  public PaymentChannel(VouchContracts contracts, Secp256k1.KeyPair key) {
    this.contracts = contracts;
    this.key = key;
    this.domain = contracts.deployment().domain();
  }

  public Address payer() {
    return key.address();
  }

  /** How many requests at a node's price a channel top-up pays for. */
  public int requestsPerFunding() {
    return requestsPerFunding;
  }

  /** Sets how many requests at a node's price a channel top-up pays for (at least 1). */
  public PaymentChannel requestsPerFunding(int requests) {
    if (requests < 1) {
      throw new VouchClientException(
          ErrorCode.BAD_INPUT, "requestsPerFunding must be at least 1, got " + requests);
    }
    this.requestsPerFunding = requests;
    return this;
  }

  /** Adds {@code wei} to this payer's free deposit in the hub. */
  public DepositReceipt deposit(BigInteger wei) {
    if (wei.signum() <= 0) {
      throw new VouchClientException(
          ErrorCode.BAD_INPUT, "a deposit must be more than 0 wei, got " + wei);
    }
    InferenceHubClient hub = hubAs("deposit");
    String tx = transact("depositing " + wei + " wei", () -> hub.deposit(wei));
    return new DepositReceipt(tx, balance());
  }

  /** Takes {@code wei} of the free deposit back (at once: no node counts on free funds). */
  public String withdraw(BigInteger wei) {
    InferenceHubClient hub = hubAs("withdraw a deposit");
    return transact("withdrawing " + wei + " wei", () -> hub.withdrawDeposit(wei));
  }

  /** This payer's free deposit in the hub now (what channels are funded from). */
  public BigInteger balance() {
    return ChainCalls.call(
        "reading the deposit of " + payer(), () -> contracts.hub().depositOf(payer()));
  }

  /** This payer's channel to {@code node}, read from the hub now. */
  public Channel channel(Address node) {
    InferenceHubClient.Channel t =
        ChainCalls.call(
            "reading the channel of " + payer() + " to " + node,
            () -> contracts.hub().channelOf(payer(), node));
    return new Channel(t.balance(), t.unlocking(), t.unlockAt(), t.redeemed());
  }

  /** What {@code node} has already redeemed from this payer on chain. */
  public BigInteger redeemedBy(Address node) {
    return channel(node).redeemed();
  }

  /** Locks {@code wei} of the free deposit into the channel to {@code node}. */
  public synchronized String fund(Address node, BigInteger wei) {
    Book b = book(node);
    InferenceHubClient hub = hubAs("fund a channel");
    String tx =
        transact("locking " + wei + " wei for node " + node, () -> hub.fundChannel(node, wei));
    b.ceiling = b.ceiling.add(wei);
    return tx;
  }

  /**
   * Asks {@code wei} of the channel to {@code node} back; the node stops counting it at once and
   * {@link #unlock} moves it to the free deposit after the hub's {@code channelUnlockDelay}.
   */
  public synchronized String requestUnlock(Address node, BigInteger wei) {
    Book b = book(node);
    InferenceHubClient hub = hubAs("unlock a channel");
    String tx =
        transact(
            "asking " + wei + " wei back from the channel to " + node,
            () -> hub.requestUnlock(node, wei));
    b.ceiling = channel(node).ceiling();
    return tx;
  }

  /** After the unlock delay, moves what was asked back into the free deposit. */
  public synchronized String unlock(Address node) {
    InferenceHubClient hub = hubAs("unlock a channel");
    String tx = transact("unlocking the channel to " + node, () -> hub.unlockChannel(node));
    books.remove(node); // re-read on next use
    return tx;
  }

  /**
   * Signs a voucher that pays {@code node} {@code amountWei} more than the previous one: the new
   * cumulative total is the old total plus {@code amountWei}. Tops the channel up from the free
   * deposit first when the voucher would exceed it.
   *
   * @throws InsufficientDepositException (BAD_INPUT) when the free deposit cannot cover the top-up
   */
  public synchronized SignedVoucher voucherFor(Address node, BigInteger amountWei) {
    if (amountWei.signum() <= 0) {
      throw new VouchClientException(
          ErrorCode.BAD_INPUT, "a voucher must add more than 0 wei, got " + amountWei);
    }
    Book b = book(node);
    BigInteger next = b.signed.add(amountWei);
    if (next.compareTo(b.ceiling) > 0) {
      topUp(node, b, next.subtract(b.ceiling), amountWei);
    }
    b.signed = next;
    PaymentVoucher v = new PaymentVoucher(payer(), node, next);
    return new SignedVoucher(v, v.sign(domain, key), domain);
  }

  private void topUp(Address node, Book b, BigInteger missing, BigInteger price) {
    BigInteger free = balance();
    if (free.compareTo(missing) < 0) {
      throw new InsufficientDepositException(
          "the channel of "
              + payer()
              + " to node "
              + node
              + " lacks "
              + missing
              + " wei for this voucher and the free deposit is "
              + free
              + " wei; deposit at least "
              + missing.subtract(free)
              + " wei more (payments().deposit)");
    }
    BigInteger wanted = missing.max(price.multiply(BigInteger.valueOf(requestsPerFunding)));
    BigInteger amount = wanted.min(free);
    InferenceHubClient hub = hubAs("fund a channel");
    transact("locking " + amount + " wei for node " + node, () -> hub.fundChannel(node, amount));
    b.ceiling = b.ceiling.add(amount);
  }

  /**
   * The node refused {@code voucher}, which added {@code amountWei}: it is not counted (unless a
   * later voucher was signed since), so the next voucher to that node carries the same total.
   */
  public synchronized void refused(SignedVoucher voucher, BigInteger amountWei) {
    Book b = books.get(voucher.voucher().node());
    if (b != null && b.signed.equals(voucher.voucher().cumulativeAmount())) {
      b.signed = b.signed.subtract(amountWei);
    }
  }

  /** The cumulative total signed for {@code node} so far (at least what it redeemed). */
  public synchronized BigInteger total(Address node) {
    return book(node).signed;
  }

  /**
   * Continues {@code node}'s total from a voucher the node says it holds (after this client
   * restarted), but only if {@code signature} is this payer's signature on exactly that voucher for
   * that node in this deployment. Never lowers a total.
   *
   * @return whether the total rose
   */
  public synchronized boolean resume(Address node, BigInteger heldCumulative, Signature signature) {
    Address signer;
    try {
      signer =
          Secp256k1.recover(
              new PaymentVoucher(payer(), node, heldCumulative).digest(domain), signature);
    } catch (InvalidSignatureException e) {
      return false;
    }
    Book b = book(node);
    if (!signer.equals(payer()) || heldCumulative.compareTo(b.signed) <= 0) {
      return false;
    }
    b.signed = heldCumulative;
    return true;
  }

  /**
   * Reads {@code node}'s channel again (after the node refused a voucher for its channel, say).
   *
   * @return whether the book changed
   */
  public synchronized boolean refresh(Address node) {
    Book b = book(node);
    Channel c = channel(node);
    BigInteger signed = b.signed.max(c.redeemed());
    boolean changed = !signed.equals(b.signed) || !c.ceiling().equals(b.ceiling);
    b.signed = signed;
    b.ceiling = c.ceiling();
    return changed;
  }

  private Book book(Address node) {
    Book b = books.get(node);
    if (b == null) {
      Channel c = channel(node);
      b = new Book(c.redeemed(), c.ceiling());
      books.put(node, b);
    }
    return b;
  }

  private InferenceHubClient hubAs(String purpose) {
    ChainCalls.requireKey(contracts, purpose);
    return contracts.hub();
  }

  private static String transact(String what, java.util.concurrent.Callable<String> call) {
    try {
      return ChainCalls.call(what, call);
    } catch (ContractRevertException e) {
      throw new VouchClientException(
          ErrorCode.CHAIN_ERROR, "the hub refused " + what + ": " + e.getMessage(), e);
    }
  }
}
