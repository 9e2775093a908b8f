package io.vouch.sdk.verify;

import io.vouch.core.Bytes32;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.error.ErrorCode;
import io.vouch.evidence.EnclaveKeyDirectory;
import io.vouch.evidence.EvidenceVerifiers;
import io.vouch.evidence.NodeDirectory;
import io.vouch.evidence.ResultClaim;
import io.vouch.evidence.SubmittedResult;
import io.vouch.evidence.TeeTrust;
import io.vouch.evidence.TeeVerifier;
import io.vouch.evidence.VanillaVerifier;
import io.vouch.evidence.Verdict;
import io.vouch.evidence.ZkModelDirectory;
import io.vouch.evidence.ZkmlVerifier;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.VouchClientException;
import java.util.Optional;

/**
 * Checks a result locally with the evidence verifiers ({@code io.vouch.evidence}) of the levels it
 * was built with: VANILLA always; TEE when built with an {@link EnclaveKeyDirectory}; ZKML {@link
 * #withZkModels with a ZK model directory}, whose proof is verified here. The receipt's hashes are
 * recomputed from the tensors the client holds, the request and model ids are the ones asked for,
 * the domain is the expected chain and hub, and the signature recovers to the node named in the
 * receipt (or, at TEE, to an active enclave key of it), which must be a registered node ({@link
 * NodeDirectory}). A result that does not verify is a {@link VouchClientException} with {@code
 * VERIFICATION_FAILED} saying what did not hold.
 */
public final class ResultVerifier {
  private final Eip712Domain expectedDomain;
  private final NodeDirectory nodes;
  private final EvidenceVerifiers verifiers;

  /** What a verified ZKML result's verification says first: the client checked the proof itself. */
  public static final String ZKML_LOCAL_CHECK = ZkmlVerifier.LOCAL_CHECK;

  /** A verifier of VANILLA results; TEE results are refused (no enclave key directory). */
  public ResultVerifier(Eip712Domain expectedDomain, NodeDirectory nodes) {
    this(expectedDomain, nodes, EvidenceVerifiers.of(new VanillaVerifier(expectedDomain, nodes)));
  }

  /** A verifier of VANILLA and TEE results ({@link TeeTrust} says how far TEE is checked). */
  public ResultVerifier(
      Eip712Domain expectedDomain,
      NodeDirectory nodes,
      EnclaveKeyDirectory enclaveKeys,
      TeeTrust teeTrust) {
    this(
        expectedDomain,
        nodes,
        EvidenceVerifiers.of(
            new VanillaVerifier(expectedDomain, nodes),
            new TeeVerifier(expectedDomain, nodes, enclaveKeys, teeTrust)));
  }

  private ResultVerifier(
      Eip712Domain expectedDomain, NodeDirectory nodes, EvidenceVerifiers verifiers) {
    this.expectedDomain = expectedDomain;
    this.nodes = nodes;
    this.verifiers = verifiers;
  }

  /** This verifier, also checking ZKML proofs with the ZK models {@code directory} gives. */
  public ResultVerifier withZkModels(ZkModelDirectory directory) {
    return new ResultVerifier(
        expectedDomain, nodes, verifiers.with(new ZkmlVerifier(expectedDomain, nodes, directory)));
  }

  /**
   * The result, marked {@link InferenceOutcome.Verification.ClientVerified} with what was checked.
   *
   * @throws VouchClientException VERIFICATION_FAILED, saying what did not hold
   */
  public InferenceOutcome verify(
      InferenceOutcome outcome, Bytes32 expectedRequestId, Bytes32 expectedModelId) {
    ResultClaim claim =
        new ResultClaim(
            outcome.level(),
            outcome.inputs(),
            outcome.outputs(),
            outcome.receipt(),
            outcome.domain(),
            outcome.proof());
    String what = valid(verifiers.verify(claim, expectedRequestId, expectedModelId));
    return outcome.withVerification(new InferenceOutcome.Verification.ClientVerified(what));
  }

  /**
   * What the client checked of an on-chain result beyond the hub's own checks at submission (the
   * enclave receipt and its attestation document, the ZKML proof); empty when there is nothing
   * beyond them.
   *
   * @throws VouchClientException VERIFICATION_FAILED, saying what did not hold
   */
  public Optional<String> verifySubmitted(SubmittedResult result) {
    return verifiers.verifySubmitted(result).map(ResultVerifier::valid);
  }

  private static String valid(Verdict verdict) {
    return switch (verdict) {
      case Verdict.Valid v -> v.what();
      case Verdict.Invalid i -> throw failed(i.reason());
      case Verdict.Undecided u -> throw failed(u.reason());
    };
  }

  private static VouchClientException failed(String reason) {
    return new VouchClientException(ErrorCode.VERIFICATION_FAILED, reason);
  }
}
