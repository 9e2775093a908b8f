package io.vouch.core.tensor;

import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's inputs or outputs: tensors by name. What a receipt's {@code inputHash} and {@code
 * outputHash} commit to, and what travels on chain as a request's input bytes.
 *
 * <p>The canonical encoding has two forms, told apart by the first byte:
 *
 * <ul>
 *   <li><b>one tensor</b>: that tensor's own canonical encoding ({@link Tensor#canonicalBytes()},
 *       first byte a dtype code 1–6), without its name: a model with one input (or one output)
 *       hashes exactly as it did before models with several were supported;
 *   <li><b>several tensors</b>: the byte {@value #BUNDLE_MARKER}, the count (u8, 2–255), then per
 *       tensor in ascending byte order of the UTF-8 names: the name's length (u8, 1–255), the name,
 *       the length of the tensor's canonical encoding (u32 LE) and that encoding.
 * </ul>
 *
 * Sorting by name makes the encoding a function of the map alone (no model schema needed to hash
 * it); {@link #decode} refuses anything that is not exactly that (unsorted or duplicate names,
 * trailing bytes), so that equal maps have one encoding.
 */
public final class NamedTensors {
  /** First byte of the several-tensor encoding; never a dtype code. */
  public static final int BUNDLE_MARKER = 0xF0;

  public static final int MAX_TENSORS = 255;

  /**
   * The name of a lone tensor sent without one (a model's only input): whoever runs the model gives
   * it the model's own input name. It never reaches an encoding: one tensor encodes without a name.
   */
  public static final String LONE = "_";

  private final Map<String, Tensor> tensors; // sorted by UTF-8 bytes of the names

  private NamedTensors(Map<String, Tensor> byName) {
    if (byName.isEmpty()) {
      throw new TensorFormatException("a model's inputs or outputs hold at least one tensor");
    }
    if (byName.size() > MAX_TENSORS) {
      throw new TensorFormatException(
          byName.size() + " tensors; at most " + MAX_TENSORS + " are supported");
    }
    Map<String, Tensor> sorted = new TreeMap<>(NamedTensors::compareUtf8);
    for (var e : byName.entrySet()) {
      checkName(e.getKey());
      sorted.put(e.getKey(), e.getValue());
    }
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
  }

  /** The tensors by name (iterated in the encoding's order). */
  public static NamedTensors of(Map<String, Tensor> byName) {
    return new NamedTensors(byName);
  }

  /** One tensor without a name, for a model that takes (or gives) one (see {@link #LONE}). */
  public static NamedTensors lone(Tensor t) {
    return single(LONE, t);
  }

  /** One tensor under {@code name}. */
  public static NamedTensors single(String name, Tensor t) {
    return new NamedTensors(Map.of(name, t));
  }

  public Map<String, Tensor> asMap() {
    return tensors;
  }

  public int size() {
    return tensors.size();
  }

  public List<String> names() {
    return List.copyOf(tensors.keySet());
  }

  /** The tensor named {@code name}, or an error naming the ones there are. */
  public Tensor get(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new TensorFormatException("no tensor named '" + name + "'; there are " + names());
    }
    return t;
  }

  /** The only tensor; an error when there are several (use {@link #get}). */
  public Tensor only() {
    if (tensors.size() != 1) {
      throw new TensorFormatException(
          "there are " + tensors.size() + " tensors " + names() + "; name the one you want");
    }
    return tensors.values().iterator().next();
  }

  /** Elements over all tensors. */
  public long elementCount() {
    long n = 0;
    for (Tensor t : tensors.values()) {
      n += t.elementCount();
    }
    return n;
  }

  /** The canonical encoding (see the class comment). */
  public byte[] canonicalBytes() {
    if (tensors.size() == 1) {
      return only().canonicalBytes();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(BUNDLE_MARKER);
    out.write(tensors.size());
    for (var e : tensors.entrySet()) {
      byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] t = e.getValue().canonicalBytes();
      out.write(name.length);
      out.writeBytes(name);
      out.writeBytes(
          ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(t.length).array());
      out.writeBytes(t);
    }
    return out.toByteArray();
  }

  /** keccak256 of the canonical encoding. */
  public Bytes32 hash() {
    return Keccak.hash(canonicalBytes());
  }

  /** Whether {@code encoded} is the several-tensor form (else it is one tensor's encoding). */
  public static boolean isBundle(byte[] encoded) {
    return encoded.length > 0 && (encoded[0] & 0xff) == BUNDLE_MARKER;
  }

  /**
   * Decodes either form. A single tensor's encoding carries no name: it is named {@code
   * nameOfSingle} (the model's only input or output).
   */
  public static NamedTensors decode(byte[] encoded, String nameOfSingle) {
    if (!isBundle(encoded)) {
      return single(nameOfSingle, Tensor.fromCanonicalBytes(encoded));
    }
    ByteBuffer b = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
    b.get();
    if (!b.hasRemaining()) {
      throw new TensorFormatException("tensor bundle ends before its count");
    }
    int count = b.get() & 0xff;
    if (count < 2) {
      throw new TensorFormatException(
          "a tensor bundle holds 2 to 255 tensors, this one says "
              + count
              + " (one tensor is sent as its own encoding)");
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    String previous = null;
    for (int i = 0; i < count; i++) {
      if (!b.hasRemaining()) {
        throw new TensorFormatException("tensor bundle ends before tensor " + (i + 1));
      }
      int nameLength = b.get() & 0xff;
      if (nameLength == 0 || b.remaining() < nameLength + 4) {
        throw new TensorFormatException("tensor bundle: tensor " + (i + 1) + " has a bad name");
      }
      byte[] nameBytes = new byte[nameLength];
      b.get(nameBytes);
      String name = utf8(nameBytes, i + 1);
      if (previous != null && compareUtf8(previous, name) >= 0) {
        throw new TensorFormatException(
            "tensor bundle: names must be unique and in ascending byte order ('"
                + previous
                + "' before '"
                + name
                + "')");
      }
      long length = b.getInt() & 0xffffffffL;
      if (length > b.remaining()) {
        throw new TensorFormatException(
            "tensor bundle: tensor '"
                + name
                + "' says "
                + length
                + " bytes, "
                + b.remaining()
                + " are left");
      }
      byte[] t = new byte[(int) length];
      b.get(t);
      out.put(name, Tensor.fromCanonicalBytes(t));
      previous = name;
    }
    if (b.hasRemaining()) {
      throw new TensorFormatException(
          "tensor bundle: " + b.remaining() + " bytes after the last tensor");
    }
    return new NamedTensors(out);
  }

  private static String utf8(byte[] bytes, int index) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new TensorFormatException(
          "tensor bundle: the name of tensor " + index + " is not UTF-8");
    }
  }

  private static void checkName(String name) {
    int n = name.getBytes(StandardCharsets.UTF_8).length;
    if (n == 0 || n > 255) {
      throw new TensorFormatException(
          "a tensor name is 1 to 255 bytes of UTF-8, got " + n + " bytes");
    }
  }

  private static int compareUtf8(String a, String b) {
    return java.util.Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamedTensors n && n.tensors.equals(tensors);
  }

  @Override
  public int hashCode() {
    return tensors.hashCode();
  }

  @Override
  public String toString() {
    return tensors.toString();
  }
}
