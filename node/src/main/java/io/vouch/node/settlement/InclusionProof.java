package io.vouch.node.settlement;

import io.vouch.core.Bytes32;
import java.util.List;

/**
 * Where a receipt is in a posted batch: {@code InferenceHub.verifyReceiptInclusion(batchId, digest,
 * proof)} returns true, and {@code ReceiptMerkleTree.rootFrom(digest, proof)} equals {@code root}.
 */
public record InclusionProof(
    Bytes32 digest, long batchId, Bytes32 root, List<Bytes32> proof, int index) {
  public InclusionProof {
    proof = List.copyOf(proof);
  }
}
