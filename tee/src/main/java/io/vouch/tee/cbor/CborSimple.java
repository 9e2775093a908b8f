package io.vouch.tee.cbor;

import java.util.Locale;

/** The simple values false, true and null (major type 7). */
public record CborSimple(Value value, Span span) implements CborItem {

  /** The simple values this decoder accepts, with their CBOR codes. */
  public enum Value {
    FALSE(20),
    TRUE(21),
    NULL(22);

    final int code;

    Value(int code) {
      this.code = code;
    }
  }

  public static final CborSimple NULL = new CborSimple(Value.NULL, Span.NONE);
  public static final CborSimple TRUE = new CborSimple(Value.TRUE, Span.NONE);
  public static final CborSimple FALSE = new CborSimple(Value.FALSE, Span.NONE);

  public boolean isNull() {
    return value == Value.NULL;
  }

  @Override
  public String kind() {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
