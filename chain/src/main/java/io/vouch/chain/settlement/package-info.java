/**
 * Off-chain side of batch settlement: the receipt Merkle tree whose root a node posts ({@link
 * io.vouch.chain.settlement.ReceiptMerkleTree}, leaves bound to the posting node) and the hub's
 * inclusion checks ({@link io.vouch.chain.settlement.ReceiptInclusion}).
 */
package io.vouch.chain.settlement;
