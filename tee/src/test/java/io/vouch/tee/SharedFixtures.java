package io.vouch.tee;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Genuine attestation documents from {@code ../shared/fixtures/tee} (read in place, never copied
 * into the repository). Tests that need them are skipped, with a message, when the folder is
 * absent.
 */
public final class SharedFixtures {
  private SharedFixtures() {}

  /** The shared folder: system property {@code vouch.shared}, else {@code vouch.root}/../shared. */
  public static Path shared() {
    String shared = System.getProperty("vouch.shared");
    if (shared != null) {
      return Path.of(shared);
    }
    String root = System.getProperty("vouch.root");
    return root != null ? Path.of(root).resolve("../shared") : Path.of("../../shared");
  }

  public static Path tee() {
    Path tee = shared().resolve("fixtures/tee");
    assumeTrue(
        Files.isDirectory(tee.resolve("nitro")),
        "TEE fixtures not found at "
            + tee.toAbsolutePath().normalize()
            + "; set -Dvouch.shared=/path/to/shared to run the tests on genuine documents");
    return tee;
  }

  public static Path awsRootPem() {
    return tee().resolve("roots/aws-nitro-root.pem");
  }

  public static Path nitro(String name) {
    return tee().resolve("nitro").resolve(name);
  }

  public static byte[] read(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** File names of every genuine Nitro document, for {@code @MethodSource}. */
  public static List<String> nitroDocuments() {
    Path dir = shared().resolve("fixtures/tee/nitro");
    if (!Files.isDirectory(dir)) {
      // An empty source would fail the parameterized test; one name lets tee() skip it.
      return List.of("<fixtures absent>");
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".cose"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The debug-mode documents, as MANIFEST.md lists them. */
  public static List<String> debugDocuments() {
    return List.of(
        "evervault-2022-10-12-debug.cose",
        "evervault-2023-09-18-debug.cose",
        "anjuna-2024-01-24-debug-full.cose",
        "uid2-2021-04-26-debug.cose");
  }

  public static List<String> productionDocuments() {
    return List.of(
        "evervault-2022-10-13-prod.cose",
        "anjuna-2021-03-17-prod.cose",
        "anjuna-2021-03-24-prod-pubkey.cose",
        "base-2026-01-03-prod-indefinite-map.cose");
  }
}
