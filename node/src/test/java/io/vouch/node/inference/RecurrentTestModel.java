package io.vouch.node.inference;

import ai.onnx.proto.OnnxMl;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import java.util.Map;

/**
 * A small recurrent model shaped like the voice-activity models users bring (issue 10.3): three
 * inputs {@code input} float [1, 4], {@code state} float [2, 1, 4] and {@code sr} int64 scalar, two
 * outputs {@code output} float scalar and {@code stateN} float [2, 1, 4]:
 *
 * <pre>
 *   h      = Tanh(input + state)                 (broadcast to [2, 1, 4])
 *   stateN = h * (float(sr) / 16000)
 *   output = ReduceMean(stateN)                   (over every axis, a scalar)
 * </pre>
 *
 * Written as ONNX protobuf directly (opset 13), checked against ONNX Runtime by the tests that use
 * it.
 */
public final class RecurrentTestModel {
  private RecurrentTestModel() {}

  public static byte[] onnx() {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("recurrent-vad");
    g.addInput(value("input", OnnxMl.TensorProto.DataType.FLOAT_VALUE, 1, 4));
    g.addInput(value("state", OnnxMl.TensorProto.DataType.FLOAT_VALUE, 2, 1, 4));
    g.addInput(value("sr", OnnxMl.TensorProto.DataType.INT64_VALUE));
    g.addInitializer(
        OnnxMl.TensorProto.newBuilder()
            .setName("sr_scale")
            .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
            .addFloatData(16_000f));
    g.addNode(node("add", "Add", new String[] {"input", "state"}, "sum"));
    g.addNode(node("tanh", "Tanh", new String[] {"sum"}, "h"));
    g.addNode(
        node("cast", "Cast", new String[] {"sr"}, "srf")
            .addAttribute(
                OnnxMl.AttributeProto.newBuilder()
                    .setName("to")
                    .setType(OnnxMl.AttributeProto.AttributeType.INT)
                    .setI(OnnxMl.TensorProto.DataType.FLOAT_VALUE)));
    g.addNode(node("div", "Div", new String[] {"srf", "sr_scale"}, "scale"));
    g.addNode(node("mul", "Mul", new String[] {"h", "scale"}, "stateN"));
    g.addNode(
        node("mean", "ReduceMean", new String[] {"stateN"}, "output")
            .addAttribute(
                OnnxMl.AttributeProto.newBuilder()
                    .setName("keepdims")
                    .setType(OnnxMl.AttributeProto.AttributeType.INT)
                    .setI(0)));
    g.addOutput(value("output", OnnxMl.TensorProto.DataType.FLOAT_VALUE));
    g.addOutput(value("stateN", OnnxMl.TensorProto.DataType.FLOAT_VALUE, 2, 1, 4));
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("vouch-node-tests")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(g)
        .build()
        .toByteArray();
  }

  /** Inputs for one step, deterministic in {@code seed}. */
  public static NamedTensors inputs(float seed) {
    float[] state = new float[8];
    for (int i = 0; i < state.length; i++) {
      state[i] = seed * 0.1f - i * 0.05f;
    }
    return NamedTensors.of(
        Map.of(
            "input", Tensor.ofFloats(new int[] {1, 4}, seed, seed / 2, -seed, 0.25f),
            "state", Tensor.ofFloats(new int[] {2, 1, 4}, state),
            "sr", Tensor.ofLongs(new int[] {}, 8_000L)));
  }

  private static OnnxMl.ValueInfoProto value(String name, int elemType, long... dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return OnnxMl.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            OnnxMl.TypeProto.newBuilder()
                .setTensorType(
                    OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)))
        .build();
  }

  private static OnnxMl.NodeProto.Builder node(
      String name, String op, String[] inputs, String output) {
    OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setName(name).setOpType(op);
    for (String i : inputs) {
      n.addInput(i);
    }
    return n.addOutput(output);
  }
}
