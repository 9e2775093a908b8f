package io.vouch.onnx;

import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A model's inputs and outputs, in graph order. Its hash is what the model registry stores on chain
 * as the input/output schema hash.
 *
 * <p>Canonical encoding, version 1 (all integers little-endian, like the tensor encoding):
 *
 * <pre>
 *   u8        encoding version = 1
 *   u16       number of inputs
 *   per input, in graph order:
 *     u16     byte length L of the name
 *     L bytes name, UTF-8
 *     u8      dtype code (io.vouch.core.tensor.DType: float32=1 float64=2 int8=3 uint8=4 int32=5 int64=6)
 *     u8      rank r (0..8)
 *     r x i32 dimensions; -1 for a dynamic dimension
 *   u16       number of outputs
 *   per output: as for an input
 * </pre>
 *
 * {@link #schemaHash()} is keccak256 of those bytes. The order is part of the schema because
 * callers may pass inputs by position.
 */
public record ModelSchema(List<TensorSpec> inputs, List<TensorSpec> outputs) {
  public static final int ENCODING_VERSION = 1;

  public ModelSchema {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    checkCount("inputs", inputs.size());
    checkCount("outputs", outputs.size());
  }

  public Optional<TensorSpec> input(String name) {
    return inputs.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public Optional<TensorSpec> output(String name) {
    return outputs.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public List<String> inputNames() {
    return inputs.stream().map(TensorSpec::name).toList();
  }

  public List<String> outputNames() {
    return outputs.stream().map(TensorSpec::name).toList();
  }

  /**
   * Checks inputs against the declared interface alone: exactly the declared names, and for each
   * its dtype, rank and fixed dimensions (a dynamic dimension accepts any size). No runtime is
   * needed, so a client can check an input before it pays for a request; an engine adds its own
   * limits (element count, finiteness) when it runs.
   *
   * @throws InvalidInputException naming the first mismatch and what the model takes
   */
  public void checkInputs(Map<String, Tensor> given) {
    for (String name : given.keySet()) {
      if (input(name).isEmpty()) {
        throw new InvalidInputException(
            "unknown input '" + name + "'; the model takes " + describeInputs());
      }
    }
    for (TensorSpec spec : inputs) {
      Tensor t = given.get(spec.name());
      if (t == null) {
        throw new InvalidInputException(
            "missing input '" + spec.name() + "'; the model takes " + describeInputs());
      }
      if (t.dtype() != spec.dtype()) {
        throw new InvalidInputException(
            "input '"
                + spec.name()
                + "' is "
                + t.dtype().jsonName()
                + " but the model expects "
                + spec.dtype().jsonName()
                + "; the model takes "
                + describeInputs());
      }
      if (!spec.accepts(t.shape())) {
        throw new InvalidInputException(
            "input '"
                + spec.name()
                + "' has shape "
                + Arrays.toString(t.shape())
                + (spec.rank() != t.rank() ? " (rank " + t.rank() + ")" : "")
                + " but the model expects "
                + spec.shapeText()
                + (spec.rank() != t.rank() ? " (rank " + spec.rank() + ")" : "")
                + ", N standing for any size; the model takes "
                + describeInputs());
      }
    }
  }

  /** The inputs as people read them: {@code features: float32 [N, 512], state: …}. */
  public String describeInputs() {
    return inputs.stream().map(TensorSpec::toString).collect(Collectors.joining(", "));
  }

  /** The canonical encoding (see class comment). */
  public byte[] canonicalBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ENCODING_VERSION);
    writeSpecs(out, inputs);
    writeSpecs(out, outputs);
    return out.toByteArray();
  }

  /** keccak256 of {@link #canonicalBytes()}. */
  public Bytes32 schemaHash() {
    return Keccak.hash(canonicalBytes());
  }

  /** Decodes a canonical encoding; rejects unknown versions and trailing or missing bytes. */
  public static ModelSchema fromCanonicalBytes(byte[] encoded) {
    ByteBuffer b = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
    try {
      int version = b.get() & 0xff;
      if (version != ENCODING_VERSION) {
        throw new IllegalArgumentException(
            "schema encoding version " + version + "; this code reads version " + ENCODING_VERSION);
      }
      List<TensorSpec> inputs = readSpecs(b);
      List<TensorSpec> outputs = readSpecs(b);
      if (b.hasRemaining()) {
        throw new IllegalArgumentException(
            b.remaining() + " trailing bytes after the schema encoding");
      }
      return new ModelSchema(inputs, outputs);
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException(
          "schema encoding ends early (" + encoded.length + " bytes)");
    }
  }

  private static void writeSpecs(ByteArrayOutputStream out, List<TensorSpec> specs) {
    writeU16(out, specs.size());
    for (TensorSpec spec : specs) {
      byte[] name = spec.name().getBytes(StandardCharsets.UTF_8);
      if (name.length > 0xffff) {
        throw new IllegalArgumentException(
            "tensor name longer than 65535 UTF-8 bytes: " + spec.name().substring(0, 40) + "...");
      }
      writeU16(out, name.length);
      out.writeBytes(name);
      out.write(spec.dtype().code());
      out.write(spec.rank());
      ByteBuffer dims = ByteBuffer.allocate(4 * spec.rank()).order(ByteOrder.LITTLE_ENDIAN);
      for (int d : spec.shape()) {
        dims.putInt(d);
      }
      out.writeBytes(dims.array());
    }
  }

  private static List<TensorSpec> readSpecs(ByteBuffer b) {
    int count = b.getShort() & 0xffff;
    List<TensorSpec> specs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] name = new byte[b.getShort() & 0xffff];
      b.get(name);
      DType dtype = DType.fromCode(b.get() & 0xff);
      int rank = b.get() & 0xff;
      if (rank > Tensor.MAX_RANK) {
        throw new IllegalArgumentException(
            "rank " + rank + " in schema encoding exceeds the maximum " + Tensor.MAX_RANK);
      }
      int[] shape = new int[rank];
      for (int d = 0; d < rank; d++) {
        shape[d] = b.getInt();
      }
      specs.add(new TensorSpec(new String(name, StandardCharsets.UTF_8), dtype, shape));
    }
    return specs;
  }

  private static void writeU16(ByteArrayOutputStream out, int value) {
    out.write(value & 0xff);
    out.write((value >>> 8) & 0xff);
  }

  private static void checkCount(String what, int count) {
    if (count > 0xffff) {
      throw new IllegalArgumentException("a schema holds at most 65535 " + what + ", got " + count);
    }
  }
}
