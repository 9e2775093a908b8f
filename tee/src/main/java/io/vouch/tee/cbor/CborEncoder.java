package io.vouch.tee.cbor;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Deterministic CBOR encoding: every head in its shortest form, every string, array and map of
 * definite length, map entries in the order given (producers of attestation documents emit a fixed
 * field order; callers that need RFC 8949 key sorting build their maps sorted). Used for COSE
 * {@code Sig_structure}, the enclave manifest and the development simulator; never to re-encode a
 * received document.
 */
public final class CborEncoder {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private CborEncoder() {}

  public static byte[] encode(CborItem item) {
    CborEncoder e = new CborEncoder();
    e.write(item);
    return e.out.toByteArray();
  }

  private void write(CborItem item) {
    switch (item) {
      case CborInteger i -> {
        if (i.value().signum() >= 0) {
          head(0, i.value());
        } else {
          head(1, BigInteger.ONE.negate().subtract(i.value()));
        }
      }
      case CborByteString b -> {
        byte[] v = b.value();
        head(2, v.length);
        out.writeBytes(v);
      }
      case CborTextString t -> {
        byte[] v = t.value().getBytes(StandardCharsets.UTF_8);
        head(3, v.length);
        out.writeBytes(v);
      }
      case CborArray a -> {
        head(4, a.size());
        a.items().forEach(this::write);
      }
      case CborMap m -> {
        head(5, m.size());
        for (CborMap.Entry e : m.entries()) {
          write(e.key());
          write(e.value());
        }
      }
      case CborTag t -> {
        head(6, t.tag());
        write(t.content());
      }
      case CborSimple s -> out.write(0xe0 | s.value().code);
    }
  }

  private void head(int major, long argument) {
    head(major, BigInteger.valueOf(argument));
  }

  private void head(int major, BigInteger argument) {
    int type = major << 5;
    if (argument.compareTo(BigInteger.valueOf(24)) < 0) {
      out.write(type | argument.intValue());
      return;
    }
    int size;
    int info;
    int bits = argument.bitLength();
    if (bits <= 8) {
      size = 1;
      info = 24;
    } else if (bits <= 16) {
      size = 2;
      info = 25;
    } else if (bits <= 32) {
      size = 4;
      info = 26;
    } else {
      size = 8;
      info = 27;
    }
    out.write(type | info);
    for (int i = size - 1; i >= 0; i--) {
      out.write(argument.shiftRight(8 * i).intValue() & 0xff);
    }
  }
}
