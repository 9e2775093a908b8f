package io.vouch.evidence;

import static io.vouch.evidence.Fixtures.MODEL_ID;
import static io.vouch.evidence.Fixtures.NODE;
import static io.vouch.evidence.Fixtures.REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What each producer needs, runs and signs. */
class EvidenceProducersTest {
  final Fixtures.Receipts receipts = new Fixtures.Receipts(NODE);
  final Fixtures.Doubler plain = new Fixtures.Doubler(Optional.empty());

  static void badInput(Runnable r, String message) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            VouchException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT))
        .hasMessageContaining(message);
  }

  @Test
  void vanillaRunsTheFloatEngineAndSignsWithTheNodesKey() {
    Production p =
        new VanillaProducer(receipts).produce(REQUEST, plain, NamedTensors.lone(Fixtures.input()));

    assertThat(plain.runs).hasValue(1);
    assertThat(p.receipt().signer(Fixtures.DOMAIN)).isEqualTo(NODE.address());
    assertThat(p.receipt().receipt().requestId()).isEqualTo(REQUEST);
    assertThat(p.receipt().receipt().modelId()).isEqualTo(MODEL_ID);
    assertThat(p.receipt().receipt().inputHash()).isEqualTo(Fixtures.input().hash());
    assertThat(p.receipt().receipt().outputHash()).isEqualTo(p.outputs().hash());
    assertThat(p.outputs().get("y").getAsDouble(4)).isEqualTo(2 * Fixtures.input().getAsDouble(4));
  }

  @Test
  void aLoneTensorIsTheInputOfAOneInputModelWhateverItsName() {
    Production p =
        new VanillaProducer(receipts)
            .produce(REQUEST, plain, NamedTensors.single("whatever", Fixtures.input()));

    assertThat(p.receipt().receipt().inputHash()).isEqualTo(Fixtures.input().hash());
  }

  @Test
  void aModelWithSeveralInputsGetsEachByItsName() {
    Fixtures.Doubler two = new Fixtures.Doubler(Optional.empty(), List.of("a", "b"));

    badInput(
        () -> new VanillaProducer(receipts).check(two, NamedTensors.lone(Fixtures.input())),
        "send each by name");
    badInput(
        () ->
            new VanillaProducer(receipts)
                .check(two, NamedTensors.of(Map.of("a", Fixtures.input(), "c", Fixtures.input()))),
        "but the request names [a, c]");
  }

  @Test
  void checkRefusesWhatTheModelCannotTakeWithoutRunningIt() {
    NamedTensors tooShort = NamedTensors.lone(Tensor.ofFloats(new int[] {1, 2}, new float[2]));

    badInput(() -> new VanillaProducer(receipts).check(plain, tooShort), "takes 8 values");
    assertThat(plain.runs).hasValue(0);
  }

  @Test
  void teeIsUnavailableUntilTheNodeHasAnEnclave() {
    TeeProducer tee = new TeeProducer(receipts, Optional::empty);

    assertThat(tee.unavailableFor(plain))
        .hasValue(
            "this node serves doubler@1 at VANILLA only; ask another node for TEE (this node runs"
                + " without an enclave)");
  }

  @Test
  void teeSignsTheNodesDraftWithTheEnclaveKeyKeepingTheNodeAndSequence() {
    Fixtures.Enclave enclave = new Fixtures.Enclave();
    TeeProducer tee = new TeeProducer(receipts, () -> Optional.of(enclave.signer));

    Production p = tee.produce(REQUEST, plain, NamedTensors.lone(Fixtures.input()));

    assertThat(tee.unavailableFor(plain)).isEmpty();
    assertThat(p.receipt().signer(Fixtures.DOMAIN)).isEqualTo(enclave.signer.address());
    assertThat(p.receipt().receipt().node()).isEqualTo(NODE.address());
    assertThat(p.receipt().receipt().sequence()).isEqualTo(1);
    assertThat(p.evidence())
        .isEqualTo(new Evidence.EnclaveSignature(enclave.evidence.evidenceHash()));
  }

  @Test
  void zkmlIsUnavailableForAModelWithoutItsZkModel() {
    assertThat(new ZkmlProducer(receipts).unavailableFor(plain))
        .hasValueSatisfying(
            m -> assertThat(m).startsWith("this node has no ZK model for doubler@1"));
  }

  @Test
  void zkmlProvesTheIntegerModelAndReturnsItsLogits() {
    Fixtures.Doubler zk = new Fixtures.Doubler(Optional.of(Fixtures.zkModel()));

    Production p =
        new ZkmlProducer(receipts).produce(REQUEST, zk, NamedTensors.lone(Fixtures.input()));

    assertThat(zk.runs).as("the float engine").hasValue(0);
    Tensor logits = p.outputs().get("y");
    assertThat(logits.shape()).containsExactly(1, Fixtures.zkModel().outputSize());
    assertThat(p.evidence()).isInstanceOf(Evidence.Proof.class);
    assertThat(p.receipt().signer(Fixtures.DOMAIN)).isEqualTo(NODE.address());
  }

  @Test
  void zkmlTakesTheModelsOwnInputs() {
    Fixtures.Doubler zk = new Fixtures.Doubler(Optional.of(Fixtures.zkModel()));
    NamedTensors two = NamedTensors.of(Map.of("a", Fixtures.input(), "b", Fixtures.input()));

    badInput(
        () -> new ZkmlProducer(receipts).produce(REQUEST, zk, two),
        "takes 1 input [x] but the request names [a, b]");
  }

  @Test
  void zkmlRefusesAnInt8InputOfTheWrongSize() {
    Fixtures.Doubler zk = new Fixtures.Doubler(Optional.of(Fixtures.zkModel()));
    NamedTensors x = NamedTensors.lone(Tensor.ofInt8(new int[] {1, 3}, new byte[] {1, 2, 3}));

    badInput(
        () -> new ZkmlProducer(receipts).produce(REQUEST, zk, x),
        "input 'input' takes 8 values; the request's has 3");
  }
}
