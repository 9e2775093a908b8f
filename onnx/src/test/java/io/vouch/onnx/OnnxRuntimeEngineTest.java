package io.vouch.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.error.ErrorCode;
import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.onnx.writer.Mlp;
import io.vouch.onnx.writer.OnnxModelWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OnnxRuntimeEngineTest {
  private static final Mlp MLP = TestModels.randomMlp(5, 4, 8, 3);
  private static final byte[] MLP_BYTES = OnnxModelWriter.mlp(MLP).toBytes();
  private static OnnxRuntimeEngine engine;

  @BeforeAll
  static void load() {
    engine = OnnxRuntimeEngine.load(MLP_BYTES);
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private static Tensor batch(int rows, long seed) {
    float[][] inputs = TestModels.randomInputs(seed, rows, 4);
    float[] flat = new float[rows * 4];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(inputs[r], 0, flat, r * 4, 4);
    }
    return Tensor.ofFloats(new int[] {rows, 4}, flat);
  }

  @Test
  void runsASingleInputModelOnAnyBatchSize() {
    for (int rows : new int[] {1, 7}) {
      Tensor out = engine.run(batch(rows, rows));
      assertThat(out.dtype()).isEqualTo(DType.FLOAT32);
      assertThat(out.shape()).containsExactly(rows, 3);
    }
  }

  @Test
  void outputMatchesTheJavaForwardPass() {
    Tensor in = batch(1, 42);
    float[] expected = MLP.forward(in.toFloats());
    assertThat(engine.run(in).toFloats())
        .containsExactly(expected, org.assertj.core.data.Offset.offset(1e-5f));
  }

  @Test
  void namedRunReturnsEveryOutputByName() {
    Map<String, Tensor> out = engine.run(Map.of("input", batch(2, 3)));
    assertThat(out).containsOnlyKeys("output");
    assertThat(out.get("output").shape()).containsExactly(2, 3);
  }

  @Test
  void twoInputModelAddsItsInputs() {
    try (OnnxRuntimeEngine add = OnnxRuntimeEngine.load(GraphFixtures.add(2))) {
      Map<String, Tensor> out =
          add.run(
              Map.of(
                  "a", Tensor.ofFloats(new int[] {1, 2}, 1f, 2f),
                  "b", Tensor.ofFloats(new int[] {1, 2}, 10f, 20f)));
      assertThat(out.get("sum")).isEqualTo(Tensor.ofFloats(new int[] {1, 2}, 11f, 22f));
    }
  }

  @Test
  void singleTensorRunRefusesAModelWithTwoInputs() {
    try (OnnxRuntimeEngine add = OnnxRuntimeEngine.load(GraphFixtures.add(2))) {
      assertThatThrownBy(() -> add.run(Tensor.ofFloats(new int[] {1, 2}, 1f, 2f)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("one input and one output")
          .hasMessageContaining("[a, b]");
    }
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void everyDtypeConvertsToOnnxRuntimeAndBackUnchanged(DType dtype) {
    byte[] data = new byte[6 * dtype.size()];
    new SplittableRandom(dtype.code()).nextBytes(data);
    if (dtype.isFloating()) {
      data = finiteValues(dtype, 6);
    }
    Tensor in = Tensor.of(dtype, new int[] {2, 3}, data);
    try (OnnxRuntimeEngine identity =
        OnnxRuntimeEngine.load(GraphFixtures.identity(dtype, -1, 3))) {
      assertThat(identity.run(in)).isEqualTo(in);
    }
  }

  @Test
  void sameInputGivesTheSameOutputBytesInAFreshEngine() {
    Tensor in = batch(5, 9);
    try (OnnxRuntimeEngine again = OnnxRuntimeEngine.load(MLP_BYTES)) {
      assertThat(again.run(in).hash()).isEqualTo(engine.run(in).hash());
    }
  }

  @Test
  void rejectsTheWrongDtypeBeforeRunning() {
    Tensor doubles = Tensor.ofDoubles(new int[] {1, 4}, 1, 2, 3, 4);
    assertThatThrownBy(() -> engine.run(doubles))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("input 'input' is float64 but the model expects float32");
  }

  @Test
  void rejectsTheWrongRank() {
    assertThatThrownBy(() -> engine.run(Tensor.ofFloats(new int[] {4}, 1, 2, 3, 4)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("has shape [4] but the model expects [N, 4] (rank 2, got rank 1)");
  }

  @Test
  void rejectsAWrongFixedDimension() {
    assertThatThrownBy(() -> engine.run(Tensor.ofFloats(new int[] {1, 3}, 1, 2, 3)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("has shape [1, 3] but the model expects [N, 4]");
  }

  @Test
  void rejectsNanNamingItsIndexAndPosition() {
    float[] values = batch(2, 1).toFloats();
    values[5] = Float.NaN;
    assertThatThrownBy(() -> engine.run(Tensor.ofFloats(new int[] {2, 4}, values)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("holds NaN at flat index 5 (position [1, 1])");
  }

  @Test
  void rejectsInfinity() {
    float[] values = batch(1, 1).toFloats();
    values[3] = Float.NEGATIVE_INFINITY;
    assertThatThrownBy(() -> engine.run(Tensor.ofFloats(new int[] {1, 4}, values)))
        .hasMessageContaining("holds -Infinity at flat index 3");
  }

  @Test
  void rejectsAnInputAboveTheElementLimit() {
    try (OnnxRuntimeEngine small =
        OnnxRuntimeEngine.load(MLP_BYTES, EngineOptions.DEFAULT.withMaxInputElements(8))) {
      assertThat(small.run(batch(2, 1)).shape()).containsExactly(2, 3);
      assertThatThrownBy(() -> small.run(batch(3, 1)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("holds 12 elements; the limit is 8")
          .extracting(e -> ((InvalidInputException) e).code())
          .isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
    }
  }

  @Test
  void rejectsAnEmptyBatch() {
    assertThatThrownBy(() -> engine.run(Tensor.ofFloats(new int[] {0, 4})))
        .hasMessageContaining("holds no elements");
  }

  @Test
  void rejectsAMissingInputListingWhatTheModelTakes() {
    try (OnnxRuntimeEngine add = OnnxRuntimeEngine.load(GraphFixtures.add(2))) {
      assertThatThrownBy(() -> add.run(Map.of("a", Tensor.ofFloats(new int[] {1, 2}, 1f, 2f))))
          .hasMessageContaining("missing input 'b'")
          .hasMessageContaining("a: float32 [N, 2], b: float32 [N, 2]");
    }
  }

  @Test
  void rejectsAnUnknownInputName() {
    assertThatThrownBy(() -> engine.run(Map.of("pixels", batch(1, 1))))
        .hasMessageContaining("unknown input 'pixels'; the model takes input: float32 [N, 4]");
  }

  @Test
  void loadingRejectsAnInvalidModelWithTheParsersMessage() {
    assertThatThrownBy(() -> OnnxRuntimeEngine.load(new byte[] {'n', 'o'}))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("not a protobuf message");
  }

  @Test
  void moreThreadsGiveTheSameResultOnThisModel() {
    Tensor in = batch(3, 2);
    try (OnnxRuntimeEngine twoThreads =
        OnnxRuntimeEngine.load(MLP_BYTES, EngineOptions.DEFAULT.withThreads(2, 2))) {
      assertThat(twoThreads.options().intraOpThreads()).isEqualTo(2);
      assertThat(twoThreads.run(in)).isEqualTo(engine.run(in));
    }
  }

  @Test
  void aClosedEngineRefusesToRunAndClosingTwiceIsHarmless() {
    OnnxRuntimeEngine closing = OnnxRuntimeEngine.load(MLP_BYTES);
    closing.close();
    closing.close();
    assertThatThrownBy(() -> closing.run(batch(1, 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  private static byte[] finiteValues(DType dtype, int count) {
    SplittableRandom random = new SplittableRandom(count);
    ByteBuffer b = ByteBuffer.allocate(count * dtype.size()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      double v = (random.nextDouble() - 0.5) * 1e6;
      if (dtype == DType.FLOAT32) {
        b.putFloat((float) v);
      } else {
        b.putDouble(v);
      }
    }
    return b.array();
  }
}
