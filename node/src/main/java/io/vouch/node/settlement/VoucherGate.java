package io.vouch.node.settlement;

import io.vouch.core.Address;
import io.vouch.core.crypto.InvalidSignatureException;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.PaymentVoucher;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.journal.Journal;
import io.vouch.node.journal.JournalEntry;
import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides whether a direct request is paid for, in two steps around the execution: {@link #admit}
 * checks the attached voucher before any work is done, {@link #commit} journals it as the payer's
 * held voucher after the work succeeded and before the answer leaves (so a crash after answering
 * never loses a payment, and a failed execution never takes one).
 *
 * <p>A voucher is worth the price when it is signed by its payer for this node in the deployment's
 * EIP-712 domain, exceeds what the node already holds from (or redeemed of) that payer by at least
 * the price, and keeps everything unredeemed within what the payer's channel to this node holds and
 * is not being unlocked ({@code cumulative − redeemed ≤ balance − unlocking}): funds locked for
 * this node alone, which the payer cannot take back before the node has had {@code
 * channelUnlockDelay} to redeem them. So every voucher this gate admits stays redeemable.
 *
 * <p>The price is the model's configured price, capped by the node's price in the registry now: a
 * raised price counts only once the registry charges it, because clients never sign for more.
 */
public final class VoucherGate {
  /** The outcome of {@link #admit}: free, or paid by a checked voucher. */
  public sealed interface Admission {
    record Free() implements Admission {}

    record Paid(VoucherOffer voucher, BigInteger price) implements Admission {}
  }

  private final Journal journal;
  private final Eip712Domain domain;
  private final Address node;
  private final PayerChannels channels;
  private final Supplier<BigInteger> registeredPrice;
  private final boolean required;

  public VoucherGate(
      Journal journal,
      Eip712Domain domain,
      Address node,
      PayerChannels channels,
      Supplier<BigInteger> registeredPrice,
      boolean required) {
    this.journal = journal;
    this.domain = domain;
    this.node = node;
    this.channels = channels;
    this.registeredPrice = registeredPrice;
    this.required = required;
  }

  /** What a request for {@code model} costs now: its price, at most the registered one. */
  public BigInteger price(LoadedModel model) {
    BigInteger p = model.priceWei();
    return p.signum() == 0 ? p : p.min(registeredPrice.get());
  }

  public boolean required() {
    return required;
  }

  /** Checks {@code offer} against the price of {@code model}; throws when it does not pay. */
  public Admission admit(Optional<VoucherOffer> offer, LoadedModel model) {
    BigInteger price = price(model);
    if (offer.isEmpty()) {
      if (!required || price.signum() == 0) {
        return new Admission.Free();
      }
      throw refusal(
          "this node charges "
              + price
              + " wei per request for "
              + model.ref()
              + "; attach a \"voucher\" {payer, cumulativeAmount, signature} signed for node "
              + node
              + " with cumulativeAmount at least heldCumulative + price",
          price,
          null);
    }
    VoucherOffer v = offer.get();
    if (v.node().isPresent() && !v.node().get().equals(node)) {
      throw refusal(
          "the voucher names node "
              + v.node().get()
              + " but this is node "
              + node
              + "; a voucher is redeemable only by the node it names: sign one for "
              + node,
          price,
          v.payer());
    }
    Address signer;
    try {
      signer =
          Secp256k1.recover(
              new PaymentVoucher(v.payer(), node, v.cumulativeAmount()).digest(domain),
              v.signature());
    } catch (InvalidSignatureException e) {
      signer = null;
    }
    if (!v.payer().equals(signer)) {
      throw refusal(
          "the voucher signature does not recover to payer "
              + v.payer()
              + (signer == null ? "" : " (it recovers to " + signer + ")")
              + ": it is forged, or signed for another node or another deployment; sign"
              + " Voucher(payer, node="
              + node
              + ", cumulativeAmount) in the domain of chain "
              + domain.chainId()
              + ", hub "
              + domain.verifyingContract(),
          price,
          v.payer());
    }
    PayerChannels.Channel ch = channels.of(v.payer());
    BigInteger held = held(v.payer(), ch);
    if (v.cumulativeAmount().subtract(held).compareTo(price) < 0) {
      throw refusal(
          "the voucher's cumulativeAmount "
              + v.cumulativeAmount()
              + " adds "
              + v.cumulativeAmount().subtract(held).max(BigInteger.ZERO)
              + " wei to the "
              + held
              + " wei this node already holds from "
              + v.payer()
              + ", less than the price of "
              + price
              + " wei; sign cumulativeAmount ≥ "
              + held.add(price),
          price,
          v.payer());
    }
    if (!withinChannel(v, ch)) {
      ch = channels.fresh(v.payer()); // a top-up since the last read must not be refused
      if (!withinChannel(v, ch)) {
        BigInteger promised = v.cumulativeAmount().subtract(ch.redeemed());
        throw refusal(
            "the voucher promises "
                + promised
                + " wei not yet redeemed but the channel of "
                + v.payer()
                + " to this node holds "
                + ch.balance()
                + " wei"
                + (ch.unlockPending()
                    ? ", of which " + ch.unlocking() + " wei are being unlocked"
                    : "")
                + "; lock at least "
                + promised.subtract(ch.promisable())
                + " wei more for node "
                + node
                + " with InferenceHub.fundChannel",
            price,
            v.payer());
      }
    }
    return new Admission.Paid(v, price);
  }

  /**
   * Makes a paid admission's voucher the payer's held voucher, durably. Re-checks the price against
   * the held amount, which a concurrent request of the same payer may have raised since {@link
   * #admit}.
   */
  public void commit(Admission admission) {
    if (!(admission instanceof Admission.Paid paid)) {
      return;
    }
    VoucherOffer v = paid.voucher();
    synchronized (this) {
      BigInteger held = held(v.payer(), channels.of(v.payer()));
      if (v.cumulativeAmount().subtract(held).compareTo(paid.price()) < 0) {
        throw refusal(
            "a concurrent request of "
                + v.payer()
                + " raised the held voucher to "
                + held
                + " wei; sign cumulativeAmount ≥ "
                + held.add(paid.price())
                + " and retry",
            paid.price(),
            v.payer());
      }
      journal.append(new JournalEntry.VoucherHeld(v.payer(), v.cumulativeAmount(), v.signature()));
    }
  }

  /** The cumulative amount a new voucher from {@code payer} must exceed by the price. */
  public BigInteger heldCumulative(Address payer) {
    return held(payer, channels.of(payer));
  }

  private BigInteger held(Address payer, PayerChannels.Channel ch) {
    BigInteger journaled =
        journal.voucher(payer).map(Journal.HeldVoucher::cumulativeAmount).orElse(BigInteger.ZERO);
    return journaled.max(ch.redeemed());
  }

  private static boolean withinChannel(VoucherOffer v, PayerChannels.Channel ch) {
    return v.cumulativeAmount().subtract(ch.redeemed()).compareTo(ch.promisable()) <= 0;
  }

  private PaymentRequiredException refusal(String message, BigInteger price, Address payer) {
    // Unknown payer (no voucher): 0, and the client continues from what its own book says. A
    // known payer is shown the voucher the node holds, with the payer's own signature, so that a
    // client that lost its book can check the amount instead of believing it.
    if (payer == null) {
      return new PaymentRequiredException(message, price, BigInteger.ZERO, Optional.empty(), node);
    }
    Optional<Journal.HeldVoucher> held = journal.voucher(payer);
    return new PaymentRequiredException(
        message,
        price,
        heldCumulative(payer),
        held.map(
            h -> new PaymentRequiredException.HeldVoucher(h.cumulativeAmount(), h.signature())),
        node);
  }
}
