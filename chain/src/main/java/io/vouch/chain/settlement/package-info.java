/**
 * Off-chain side of batch settlement: the receipt Merkle tree whose root a node posts and whose
 * proofs the hub verifies.
 */
package io.vouch.chain.settlement;
