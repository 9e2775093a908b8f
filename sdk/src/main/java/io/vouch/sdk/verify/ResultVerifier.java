package io.vouch.sdk.verify;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.InvalidSignatureException;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.Tensor;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.VouchClientException;
import io.vouch.tee.TeeReceiptVerdict;
import io.vouch.tee.TeeReceiptVerifier;
import io.vouch.tee.nitro.NitroAttestationVerifier;
import io.vouch.tee.nitro.TrustAnchors;
import io.vouch.tee.policy.AttestationPolicy;
import io.vouch.zk.InvalidProofException;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkVerifier;
import java.util.Optional;

/**
 * Checks a result locally (VANILLA; TEE when built with an {@link EnclaveKeyDirectory}; ZKML {@link
 * #withZkModels with a ZK model directory}, whose proof is verified here): the receipt's hashes are
 * recomputed from the tensors the client holds, the request and model ids are the ones asked for,
 * the domain is the expected chain and hub, and the signature recovers to the node named in the
 * receipt, which must be a registered node ({@link NodeDirectory}).
 */
public final class ResultVerifier {
  private final Eip712Domain expectedDomain;
  private final NodeDirectory nodes;

  private final Optional<EnclaveKeyDirectory> enclaveKeys;
  private final TeeTrust teeTrust;
  private final Optional<ZkModelDirectory> zkModels;

  /** What a verified ZKML result's verification says first: no validators attest yet. */
  public static final String ZKML_CLIENT_ONLY = "client-verified only (no validator quorum yet)";

  /** A verifier of VANILLA results; TEE results are refused (no enclave key directory). */
  public ResultVerifier(Eip712Domain expectedDomain, NodeDirectory nodes) {
    this(expectedDomain, nodes, Optional.empty(), TeeTrust.attested());
  }

  /** A verifier of VANILLA and TEE results ({@link TeeTrust} says how far TEE is checked). */
  public ResultVerifier(
      Eip712Domain expectedDomain,
      NodeDirectory nodes,
      EnclaveKeyDirectory enclaveKeys,
      TeeTrust teeTrust) {
    this(expectedDomain, nodes, Optional.of(enclaveKeys), teeTrust);
  }

  private ResultVerifier(
      Eip712Domain expectedDomain,
      NodeDirectory nodes,
      Optional<EnclaveKeyDirectory> enclaveKeys,
      TeeTrust teeTrust) {
    this(expectedDomain, nodes, enclaveKeys, teeTrust, Optional.empty());
  }

  private ResultVerifier(
      Eip712Domain expectedDomain,
      NodeDirectory nodes,
      Optional<EnclaveKeyDirectory> enclaveKeys,
      TeeTrust teeTrust,
      Optional<ZkModelDirectory> zkModels) {
    this.expectedDomain = expectedDomain;
    this.nodes = nodes;
    this.enclaveKeys = enclaveKeys;
    this.teeTrust = teeTrust;
    this.zkModels = zkModels;
  }

  /** This verifier, also checking ZKML proofs with the ZK models {@code directory} gives. */
  public ResultVerifier withZkModels(ZkModelDirectory directory) {
    return new ResultVerifier(expectedDomain, nodes, enclaveKeys, teeTrust, Optional.of(directory));
  }

  public InferenceOutcome verify(
      InferenceOutcome outcome, Bytes32 expectedRequestId, Bytes32 expectedModelId) {
    InferenceReceipt r = outcome.receipt().receipt();
    if (!outcome.domain().equals(expectedDomain)) {
      fail(
          "result was signed for chain "
              + outcome.domain().chainId()
              + " hub "
              + outcome.domain().verifyingContract()
              + ", expected chain "
              + expectedDomain.chainId()
              + " hub "
              + expectedDomain.verifyingContract());
    }
    check(
        r.requestId().equals(expectedRequestId), "receipt is for another request " + r.requestId());
    check(r.modelId().equals(expectedModelId), "receipt is for another model " + r.modelId());
    check(
        r.level() == outcome.level(), "receipt level " + r.level() + " differs from the result's");
    check(
        r.inputHash().equals(outcome.inputs().hash()),
        "receipt input hash does not match the input sent");
    check(
        r.outputHash().equals(outcome.outputs().hash()),
        "receipt output hash does not match the output returned");
    if (r.level() == VerificationLevel.TEE) {
      return verifyTee(outcome);
    }
    if (r.level() != VerificationLevel.VANILLA && r.level() != VerificationLevel.ZKML) {
      fail("this client verifies VANILLA, TEE and ZKML results locally, not " + r.level());
    }
    try {
      outcome.receipt().requireSignedBy(expectedDomain, r.node());
    } catch (InvalidSignatureException e) {
      fail("receipt signature is invalid: " + e.getMessage());
    }
    if (!nodes.isRegisteredNode(r.node())) {
      fail("receipt signer " + r.node() + " is not a registered, staked node");
    }
    String what = "hashes, ids, domain, signature by registered node " + r.node();
    if (r.level() == VerificationLevel.ZKML) {
      what = ZKML_CLIENT_ONLY + ": " + verifyProof(outcome, expectedModelId) + "; " + what;
    }
    return outcome.withVerification(new InferenceOutcome.Verification.ClientVerified(what));
  }

  /**
   * The ZKML proof: its keccak256 is the receipt's evidenceHash, and it verifies for the request
   * id, the input quantized as the ZK model specifies (an INT8 input is taken as quantized) and the
   * int64 logits returned, under the verifying key of the registry's zkModelId.
   */
  private String verifyProof(InferenceOutcome outcome, Bytes32 expectedModelId) {
    InferenceReceipt r = outcome.receipt().receipt();
    byte[] proof =
        outcome
            .proof()
            .orElseThrow(() ->
                new VouchClientException(
                    ErrorCode.VERIFICATION_FAILED,
                    "ZKML result carries no proof; the node must return it with the result"));
    return verifyZkProof(
        expectedModelId, r.requestId(), outcome.input(), outcome.output(), proof, r.evidenceHash());
  }

  /**
   * Verifies a ZKML proof for one request: it hashes to {@code evidenceHash} and proves that the ZK
   * model registered for {@code modelId} maps {@code input} to the int64 logits {@code output}.
   * Used for direct results and for on-chain results (whose proof is fetched from the node).
   *
   * @return what was checked
   * @throws VouchClientException VERIFICATION_FAILED, saying what did not hold
   */
  public String verifyZkProof(
      Bytes32 expectedModelId,
      Bytes32 requestId,
      Tensor input,
      Tensor output,
      byte[] proof,
      Bytes32 evidenceHash) {
    check(
        Keccak.hash(proof).equals(evidenceHash),
        "ZKML proof does not hash to the receipt's evidenceHash " + evidenceHash);
    ZkModelDirectory directory =
        zkModels.orElseThrow(() ->
            new VouchClientException(
                ErrorCode.VERIFICATION_FAILED,
                "this verifier has no ZK model directory, so it cannot check a ZKML proof; build"
                    + " it withZkModels (VouchClient does)"));
    ZkModel zk = directory.zkModel(expectedModelId);
    byte[] x;
    try {
      x = input.dtype() == DType.INT8 ? input.toInt8() : zk.quantizeInput(floats(input));
    } catch (IllegalArgumentException e) {
      throw new VouchClientException(ErrorCode.VERIFICATION_FAILED, e.getMessage(), e);
    }
    check(
        output.dtype() == DType.INT64 && output.elementCount() == zk.outputSize(),
        "ZKML output must be the model's "
            + zk.outputSize()
            + " int64 logits, got "
            + output.dtype()
            + " "
            + java.util.Arrays.toString(output.shape()));
    try {
      ZkVerifier.verify(zk.verifyingKey(), requestId.toArray(), x, output.toLongs(), proof);
    } catch (InvalidProofException | IllegalArgumentException e) {
      fail(
          "ZKML proof rejected under zkModelId "
              + zk.modelId()
              + " for this request, input and output: "
              + e.getMessage());
    }
    return "proof verified under zkModelId " + zk.modelId();
  }

  private static float[] floats(Tensor t) {
    float[] f = new float[Math.toIntExact(t.elementCount())];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) t.getAsDouble(i);
    }
    return f;
  }

  /**
   * A TEE receipt names the node (its staked address) but is signed by that node's enclave key: the
   * signer must be an enclave key the registry lists as active for that node, and (unless {@link
   * TeeTrust#chainOnly()}) bound by an attestation document that the receipt's evidenceHash names
   * and that verifies under the anchors usable on this deployment; with no such anchor the result
   * is refused, saying how to configure one.
   */
  private InferenceOutcome verifyTee(InferenceOutcome outcome) {
    InferenceReceipt r = outcome.receipt().receipt();
    EnclaveKeyDirectory keys =
        enclaveKeys.orElseThrow(() ->
            new VouchClientException(
                ErrorCode.VERIFICATION_FAILED,
                "this verifier has no enclave key directory, so it cannot check a TEE result;"
                    + " build it with the NodeRegistry view (VouchClient does)"));
    Address signer;
    try {
      signer = outcome.receipt().signer(expectedDomain);
    } catch (InvalidSignatureException e) {
      throw new VouchClientException(
          ErrorCode.VERIFICATION_FAILED, "TEE receipt signature is invalid: " + e.getMessage());
    }
    if (!nodes.isRegisteredNode(r.node())) {
      fail("TEE receipt names " + r.node() + ", which is not a registered, staked node");
    }
    if (!keys.isActiveEnclaveKey(r.node(), signer)) {
      fail(
          "TEE receipt is signed by "
              + signer
              + ", which is not an active enclave key of node "
              + r.node()
              + " (never registered by it, revoked, expired, or its measurement was revoked by"
              + " governance), or the receipt was altered after signing");
    }
    String what =
        "hashes, ids, domain, signature by active enclave key " + signer + " of " + r.node();
    if (teeTrust.verifyAttestation()) {
      boolean developmentAllowed = keys.developmentAttestationAllowed();
      TrustAnchors anchors =
          teeTrust
              .anchorsFor(developmentAllowed)
              .orElseThrow(() ->
                  new VouchClientException(
                      ErrorCode.VERIFICATION_FAILED,
                      "TEE result of node "
                          + r.node()
                          + " refused: its attestation document cannot be checked because no trust"
                          + " anchor is configured for this deployment"
                          + (teeTrust.developmentRoot().isPresent() && !developmentAllowed
                              ? " (a development root is configured, but this deployment's"
                                  + " NodeRegistry does not allow development attestation)"
                              : "")
                          + "; "
                          + TeeTrust.HOW_TO_CONFIGURE));
      byte[] document =
          keys.attestationDocument(r.node(), signer, r.evidenceHash())
              .orElseThrow(() ->
                  new VouchClientException(
                      ErrorCode.VERIFICATION_FAILED,
                      "no EnclaveKeyRegistered event of node "
                          + r.node()
                          + " binds enclave key "
                          + signer
                          + " with attestation document "
                          + r.evidenceHash()));
      AttestationPolicy.Builder policy = AttestationPolicy.builder();
      if (teeTrust.measurements().isEmpty()) {
        policy.allowAnyMeasurement(); // the registry's allow-list, checked above, decides
      } else {
        teeTrust.measurements().forEach(policy::allow);
      }
      TeeReceiptVerdict verdict =
          new TeeReceiptVerifier(
                  new NitroAttestationVerifier(anchors), policy.build(), keys.maxKeyAge())
              .verify(outcome.receipt(), document, expectedDomain);
      if (!(verdict instanceof TeeReceiptVerdict.Valid valid)) {
        throw new VouchClientException(
            ErrorCode.VERIFICATION_FAILED, "TEE attestation check failed: " + verdict);
      }
      what +=
          ", attestation "
              + r.evidenceHash()
              + " ("
              + valid.anchor()
              + " root, measurement "
              + valid.measurement()
              + ")";
    } else {
      what += "; attestation document not checked (TeeTrust.chainOnly)";
    }
    return outcome.withVerification(new InferenceOutcome.Verification.ClientVerified(what));
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      fail(message);
    }
  }

  private static void fail(String message) {
    throw new VouchClientException(ErrorCode.VERIFICATION_FAILED, message);
  }
}
