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
import io.vouch.core.tensor.NamedTensors;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A TEE result is valid only as signed by an enclave key active for the node it names, bound by an
 * attestation document that verifies under a trust anchor usable on the deployment.
 */
class TeeVerifierTest {
  static Fixtures.Enclave enclave;

  final Fixtures.Registry registry = new Fixtures.Registry().register(NODE.address());

  @BeforeAll
  static void startEnclave() {
    enclave = new Fixtures.Enclave();
  }

  Fixtures.Registry withEnclaveKey() {
    return registry.enclaveKey(
        NODE.address(), enclave.signer.address(), enclave.evidence.attestationDocument());
  }

  TeeVerifier verifier(Fixtures.Registry directory, TeeTrust trust) {
    return new TeeVerifier(DOMAIN, directory, directory, trust);
  }

  static Production produce() {
    return new TeeProducer(new Fixtures.Receipts(NODE), () -> Optional.of(enclave.signer))
        .produce(
            REQUEST, new Fixtures.Doubler(Optional.empty()), NamedTensors.lone(Fixtures.input()));
  }

  static ResultClaim claim() {
    return Fixtures.claim(produce(), VerificationLevel.TEE);
  }

  static ResultClaim withReceipt(ResultClaim c, SignedReceipt receipt) {
    return new ResultClaim(c.level(), c.inputs(), c.outputs(), receipt, c.domain(), c.payload());
  }

  static String reason(Verdict v) {
    assertThat(v).isInstanceOf(Verdict.Invalid.class);
    return ((Verdict.Invalid) v).reason();
  }

  @Test
  void aResultSignedByAnActiveAttestedEnclaveKeyIsValid() {
    Verdict v = verifier(withEnclaveKey(), enclave.trust()).verify(claim(), REQUEST, MODEL_ID);

    assertThat(v).isInstanceOf(Verdict.Valid.class);
    assertThat(((Verdict.Valid) v).what())
        .contains("signature by active enclave key " + enclave.signer.address())
        .contains("attestation " + enclave.evidence.evidenceHash())
        .contains("DEVELOPMENT root");
  }

  @Test
  void chainOnlyTrustChecksTheKeyButSaysTheDocumentWasNotChecked() {
    Verdict v = verifier(withEnclaveKey(), TeeTrust.chainOnly()).verify(claim(), REQUEST, MODEL_ID);

    assertThat(v).isInstanceOf(Verdict.Valid.class);
    assertThat(((Verdict.Valid) v).what())
        .endsWith("; attestation document not checked (TeeTrust.chainOnly)");
  }

  @Test
  void aKeyTheRegistryDoesNotListAsActiveIsInvalid() {
    assertThat(reason(verifier(registry, enclave.trust()).verify(claim(), REQUEST, MODEL_ID)))
        .contains(enclave.signer.address() + ", which is not an active enclave key of node");
  }

  @Test
  void aReceiptSignedWithTheNodesStakedKeyInsteadOfTheEnclaveKeyIsInvalid() {
    ResultClaim c = claim();
    ResultClaim staked = withReceipt(c, Fixtures.resigned(c.receipt().receipt(), NODE));

    assertThat(
            reason(verifier(withEnclaveKey(), enclave.trust()).verify(staked, REQUEST, MODEL_ID)))
        .contains(NODE.address() + ", which is not an active enclave key");
  }

  @Test
  void aTamperedSignatureIsInvalid() {
    ResultClaim c = claim();
    ResultClaim tampered = withReceipt(c, Fixtures.tamperedSignature(c.receipt()));

    Verdict v = verifier(withEnclaveKey(), enclave.trust()).verify(tampered, REQUEST, MODEL_ID);

    assertThat(reason(v)).containsAnyOf("signature is invalid", "not an active enclave key");
  }

  @Test
  void aNodeThatIsNotRegisteredIsInvalidWhateverItsEnclave() {
    Fixtures.Registry unregistered =
        new Fixtures.Registry()
            .enclaveKey(
                NODE.address(), enclave.signer.address(), enclave.evidence.attestationDocument());

    assertThat(reason(verifier(unregistered, enclave.trust()).verify(claim(), REQUEST, MODEL_ID)))
        .contains("which is not a registered, staked node");
  }

  @Test
  void aMutatedAttestationDocumentIsInvalid() {
    byte[] document = enclave.evidence.attestationDocument();
    document[document.length / 2] ^= 0x01;
    // The registry hands out the mutated bytes under the hash the receipt names.
    Fixtures.Registry mutated = withEnclaveKey();
    mutated.documents.put(enclave.evidence.evidenceHash(), document);

    assertThat(reason(verifier(mutated, enclave.trust()).verify(claim(), REQUEST, MODEL_ID)))
        .startsWith("TEE attestation check failed");
  }

  @Test
  void aReceiptNamingADocumentTheKeyNeverRegisteredIsInvalid() {
    ResultClaim c = claim();
    InferenceReceipt r = c.receipt().receipt();
    InferenceReceipt otherDocument =
        new InferenceReceipt(
            r.requestId(),
            r.modelId(),
            r.inputHash(),
            r.outputHash(),
            r.level(),
            Keccak.hash("another document"),
            r.node(),
            r.timestamp(),
            r.sequence());
    ResultClaim claim = withReceipt(c, enclaveSigned(otherDocument));

    assertThat(reason(verifier(withEnclaveKey(), enclave.trust()).verify(claim, REQUEST, MODEL_ID)))
        .startsWith("no EnclaveKeyRegistered event of node " + NODE.address());
  }

  @Test
  void aReceiptReplayedForAnotherRequestIsInvalid() {
    assertThat(
            reason(
                verifier(withEnclaveKey(), enclave.trust())
                    .verify(claim(), Keccak.hash("request 2"), MODEL_ID)))
        .isEqualTo("receipt is for another request " + REQUEST);
  }

  @Test
  void withoutAnAnchorTheVerifierCannotDecideAndSaysHowToConfigureOne() {
    Verdict v = verifier(withEnclaveKey(), TeeTrust.attested()).verify(claim(), REQUEST, MODEL_ID);

    assertThat(v).isInstanceOf(Verdict.Undecided.class);
    assertThat(((Verdict.Undecided) v).reason())
        .contains("no trust anchor is configured")
        .contains("withAwsRoot")
        .contains("TeeTrust.chainOnly()");
  }

  @Test
  void aDevelopmentRootIsNotAnAnchorOnADeploymentThatRefusesDevelopmentAttestation() {
    Fixtures.Registry production = withEnclaveKey();
    production.developmentAllowed = false;

    Verdict v = verifier(production, enclave.trust()).verify(claim(), REQUEST, MODEL_ID);

    assertThat(v).isInstanceOf(Verdict.Undecided.class);
    assertThat(((Verdict.Undecided) v).reason()).contains("does not allow development attestation");
  }

  @Test
  void onChainTheReceiptReadBackFromTheSubmissionIsCheckedInFull() {
    Production p = produce();

    Optional<Verdict> v =
        verifier(withEnclaveKey(), enclave.trust()).verifySubmitted(submitted(p, p.receipt()));

    assertThat(v).hasValueSatisfying(verdict -> assertThat(verdict.isValid()).isTrue());
  }

  @Test
  void onChainAReceiptSignedByAnotherKeyIsInvalid() {
    Production p = produce();
    SignedReceipt rogue = Fixtures.resigned(p.receipt().receipt(), Fixtures.key("rogue"));

    Optional<Verdict> v =
        verifier(withEnclaveKey(), enclave.trust()).verifySubmitted(submitted(p, rogue));

    assertThat(v)
        .hasValueSatisfying(verdict -> assertThat(reason(verdict)).contains("not an active"));
  }

  static SubmittedResult submitted(Production p, SignedReceipt asSubmitted) {
    return new SubmittedResult(
        REQUEST,
        MODEL_ID,
        VerificationLevel.TEE,
        NamedTensors.lone(Fixtures.input()),
        p.outputs(),
        p.receipt().receipt().evidenceHash(),
        new SubmittedResult.EvidenceSource() {
          @Override
          public SignedReceipt receipt() {
            return asSubmitted;
          }

          @Override
          public byte[] payload(Bytes32 evidenceHash) {
            throw new AssertionError("a TEE result's document comes from the registry");
          }
        });
  }

  /**
   * {@code draft} signed by the enclave key as it stands, evidenceHash included (EnclaveSigner
   * always names its current document; a lying enclave would not).
   */
  static SignedReceipt enclaveSigned(InferenceReceipt draft) {
    return Fixtures.resigned(draft, Fixtures.ENCLAVE_KEY);
  }
}
