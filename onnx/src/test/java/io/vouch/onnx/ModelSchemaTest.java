package io.vouch.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.crypto.Keccak;
import io.vouch.core.tensor.DType;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.onnx.writer.OnnxModelWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSchemaTest {
  private static final ModelSchema SCHEMA =
      new ModelSchema(
          List.of(new TensorSpec("x", DType.FLOAT32, new int[] {-1, 3})),
          List.of(new TensorSpec("y", DType.INT64, new int[] {2})));

  @Test
  void canonicalBytesFollowTheDocumentedLayout() {
    byte[] expected = {
      1, // encoding version
      1, 0, // one input
      1, 0, 'x', // name length, name
      1, 2, // float32, rank 2
      -1, -1, -1, -1, 3, 0, 0, 0, // dims -1, 3 (i32 little-endian)
      1, 0, // one output
      1, 0, 'y', 6, 1, // int64, rank 1
      2, 0, 0, 0
    };
    assertThat(SCHEMA.canonicalBytes()).containsExactly(expected);
  }

  @Test
  void schemaHashIsKeccakOfTheCanonicalBytes() {
    assertThat(SCHEMA.schemaHash()).isEqualTo(Keccak.hash(SCHEMA.canonicalBytes()));
  }

  @Test
  void canonicalBytesDecodeToTheSameSchema() {
    assertThat(ModelSchema.fromCanonicalBytes(SCHEMA.canonicalBytes())).isEqualTo(SCHEMA);
  }

  @Test
  void aFixedDimensionInsteadOfADynamicOneChangesTheHash() {
    ModelSchema fixedBatch =
        new ModelSchema(
            List.of(new TensorSpec("x", DType.FLOAT32, new int[] {1, 3})), SCHEMA.outputs());
    assertThat(fixedBatch.schemaHash()).isNotEqualTo(SCHEMA.schemaHash());
  }

  @Test
  void inputOrderIsPartOfTheHash() {
    TensorSpec a = new TensorSpec("a", DType.FLOAT32, new int[] {1});
    TensorSpec b = new TensorSpec("b", DType.FLOAT32, new int[] {1});
    assertThat(new ModelSchema(List.of(a, b), SCHEMA.outputs()).schemaHash())
        .isNotEqualTo(new ModelSchema(List.of(b, a), SCHEMA.outputs()).schemaHash());
  }

  @Test
  void decodingRejectsTrailingBytes() {
    byte[] longer = Arrays.copyOf(SCHEMA.canonicalBytes(), SCHEMA.canonicalBytes().length + 1);
    assertThatThrownBy(() -> ModelSchema.fromCanonicalBytes(longer))
        .hasMessageContaining("1 trailing bytes");
  }

  @Test
  void decodingRejectsAnUnknownVersion() {
    byte[] bytes = SCHEMA.canonicalBytes();
    bytes[0] = 2;
    assertThatThrownBy(() -> ModelSchema.fromCanonicalBytes(bytes))
        .hasMessageContaining("version 2");
  }

  @Test
  void decodingRejectsATruncatedEncoding() {
    byte[] bytes = Arrays.copyOf(SCHEMA.canonicalBytes(), 10);
    assertThatThrownBy(() -> ModelSchema.fromCanonicalBytes(bytes))
        .hasMessageContaining("ends early");
  }

  @Test
  void aWrittenModelsSchemaHashDependsOnlyOnItsInterface() {
    byte[] one = OnnxModelWriter.mlp(TestModels.randomMlp(1, 8, 4, 2)).toBytes();
    byte[] other = OnnxModelWriter.mlp(TestModels.randomMlp(2, 8, 4, 2)).toBytes();
    assertThat(OnnxModelFile.parse(one).schema().schemaHash())
        .isEqualTo(OnnxModelFile.parse(other).schema().schemaHash());
  }
}
