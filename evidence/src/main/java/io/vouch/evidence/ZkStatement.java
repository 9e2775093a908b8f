package io.vouch.evidence;

import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.zk.mlp.ZkModel;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statement a ZKML proof is about, from a request's named tensors and back, the same for the
 * node that proves and every client and validator that verifies: the input bytes (every model input
 * in the ZK model's order: an int8 input quantized from floats, or taken as quantized when sent as
 * INT8; token ids 4 bytes little-endian each, {@link ZkModel#encodeInput}) and the int64 outputs
 * (one tensor per model output, each shaped [1, n]).
 */
final class ZkStatement {
  private ZkStatement() {}

  /**
   * The statement's input bytes ({@link ZkModel#inputBytes} long) for {@code inputs}: a model with
   * one input takes the lone tensor whatever its name; a model with several takes each by its name,
   * all of them and no other.
   *
   * @throws IllegalArgumentException naming the input and what is wrong with it
   */
  static byte[] input(ZkModel zk, NamedTensors inputs) {
    List<ZkModel.Input> specs = zk.inputs();
    List<String> names = specs.stream().map(ZkModel.Input::name).toList();
    if (specs.size() > 1 && !new HashSet<>(names).equals(new HashSet<>(inputs.names()))) {
      throw new IllegalArgumentException(
          "the ZK model takes inputs " + names + "; the request names " + inputs.names());
    }
    if (specs.size() == 1 && inputs.size() != 1) {
      throw new IllegalArgumentException(
          "the ZK model takes one input '"
              + names.getFirst()
              + "'; the request names "
              + inputs.names());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(zk.inputBytes());
    for (int i = 0; i < specs.size(); i++) {
      ZkModel.Input spec = specs.get(i);
      Tensor t = specs.size() == 1 ? inputs.only() : inputs.get(spec.name());
      if (t.elementCount() != spec.values()) {
        throw new IllegalArgumentException(
            "input '"
                + spec.name()
                + "' takes "
                + spec.values()
                + " values; the request's has "
                + t.elementCount()
                + " (shape "
                + Arrays.toString(t.shape())
                + ")");
      }
      if (spec.tokenIds() && (t.dtype() == DType.FLOAT32 || t.dtype() == DType.FLOAT64)) {
        throw new IllegalArgumentException(
            "input '"
                + spec.name()
                + "' takes token ids; send it as an int64 tensor, got "
                + t.dtype());
      }
      out.writeBytes(
          !spec.tokenIds() && t.dtype() == DType.INT8 ? t.toInt8() : zk.encodeInput(i, values(t)));
    }
    return out.toByteArray();
  }

  /**
   * The named output tensors for the proved int64 values: a model with one output gives one tensor
   * named {@code singleName}; a model with several gives one per output under its own name.
   */
  static NamedTensors outputs(ZkModel zk, long[] values, String singleName) {
    List<ZkModel.Output> specs = zk.outputs();
    if (specs.size() == 1) {
      return NamedTensors.single(singleName, Tensor.ofLongs(new int[] {1, values.length}, values));
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    int at = 0;
    for (ZkModel.Output o : specs) {
      out.put(
          o.name(),
          Tensor.ofLongs(
              new int[] {1, o.values()}, Arrays.copyOfRange(values, at, at + o.values())));
      at += o.values();
    }
    return NamedTensors.of(out);
  }

  /**
   * The int64 values a result's outputs claim, concatenated in the model's order.
   *
   * @throws IllegalArgumentException when the outputs are not the model's, each int64 of its size
   */
  static long[] outputs(ZkModel zk, NamedTensors outputs) {
    List<ZkModel.Output> specs = zk.outputs();
    List<String> names = specs.stream().map(ZkModel.Output::name).toList();
    if (specs.size() == 1
        ? outputs.size() != 1
        : !new HashSet<>(names).equals(new HashSet<>(outputs.names()))) {
      throw new IllegalArgumentException(
          "ZKML output must be the model's outputs "
              + names
              + " (int64 values); the result has "
              + outputs.names());
    }
    long[] all = new long[zk.outputSize()];
    int at = 0;
    for (ZkModel.Output o : specs) {
      Tensor t = specs.size() == 1 ? outputs.only() : outputs.get(o.name());
      if (t.dtype() != DType.INT64 || t.elementCount() != o.values()) {
        throw new IllegalArgumentException(
            "ZKML output '"
                + o.name()
                + "' must be the model's "
                + o.values()
                + " int64 values, got "
                + t.dtype()
                + " "
                + Arrays.toString(t.shape()));
      }
      System.arraycopy(t.toLongs(), 0, all, at, o.values());
      at += o.values();
    }
    return all;
  }

  private static double[] values(Tensor t) {
    double[] v = new double[Math.toIntExact(t.elementCount())];
    for (int i = 0; i < v.length; i++) {
      v[i] = t.getAsDouble(i);
    }
    return v;
  }
}
