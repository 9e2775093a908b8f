package io.vouch.evidence;

import static io.vouch.evidence.Fixtures.DOMAIN;
import static io.vouch.evidence.Fixtures.MODEL_ID;
import static io.vouch.evidence.Fixtures.NODE;
import static io.vouch.evidence.Fixtures.REQUEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A VANILLA result is valid only as signed by the registered node it names, for what was asked. */
class VanillaVerifierTest {
  final Fixtures.Registry registry = new Fixtures.Registry().register(NODE.address());
  final VanillaVerifier verifier = new VanillaVerifier(DOMAIN, registry);
  final Production produced =
      new VanillaProducer(new Fixtures.Receipts(NODE))
          .produce(
              REQUEST, new Fixtures.Doubler(Optional.empty()), NamedTensors.lone(Fixtures.input()));

  ResultClaim claim() {
    return Fixtures.claim(produced, VerificationLevel.VANILLA);
  }

  static String reason(Verdict v) {
    assertThat(v).isInstanceOf(Verdict.Invalid.class);
    return ((Verdict.Invalid) v).reason();
  }

  @Test
  void aResultSignedByTheRegisteredNodeItNamesIsValid() {
    Verdict v = verifier.verify(claim(), REQUEST, MODEL_ID);

    assertThat(v)
        .isEqualTo(
            new Verdict.Valid(
                "hashes, ids, domain, signature by registered node " + NODE.address()));
  }

  @Test
  void aTamperedSignatureIsInvalid() {
    ResultClaim c = claim();
    ResultClaim tampered =
        new ResultClaim(
            c.level(),
            c.inputs(),
            c.outputs(),
            Fixtures.tamperedSignature(c.receipt()),
            c.domain(),
            c.payload());

    assertThat(reason(verifier.verify(tampered, REQUEST, MODEL_ID))).contains("signature");
  }

  @Test
  void aReceiptNamingTheNodeButSignedWithAnotherKeyIsInvalid() {
    ResultClaim c = claim();
    ResultClaim forged =
        new ResultClaim(
            c.level(),
            c.inputs(),
            c.outputs(),
            Fixtures.resigned(c.receipt().receipt(), Fixtures.key("impostor")),
            c.domain(),
            c.payload());

    assertThat(reason(verifier.verify(forged, REQUEST, MODEL_ID)))
        .startsWith("receipt signature is invalid");
  }

  @Test
  void aReceiptSignedByAnUnregisteredNodeIsInvalid() {
    VanillaVerifier strangers = new VanillaVerifier(DOMAIN, new Fixtures.Registry());

    assertThat(reason(strangers.verify(claim(), REQUEST, MODEL_ID)))
        .isEqualTo("receipt signer " + NODE.address() + " is not a registered, staked node");
  }

  @Test
  void aReceiptReplayedForAnotherRequestIsInvalid() {
    Bytes32 otherRequest = Keccak.hash("request 2");

    assertThat(reason(verifier.verify(claim(), otherRequest, MODEL_ID)))
        .isEqualTo("receipt is for another request " + REQUEST);
  }

  @Test
  void aReceiptForAnotherModelIsInvalid() {
    assertThat(reason(verifier.verify(claim(), REQUEST, Keccak.hash("other@1"))))
        .isEqualTo("receipt is for another model " + MODEL_ID);
  }

  @Test
  void aResultSignedForAnotherChainOrHubIsInvalid() {
    Eip712Domain elsewhere =
        Eip712Domain.of(1, Address.fromHex("0x00000000000000000000000000000000000000aa"));
    VanillaVerifier otherDeployment = new VanillaVerifier(elsewhere, registry);

    assertThat(reason(otherDeployment.verify(claim(), REQUEST, MODEL_ID)))
        .startsWith("result was signed for chain " + Fixtures.CHAIN_ID);
  }

  @Test
  void anOutputOtherThanTheSignedOneIsInvalid() {
    ResultClaim c = claim();
    ResultClaim altered =
        new ResultClaim(
            c.level(),
            c.inputs(),
            NamedTensors.lone(Tensor.ofFloats(new int[] {1, 1}, new float[] {42f})),
            c.receipt(),
            c.domain(),
            c.payload());

    assertThat(reason(verifier.verify(altered, REQUEST, MODEL_ID)))
        .isEqualTo("receipt output hash does not match the output returned");
  }

  @Test
  void anInputOtherThanTheSentOneIsInvalid() {
    ResultClaim c = claim();
    ResultClaim altered =
        new ResultClaim(
            c.level(),
            NamedTensors.lone(Tensor.ofFloats(new int[] {1, 1}, new float[] {42f})),
            c.outputs(),
            c.receipt(),
            c.domain(),
            c.payload());

    assertThat(reason(verifier.verify(altered, REQUEST, MODEL_ID)))
        .isEqualTo("receipt input hash does not match the input sent");
  }

  @Test
  void aResultClaimingAnotherLevelThanItsReceiptIsInvalid() {
    ResultClaim c = claim();
    ResultClaim relabelled =
        new ResultClaim(
            VerificationLevel.ZKML, c.inputs(), c.outputs(), c.receipt(), c.domain(), c.payload());

    assertThat(reason(verifier.verify(relabelled, REQUEST, MODEL_ID)))
        .isEqualTo("receipt level VANILLA differs from the result's");
  }

  @Test
  void aResultOfAnotherLevelIsNotThisVerifiersToAccept() {
    InferenceReceipt r = claim().receipt().receipt();
    InferenceReceipt asTee =
        new InferenceReceipt(
            r.requestId(),
            r.modelId(),
            r.inputHash(),
            r.outputHash(),
            VerificationLevel.TEE,
            r.evidenceHash(),
            r.node(),
            r.timestamp(),
            r.sequence());
    ResultClaim c = claim();
    ResultClaim tee =
        new ResultClaim(
            VerificationLevel.TEE,
            c.inputs(),
            c.outputs(),
            Fixtures.resigned(asTee, NODE),
            c.domain(),
            c.payload());

    assertThat(reason(verifier.verify(tee, REQUEST, MODEL_ID)))
        .isEqualTo("a VANILLA verifier cannot check a TEE result");
  }

  @Test
  void onChainTheHubsSignatureCheckIsAllThereIsToCheck() {
    SubmittedResult submitted =
        new SubmittedResult(
            REQUEST,
            MODEL_ID,
            VerificationLevel.VANILLA,
            NamedTensors.lone(Fixtures.input()),
            produced.outputs(),
            Bytes32.ZERO,
            new SubmittedResult.EvidenceSource() {
              @Override
              public io.vouch.core.eip712.SignedReceipt receipt() {
                throw new AssertionError("a VANILLA result needs no receipt read back");
              }

              @Override
              public byte[] payload(Bytes32 evidenceHash) {
                throw new AssertionError("a VANILLA result has no evidence bytes");
              }
            });

    assertThat(verifier.verifySubmitted(submitted)).isEmpty();
  }
}
