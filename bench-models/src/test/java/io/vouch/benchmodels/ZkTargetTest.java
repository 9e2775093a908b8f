package io.vouch.benchmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.benchmodels.ZkBenchmarkModels.BenchModel;
import io.vouch.benchmodels.ZkBenchmarkModels.Kind;
import io.vouch.onnx.quant.AccuracyMeasure;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's targets as written in {@link ZkTarget} and {@link Kind}, the verdict on measured
 * figures at and beyond each bound, and the larger models' names ({@link LargeModels}) built
 * through the shared path on tiny shapes (BERT_22M and GPT2_SMALL themselves take minutes and 14
 * GB).
 */
class ZkTargetTest {
  @Test
  void theIssuesTableIsWrittenOnce() {
    assertThat(Kind.LENET5.target().proveMillis()).isEqualTo(10);
    assertThat(Kind.CNN_264K.target().proveMillis()).isEqualTo(60);
    assertThat(Kind.TRANSFORMER_250K.target().proveMillis()).isEqualTo(100);
    assertThat(Kind.BERT_22M.target().proveMillis()).isEqualTo(3_000);
    assertThat(Kind.GPT2_SMALL.target().proveMillis()).isEqualTo(15_000);
    assertThat(Kind.GPT2_SMALL.target().memoryBytes()).isEqualTo(16_000_000_000L);
    assertThat(Kind.KWS_HEAD.target()).isEqualTo(ZkTarget.COMMON);
    assertThat(Kind.BERT_22M.minHeapBytes()).isEqualTo(ZkBenchmarkModels.LARGE_HEAP);
    assertThat(Kind.GPT2_SMALL.minHeapBytes()).isEqualTo(ZkBenchmarkModels.LARGE_HEAP);
    assertThat(Kind.CNN_264K.minHeapBytes()).isZero();
    assertThat(Kind.GPT2_SMALL.target().describe())
        .isEqualTo("prove ≤ 15 s, prove/inf ≤ 10×, verify/prove ≤ 0.1, bits ≥ 100, memory ≤ 16 GB");
    assertThat(Kind.LENET5.target().describe()).startsWith("prove ≤ 10 ms, ");
  }

  @Test
  void aRowMeetsItsTargetsAtTheBoundsAndMissesEachBeyond() {
    ZkTarget t = Kind.GPT2_SMALL.target();
    assertThat(t.missed(15_000, 10, 0.1, 100, 16e9)).isEmpty();
    assertThat(t.missed(15_001, 10, 0.1, 100, 16e9)).containsExactly("prove");
    assertThat(t.missed(15_000, 10.01, 0.1, 100, 16e9)).containsExactly("prove/inf");
    assertThat(t.missed(15_000, 10, 0.11, 100, 16e9)).containsExactly("verify/prove");
    assertThat(t.missed(15_000, 10, 0.1, 99.9, 16e9)).containsExactly("bits");
    assertThat(t.missed(15_000, 10, 0.1, 100, 16.1e9)).containsExactly("memory");
    // a figure not measured is not a target met
    assertThat(t.missed(15_000, 10, 0.1, 100, Double.NaN)).containsExactly("memory");
    assertThat(t.missed(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 1))
        .containsExactly("prove", "prove/inf", "verify/prove", "bits");
    // no time or memory target of its own: only the common ones
    assertThat(ZkTarget.COMMON.missed(1e9, 1, 0.01, 120, Double.NaN)).isEmpty();
  }

  @Test
  void aTargetIsPositive() {
    assertThatThrownBy(() -> new ZkTarget(0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ZkTarget(Double.NaN, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void largeModelsByNameAndTinyShapesBuildThroughTheSharedPath() {
    assertThat(LargeModels.named("BERT_22M").parameters()).isEqualTo(22_421_002L);
    assertThat(LargeModels.named("GPT2_SMALL").parameters()).isEqualTo(123_677_952L);
    assertThat(LargeModels.named("GPT2_SMALL").shape())
        .isEqualTo("32 tokens, 12×(d768 h12 ff3072) causal");
    assertThatThrownBy(() -> LargeModels.named("BERT_2M"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BERT_22M, TRANSFORMER_250K, GPT2_SMALL");
    assertThatThrownBy(() -> LargeModels.named("gpt:8,64,16"))
        .isInstanceOf(IllegalArgumentException.class);

    BenchModel decoder = LargeModels.named("gpt:8,64,16,2,32,1").build(8);
    assertThat(decoder.name()).isEqualTo("DECODER_8,64,16,2,32,1");
    // 64 next-token logits: a class axis, so top-1, as vouch zk compile chooses
    assertThat(decoder.agreement().outputs().get(0).measure()).isEqualTo(AccuracyMeasure.TOP_ONE);
    assertThat(decoder.agreement().inputs()).isEqualTo(8);
    assertThat(decoder.topOneAgreement()).isBetween(0.0, 1.0);
    // the input proved: one more sequence around the prototypes (seed 2), as the integer model
    // reads it
    float[] tokens = LargeModels.named("gpt:8,64,16,2,32,1").classifier().get().inputs(2, 1)[0];
    assertThat(decoder.input()).isEqualTo(decoder.model().quantizeInputs(tokens));
    BenchModel encoder = LargeModels.named("8,64,16,2,32,1").build(16);
    assertThat(encoder.topOneAgreement()).isGreaterThanOrEqualTo(0.9);
    assertThat(encoder.parameters()).isEqualTo(LargeModels.named("8,64,16,2,32,1").parameters());
  }
}
