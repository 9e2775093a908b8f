package io.vouch.hub.repo;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A {@link VersionIndex} in memory, for tests and throw-away hubs. */
public final class InMemoryVersionIndex implements VersionIndex {
  private final ConcurrentSkipListMap<String, Entry> entries = new ConcurrentSkipListMap<>();

  @Override
  public Optional<Entry> find(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  @Override
  public List<Entry> all() {
    return List.copyOf(entries.values());
  }

  @Override
  public void save(Entry entry) {
    entries.put(entry.name(), entry);
  }
}
