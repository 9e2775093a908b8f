package io.vouch.node.settlement;

import io.vouch.core.Bytes32;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.node.inference.LoadedModel;
import java.util.List;
import java.util.Optional;

/**
 * Payment and settlement of the direct path, as the HTTP API uses them: admit a request by its
 * voucher, record the paid request (voucher journaled, receipt logged), serve inclusion proofs, and
 * settle now on demand.
 */
public final class DirectSettlement {
  /** What {@link #settleNow} did: the batch posted (if receipts waited) and the redemptions. */
  public record Settled(Optional<PostedBatch> batch, List<Redemption> redemptions) {}

  private final VoucherGate gate;
  private final ReceiptBatcher batcher;
  private final VoucherRedeemer redeemer;
  private final Eip712Domain domain;

  public DirectSettlement(
      VoucherGate gate, ReceiptBatcher batcher, VoucherRedeemer redeemer, Eip712Domain domain) {
    this.gate = gate;
    this.batcher = batcher;
    this.redeemer = redeemer;
    this.domain = domain;
  }

  /** Checks the voucher before any work is done; throws {@link PaymentRequiredException}. */
  public VoucherGate.Admission admit(Optional<VoucherOffer> voucher, LoadedModel model) {
    return gate.admit(voucher, model);
  }

  /**
   * After the work: holds the voucher (journaled) and logs the receipt for the next batch; returns
   * the receipt's digest, the key of its inclusion proof.
   */
  public Bytes32 record(VoucherGate.Admission admission, SignedReceipt receipt) {
    gate.commit(admission);
    Bytes32 digest = receipt.receipt().digest(domain);
    batcher.add(digest);
    return digest;
  }

  public Optional<InclusionProof> proof(Bytes32 receiptDigest) {
    return batcher.proof(receiptDigest);
  }

  /** Posts the waiting receipts' root and redeems every held voucher with anything unredeemed. */
  public Settled settleNow() {
    Optional<PostedBatch> batch = batcher.postNow();
    return new Settled(batch, redeemer.redeem(true));
  }

  public VoucherGate gate() {
    return gate;
  }

  public ReceiptBatcher batcher() {
    return batcher;
  }

  public VoucherRedeemer redeemer() {
    return redeemer;
  }
}
