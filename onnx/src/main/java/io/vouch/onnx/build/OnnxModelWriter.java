package io.vouch.onnx.build;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes an {@link Mlp} as an ONNX file: per layer a {@code Gemm} (weights {@code [out, in]} with
 * {@code transB = 1}, bias {@code [out]}), followed by a {@code Relu} where the layer asks for one.
 * The input is {@code float32 [N, in]} with a dynamic batch dimension {@code N}; the output is
 * {@code float32 [N, out]}.
 *
 * <p>IR version 8 and opset 13: both read by every ONNX Runtime since 1.10 and inside the range
 * {@link io.vouch.onnx.OnnxModelFile} accepts. Weights are stored as little-endian {@code
 * raw_data}. The same model and metadata always give the same bytes (no timestamps, metadata kept
 * in insertion order), so a model's content id is reproducible.
 */
public final class OnnxModelWriter {
  public static final long IR_VERSION = 8;
  public static final long OPSET = 13;
  public static final String PRODUCER_NAME = "vouch-onnx-writer";
  public static final String PRODUCER_VERSION = "1";

  private final Mlp mlp;
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private String inputName = "input";
  private String outputName = "output";
  private String graphName = "mlp";

  private OnnxModelWriter(Mlp mlp) {
    this.mlp = mlp;
  }

  public static OnnxModelWriter mlp(Mlp mlp) {
    return new OnnxModelWriter(mlp);
  }

  /** Adds a {@code metadata_props} entry; entries are written in the order they were added. */
  public OnnxModelWriter metadata(String key, String value) {
    if (metadata.containsKey(key)) {
      throw new IllegalArgumentException("metadata key '" + key + "' is already set");
    }
    metadata.put(key, value);
    return this;
  }

  public OnnxModelWriter inputName(String name) {
    this.inputName = name;
    return this;
  }

  public OnnxModelWriter outputName(String name) {
    this.outputName = name;
    return this;
  }

  public OnnxModelWriter graphName(String name) {
    this.graphName = name;
    return this;
  }

  public byte[] toBytes() {
    return toProto().toByteArray();
  }

  public OnnxMl.ModelProto toProto() {
    OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName(graphName);
    graph.addInput(floatMatrix(inputName, mlp.inputSize()));
    String current = inputName;
    for (int l = 0; l < mlp.layers().size(); l++) {
      DenseLayer layer = mlp.layers().get(l);
      boolean last = l == mlp.layers().size() - 1;
      String prefix = "dense_" + l;
      String weight = prefix + ".weight";
      String bias = prefix + ".bias";
      graph.addInitializer(
          floatInitializer(weight, layer.weights(), layer.outputs(), layer.inputs()));
      graph.addInitializer(floatInitializer(bias, layer.bias(), layer.outputs()));
      boolean relu = layer.activation() == Activation.RELU;
      String gemmOut = last && !relu ? outputName : prefix + "/gemm_out";
      graph.addNode(
          OnnxMl.NodeProto.newBuilder()
              .setName(prefix + "/gemm")
              .setOpType("Gemm")
              .addInput(current)
              .addInput(weight)
              .addInput(bias)
              .addOutput(gemmOut)
              .addAttribute(intAttribute("transB", 1)));
      current = gemmOut;
      if (relu) {
        String reluOut = last ? outputName : prefix + "/relu_out";
        graph.addNode(
            OnnxMl.NodeProto.newBuilder()
                .setName(prefix + "/relu")
                .setOpType("Relu")
                .addInput(current)
                .addOutput(reluOut));
        current = reluOut;
      }
    }
    graph.addOutput(floatMatrix(outputName, mlp.outputSize()));

    OnnxMl.ModelProto.Builder model =
        OnnxMl.ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .setProducerName(PRODUCER_NAME)
            .setProducerVersion(PRODUCER_VERSION)
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .setGraph(graph);
    metadata.forEach((k, v) ->
        model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return model.build();
  }

  /** A {@code float32 [N, columns]} value description with a dynamic batch dimension. */
  static OnnxMl.ValueInfoProto floatMatrix(String name, int columns) {
    OnnxMl.TensorShapeProto shape =
        OnnxMl.TensorShapeProto.newBuilder()
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(columns))
            .build();
    return OnnxMl.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            OnnxMl.TypeProto.newBuilder()
                .setTensorType(
                    OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape)))
        .build();
  }

  static OnnxMl.TensorProto floatInitializer(String name, float[] values, long... dims) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    OnnxMl.TensorProto.Builder t =
        OnnxMl.TensorProto.newBuilder()
            .setName(name)
            .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
            .setRawData(ByteString.copyFrom(raw.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }

  private static OnnxMl.AttributeProto intAttribute(String name, long value) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }
}
