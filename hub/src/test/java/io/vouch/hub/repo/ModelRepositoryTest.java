package io.vouch.hub.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.hub.cid.Cid;
import io.vouch.hub.store.FileContentStore;
import io.vouch.hub.store.InMemoryContentStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelRepositoryTest {
  InMemoryContentStore store;
  ModelRepository repository;
  ManifestFile model;
  ManifestFile vocab;

  @BeforeEach
  void setUp() {
    store = new InMemoryContentStore();
    repository = ModelRepository.inMemory(store);
    model = file("model.onnx", "onnx bytes");
    vocab = file("tokenizer/vocab.txt", "a b c");
  }

  ManifestFile file(String path, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return new ManifestFile(path, store.put(bytes), bytes.length);
  }

  VersionDraft draft(String version, ManifestFile... files) {
    return new VersionDraft("alice", version, List.of(files), Map.of("license", "MIT"));
  }

  @Test
  void thePushOfANewVersionCreatesIt() throws IOException {
    PushResult result = repository.push("sentiment", draft("1", model, vocab));
    assertThat(result.created()).isTrue();
    assertThat(result.version().manifest().files()).containsExactly(model, vocab);
  }

  @Test
  void theManifestCidIsTheCidOfTheStoredCanonicalManifest() throws IOException {
    PublishedVersion version = repository.push("sentiment", draft("1", model)).version();
    assertThat(store.get(version.manifestCid()))
        .isEqualTo(HubJson.canonicalBytes(version.manifest()));
  }

  @Test
  void pushingTheSameContentAgainIsANoOp() throws IOException {
    PushResult first = repository.push("sentiment", draft("1", model, vocab));
    PushResult again = repository.push("sentiment", draft("1", vocab, model));
    assertThat(again.created()).isFalse();
    assertThat(again.version().manifestCid()).isEqualTo(first.version().manifestCid());
    assertThat(repository.listVersions("sentiment")).hasSize(1);
  }

  @Test
  void pushingDifferentContentUnderAnExistingVersionIsAConflict() throws IOException {
    repository.push("sentiment", draft("1", model));
    assertThatThrownBy(() -> repository.push("sentiment", draft("1", model, vocab)))
        .isInstanceOf(VersionConflictException.class)
        .hasMessageContaining("sentiment@1")
        .hasMessageContaining("immutable");
  }

  @Test
  void aConflictingPushLeavesThePublishedVersionUnchanged() throws IOException {
    PublishedVersion original = repository.push("sentiment", draft("1", model)).version();
    assertThatThrownBy(() -> repository.push("sentiment", draft("1", vocab)))
        .isInstanceOf(VersionConflictException.class);
    assertThat(repository.show("sentiment", "1")).isEqualTo(original);
  }

  @Test
  void onlyTheOwnerCanPushFurtherVersions() throws IOException {
    repository.push("sentiment", draft("1", model));
    VersionDraft mallory = new VersionDraft("mallory", "2", List.of(model), Map.of());
    assertThatThrownBy(() -> repository.push("sentiment", mallory))
        .isInstanceOf(OwnerMismatchException.class)
        .hasMessageContaining("alice");
  }

  @Test
  void aFileWhoseBlobIsNotStoredIsRefused() {
    Cid missing = Cid.ofBytes("not uploaded".getBytes(StandardCharsets.UTF_8));
    VersionDraft draft = draft("1", new ManifestFile("model.onnx", missing, 12));
    assertThatThrownBy(() -> repository.push("sentiment", draft))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("PUT");
  }

  @Test
  void aFileWithTheWrongSizeIsRefused() {
    VersionDraft draft = draft("1", new ManifestFile("model.onnx", model.cid(), model.size() + 1));
    assertThatThrownBy(() -> repository.push("sentiment", draft))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("size");
  }

  @Test
  void aVersionWithoutFilesIsRefused() {
    assertThatThrownBy(() -> repository.push("sentiment", draft("1")))
        .isInstanceOf(InvalidManifestException.class);
  }

  @Test
  void aDuplicatePathIsRefused() {
    ManifestFile twin = new ManifestFile("model.onnx", vocab.cid(), vocab.size());
    assertThatThrownBy(() -> repository.push("sentiment", draft("1", model, twin)))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("twice");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Upper",
        "-lead",
        "a/b",
        "a b",
        "..",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      })
  void badRepositoryNamesAreRefused(String name) {
    assertThatThrownBy(() -> repository.push(name, draft("1", model)))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("repository name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1", "1 0", "v/1", "."})
  void badVersionNamesAreRefused(String version) {
    assertThatThrownBy(() -> repository.push("sentiment", draft(version, model)))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("version");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/etc/passwd", "../up.onnx", "a//b", "a/./b", "dir/", "a\\b", ""})
  void pathsThatEscapeOrAreAmbiguousAreRefused(String path) {
    ManifestFile bad = new ManifestFile(path, model.cid(), model.size());
    assertThatThrownBy(() -> repository.push("sentiment", draft("1", bad)))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("path");
  }

  @Test
  void versionNamesMayBeNumbersOrTags() throws IOException {
    repository.push("sentiment", draft("3", model));
    repository.push("sentiment", draft("1.2.0+int8", model));
    repository.push("sentiment", draft("latest-2025", model));
    assertThat(repository.listVersions("sentiment"))
        .extracting(VersionSummary::version)
        .containsExactly("3", "1.2.0+int8", "latest-2025");
  }

  @Test
  void repositoriesAreListedByNameWithOwnerCountAndLatest() throws IOException {
    repository.push("zeta", draft("1", model));
    repository.push("alpha", draft("1", model));
    repository.push("alpha", draft("2", vocab));
    assertThat(repository.listRepositories())
        .containsExactly(
            new RepositorySummary("alpha", "alice", 2, "2"),
            new RepositorySummary("zeta", "alice", 1, "1"));
  }

  @Test
  void showReturnsThePublishedManifest() throws IOException {
    PublishedVersion pushed = repository.push("sentiment", draft("1", model, vocab)).version();
    PublishedVersion shown = repository.show("sentiment", "1");
    assertThat(shown).isEqualTo(pushed);
    assertThat(shown.manifest().metadata()).containsEntry("license", "MIT");
    assertThat(shown.manifest().totalSize()).isEqualTo(model.size() + vocab.size());
  }

  @Test
  void resolveFindsNameAtVersion() throws IOException {
    repository.push("sentiment", draft("1", model));
    PublishedVersion second = repository.push("sentiment", draft("2", vocab)).version();
    assertThat(repository.resolve("sentiment@2")).isEqualTo(second);
  }

  @Test
  void resolveRefusesAReferenceWithoutVersion() {
    assertThatThrownBy(() -> repository.resolve("sentiment"))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("name@version");
  }

  @Test
  void anUnknownRepositoryIsReported() {
    assertThatThrownBy(() -> repository.listVersions("nope"))
        .isInstanceOf(UnknownModelException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void anUnknownVersionIsReported() throws IOException {
    repository.push("sentiment", draft("1", model));
    assertThatThrownBy(() -> repository.show("sentiment", "9"))
        .isInstanceOf(UnknownModelException.class)
        .hasMessageContaining("'9'");
  }

  @Test
  void aCorruptedManifestBlobIsNotShown() throws IOException {
    PublishedVersion version = repository.push("sentiment", draft("1", model)).version();
    store.replaceBytesUnchecked(version.manifestCid(), "{}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> repository.show("sentiment", "1"))
        .isInstanceOf(io.vouch.hub.store.CorruptBlobException.class);
  }

  @Test
  void anOnDiskRepositorySurvivesARestart(@TempDir Path root) throws IOException {
    FileContentStore disk = new FileContentStore(root.resolve("store"));
    byte[] bytes = "weights".getBytes(StandardCharsets.UTF_8);
    ManifestFile file = new ManifestFile("model.onnx", disk.put(bytes), bytes.length);
    PublishedVersion pushed =
        ModelRepository.onDisk(root.resolve("repos"), disk)
            .push("sentiment", new VersionDraft("alice", "1", List.of(file), Map.of()))
            .version();

    ModelRepository reopened =
        ModelRepository.onDisk(root.resolve("repos"), new FileContentStore(root.resolve("store")));
    assertThat(reopened.resolve("sentiment@1")).isEqualTo(pushed);
    assertThat(reopened.listRepositories())
        .containsExactly(new RepositorySummary("sentiment", "alice", 1, "1"));
  }
}
