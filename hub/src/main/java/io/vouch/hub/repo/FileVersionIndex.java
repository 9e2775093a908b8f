package io.vouch.hub.repo;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A {@link VersionIndex} on disk: one JSON file per repository, {@code <root>/<name>.json},
 * replaced atomically (temp file + move) on every change so that a crash leaves the old or the new
 * record, never half of one. Repository names are restricted to {@code [a-z0-9._-]}, so they are
 * safe file names.
 */
public final class FileVersionIndex implements VersionIndex {
  private static final String SUFFIX = ".json";
  private final Path root;

  public FileVersionIndex(Path root) throws IOException {
    this.root = root.toAbsolutePath();
    Files.createDirectories(this.root);
  }

  @Override
  public Optional<Entry> find(String name) throws IOException {
    Path file = root.resolve(name + SUFFIX);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(HubJson.mapper().readValue(file.toFile(), Entry.class));
  }

  @Override
  public List<Entry> all() throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> files = Files.list(root)) {
      for (Path file : files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).toList()) {
        entries.add(HubJson.mapper().readValue(file.toFile(), Entry.class));
      }
    }
    entries.sort(Comparator.comparing(Entry::name));
    return entries;
  }

  @Override
  public void save(Entry entry) throws IOException {
    Path target = root.resolve(entry.name() + SUFFIX);
    Path temp = Files.createTempFile(root, ".index-", ".part");
    try {
      Files.write(temp, HubJson.mapper().writeValueAsBytes(entry));
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
