package io.vouch.tee.cbor;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A small, strict CBOR decoder for attestation documents: integers, byte and text strings, arrays
 * and maps (definite and indefinite length), tags, and false/true/null. It refuses floats, other
 * simple values, reserved encodings, duplicate map keys, nesting deeper than {@link #MAX_DEPTH},
 * lengths that run past the input, and trailing bytes. Every item records its {@link Span} in the
 * input so that callers can check signatures over the bytes as received.
 *
 * <p>Non-shortest integer and length encodings are accepted: signatures are checked over received
 * bytes, never over a re-encoding, so encoding variants cannot change what was signed.
 */
public final class CborDecoder {
  /** Nitro documents nest four deep; anything far deeper is an attack on the stack. */
  public static final int MAX_DEPTH = 16;

  private static final int BREAK = 0xff;

  private final byte[] data;
  private int pos;

  private CborDecoder(byte[] data) {
    this.data = data;
  }

  /**
   * Decodes exactly one item that spans the whole input. Spans of the result refer to {@code data}
   * itself, which the caller must not modify afterwards.
   */
  public static CborItem decode(byte[] data) {
    CborDecoder d = new CborDecoder(data);
    if (data.length == 0) {
      throw new CborException(0, "empty input");
    }
    CborItem item = d.readItem(0);
    if (d.pos != data.length) {
      throw new CborException(
          d.pos, (data.length - d.pos) + " trailing bytes after the first item");
    }
    return item;
  }

  private CborItem readItem(int depth) {
    if (depth > MAX_DEPTH) {
      throw new CborException(pos, "items nest deeper than " + MAX_DEPTH);
    }
    int start = pos;
    int initial = readByte();
    int major = initial >>> 5;
    int info = initial & 0x1f;
    if (info == 31) {
      return readIndefinite(start, major, depth);
    }
    BigInteger argument = readArgument(start, info);
    return switch (major) {
      case 0 -> new CborInteger(argument, span(start));
      case 1 -> new CborInteger(BigInteger.ONE.negate().subtract(argument), span(start));
      case 2 -> new CborByteString(readContent(start, argument), span(start));
      case 3 -> new CborTextString(utf8(start, readContent(start, argument)), span(start));
      case 4 -> readArray(start, count(start, argument, 1), depth);
      case 5 -> readMap(start, count(start, argument, 2), depth);
      case 6 -> readTag(start, argument, depth);
      default -> readSimple(start, info);
    };
  }

  private CborItem readIndefinite(int start, int major, int depth) {
    switch (major) {
      case 2 -> {
        return new CborByteString(readChunks(start, 2), span(start));
      }
      case 3 -> {
        return new CborTextString(utf8(start, readChunks(start, 3)), span(start));
      }
      case 4 -> {
        List<CborItem> items = new ArrayList<>();
        while (!atBreak()) {
          items.add(readItem(depth + 1));
        }
        pos++;
        return new CborArray(items, true, span(start));
      }
      case 5 -> {
        List<CborMap.Entry> entries = new ArrayList<>();
        Set<Object> keys = new HashSet<>();
        while (!atBreak()) {
          entries.add(readEntry(keys, depth));
        }
        pos++;
        return new CborMap(entries, true, span(start));
      }
      case 7 -> throw new CborException(start, "'break' (0xff) outside an indefinite-length item");
      default ->
          throw new CborException(
              start, "major type " + major + " cannot have an indefinite length");
    }
  }

  private byte[] readChunks(int start, int major) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (!atBreak()) {
      int chunkStart = pos;
      int initial = readByte();
      if (initial >>> 5 != major || (initial & 0x1f) == 31) {
        throw new CborException(
            chunkStart,
            "a chunk of an indefinite-length string must be a definite string of the same type");
      }
      BigInteger length = readArgument(chunkStart, initial & 0x1f);
      out.writeBytes(readContent(chunkStart, length));
    }
    pos++;
    return out.toByteArray();
  }

  private CborArray readArray(int start, int count, int depth) {
    List<CborItem> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      items.add(readItem(depth + 1));
    }
    return new CborArray(items, false, span(start));
  }

  private CborMap readMap(int start, int count, int depth) {
    List<CborMap.Entry> entries = new ArrayList<>(count);
    Set<Object> keys = new HashSet<>();
    for (int i = 0; i < count; i++) {
      entries.add(readEntry(keys, depth));
    }
    return new CborMap(entries, false, span(start));
  }

  private CborMap.Entry readEntry(Set<Object> keys, int depth) {
    int keyStart = pos;
    CborItem key = readItem(depth + 1);
    if (!keys.add(keyIdentity(key))) {
      throw new CborException(keyStart, "duplicate map key " + describe(key));
    }
    if (atBreak()) {
      throw new CborException(pos, "map key " + describe(key) + " has no value before 'break'");
    }
    return new CborMap.Entry(key, readItem(depth + 1));
  }

  private CborTag readTag(int start, BigInteger tag, int depth) {
    if (tag.bitLength() > 63) {
      throw new CborException(start, "tag " + tag + " is above 2^63-1");
    }
    CborItem content = readItem(depth + 1);
    return new CborTag(tag.longValue(), content, span(start));
  }

  private CborSimple readSimple(int start, int info) {
    for (CborSimple.Value v : CborSimple.Value.values()) {
      if (v.code == info) {
        return new CborSimple(v, span(start));
      }
    }
    String what =
        switch (info) {
          case 23 -> "'undefined'";
          case 24 -> "a one-byte simple value";
          case 25, 26, 27 -> "a floating-point number";
          default -> "simple value " + info;
        };
    throw new CborException(start, what + " is not used by attestation documents");
  }

  /** The argument of a head whose additional information is {@code info} (not 31). */
  private BigInteger readArgument(int start, int info) {
    if (info < 24) {
      return BigInteger.valueOf(info);
    }
    int size =
        switch (info) {
          case 24 -> 1;
          case 25 -> 2;
          case 26 -> 4;
          case 27 -> 8;
          default -> throw new CborException(start, "reserved additional information " + info);
        };
    require(start, size);
    BigInteger value = new BigInteger(1, java.util.Arrays.copyOfRange(data, pos, pos + size));
    pos += size;
    return value;
  }

  /** Reads {@code length} content bytes, refusing lengths that run past the input. */
  private byte[] readContent(int start, BigInteger length) {
    if (length.compareTo(BigInteger.valueOf(data.length - pos)) > 0) {
      throw new CborException(
          start,
          "string of "
              + length
              + " bytes runs past the end of the input ("
              + (data.length - pos)
              + " left)");
    }
    int n = length.intValueExact();
    byte[] out = java.util.Arrays.copyOfRange(data, pos, pos + n);
    pos += n;
    return out;
  }

  /** An element count, bounded by the bytes left (each element takes at least one byte). */
  private int count(int start, BigInteger count, int bytesPerElement) {
    long left = data.length - pos;
    if (count.compareTo(BigInteger.valueOf(left / bytesPerElement)) > 0) {
      throw new CborException(
          start, "declares " + count + " elements but only " + left + " bytes are left");
    }
    return count.intValueExact();
  }

  private boolean atBreak() {
    require(pos, 1);
    return (data[pos] & 0xff) == BREAK;
  }

  private int readByte() {
    require(pos, 1);
    return data[pos++] & 0xff;
  }

  private void require(int at, int n) {
    if (data.length - pos < n) {
      throw new CborException(at, "input ends early (needs " + n + " more bytes)");
    }
  }

  private Span span(int start) {
    return new Span(data, start, pos - start);
  }

  private static String utf8(int start, byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CborException(start, "text string is not valid UTF-8");
    }
  }

  /** Keys compare by value, so two encodings of the same key count as a duplicate. */
  private static Object keyIdentity(CborItem key) {
    return switch (key) {
      case CborInteger i -> i.value();
      case CborTextString t -> "t:" + t.value();
      case CborByteString b -> ByteBuffer.wrap(b.value());
      default -> List.of(key.kind(), ByteBuffer.wrap(key.span().bytes()));
    };
  }

  private static String describe(CborItem key) {
    return switch (key) {
      case CborInteger i -> i.value().toString();
      case CborTextString t -> "\"" + t.value() + "\"";
      default -> "(" + key.kind() + ")";
    };
  }
}
