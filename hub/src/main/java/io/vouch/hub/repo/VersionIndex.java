package io.vouch.hub.repo;

import io.vouch.hub.cid.Cid;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Which versions each repository has and where their manifests are. The manifests themselves live
 * in the content store; the index holds only names and manifest CIDs. Callers serialize writes.
 */
public interface VersionIndex {

  /** A repository's record: owner and versions in push order. */
  record Entry(String name, String owner, List<VersionSummary> versions) {
    public Entry {
      versions = List.copyOf(versions);
    }

    public Optional<Cid> manifestOf(String version) {
      return versions.stream()
          .filter(v -> v.version().equals(version))
          .map(VersionSummary::manifestCid)
          .findFirst();
    }
  }

  Optional<Entry> find(String name) throws IOException;

  /** All repositories, sorted by name. */
  List<Entry> all() throws IOException;

  /** Creates or replaces the repository's record atomically. */
  void save(Entry entry) throws IOException;
}
