/**
 * Direct-path payment and settlement: the {@link io.vouch.node.settlement.VoucherGate} that admits
 * a paid request only with a voucher worth the price, the {@link
 * io.vouch.node.settlement.ReceiptLog} of every receipt signed on the direct path, the {@link
 * io.vouch.node.settlement.ReceiptBatcher} that commits them to the hub as Merkle roots and serves
 * inclusion proofs, and the {@link io.vouch.node.settlement.VoucherRedeemer} that turns held
 * vouchers into wei. {@link io.vouch.node.settlement.DirectSettlement} is the face the HTTP API
 * sees.
 *
 * <p>The node charges its own price per request (the {@code priceWei} of the served model, which is
 * the price it registered). The model owner's fee is not collected on the direct path: the hub's
 * {@code redeemVoucher} pays only the node, and splitting a voucher would need a contract change.
 */
package io.vouch.node.settlement;
