/**
 * Commitments: SHA-256 Merkle trees with multi-proofs, and the Ligero polynomial commitment (rate
 * 1/4 Reed–Solomon rows, Merkle tree over columns) with its query counts and soundness argument.
 */
package io.vouch.zk.commit;
