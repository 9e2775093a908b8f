package io.vouch.node.settlement;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import java.util.List;

/**
 * Where a receipt is in a posted batch: {@code InferenceHub.verifyReceiptInclusion(batchId, digest,
 * proof)} returns true (and {@code verifyReceiptInclusionByFields} for the receipt itself), and
 * {@code ReceiptMerkleTree.rootFrom(node, digest, proof)} equals {@code root}.
 *
 * @param node the node that posted the batch, bound into every leaf
 */
public record InclusionProof(
    Bytes32 digest, Address node, long batchId, Bytes32 root, List<Bytes32> proof, int index) {
  public InclusionProof {
    proof = List.copyOf(proof);
  }
}
