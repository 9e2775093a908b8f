package io.vouch.evidence;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;

/**
 * The node's receipts, as producers use them: drafts that name the node, carry its time and its
 * next sequence number, and signatures with its staked key in the hub's EIP-712 domain. The node
 * implements it with a durable sequence ({@code io.vouch.node.inference.ReceiptSigner}).
 */
public interface NodeReceipts {
  /** The hub's EIP-712 domain (chain id and hub address) receipts are signed in. */
  Eip712Domain domain();

  /** The receipt the node would sign, unsigned (the TEE level signs it with the enclave key). */
  InferenceReceipt draft(
      Bytes32 requestId,
      Bytes32 modelId,
      Bytes32 inputHash,
      Bytes32 outputHash,
      VerificationLevel level,
      Bytes32 evidenceHash);

  /** A receipt signed with the node's staked key. */
  SignedReceipt sign(
      Bytes32 requestId,
      Bytes32 modelId,
      Bytes32 inputHash,
      Bytes32 outputHash,
      VerificationLevel level,
      Bytes32 evidenceHash);
}
