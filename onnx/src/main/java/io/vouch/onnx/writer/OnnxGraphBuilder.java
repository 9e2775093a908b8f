package io.vouch.onnx.writer;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes any ONNX graph in Java: inputs, float (or int64) initializers, nodes with int, ints and
 * float attributes, outputs. {@link OnnxModelWriter} covers MLPs and chains; this covers the DAGs
 * of convolutional and residual models (bench-models' LeNet-5 and CNN, and the per-op test graphs).
 *
 * <p>A dimension of −1 in {@link #input} or {@link #output} is the dynamic batch axis {@code N}. IR
 * 8 and opset 13 like {@link OnnxModelWriter}; raw little-endian data; the same calls always give
 * the same bytes. Every {@code node} call names its one output after the node ({@code name +
 * "/out"}) unless outputs are given.
 */
public final class OnnxGraphBuilder {
  private final OnnxMl.GraphProto.Builder graph;
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private long opset = OnnxModelWriter.OPSET;

  private OnnxGraphBuilder(String name) {
    this.graph = OnnxMl.GraphProto.newBuilder().setName(name);
  }

  public static OnnxGraphBuilder graph(String name) {
    return new OnnxGraphBuilder(name);
  }

  public OnnxGraphBuilder opset(long opset) {
    this.opset = opset;
    return this;
  }

  public OnnxGraphBuilder metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  /** Declares a float32 graph input; returns its name. */
  public String input(String name, int... dims) {
    graph.addInput(valueInfo(name, dims));
    return name;
  }

  /** Declares an int64 graph input (token ids); returns its name. */
  public String int64Input(String name, int... dims) {
    graph.addInput(valueInfo(name, dims, OnnxMl.TensorProto.DataType.INT64_VALUE));
    return name;
  }

  /** Declares a float32 graph output. */
  public OnnxGraphBuilder output(String name, int... dims) {
    graph.addOutput(valueInfo(name, dims));
    return this;
  }

  /** A float32 initializer; returns its name. */
  public String initializer(String name, float[] values, long... dims) {
    graph.addInitializer(OnnxModelWriter.floatInitializer(name, values, dims));
    return name;
  }

  /** An int64 initializer (shapes, axes, indices); returns its name. */
  public String int64Initializer(String name, long[] values, long... dims) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(values);
    OnnxMl.TensorProto.Builder t =
        OnnxMl.TensorProto.newBuilder()
            .setName(name)
            .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE)
            .setRawData(ByteString.copyFrom(raw.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  /** A {@code Constant} node holding a float tensor; returns its output name. */
  public String constant(String name, float[] values, long... dims) {
    OnnxMl.TensorProto value = OnnxModelWriter.floatInitializer(name + ".value", values, dims);
    String out = name + "/out";
    graph.addNode(
        OnnxMl.NodeProto.newBuilder()
            .setName(name)
            .setOpType("Constant")
            .addOutput(out)
            .addAttribute(
                OnnxMl.AttributeProto.newBuilder()
                    .setName("value")
                    .setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
                    .setT(value)));
    return out;
  }

  /**
   * Adds a node with one output named {@code name + "/out"}; attribute values are Long/Integer
   * (INT), long[]/int[] (INTS), Float/Double (FLOAT) or String (STRING).
   */
  public String node(
      String opType, String name, List<String> inputs, Map<String, Object> attributes) {
    String out = name + "/out";
    node(opType, name, inputs, List.of(out), attributes);
    return out;
  }

  /** Adds a node with the given output names. */
  public OnnxGraphBuilder node(
      String opType,
      String name,
      List<String> inputs,
      List<String> outputs,
      Map<String, Object> attributes) {
    OnnxMl.NodeProto.Builder n =
        OnnxMl.NodeProto.newBuilder().setName(name).setOpType(opType).addAllInput(inputs);
    n.addAllOutput(outputs);
    attributes.forEach((k, v) -> n.addAttribute(attribute(k, v)));
    graph.addNode(n);
    return this;
  }

  /** Adds a node whose one output has the given name (for the graph output). */
  public String nodeTo(
      String opType,
      String name,
      List<String> inputs,
      String output,
      Map<String, Object> attributes) {
    node(opType, name, inputs, List.of(output), attributes);
    return output;
  }

  public byte[] toBytes() {
    OnnxMl.ModelProto.Builder model =
        OnnxMl.ModelProto.newBuilder()
            .setIrVersion(OnnxModelWriter.IR_VERSION)
            .setProducerName(OnnxModelWriter.PRODUCER_NAME)
            .setProducerVersion(OnnxModelWriter.PRODUCER_VERSION)
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
            .setGraph(graph);
    metadata.forEach((k, v) ->
        model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return model.build().toByteArray();
  }

  private static OnnxMl.AttributeProto attribute(String name, Object value) {
    OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name);
    switch (value) {
      case Integer i -> a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(i);
      case Long l -> a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(l);
      case Float f -> a.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(f);
      case Double d -> a.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(d.floatValue());
      case String s ->
          a.setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
      case int[] ints -> {
        a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (int i : ints) {
          a.addInts(i);
        }
      }
      case long[] longs -> {
        a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long l : longs) {
          a.addInts(l);
        }
      }
      default ->
          throw new IllegalArgumentException(
              "attribute '" + name + "' has unsupported value type " + value.getClass());
    }
    return a.build();
  }

  private static OnnxMl.ValueInfoProto valueInfo(String name, int[] dims) {
    return valueInfo(name, dims, OnnxMl.TensorProto.DataType.FLOAT_VALUE);
  }

  private static OnnxMl.ValueInfoProto valueInfo(String name, int[] dims, int elemType) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (int d : dims) {
      shape.addDim(
          d < 0
              ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N")
              : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return OnnxMl.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            OnnxMl.TypeProto.newBuilder()
                .setTensorType(
                    OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)))
        .build();
  }
}
