package io.vouch.onnx;

import ai.onnx.proto.OnnxMl;
import io.vouch.core.tensor.DType;

/** Small hand-built ONNX graphs for tests that need something other than an MLP. */
final class GraphFixtures {
  private GraphFixtures() {}

  /** {@code y = Identity(x)} for one dtype; shape entries of -1 become the dynamic dim "N". */
  static byte[] identity(DType dtype, int... shape) {
    OnnxMl.GraphProto graph =
        OnnxMl.GraphProto.newBuilder()
            .setName("identity")
            .addInput(valueInfo("x", OnnxModelFile.onnxElemType(dtype), shape))
            .addOutput(valueInfo("y", OnnxModelFile.onnxElemType(dtype), shape))
            .addNode(
                OnnxMl.NodeProto.newBuilder()
                    .setName("id")
                    .setOpType("Identity")
                    .addInput("x")
                    .addOutput("y"))
            .build();
    return model(graph).toByteArray();
  }

  /** {@code sum = Add(a, b)} over float32 {@code [N, width]}: a model with two inputs. */
  static byte[] add(int width) {
    int f = OnnxMl.TensorProto.DataType.FLOAT_VALUE;
    OnnxMl.GraphProto graph =
        OnnxMl.GraphProto.newBuilder()
            .setName("add")
            .addInput(valueInfo("a", f, -1, width))
            .addInput(valueInfo("b", f, -1, width))
            .addOutput(valueInfo("sum", f, -1, width))
            .addNode(
                OnnxMl.NodeProto.newBuilder()
                    .setName("add")
                    .setOpType("Add")
                    .addInput("a")
                    .addInput("b")
                    .addOutput("sum"))
            .build();
    return model(graph).toByteArray();
  }

  static OnnxMl.ModelProto model(OnnxMl.GraphProto graph) {
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("graph-fixtures")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(graph)
        .build();
  }

  static OnnxMl.ValueInfoProto valueInfo(String name, int elemType, int... shape) {
    OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
    for (int d : shape) {
      s.addDim(
          d < 0
              ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N")
              : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return OnnxMl.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            OnnxMl.TypeProto.newBuilder()
                .setTensorType(
                    OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s)))
        .build();
  }
}
