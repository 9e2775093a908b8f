package io.vouch.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.onnx.writer.Mlp;
import io.vouch.onnx.writer.OnnxModelWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxModelFileTest {
  private static final Mlp MLP = TestModels.randomMlp(11, 4, 3, 2);
  private static final OnnxMl.ModelProto VALID =
      OnnxModelWriter.mlp(MLP).metadata("labels", "yes,no").toProto();

  private static OnnxModelFile parseEdited(UnaryOperator<OnnxMl.ModelProto.Builder> edit) {
    return OnnxModelFile.parse(edit.apply(VALID.toBuilder()).build().toByteArray());
  }

  private static OnnxModelFile parseGraphEdited(UnaryOperator<OnnxMl.GraphProto.Builder> edit) {
    return parseEdited(m -> m.setGraph(edit.apply(m.getGraph().toBuilder())));
  }

  @Test
  void exposesInputsAndOutputsWithDynamicBatch() {
    OnnxModelFile file = OnnxModelFile.parse(VALID.toByteArray());
    assertThat(file.inputs())
        .containsExactly(new TensorSpec("input", DType.FLOAT32, new int[] {-1, 4}));
    assertThat(file.outputs())
        .containsExactly(new TensorSpec("output", DType.FLOAT32, new int[] {-1, 2}));
  }

  @Test
  void exposesOpsetIrVersionProducerAndMetadata() {
    OnnxModelFile file = OnnxModelFile.parse(VALID.toByteArray());
    assertThat(file.opsetVersion()).isEqualTo(OnnxModelWriter.OPSET);
    assertThat(file.irVersion()).isEqualTo(OnnxModelWriter.IR_VERSION);
    assertThat(file.producerName()).isEqualTo(OnnxModelWriter.PRODUCER_NAME);
    assertThat(file.metadata()).containsEntry("labels", "yes,no");
  }

  @Test
  void listsNodesInFileOrderWithNamesAndOpTypes() {
    OnnxModelFile file = OnnxModelFile.parse(VALID.toByteArray());
    assertThat(file.nodes())
        .extracting(OnnxNode::name, OnnxNode::opType)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("dense_0/gemm", "Gemm"),
            org.assertj.core.groups.Tuple.tuple("dense_0/relu", "Relu"),
            org.assertj.core.groups.Tuple.tuple("dense_1/gemm", "Gemm"));
    assertThat(file.opTypes()).containsExactly("Gemm", "Relu");
  }

  @Test
  void initializersListedAsGraphInputsAreNotCallerInputs() {
    OnnxModelFile file =
        parseGraphEdited(g -> {
          for (OnnxMl.TensorProto init : g.getInitializerList()) {
            g.addInput(
                GraphFixtures.valueInfo(
                    init.getName(),
                    init.getDataType(),
                    init.getDimsList().stream().mapToInt(Long::intValue).toArray()));
          }
          return g;
        });
    assertThat(file.schema().inputNames()).containsExactly("input");
  }

  @Test
  void initializerReadsBackAsTheWeightsThatWereWritten() {
    OnnxModelFile file = OnnxModelFile.parse(VALID.toByteArray());
    Tensor w = file.initializer("dense_0.weight").orElseThrow();
    assertThat(w.shape()).containsExactly(3, 4);
    assertThat(w.toFloats()).containsExactly(MLP.layers().get(0).weights());
    assertThat(file.initializer("nope")).isEmpty();
  }

  @Test
  void initializerStoredInTypedFieldsReadsLikeRawData() {
    OnnxModelFile file =
        parseGraphEdited(g ->
            g.addInitializer(
                OnnxMl.TensorProto.newBuilder()
                    .setName("extra")
                    .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE)
                    .addDims(2)
                    .addInt64Data(-7)
                    .addInt64Data(1L << 40)));
    assertThat(file.initializer("extra").orElseThrow())
        .isEqualTo(Tensor.ofLongs(new int[] {2}, -7, 1L << 40));
  }

  @Test
  void initializerWithTooFewRawBytesIsRefusedWhenRead() {
    OnnxModelFile file =
        parseGraphEdited(g ->
            g.setInitializer(
                1,
                g.getInitializer(1).toBuilder()
                    .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[5]))));
    assertThatThrownBy(() -> file.initializer("dense_0.bias"))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("carries 5 raw bytes instead of 12");
  }

  @Test
  void readsAModelFromAPath(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("mlp.onnx");
    Files.write(path, VALID.toByteArray());
    assertThat(OnnxModelFile.read(path).schema())
        .isEqualTo(OnnxModelFile.parse(VALID.toByteArray()).schema());
  }

  @Test
  void unsetAndSymbolicDimensionsAreDynamic() {
    OnnxModelFile file =
        parseGraphEdited(g -> {
          OnnxMl.ValueInfoProto.Builder in = g.getInput(0).toBuilder();
          in.getTypeBuilder()
              .getTensorTypeBuilder()
              .getShapeBuilder()
              .setDim(1, OnnxMl.TensorShapeProto.Dimension.newBuilder());
          return g.setInput(0, in);
        });
    assertThat(file.inputs().get(0).shape()).containsExactly(-1, -1);
  }

  @Test
  void rejectsAnEmptyFile() {
    assertThatThrownBy(() -> OnnxModelFile.parse(new byte[0]))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void rejectsBytesThatAreNotProtobuf() {
    byte[] text = "not an onnx model".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> OnnxModelFile.parse(text))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("not a protobuf message")
        .hasMessageContaining(".onnx");
  }

  @Test
  void rejectsAProtobufThatIsNotAModelProto() {
    byte[] other =
        OnnxMl.OperatorSetIdProto.newBuilder()
            .setDomain("com.example")
            .setVersion(3)
            .build()
            .toByteArray();
    assertThatThrownBy(() -> OnnxModelFile.parse(other))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("not an ONNX ModelProto");
  }

  @Test
  void rejectsAModelWithoutAGraph() {
    assertThatThrownBy(() -> parseEdited(OnnxMl.ModelProto.Builder::clearGraph))
        .hasMessageContaining("has no graph");
  }

  @Test
  void rejectsAGraphWithoutNodes() {
    assertThatThrownBy(() -> parseGraphEdited(OnnxMl.GraphProto.Builder::clearNode))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("graph is empty");
  }

  @Test
  void rejectsAModelWithoutADefaultDomainOpsetImport() {
    assertThatThrownBy(() ->
            parseEdited(m ->
                m.clearOpsetImport()
                    .addOpsetImport(
                        OnnxMl.OperatorSetIdProto.newBuilder()
                            .setDomain("ai.onnx.ml")
                            .setVersion(3))))
        .hasMessageContaining("no opset_import for the default ONNX domain");
  }

  @Test
  void acceptsAiOnnxAsTheNameOfTheDefaultDomain() {
    OnnxModelFile file =
        parseEdited(m ->
            m.setOpsetImport(
                0, OnnxMl.OperatorSetIdProto.newBuilder().setDomain("ai.onnx").setVersion(17)));
    assertThat(file.opsetVersion()).isEqualTo(17);
  }

  @ParameterizedTest
  @ValueSource(longs = {2, 14})
  void rejectsIrVersionsOutsideTheSupportedRange(long ir) {
    assertThatThrownBy(() -> parseEdited(m -> m.setIrVersion(ir)))
        .hasMessageContaining("unsupported ONNX IR version " + ir)
        .hasMessageContaining("supported: 3 to 13");
  }

  @ParameterizedTest
  @ValueSource(longs = {6, 27})
  void rejectsOpsetsOutsideTheSupportedRange(long opset) {
    assertThatThrownBy(() ->
            parseEdited(m ->
                m.setOpsetImport(
                    0, OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))))
        .hasMessageContaining("unsupported ONNX opset " + opset)
        .hasMessageContaining("supported: 7 to 26");
  }

  @Test
  void rejectsAnInputWithAnUnsupportedElementTypeNamingTheInputAndTheSupportedTypes() {
    assertThatThrownBy(() ->
            parseGraphEdited(g ->
                g.setInput(
                    0,
                    GraphFixtures.valueInfo(
                        "input", OnnxMl.TensorProto.DataType.STRING_VALUE, -1, 4))))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("input 'input' has element type STRING")
        .hasMessageContaining("supported: float32, float64, int8, uint8, int32, int64");
  }

  @Test
  void rejectsAnOutputWithAnUnsupportedElementType() {
    assertThatThrownBy(() ->
            parseGraphEdited(g ->
                g.setOutput(
                    0,
                    GraphFixtures.valueInfo(
                        "output", OnnxMl.TensorProto.DataType.FLOAT16_VALUE, -1, 2))))
        .hasMessageContaining("output 'output' has element type FLOAT16");
  }

  @Test
  void rejectsAnInputWithoutAShape() {
    assertThatThrownBy(() ->
            parseGraphEdited(g -> {
              OnnxMl.ValueInfoProto.Builder in = g.getInput(0).toBuilder();
              in.getTypeBuilder().getTensorTypeBuilder().clearShape();
              return g.setInput(0, in);
            }))
        .hasMessageContaining("input 'input' declares no shape");
  }

  @Test
  void rejectsANodeInputThatNothingDefinesNamingTheNode() {
    assertThatThrownBy(() ->
            parseGraphEdited(g -> g.setNode(1, g.getNode(1).toBuilder().setInput(0, "ghost"))))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("node 'dense_0/relu' (Relu) reads 'ghost'");
  }

  @Test
  void rejectsNodesOutOfTopologicalOrder() {
    assertThatThrownBy(() ->
            parseGraphEdited(g -> {
              OnnxMl.NodeProto first = g.getNode(0);
              OnnxMl.NodeProto second = g.getNode(1);
              return g.setNode(0, second).setNode(1, first);
            }))
        .hasMessageContaining("node 'dense_0/relu' (Relu) reads 'dense_0/gemm_out'");
  }

  @Test
  void rejectsDuplicateNodeNames() {
    assertThatThrownBy(() ->
            parseGraphEdited(g -> g.setNode(2, g.getNode(2).toBuilder().setName("dense_0/gemm"))))
        .hasMessageContaining("duplicate node name 'dense_0/gemm'");
  }

  @Test
  void rejectsDuplicateInitializerNames() {
    assertThatThrownBy(() -> parseGraphEdited(g -> g.addInitializer(g.getInitializer(0))))
        .hasMessageContaining("duplicate initializer name 'dense_0.weight'");
  }

  @Test
  void rejectsTwoNodesWritingTheSameValue() {
    assertThatThrownBy(() ->
            parseGraphEdited(
                g -> g.setNode(2, g.getNode(2).toBuilder().setOutput(0, "dense_0/gemm_out"))))
        .hasMessageContaining("duplicate value name 'dense_0/gemm_out'");
  }

  @Test
  void rejectsDuplicateGraphInputNames() {
    assertThatThrownBy(() -> parseGraphEdited(g -> g.addInput(g.getInput(0))))
        .hasMessageContaining("duplicate graph input name 'input'");
  }

  @Test
  void rejectsAGraphOutputThatNothingProduces() {
    assertThatThrownBy(
            () -> parseGraphEdited(g -> g.addOutput(GraphFixtures.valueInfo("orphan", 1, 2))))
        .hasMessageContaining("graph output 'orphan' is not produced");
  }

  @Test
  void rejectsInitializersWithExternalData() {
    assertThatThrownBy(() ->
            parseGraphEdited(g ->
                g.setInitializer(
                    0,
                    g.getInitializer(0).toBuilder()
                        .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL))))
        .hasMessageContaining("initializer 'dense_0.weight' keeps its data in an external file");
  }

  @Test
  void rejectsAFileLargerThanTheByteLimit() {
    byte[] bytes = VALID.toByteArray();
    assertThatThrownBy(
            () -> OnnxModelFile.parse(bytes, new ModelLimits(bytes.length - 1, 100, 1000)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("the limit is " + (bytes.length - 1) + " bytes")
        .extracting(e -> ((InvalidModelException) e).code())
        .isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
  }

  @Test
  void rejectsMoreNodesThanTheLimit() {
    assertThatThrownBy(
            () -> OnnxModelFile.parse(VALID.toByteArray(), new ModelLimits(1 << 20, 2, 1000)))
        .hasMessageContaining("the graph has 3 nodes; the limit is 2");
  }

  @Test
  void rejectsAnInitializerLargerThanTheElementLimit() {
    assertThatThrownBy(
            () -> OnnxModelFile.parse(VALID.toByteArray(), new ModelLimits(1 << 20, 100, 11)))
        .hasMessageContaining("initializer 'dense_0.weight'")
        .hasMessageContaining("limit of 11 elements");
  }

  @Test
  void requireOpsNamesTheFirstUnsupportedOpAndItsNode() {
    OnnxModelFile file = OnnxModelFile.parse(VALID.toByteArray());
    assertThatThrownBy(() -> file.requireOps(Set.of("Gemm", "MatMul")))
        .isInstanceOf(InvalidModelException.class)
        .hasMessage("unsupported op 'Relu' at node 'dense_0/relu'; supported: Gemm, MatMul");
  }

  @Test
  void requireOpsAcceptsAModelWhoseOpsAreAllSupported() {
    OnnxModelFile file = OnnxModelFile.parse(VALID.toByteArray());
    file.requireOps(List.of("Gemm", "Relu"));
    assertThat(file.opTypes()).isSubsetOf("Gemm", "Relu");
  }
}
