package io.vouch.tee.cbor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A map whose entries keep the order in which they were read (or added), because attestation
 * producers emit a fixed field order and the encoder must reproduce it. The decoder refuses
 * duplicate keys.
 */
public record CborMap(List<Entry> entries, boolean indefiniteLength, Span span)
    implements CborItem {

  /** One key/value pair. */
  public record Entry(CborItem key, CborItem value) {}

  public CborMap {
    entries = List.copyOf(entries);
  }

  public static Builder builder() {
    return new Builder();
  }

  public int size() {
    return entries.size();
  }

  /** The value under a text-string key. */
  public Optional<CborItem> get(String key) {
    for (Entry e : entries) {
      if (e.key() instanceof CborTextString t && t.value().equals(key)) {
        return Optional.of(e.value());
      }
    }
    return Optional.empty();
  }

  /** The value under an integer key. */
  public Optional<CborItem> get(long key) {
    for (Entry e : entries) {
      if (e.key() instanceof CborInteger i
          && i.value().bitLength() < 64
          && i.value().longValue() == key) {
        return Optional.of(e.value());
      }
    }
    return Optional.empty();
  }

  @Override
  public String kind() {
    return "map";
  }

  /** Builds a definite-length map in insertion order. */
  public static final class Builder {
    private final List<Entry> entries = new ArrayList<>();

    private Builder() {}

    public Builder put(CborItem key, CborItem value) {
      entries.add(new Entry(key, value));
      return this;
    }

    public Builder put(String key, CborItem value) {
      return put(CborTextString.of(key), value);
    }

    public Builder put(long key, CborItem value) {
      return put(CborInteger.of(key), value);
    }

    public CborMap build() {
      return new CborMap(entries, false, Span.NONE);
    }
  }
}
