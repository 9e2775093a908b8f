package io.vouch.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.ModelCatalog;
import io.vouch.node.inference.ModelRunner;
import io.vouch.onnx.TensorSpec;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The body limit of POST /v1/infer follows the largest input of the models served. */
class InferBodyLimitTest {
  static final long MAX_ELEMENTS = 1 << 20;
  static final long CAP = 32L << 20;
  static final String TENSOR = NodeHttpApi.TENSOR_MEDIA_TYPE;

  /** A runner that only declares its inputs. */
  record Declared(List<TensorSpec> inputSpecs) implements ModelRunner {
    @Override
    public List<String> inputNames() {
      return inputSpecs.stream().map(TensorSpec::name).toList();
    }

    @Override
    public List<String> outputNames() {
      return List.of("y");
    }

    @Override
    public NamedTensors run(NamedTensors inputs) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  static LoadedModel model(String name, TensorSpec... inputs) {
    return new LoadedModel(
        Keccak.hash(name),
        name,
        1,
        "bafkreitest",
        Set.of(VerificationLevel.VANILLA),
        BigInteger.ONE,
        new Declared(List.of(inputs)));
  }

  static TensorSpec spec(String name, DType dtype, int... shape) {
    return new TensorSpec(name, dtype, shape);
  }

  @Test
  void aFixedShapeInputGivesItsBytesPlusTheEncodingInTheBinaryForm() {
    ModelCatalog catalog = new ModelCatalog();
    catalog.add(model("big", spec("x", DType.FLOAT32, 1, 3, 224, 224)));
    InferBodyLimit limit = new InferBodyLimit(catalog, MAX_ELEMENTS, CAP);

    long bytes = 3 * 224 * 224 * 4;
    assertThat(limit.bytes(TENSOR)).isBetween(bytes, bytes + 1_024);
    // the JSON form may carry the values as decimal numbers: up to 17 characters per float
    assertThat(limit.bytes("application/json")).isBetween(bytes * 17 / 4, bytes * 17 / 4 + 20_000);
    assertThat(limit.bytes(null)).isEqualTo(limit.bytes("application/json"));
  }

  @Test
  void aDynamicBatchTakesAsManyElementsAsTheNodeAcceptsInOneRequest() {
    ModelCatalog catalog = new ModelCatalog();
    catalog.add(model("mlp", spec("x", DType.FLOAT32, TensorSpec.DYNAMIC, 784)));
    InferBodyLimit limit = new InferBodyLimit(catalog, 100_000, CAP);

    assertThat(limit.bytes(TENSOR)).isBetween(400_000L, 401_000L);
  }

  @Test
  void theLimitIsRecomputedWhenAModelIsAddedAndStaysWithinTheFloorAndTheCap() {
    ModelCatalog catalog = new ModelCatalog();
    long cap = 16L << 20;
    InferBodyLimit limit = new InferBodyLimit(catalog, MAX_ELEMENTS, cap);
    assertThat(limit.bytes(TENSOR)).isEqualTo(InferBodyLimit.FLOOR_BYTES);

    catalog.add(model("small", spec("x", DType.INT8, 1, 16)));
    assertThat(limit.bytes(TENSOR)).isEqualTo(InferBodyLimit.FLOOR_BYTES);

    catalog.add(model("image", spec("x", DType.FLOAT32, 1, 3, 224, 224)));
    assertThat(limit.bytes(TENSOR)).isGreaterThan(600_000);

    catalog.add(model("huge", spec("x", DType.FLOAT64, TensorSpec.DYNAMIC, 1_000_000)));
    assertThat(limit.bytes(TENSOR)).isBetween(8L << 20, (8L << 20) + 1_024);
    assertThat(limit.bytes("application/json")).isEqualTo(cap);
  }

  @Test
  void severalInputsTogetherAreBoundedByTheNodesElementLimit() {
    ModelCatalog catalog = new ModelCatalog();
    catalog.add(
        model(
            "two",
            spec("a", DType.FLOAT32, TensorSpec.DYNAMIC, 10),
            spec("b", DType.FLOAT32, TensorSpec.DYNAMIC, 10)));
    InferBodyLimit limit = new InferBodyLimit(catalog, 10_000, CAP);

    // 10,000 elements over both inputs, not 10,000 each
    assertThat(limit.bytes(TENSOR)).isBetween(40_000L, 41_000L);
  }

  @Test
  void aRunnerThatDeclaresNoInputsGetsTheLargestInputTheNodeAccepts() {
    ModelCatalog catalog = new ModelCatalog();
    catalog.add(model("opaque"));
    InferBodyLimit limit = new InferBodyLimit(catalog, 10_000, CAP);

    assertThat(limit.bytes(TENSOR)).isBetween(80_000L, 81_000L);
  }
}
