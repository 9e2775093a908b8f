package io.vouch.hub.repo;

import io.vouch.hub.cid.Cid;
import io.vouch.hub.store.ContentStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Model repositories, like the model hubs users know: a repository (name, owner) has immutable
 * versions, each a set of files (path → blob CID and size) described by a manifest.
 *
 * <p>Rules: a version, once pushed, never changes; pushing the same content again is a no-op
 * (idempotent, so a retried upload is safe), pushing different content under an existing version is
 * a {@link VersionConflictException}. Every file must refer to a blob the store already holds, with
 * its true size. The first push creates the repository and fixes its owner.
 *
 * <p>Thread-safe: pushes are serialized; reads go to the index and the store.
 */
public final class ModelRepository {
  /** Lower case so that names are safe file and URL path segments everywhere. */
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
  private static final Pattern OWNER = Pattern.compile("\\S{1,128}");
  private static final int MAX_FILES = 10_000;

  private final ContentStore store;
  private final VersionIndex index;
  private final Object pushLock = new Object();

  public ModelRepository(ContentStore store, VersionIndex index) {
    this.store = store;
    this.index = index;
  }

  public static ModelRepository inMemory(ContentStore store) {
    return new ModelRepository(store, new InMemoryVersionIndex());
  }

  /** Keeps the index under {@code indexRoot} (one JSON file per repository). */
  public static ModelRepository onDisk(Path indexRoot, ContentStore store) throws IOException {
    return new ModelRepository(store, new FileVersionIndex(indexRoot));
  }

  public ContentStore store() {
    return store;
  }

  /**
   * Publishes a version.
   *
   * @throws InvalidManifestException bad name, version, owner, path, or a file whose blob is
   *     missing or whose size is wrong
   * @throws VersionConflictException the version exists with other content
   * @throws OwnerMismatchException the repository belongs to someone else
   */
  public PushResult push(String repository, VersionDraft draft) throws IOException {
    requireName(repository);
    if (draft == null) {
      throw new InvalidManifestException("missing version body: send owner, version and files");
    }
    requireVersion(draft.version());
    if (draft.owner() == null || !OWNER.matcher(draft.owner()).matches()) {
      throw new InvalidManifestException(
          "owner must be 1 to 128 characters without spaces, e.g. an address or a user name");
    }
    Manifest manifest =
        new Manifest(repository, draft.owner(), draft.version(), draft.files(), draft.metadata());
    checkFiles(manifest);
    byte[] canonical = HubJson.canonicalBytes(manifest);
    Cid manifestCid = Cid.ofBytes(canonical);

    synchronized (pushLock) {
      var existing = index.find(repository);
      if (existing.isPresent()) {
        VersionIndex.Entry entry = existing.get();
        if (!entry.owner().equals(draft.owner())) {
          throw new OwnerMismatchException(repository, entry.owner(), draft.owner());
        }
        var published = entry.manifestOf(draft.version());
        if (published.isPresent()) {
          if (published.get().equals(manifestCid)) {
            return new PushResult(new PublishedVersion(manifestCid, manifest), false);
          }
          throw new VersionConflictException(
              repository, draft.version(), published.get(), manifestCid);
        }
      }
      // Manifest blob first, index second: a crash in between leaves an unreferenced blob, never
      // an index entry pointing at nothing.
      Cid stored = store.put(canonical);
      if (!stored.equals(manifestCid)) {
        throw new IllegalStateException("store returned " + stored + " for " + manifestCid);
      }
      List<VersionSummary> versions =
          new ArrayList<>(existing.map(VersionIndex.Entry::versions).orElse(List.of()));
      versions.add(new VersionSummary(draft.version(), manifestCid));
      index.save(new VersionIndex.Entry(repository, draft.owner(), versions));
      return new PushResult(new PublishedVersion(manifestCid, manifest), true);
    }
  }

  /** All repositories, sorted by name. */
  public List<RepositorySummary> listRepositories() throws IOException {
    return index.all().stream()
        .map(e ->
            new RepositorySummary(
                e.name(),
                e.owner(),
                e.versions().size(),
                e.versions().isEmpty() ? null : e.versions().getLast().version()))
        .toList();
  }

  /**
   * A repository's versions in push order.
   *
   * @throws UnknownModelException when there is no such repository
   */
  public List<VersionSummary> listVersions(String repository) throws IOException {
    return entry(repository).versions();
  }

  /**
   * One version with its manifest, read back from the store (hash-checked).
   *
   * @throws UnknownModelException when the repository or the version does not exist
   */
  public PublishedVersion show(String repository, String version) throws IOException {
    Cid manifestCid =
        entry(repository)
            .manifestOf(version)
            .orElseThrow(() ->
                new UnknownModelException(
                    "repository '"
                        + repository
                        + "' has no version '"
                        + version
                        + "'; list them with GET /v1/repos/"
                        + repository
                        + "/versions"));
    Manifest manifest = HubJson.mapper().readValue(store.get(manifestCid), Manifest.class);
    return new PublishedVersion(manifestCid, manifest);
  }

  /** Resolves {@code name@version}. */
  public PublishedVersion resolve(String reference) throws IOException {
    ModelRef ref = ModelRef.parse(reference);
    return show(ref.repository(), ref.version());
  }

  private VersionIndex.Entry entry(String repository) throws IOException {
    requireName(repository);
    return index
        .find(repository)
        .orElseThrow(() ->
            new UnknownModelException(
                "no repository '" + repository + "'; list them with GET /v1/repos"));
  }

  private void checkFiles(Manifest manifest) throws IOException {
    if (manifest.files().isEmpty()) {
      throw new InvalidManifestException("a version needs at least one file");
    }
    if (manifest.files().size() > MAX_FILES) {
      throw new InvalidManifestException("a version holds at most " + MAX_FILES + " files");
    }
    Set<String> paths = new HashSet<>();
    for (ManifestFile file : manifest.files()) {
      requirePath(file.path());
      if (!paths.add(file.path())) {
        throw new InvalidManifestException("file path '" + file.path() + "' appears twice");
      }
      if (file.cid() == null) {
        throw new InvalidManifestException("file '" + file.path() + "' has no cid");
      }
      if (!store.has(file.cid())) {
        throw new InvalidManifestException(
            "file '"
                + file.path()
                + "' refers to blob "
                + file.cid()
                + " which this hub does not hold; PUT the bytes to /v1/blobs first");
      }
      long actual = store.size(file.cid());
      if (file.size() != actual) {
        throw new InvalidManifestException(
            "file '"
                + file.path()
                + "' declares size "
                + file.size()
                + " but blob "
                + file.cid()
                + " has "
                + actual
                + " bytes");
      }
    }
    for (Map.Entry<String, String> e : manifest.metadata().entrySet()) {
      if (e.getKey().isEmpty() || e.getValue() == null) {
        throw new InvalidManifestException("metadata keys must be non-empty and values non-null");
      }
    }
  }

  static void requireName(String repository) {
    if (repository == null || !NAME.matcher(repository).matches()) {
      throw new InvalidManifestException(
          "bad repository name '"
              + repository
              + "': use 1 to 64 characters from a-z 0-9 . _ -, starting with a letter or digit");
    }
  }

  static void requireVersion(String version) {
    if (version == null || !VERSION.matcher(version).matches()) {
      throw new InvalidManifestException(
          "bad version '"
              + version
              + "': use a number or tag of 1 to 64 characters from A-Z a-z 0-9 . _ + -");
    }
  }

  private static void requirePath(String path) {
    boolean bad =
        path == null
            || path.isEmpty()
            || path.length() > 512
            || path.startsWith("/")
            || path.contains("\\")
            || path.chars().anyMatch(c -> c < 0x20);
    if (!bad) {
      for (String segment : path.split("/", -1)) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
          bad = true;
          break;
        }
      }
    }
    if (bad) {
      throw new InvalidManifestException(
          "bad file path '"
              + path
              + "': use a relative path with '/' separators, no empty, '.' or '..' segments,"
              + " e.g. model.onnx or tokenizer/vocab.txt");
    }
  }
}
