package io.vouch.core.tensor;

import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A dense tensor: element type, shape and little-endian row-major data. Immutable.
 *
 * <p>The canonical encoding, hashed by Java and checked by Solidity, is:
 *
 * <pre>
 *   byte      dtype code (see {@link DType})
 *   byte      rank r (0..8)
 *   r x u32   dimensions, little-endian
 *   data      product(dims) elements, little-endian, row-major
 * </pre>
 *
 * The tensor hash is keccak256 of those bytes.
 */
public final class Tensor {
  public static final int MAX_RANK = 8;

  private final DType dtype;
  private final int[] shape;
  private final byte[] data;

  private Tensor(DType dtype, int[] shape, byte[] data) {
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
  }

  /** Builds a tensor from little-endian element bytes; checks that shape and length agree. */
  public static Tensor of(DType dtype, int[] shape, byte[] littleEndianData) {
    long count = elementCount(shape);
    if (count * dtype.size() != littleEndianData.length) {
      throw new TensorFormatException(
          "shape "
              + Arrays.toString(shape)
              + " of "
              + dtype.jsonName()
              + " needs "
              + count * dtype.size()
              + " data bytes, got "
              + littleEndianData.length);
    }
    return new Tensor(dtype, shape.clone(), littleEndianData.clone());
  }

  public static Tensor ofFloats(int[] shape, float... values) {
    checkCount(shape, values.length);
    ByteBuffer b = buffer(values.length * 4);
    for (float v : values) {
      b.putFloat(v);
    }
    return new Tensor(DType.FLOAT32, shape.clone(), b.array());
  }

  public static Tensor ofDoubles(int[] shape, double... values) {
    checkCount(shape, values.length);
    ByteBuffer b = buffer(values.length * 8);
    for (double v : values) {
      b.putDouble(v);
    }
    return new Tensor(DType.FLOAT64, shape.clone(), b.array());
  }

  public static Tensor ofInts(int[] shape, int... values) {
    checkCount(shape, values.length);
    ByteBuffer b = buffer(values.length * 4);
    for (int v : values) {
      b.putInt(v);
    }
    return new Tensor(DType.INT32, shape.clone(), b.array());
  }

  public static Tensor ofLongs(int[] shape, long... values) {
    checkCount(shape, values.length);
    ByteBuffer b = buffer(values.length * 8);
    for (long v : values) {
      b.putLong(v);
    }
    return new Tensor(DType.INT64, shape.clone(), b.array());
  }

  public static Tensor ofInt8(int[] shape, byte... values) {
    checkCount(shape, values.length);
    return new Tensor(DType.INT8, shape.clone(), values.clone());
  }

  public DType dtype() {
    return dtype;
  }

  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public long elementCount() {
    return elementCount(shape);
  }

  /** Little-endian element bytes (a copy). */
  public byte[] data() {
    return data.clone();
  }

  public float[] toFloats() {
    require(DType.FLOAT32);
    float[] out = new float[data.length / 4];
    wrap().asFloatBuffer().get(out);
    return out;
  }

  public double[] toDoubles() {
    require(DType.FLOAT64);
    double[] out = new double[data.length / 8];
    wrap().asDoubleBuffer().get(out);
    return out;
  }

  public int[] toInts() {
    require(DType.INT32);
    int[] out = new int[data.length / 4];
    wrap().asIntBuffer().get(out);
    return out;
  }

  public long[] toLongs() {
    require(DType.INT64);
    long[] out = new long[data.length / 8];
    wrap().asLongBuffer().get(out);
    return out;
  }

  public byte[] toInt8() {
    require(DType.INT8);
    return data.clone();
  }

  /** Element i as a double, whatever the dtype (for display and comparison). */
  public double getAsDouble(int i) {
    // Little-endian views straight into the array: element loops (finiteness and argmax on every
    // request) allocate nothing.
    return switch (dtype) {
      case FLOAT32 -> (float) FLOAT_LE.get(data, i * 4);
      case FLOAT64 -> (double) DOUBLE_LE.get(data, i * 8);
      case INT8 -> data[i];
      case UINT8 -> data[i] & 0xff;
      case INT32 -> (int) INT_LE.get(data, i * 4);
      case INT64 -> (long) LONG_LE.get(data, i * 8);
    };
  }

  private static final VarHandle FLOAT_LE =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle DOUBLE_LE =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** The index of the largest element (first on ties). */
  public int argmax() {
    long n = elementCount();
    if (n == 0) {
      throw new TensorFormatException("argmax of an empty tensor");
    }
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (getAsDouble(i) > getAsDouble(best)) {
        best = i;
      }
    }
    return best;
  }

  /** The first index holding NaN or an infinity, or -1 when every element is finite. */
  public int firstNonFinite() {
    if (!dtype.isFloating()) {
      return -1;
    }
    long n = elementCount();
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(getAsDouble(i))) {
        return i;
      }
    }
    return -1;
  }

  /** The canonical encoding (see class comment). */
  public byte[] canonicalBytes() {
    ByteBuffer b = buffer(2 + 4 * shape.length + data.length);
    b.put((byte) dtype.code());
    b.put((byte) shape.length);
    for (int d : shape) {
      b.putInt(d);
    }
    b.put(data);
    return b.array();
  }

  /** keccak256 of the canonical encoding. */
  public Bytes32 hash() {
    return Keccak.hash(canonicalBytes());
  }

  /** Decodes a canonical encoding; rejects trailing or missing bytes. */
  public static Tensor fromCanonicalBytes(byte[] encoded) {
    if (encoded.length < 2) {
      throw new TensorFormatException("tensor encoding too short: " + encoded.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
    DType dtype = DType.fromCode(b.get() & 0xff);
    int rank = b.get() & 0xff;
    if (rank > MAX_RANK) {
      throw new TensorFormatException("tensor rank " + rank + " exceeds the maximum " + MAX_RANK);
    }
    if (b.remaining() < 4L * rank) {
      throw new TensorFormatException("tensor encoding ends inside its shape");
    }
    int[] shape = new int[rank];
    for (int i = 0; i < rank; i++) {
      shape[i] = b.getInt();
    }
    long expected = elementCount(shape) * dtype.size();
    if (b.remaining() != expected) {
      throw new TensorFormatException(
          "tensor encoding of shape "
              + Arrays.toString(shape)
              + " "
              + dtype.jsonName()
              + " must carry "
              + expected
              + " data bytes, has "
              + b.remaining());
    }
    byte[] data = new byte[(int) expected];
    b.get(data);
    return new Tensor(dtype, shape, data);
  }

  public static long elementCount(int[] shape) {
    if (shape.length > MAX_RANK) {
      throw new TensorFormatException(
          "tensor rank " + shape.length + " exceeds the maximum " + MAX_RANK);
    }
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new TensorFormatException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
      if (n > Integer.MAX_VALUE) {
        throw new TensorFormatException("shape " + Arrays.toString(shape) + " is too large");
      }
    }
    return n;
  }

  private static void checkCount(int[] shape, int values) {
    long n = elementCount(shape);
    if (n != values) {
      throw new TensorFormatException(
          "shape "
              + Arrays.toString(shape)
              + " holds "
              + n
              + " elements, got "
              + values
              + " values");
    }
  }

  private void require(DType expected) {
    if (dtype != expected) {
      throw new TensorFormatException(
          "tensor holds " + dtype.jsonName() + ", not " + expected.jsonName());
    }
  }

  private ByteBuffer wrap() {
    return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer buffer(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t
        && dtype == t.dtype
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Tensor[" + dtype.jsonName() + " " + Arrays.toString(shape) + "]";
  }
}
