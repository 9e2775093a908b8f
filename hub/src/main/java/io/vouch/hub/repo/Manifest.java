package io.vouch.hub.repo;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one immutable version of a model repository contains. Its canonical JSON (fields in this
 * order, files sorted by path, metadata keys sorted, no whitespace) is stored as a blob, so the
 * version itself has a CID that anyone can check.
 */
@JsonPropertyOrder({"repository", "owner", "version", "files", "metadata"})
public record Manifest(
    String repository,
    String owner,
    String version,
    List<ManifestFile> files,
    Map<String, String> metadata) {

  public Manifest {
    files = files == null ? List.of() : files.stream().sorted(BY_PATH).toList();
    metadata =
        metadata == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
  }

  private static final Comparator<ManifestFile> BY_PATH = Comparator.comparing(ManifestFile::path);

  /** The sum of the file sizes. */
  public long totalSize() {
    return files.stream().mapToLong(ManifestFile::size).sum();
  }
}
