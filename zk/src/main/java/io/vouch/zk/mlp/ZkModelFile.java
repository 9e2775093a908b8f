package io.vouch.zk.mlp;

import io.vouch.core.Bytes32;
import io.vouch.onnx.quant.Activation;
import io.vouch.onnx.quant.DenseLayer;
import io.vouch.onnx.quant.InputQuantization;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.LayerOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ZK model file ({@code .zkmodel}) that {@link ZkCompiler} and {@code vouch zk compile} write,
 * that {@code vouch model push --levels zkml} stores in the model hub next to the ONNX file, and
 * that nodes (to prove) and clients (to verify) load: the {@link IntegerModel} (everything
 * registration needs) and the model id it registered to. Registration ({@link ZkModel#register}) is
 * a deterministic function of the integer model, so {@code prove}/{@code verify} re-register on
 * load and refuse a file whose recomputed id differs from the stored one — a corrupted or edited
 * file cannot silently prove for another model.
 *
 * <p>Format, version 1 (big-endian, {@link DataOutputStream} encodings):
 *
 * <pre>
 *   "VZKM"  u16 version = 1
 *   f64 inputScale  i32 inputZeroPoint  f64 logitScale
 *   i32 layerCount, then per layer:
 *     i32 outputs  i32 inputs
 *     u8 kind (0 = logits, 1 = requantized)  [if 1: i64 multiplier  i32 shift  u8 activation (0 RELU, 1 CLAMP)]
 *     i32[outputs] bias   i8[outputs·inputs] weights (row-major)
 *   32 bytes model id
 * </pre>
 *
 * Nothing follows the model id; trailing bytes are refused.
 */
public final class ZkModelFile {
  /** The name of the file in a model hub version, beside {@code model.onnx}. */
  public static final String HUB_FILE_NAME = "model.zkmodel";

  static final byte[] MAGIC = "VZKM".getBytes(StandardCharsets.US_ASCII);
  public static final int VERSION = 1;

  /** The file's contents: the integer model and the model id recorded at compile time. */
  public record Contents(IntegerModel model, Bytes32 modelId) {}

  private ZkModelFile() {}

  public static byte[] encode(IntegerModel model, Bytes32 modelId) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeShort(VERSION);
      out.writeDouble(model.input().scale());
      out.writeInt(model.input().zeroPoint());
      out.writeDouble(model.logitScale());
      out.writeInt(model.layers().size());
      for (DenseLayer layer : model.layers()) {
        out.writeInt(layer.outputs());
        out.writeInt(layer.inputs());
        switch (layer.output()) {
          case LayerOutput.Logits logits -> out.writeByte(0);
          case LayerOutput.Requantized rq -> {
            out.writeByte(1);
            out.writeLong(rq.multiplier());
            out.writeInt(rq.shift());
            out.writeByte(rq.activation() == Activation.RELU ? 0 : 1);
          }
        }
        for (int b : layer.bias()) {
          out.writeInt(b);
        }
        out.write(layer.weights());
      }
      out.write(modelId.toArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory stream: cannot happen
    }
    return bytes.toByteArray();
  }

  /**
   * Parses a ZK model file.
   *
   * @throws IllegalArgumentException naming what is wrong with the bytes
   */
  public static Contents decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IllegalArgumentException(
            "not a ZK model file (no VZKM header); make one with: vouch zk compile MODEL.onnx");
      }
      int version = in.readUnsignedShort();
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "ZK model file version " + version + " is not supported; this build reads " + VERSION);
      }
      InputQuantization input = new InputQuantization(in.readDouble(), in.readInt());
      double logitScale = in.readDouble();
      int layerCount = in.readInt();
      if (layerCount < 1 || layerCount > ZkModel.MAX_LAYERS) {
        throw new IllegalArgumentException("ZK model file declares " + layerCount + " layers");
      }
      List<DenseLayer> layers = new ArrayList<>();
      for (int l = 0; l < layerCount; l++) {
        int outputs = in.readInt();
        int inputs = in.readInt();
        // bounds the allocation below by what the file can actually hold
        if (outputs <= 0 || inputs <= 0 || (long) outputs * inputs > bytes.length) {
          throw new IllegalArgumentException(
              "layer " + l + " declares " + outputs + "×" + inputs + " weights; file is too short");
        }
        LayerOutput output =
            switch (in.readUnsignedByte()) {
              case 0 -> new LayerOutput.Logits();
              case 1 -> {
                long multiplier = in.readLong();
                int shift = in.readInt();
                int activation = in.readUnsignedByte();
                if (activation > 1) {
                  throw new IllegalArgumentException(
                      "layer " + l + " has unknown activation code " + activation);
                }
                yield new LayerOutput.Requantized(
                    multiplier, shift, activation == 0 ? Activation.RELU : Activation.CLAMP);
              }
              default -> throw new IllegalArgumentException("layer " + l + " has unknown kind");
            };
        int[] bias = new int[outputs];
        for (int i = 0; i < outputs; i++) {
          bias[i] = in.readInt();
        }
        byte[] weights = new byte[outputs * inputs];
        in.readFully(weights);
        layers.add(new DenseLayer(outputs, inputs, weights, bias, output));
      }
      byte[] id = new byte[32];
      in.readFully(id);
      if (in.read() != -1) {
        throw new IllegalArgumentException("ZK model file has trailing bytes after the model id");
      }
      return new Contents(new IntegerModel(input, layers, logitScale), Bytes32.wrap(id));
    } catch (EOFException e) {
      throw new IllegalArgumentException("ZK model file is truncated", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void write(Path path, IntegerModel model, Bytes32 modelId) throws IOException {
    Files.write(path, encode(model, modelId));
  }

  /**
   * Reads the file and registers its model, checking that registration reproduces the stored id.
   *
   * @throws IllegalArgumentException if the file is malformed or the id does not match
   */
  public static ZkModel load(Path path) throws IOException {
    return load(path.toString(), Files.readAllBytes(path));
  }

  /**
   * Decodes and registers file bytes from anywhere (a hub blob), checking that registration
   * reproduces the stored id; {@code source} names the bytes in errors. Callers that trust an
   * on-chain id must still compare {@link ZkModel#modelId()} with it.
   *
   * @throws IllegalArgumentException if the bytes are malformed or the id does not match
   */
  public static ZkModel load(String source, byte[] bytes) {
    Contents contents = decode(bytes);
    ZkModel registered = ZkModel.register(contents.model());
    if (!registered.modelId().equals(contents.modelId())) {
      throw new IllegalArgumentException(
          "ZK model file "
              + source
              + " registers to "
              + registered.modelId()
              + " but records "
              + contents.modelId()
              + "; the file was altered");
    }
    return registered;
  }
}
