package io.vouch.onnx.writer;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an {@link Mlp} (or a {@link Chain}) as an ONNX file: per layer a {@code Gemm} (weights
 * {@code [out, in]} with {@code transB = 1}, bias {@code [out]}), followed by a {@code Relu} where
 * the layer asks for one. A chain's other steps become one node each: {@code BatchNormalization}
 * (scale, bias, mean and variance initializers of shape {@code [C]}, the {@code epsilon}
 * attribute), {@code Clip} (scalar min/max initializers from opset 11, attributes before) or a
 * plain unary op. The input is {@code float32 [N, in]} with a dynamic batch dimension {@code N};
 * the output is {@code float32 [N, out]}.
 *
 * <p>IR version 8 and opset 13 unless {@link #opset(long)} says otherwise: both read by every ONNX
 * Runtime since 1.10 and inside the range {@link io.vouch.onnx.OnnxModelFile} accepts. Weights are
 * stored as little-endian {@code raw_data}. The same model and metadata always give the same bytes
 * (no timestamps, metadata kept in insertion order), so a model's content id is reproducible.
 */
public final class OnnxModelWriter {
  public static final long IR_VERSION = 8;
  public static final long OPSET = 13;
  public static final String PRODUCER_NAME = "vouch-onnx-writer";
  public static final String PRODUCER_VERSION = "1";

  private final Chain chain;
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private long opset = OPSET;
  private String inputName = "input";
  private String outputName = "output";
  private String graphName = "mlp";

  private OnnxModelWriter(Chain chain) {
    this.chain = chain;
  }

  public static OnnxModelWriter mlp(Mlp mlp) {
    return new OnnxModelWriter(Chain.of(mlp));
  }

  /** A writer for a chain of dense layers, batch normalizations, clips and unary ops. */
  public static OnnxModelWriter chain(Chain chain) {
    return new OnnxModelWriter(chain);
  }

  /**
   * The default-domain opset to declare ({@value #OPSET} unless set). Clip bounds are inputs from
   * opset 11 and attributes before it; the other nodes are the same in every opset ONNX Runtime
   * accepts from {@link io.vouch.onnx.OnnxModelFile#MIN_OPSET} on.
   */
  public OnnxModelWriter opset(long opset) {
    this.opset = opset;
    return this;
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
    graph.addInput(floatMatrix(inputName, chain.inputSize()));
    String current = inputName;
    List<ChainStep> steps = chain.steps();
    for (int s = 0; s < steps.size(); s++) {
      boolean last = s == steps.size() - 1;
      current =
          switch (steps.get(s)) {
            case GemmLayer layer -> writeDense(graph, "dense_" + s, layer, current, last);
            case BatchNormalization bn ->
                writeBatchNormalization(graph, "bn_" + s, bn, current, last);
            case Clip clip -> writeClip(graph, "clip_" + s, clip, current, last);
            case UnaryOp op -> {
              String name = op.opType().toLowerCase(Locale.ROOT) + "_" + s;
              yield writeNode(graph, node(name, op.opType(), current), name, last);
            }
          };
    }
    graph.addOutput(floatMatrix(outputName, chain.outputSize()));

    OnnxMl.ModelProto.Builder model =
        OnnxMl.ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .setProducerName(PRODUCER_NAME)
            .setProducerVersion(PRODUCER_VERSION)
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
            .setGraph(graph);
    metadata.forEach((k, v) ->
        model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return model.build();
  }

  private String writeDense(
      OnnxMl.GraphProto.Builder graph,
      String prefix,
      GemmLayer layer,
      String current,
      boolean last) {
    String weight = prefix + ".weight";
    String bias = prefix + ".bias";
    graph.addInitializer(
        floatInitializer(weight, layer.weights(), layer.outputs(), layer.inputs()));
    graph.addInitializer(floatInitializer(bias, layer.bias(), layer.outputs()));
    boolean relu = layer.activation() == GemmActivation.RELU;
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
    if (!relu) {
      return gemmOut;
    }
    String reluOut = last ? outputName : prefix + "/relu_out";
    graph.addNode(
        OnnxMl.NodeProto.newBuilder()
            .setName(prefix + "/relu")
            .setOpType("Relu")
            .addInput(gemmOut)
            .addOutput(reluOut));
    return reluOut;
  }

  private String writeBatchNormalization(
      OnnxMl.GraphProto.Builder graph,
      String prefix,
      BatchNormalization bn,
      String current,
      boolean last) {
    OnnxMl.NodeProto.Builder node = node(prefix, "BatchNormalization", current);
    String[] suffixes = {".scale", ".bias", ".mean", ".var"};
    float[][] values = {bn.scale(), bn.bias(), bn.mean(), bn.variance()};
    for (int p = 0; p < values.length; p++) {
      String name = prefix + suffixes[p];
      graph.addInitializer(floatInitializer(name, values[p], bn.channels()));
      node.addInput(name);
    }
    node.addAttribute(
        OnnxMl.AttributeProto.newBuilder()
            .setName("epsilon")
            .setType(OnnxMl.AttributeProto.AttributeType.FLOAT)
            .setF(bn.epsilon()));
    return writeNode(graph, node, prefix, last);
  }

  private String writeClip(
      OnnxMl.GraphProto.Builder graph, String prefix, Clip clip, String current, boolean last) {
    OnnxMl.NodeProto.Builder node = node(prefix, "Clip", current);
    if (opset >= 11) {
      // optional inputs: an empty name skips min, a missing trailing input skips max
      String min = clip.hasMin() ? prefix + ".min" : "";
      if (clip.hasMin()) {
        graph.addInitializer(floatInitializer(min, new float[] {clip.min()}));
      }
      if (clip.hasMin() || clip.hasMax()) {
        node.addInput(min);
      }
      if (clip.hasMax()) {
        graph.addInitializer(floatInitializer(prefix + ".max", new float[] {clip.max()}));
        node.addInput(prefix + ".max");
      }
    } else {
      if (clip.hasMin()) {
        node.addAttribute(floatAttribute("min", clip.min()));
      }
      if (clip.hasMax()) {
        node.addAttribute(floatAttribute("max", clip.max()));
      }
    }
    return writeNode(graph, node, prefix, last);
  }

  /** Adds the node with its one output (the graph output when last) and returns that name. */
  private String writeNode(
      OnnxMl.GraphProto.Builder graph, OnnxMl.NodeProto.Builder node, String prefix, boolean last) {
    String out = last ? outputName : prefix + "/out";
    graph.addNode(node.addOutput(out));
    return out;
  }

  private static OnnxMl.NodeProto.Builder node(String name, String opType, String input) {
    return OnnxMl.NodeProto.newBuilder().setName(name).setOpType(opType).addInput(input);
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

  private static OnnxMl.AttributeProto floatAttribute(String name, float value) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.FLOAT)
        .setF(value)
        .build();
  }

  private static OnnxMl.AttributeProto intAttribute(String name, long value) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }
}
