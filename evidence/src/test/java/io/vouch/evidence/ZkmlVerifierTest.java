package io.vouch.evidence;

import static io.vouch.evidence.Fixtures.DOMAIN;
import static io.vouch.evidence.Fixtures.MODEL_ID;
import static io.vouch.evidence.Fixtures.NODE;
import static io.vouch.evidence.Fixtures.REQUEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.zk.mlp.ZkModel;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A ZKML result is valid only with a proof that hashes to the receipt's evidenceHash and proves,
 * under the registry's ZK model, this request's input to the logits returned.
 */
class ZkmlVerifierTest {
  static ZkModel zk;
  static Fixtures.Doubler model;
  static Production produced;

  final Fixtures.Registry registry = new Fixtures.Registry().register(NODE.address());
  final ZkmlVerifier verifier = new ZkmlVerifier(DOMAIN, registry, ZkmlVerifierTest::zkModel);

  @BeforeAll
  static void prove() {
    zk = Fixtures.zkModel();
    model = new Fixtures.Doubler(Optional.of(zk));
    produced = produce(REQUEST);
  }

  static Production produce(Bytes32 requestId) {
    return new ZkmlProducer(new Fixtures.Receipts(NODE))
        .produce(requestId, model, NamedTensors.lone(Fixtures.input()));
  }

  static ZkModel zkModel(Bytes32 modelId) {
    if (!modelId.equals(MODEL_ID)) {
      throw new VouchException(ErrorCode.VERIFICATION_FAILED, "no ZK model for " + modelId);
    }
    return zk;
  }

  static ResultClaim claim() {
    return Fixtures.claim(produced, VerificationLevel.ZKML);
  }

  static ResultClaim claim(NamedTensors outputs, SignedReceipt receipt, byte[] proof) {
    return new ResultClaim(
        VerificationLevel.ZKML,
        NamedTensors.lone(Fixtures.input()),
        outputs,
        receipt,
        DOMAIN,
        Optional.ofNullable(proof));
  }

  static byte[] proof() {
    return ((Evidence.Proof) produced.evidence()).bytes();
  }

  /** The node's receipt for {@code outputs} with {@code evidenceHash}, signed by the node. */
  static SignedReceipt signed(Bytes32 requestId, NamedTensors outputs, Bytes32 evidenceHash) {
    InferenceReceipt r = produced.receipt().receipt();
    return Fixtures.resigned(
        new InferenceReceipt(
            requestId,
            r.modelId(),
            r.inputHash(),
            outputs.hash(),
            r.level(),
            evidenceHash,
            r.node(),
            r.timestamp(),
            r.sequence()),
        NODE);
  }

  static String reason(Verdict v) {
    assertThat(v).isInstanceOf(Verdict.Invalid.class);
    return ((Verdict.Invalid) v).reason();
  }

  @Test
  void aProofOfThisRequestsInferenceIsValid() {
    Verdict v = verifier.verify(claim(), REQUEST, MODEL_ID);

    assertThat(v).isInstanceOf(Verdict.Valid.class);
    assertThat(((Verdict.Valid) v).what())
        .startsWith(ZkmlVerifier.LOCAL_CHECK + ": proof verified under zkModelId " + zk.modelId())
        .endsWith("signature by registered node " + NODE.address());
  }

  @Test
  void aTamperedProofIsInvalid() {
    byte[] proof = proof();
    proof[proof.length / 2] ^= 0x01;

    assertThat(
            reason(
                verifier.verify(
                    claim(produced.outputs(), produced.receipt(), proof), REQUEST, MODEL_ID)))
        .startsWith("ZKML proof does not hash to the receipt's evidenceHash");
  }

  @Test
  void aTamperedProofThatTheReceiptNamesStillDoesNotVerify() {
    byte[] proof = proof();
    proof[proof.length / 2] ^= 0x01;
    SignedReceipt naming = signed(REQUEST, produced.outputs(), Keccak.hash(proof));

    assertThat(reason(verifier.verify(claim(produced.outputs(), naming, proof), REQUEST, MODEL_ID)))
        .startsWith("ZKML proof rejected under zkModelId " + zk.modelId());
  }

  @Test
  void aProofMadeForAnotherRequestDoesNotVerifyForThisOne() {
    Production other = produce(Keccak.hash("request 2"));
    byte[] replayed = ((Evidence.Proof) other.evidence()).bytes();
    SignedReceipt naming = signed(REQUEST, other.outputs(), Keccak.hash(replayed));

    assertThat(reason(verifier.verify(claim(other.outputs(), naming, replayed), REQUEST, MODEL_ID)))
        .startsWith("ZKML proof rejected under zkModelId " + zk.modelId());
  }

  @Test
  void logitsOtherThanTheProvedOnesDoNotVerifyEvenWhenTheNodeSignsThem() {
    long[] logits = produced.outputs().only().toLongs();
    logits[0] += 1;
    NamedTensors lie =
        NamedTensors.single("y", Tensor.ofLongs(new int[] {1, logits.length}, logits));
    SignedReceipt naming = signed(REQUEST, lie, Keccak.hash(proof()));

    assertThat(reason(verifier.verify(claim(lie, naming, proof()), REQUEST, MODEL_ID)))
        .startsWith("ZKML proof rejected under zkModelId " + zk.modelId());
  }

  @Test
  void aResultWithoutItsProofIsInvalid() {
    assertThat(
            reason(
                verifier.verify(
                    claim(produced.outputs(), produced.receipt(), null), REQUEST, MODEL_ID)))
        .isEqualTo("ZKML result carries no proof; the node must return it with the result");
  }

  @Test
  void aValidProofFromAnUnregisteredNodeIsInvalid() {
    ZkmlVerifier strangers =
        new ZkmlVerifier(DOMAIN, new Fixtures.Registry(), ZkmlVerifierTest::zkModel);

    assertThat(reason(strangers.verify(claim(), REQUEST, MODEL_ID)))
        .isEqualTo("receipt signer " + NODE.address() + " is not a registered, staked node");
  }

  @Test
  void aTamperedReceiptSignatureIsInvalid() {
    SignedReceipt tampered = Fixtures.tamperedSignature(produced.receipt());

    assertThat(
            reason(
                verifier.verify(claim(produced.outputs(), tampered, proof()), REQUEST, MODEL_ID)))
        .contains("signature");
  }

  @Test
  void onChainTheProofFetchedByItsHashIsVerified() {
    Optional<Verdict> v = verifier.verifySubmitted(submitted(proof()));

    assertThat(v)
        .hasValueSatisfying(verdict ->
            assertThat(((Verdict.Valid) verdict).what())
                .isEqualTo(
                    ZkmlVerifier.LOCAL_CHECK + ": proof verified under zkModelId " + zk.modelId()));
  }

  @Test
  void onChainAProofOtherThanTheSubmittedHashIsInvalid() {
    byte[] proof = proof();
    proof[7] ^= 0x01;

    Optional<Verdict> v = verifier.verifySubmitted(submitted(proof));

    assertThat(v)
        .hasValueSatisfying(
            verdict -> assertThat(reason(verdict)).startsWith("ZKML proof does not hash to"));
  }

  static SubmittedResult submitted(byte[] served) {
    return new SubmittedResult(
        REQUEST,
        MODEL_ID,
        VerificationLevel.ZKML,
        NamedTensors.lone(Fixtures.input()),
        produced.outputs(),
        produced.receipt().receipt().evidenceHash(),
        new SubmittedResult.EvidenceSource() {
          @Override
          public SignedReceipt receipt() {
            throw new AssertionError("the hub checked the node's signature");
          }

          @Override
          public byte[] payload(Bytes32 evidenceHash) {
            assertThat(evidenceHash).isEqualTo(produced.receipt().receipt().evidenceHash());
            return served;
          }
        });
  }
}
