package io.vouch.tee.cbor;

/** A UTF-8 text string (the decoder refuses malformed UTF-8). */
public record CborTextString(String value, Span span) implements CborItem {
  public static CborTextString of(String value) {
    return new CborTextString(value, Span.NONE);
  }

  @Override
  public String kind() {
    return "text string";
  }
}
