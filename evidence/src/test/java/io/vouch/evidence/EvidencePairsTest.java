package io.vouch.evidence;

import static io.vouch.evidence.Fixtures.DOMAIN;
import static io.vouch.evidence.Fixtures.MODEL_ID;
import static io.vouch.evidence.Fixtures.NODE;
import static io.vouch.evidence.Fixtures.REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.tensor.NamedTensors;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The levels as one abstraction: for every level there is a producer and a verifier, and what the
 * producer makes the verifier accepts; a set of them hands each result to its own level's verifier.
 */
class EvidencePairsTest {
  static Fixtures.Enclave enclave;
  static Fixtures.Doubler model;
  static Fixtures.Registry registry;

  @BeforeAll
  static void setUp() {
    enclave = new Fixtures.Enclave();
    model = new Fixtures.Doubler(Optional.of(Fixtures.zkModel()));
    registry =
        new Fixtures.Registry()
            .register(NODE.address())
            .enclaveKey(
                NODE.address(), enclave.signer.address(), enclave.evidence.attestationDocument());
  }

  static EvidenceProducers producers() {
    return EvidenceProducers.all(new Fixtures.Receipts(NODE), () -> Optional.of(enclave.signer));
  }

  static EvidenceVerifiers verifiers() {
    return EvidenceVerifiers.of(
        new VanillaVerifier(DOMAIN, registry),
        new TeeVerifier(DOMAIN, registry, registry, enclave.trust()),
        new ZkmlVerifier(DOMAIN, registry, id -> Fixtures.zkModel()));
  }

  @Test
  void everyLevelHasAProducerAndAVerifier() {
    assertThat(producers().levels()).isEqualTo(EnumSet.allOf(VerificationLevel.class));
    assertThat(verifiers().levels()).isEqualTo(EnumSet.allOf(VerificationLevel.class));
  }

  @ParameterizedTest
  @EnumSource(VerificationLevel.class)
  void whatALevelsProducerMakesItsVerifierAccepts(VerificationLevel level) {
    EvidenceProducer producer = producers().forLevel(level);
    Production p = producer.produce(REQUEST, model, NamedTensors.lone(Fixtures.input()));

    assertThat(p.receipt().receipt().level()).isEqualTo(level);
    assertThat(p.evidence().level()).isEqualTo(level);
    assertThat(verifiers().verify(Fixtures.claim(p, level), REQUEST, MODEL_ID).isValid()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(VerificationLevel.class)
  void theReceiptsEvidenceHashNamesTheEvidence(VerificationLevel level) {
    Production p =
        producers().forLevel(level).produce(REQUEST, model, NamedTensors.lone(Fixtures.input()));

    switch (p.evidence()) {
      case Evidence.NodeSignature s ->
          assertThat(p.receipt().receipt().evidenceHash().isZero()).isTrue();
      case Evidence.EnclaveSignature e ->
          assertThat(p.receipt().receipt().evidenceHash())
              .isEqualTo(e.attestationHash())
              .isEqualTo(enclave.evidence.evidenceHash());
      case Evidence.Proof proof ->
          assertThat(p.receipt().receipt().evidenceHash()).isEqualTo(proof.hash());
    }
  }

  @Test
  void onlyTheZkmlEvidenceTravelsAsBytesAndOnlyTeeIsSettledAtSubmission() {
    assertThat(new Evidence.NodeSignature().payload()).isEmpty();
    assertThat(new Evidence.EnclaveSignature(MODEL_ID).payload()).isEmpty();
    assertThat(new Evidence.Proof(new byte[] {1, 2}).payload())
        .hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2));

    assertThat(new Evidence.NodeSignature().settledOnSubmission()).isFalse();
    assertThat(new Evidence.EnclaveSignature(MODEL_ID).settledOnSubmission()).isTrue();
    assertThat(new Evidence.Proof(new byte[] {1}).settledOnSubmission()).isFalse();
  }

  @Test
  void proofsAreEqualByTheirBytes() {
    assertThat(new Evidence.Proof(new byte[] {1, 2}))
        .isEqualTo(new Evidence.Proof(new byte[] {1, 2}));
    assertThat(new Evidence.Proof(new byte[] {1, 2}))
        .isNotEqualTo(new Evidence.Proof(new byte[] {2, 1}));
  }

  @Test
  void aSetWithoutALevelsVerifierCannotDecideResultsOfThatLevel() {
    EvidenceVerifiers vanillaOnly = EvidenceVerifiers.of(new VanillaVerifier(DOMAIN, registry));
    Production p =
        producers()
            .forLevel(VerificationLevel.ZKML)
            .produce(REQUEST, model, NamedTensors.lone(Fixtures.input()));

    Verdict v = vanillaOnly.verify(Fixtures.claim(p, VerificationLevel.ZKML), REQUEST, MODEL_ID);

    assertThat(v).isInstanceOf(Verdict.Undecided.class);
    assertThat(((Verdict.Undecided) v).reason()).contains("not ZKML");
  }

  @Test
  void aResultIsJudgedByTheVerifierOfTheLevelItClaims() {
    Production vanilla =
        producers()
            .forLevel(VerificationLevel.VANILLA)
            .produce(REQUEST, model, NamedTensors.lone(Fixtures.input()));

    // A VANILLA receipt passed off as a TEE result goes to the TEE verifier, which refuses it.
    Verdict v =
        verifiers().verify(Fixtures.claim(vanilla, VerificationLevel.TEE), REQUEST, MODEL_ID);

    assertThat(v).isEqualTo(new Verdict.Invalid("receipt level VANILLA differs from the result's"));
  }

  @Test
  void twoVerifiersForOneLevelAreRefused() {
    assertThatThrownBy(() ->
            EvidenceVerifiers.of(
                new VanillaVerifier(DOMAIN, registry), new VanillaVerifier(DOMAIN, registry)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("VANILLA");
  }

  @Test
  void aLevelWithoutAProducerIsAnUnsupportedLevel() {
    EvidenceProducers vanillaOnly =
        EvidenceProducers.of(new VanillaProducer(new Fixtures.Receipts(NODE)));

    assertThatThrownBy(() -> vanillaOnly.forLevel(VerificationLevel.TEE))
        .isInstanceOfSatisfying(
            VouchException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_LEVEL));
  }
}
