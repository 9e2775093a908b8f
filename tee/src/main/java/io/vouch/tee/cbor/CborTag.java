package io.vouch.tee.cbor;

/** A tagged item (major type 6), e.g. tag 18 around a COSE_Sign1 array. */
public record CborTag(long tag, CborItem content, Span span) implements CborItem {
  public CborTag {
    if (tag < 0) {
      throw new IllegalArgumentException("tags above 2^63-1 are not supported, got " + tag);
    }
  }

  public static CborTag of(long tag, CborItem content) {
    return new CborTag(tag, content, Span.NONE);
  }

  @Override
  public String kind() {
    return "tag " + tag;
  }
}
