package io.vouch.evidence;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.zk.InvalidProofException;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkVerifier;
import java.util.Optional;

/**
 * Checks ZKML results: the receipt as for VANILLA (signed by a registered node), and the proof it
 * names: its keccak256 is the receipt's evidenceHash, and it verifies for the request id, the
 * statement's input made from the request's inputs as the node made it ({@link ZkStatement}: int8
 * inputs quantized as the ZK model specifies, an INT8 tensor taken as quantized, token ids 4 bytes
 * each) and the int64 outputs returned, under the verifying key of the registry's zkModelId ({@link
 * ZkModelDirectory}).
 */
public final class ZkmlVerifier implements EvidenceVerifier {
  /**
   * What a verified ZKML result's verification says first: this check is the client's own (on
   * chain, a committee of validators judges the same proof; the SDK reads its verdicts apart).
   */
  public static final String LOCAL_CHECK = "checked by this client";

  private final Eip712Domain domain;
  private final NodeDirectory nodes;
  private final ZkModelDirectory zkModels;

  public ZkmlVerifier(Eip712Domain domain, NodeDirectory nodes, ZkModelDirectory zkModels) {
    this.domain = domain;
    this.nodes = nodes;
    this.zkModels = zkModels;
  }

  @Override
  public VerificationLevel level() {
    return VerificationLevel.ZKML;
  }

  @Override
  public Verdict verify(ResultClaim claim, Bytes32 expectedRequestId, Bytes32 expectedModelId) {
    try {
      Claims.common(level(), domain, claim, expectedRequestId, expectedModelId);
      String signed = Claims.signedByRegisteredNode(domain, nodes, claim.receipt());
      InferenceReceipt r = claim.receipt().receipt();
      byte[] proof =
          claim
              .payload()
              .orElseThrow(() ->
                  Claims.invalid(
                      "ZKML result carries no proof; the node must return it with the result"));
      String proved =
          checkProof(
              expectedModelId,
              r.requestId(),
              claim.inputs(),
              claim.outputs(),
              proof,
              r.evidenceHash());
      return new Verdict.Valid(LOCAL_CHECK + ": " + proved + "; " + signed);
    } catch (Claims.Stop stop) {
      return stop.verdict();
    }
  }

  /**
   * Only the proof's hash is on chain: the proof is fetched from the node that submitted it and
   * verified here, whatever a committee decided on chain about the same proof.
   */
  @Override
  public Optional<Verdict> verifySubmitted(SubmittedResult result) {
    try {
      byte[] proof = result.source().payload(result.evidenceHash());
      String proved =
          checkProof(
              result.modelId(),
              result.requestId(),
              result.inputs(),
              result.outputs(),
              proof,
              result.evidenceHash());
      return Optional.of(new Verdict.Valid(LOCAL_CHECK + ": " + proved));
    } catch (Claims.Stop stop) {
      return Optional.of(stop.verdict());
    }
  }

  private String checkProof(
      Bytes32 modelId,
      Bytes32 requestId,
      NamedTensors inputs,
      NamedTensors outputs,
      byte[] proof,
      Bytes32 evidenceHash) {
    Claims.check(
        Keccak.hash(proof).equals(evidenceHash),
        "ZKML proof does not hash to the receipt's evidenceHash " + evidenceHash);
    ZkModel zk = zkModels.zkModel(modelId);
    byte[] x;
    long[] y;
    try {
      x = ZkStatement.input(zk, inputs);
      y = ZkStatement.outputs(zk, outputs);
    } catch (IllegalArgumentException e) {
      throw Claims.invalid(e.getMessage());
    }
    try {
      ZkVerifier.verify(zk.verifyingKey(), requestId.toArray(), x, y, proof);
    } catch (InvalidProofException | IllegalArgumentException e) {
      throw Claims.invalid(
          "ZKML proof rejected under zkModelId "
              + zk.modelId()
              + " for this request, input and output: "
              + e.getMessage());
    }
    return "proof verified under zkModelId " + zk.modelId();
  }
}
