package io.vouch.tee.cbor;

import java.util.List;

/** An array; {@code indefiniteLength} records how it was encoded on input. */
public record CborArray(List<CborItem> items, boolean indefiniteLength, Span span)
    implements CborItem {
  public CborArray {
    items = List.copyOf(items);
  }

  public static CborArray of(CborItem... items) {
    return new CborArray(List.of(items), false, Span.NONE);
  }

  public static CborArray of(List<? extends CborItem> items) {
    return new CborArray(List.copyOf(items), false, Span.NONE);
  }

  public int size() {
    return items.size();
  }

  public CborItem get(int index) {
    return items.get(index);
  }

  @Override
  public String kind() {
    return "array";
  }
}
