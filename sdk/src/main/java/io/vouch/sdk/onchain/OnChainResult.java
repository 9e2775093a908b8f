package io.vouch.sdk.onchain;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import java.math.BigInteger;
import java.util.Optional;

/**
 * An on-chain result. The outputs were decoded from the canonical bytes the node put on chain (one
 * tensor's encoding, or the bundle of several named ones), and their keccak256 was checked against
 * the output hash the node signed.
 *
 * @param finalizableAt chain time (seconds) after which anyone may finalize
 * @param settlement what the hub paid out, once {@link Finality#FINALIZED}
 * @param evidenceHash what the node's receipt commits to beyond the output: keccak256 of the ZKML
 *     proof, of the TEE attestation document, or zero for VANILLA
 * @param proofVerification level ZKML: what the client checked of the proof it fetched from the
 *     node ({@code GET /v1/proofs/{evidenceHash}}); level TEE: what it checked of the enclave
 *     receipt read back from the submit transaction (enclave key, attestation document per {@code
 *     VouchConfig.teeTrust}); empty for VANILLA
 * @param verification how the result was verified on chain (the VerificationCourt's case:
 *     committee, verdicts, quorum, audit lottery), read when the client waited for it ({@code
 *     VouchClient.awaitResult})
 */
public record OnChainResult(
    BigInteger requestId,
    Bytes32 modelId,
    NamedTensors outputs,
    Bytes32 outputHash,
    Address node,
    Finality finality,
    long finalizableAt,
    String requestTransaction,
    String submitTransaction,
    Optional<String> finalizeTransaction,
    Optional<Settlement> settlement,
    Bytes32 evidenceHash,
    Optional<String> proofVerification,
    Optional<OnChainVerification> verification) {

  /** The hub's split at finalization. */
  public record Settlement(BigInteger nodePaidWei, BigInteger modelFeeWei, BigInteger refundWei) {}

  public OnChainResult withProofVerification(String what) {
    return new OnChainResult(
        requestId,
        modelId,
        outputs,
        outputHash,
        node,
        finality,
        finalizableAt,
        requestTransaction,
        submitTransaction,
        finalizeTransaction,
        settlement,
        evidenceHash,
        Optional.of(what),
        verification);
  }

  public OnChainResult withVerification(OnChainVerification v) {
    return new OnChainResult(
        requestId,
        modelId,
        outputs,
        outputHash,
        node,
        finality,
        finalizableAt,
        requestTransaction,
        submitTransaction,
        finalizeTransaction,
        settlement,
        evidenceHash,
        proofVerification,
        Optional.of(v));
  }

  /** The output of a model with one output; an error naming the outputs when there are several. */
  public Tensor output() {
    return outputs.only();
  }

  public boolean isFinal() {
    return finality == Finality.FINALIZED;
  }
}
