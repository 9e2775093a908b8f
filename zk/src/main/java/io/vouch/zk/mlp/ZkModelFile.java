package io.vouch.zk.mlp;

import io.vouch.core.Bytes32;
import io.vouch.onnx.quant.IntegerModel;
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
import java.util.Arrays;

/**
 * The ZK model file ({@code .zkmodel}) that {@link ZkCompiler} and {@code vouch zk compile} write,
 * that {@code vouch model push --levels zkml} stores in the model hub next to the ONNX file, and
 * that nodes (to prove) and clients (to verify) load: the {@link IntegerModel} (everything
 * registration needs) and the model id it registered to. Registration ({@link ZkModel#register}) is
 * a deterministic function of the integer model, so {@code prove}/{@code verify} re-register on
 * load and refuse a file whose recomputed id differs from the stored one — a corrupted or edited
 * file cannot silently prove for another model.
 *
 * <p>Format, version 10 (big-endian, {@link DataOutputStream} encodings): "VZKM", u16 version = 10,
 * the graph in {@link GraphEncoding}'s canonical form with every weight matrix in full, then the 32
 * bytes of the model id. Nothing follows the model id; trailing bytes are refused. Versions 1 (MLPs
 * only), 2 (graphs before the transformer ops, proof format 4), 3 (proof format 5, before the
 * one-lookup clamp), 4 (proof format 6, one combined row per opening point), 5 (proof format 7,
 * before pooling before requantizing), 6 (proof format 8, before the softmax selector), 7 (proof
 * format 9, weight queries drawn after the witness opening's), 8 (proof format 10, before
 * transposed storage) and 9 (proof format 11, a softmax's exact division before the per-row
 * reciprocal) are refused with a message to compile the ONNX file again: their model ids were
 * computed another way (the id binds the proof format and the witness's row count).
 */
public final class ZkModelFile {
  /** The name of the file in a model hub version, beside {@code model.onnx}. */
  public static final String HUB_FILE_NAME = "model.zkmodel";

  static final byte[] MAGIC = "VZKM".getBytes(StandardCharsets.US_ASCII);
  public static final int VERSION = 10;

  /** The file's contents: the integer model and the model id recorded at compile time. */
  public record Contents(IntegerModel model, Bytes32 modelId) {}

  private ZkModelFile() {}

  public static byte[] encode(IntegerModel model, Bytes32 modelId) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeShort(VERSION);
      GraphEncoding.write(out, model, null);
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
            "ZK model file version "
                + version
                + " is not supported; this build reads "
                + VERSION
                + (version < VERSION
                    ? " (proof format "
                        + ZkProof.VERSION
                        + "); compile the ONNX model again: vouch zk compile MODEL.onnx"
                    : ""));
      }
      IntegerModel model = GraphEncoding.read(in, bytes.length);
      byte[] id = new byte[32];
      in.readFully(id);
      if (in.read() != -1) {
        throw new IllegalArgumentException("ZK model file has trailing bytes after the model id");
      }
      return new Contents(model, Bytes32.wrap(id));
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
