package io.vouch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.onnx.ModelSignature;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.sdk.VouchClient;
import io.vouch.sdk.models.PublishedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * What a published model takes and gives — input and output names, dtypes, shapes, class labels —
 * for {@code model show}, the input check of {@code infer} and the label names it prints.
 *
 * <p>Where it comes from (the decision, README "See what a model takes and gives"): the ONNX file
 * itself, fetched from the model hub by the CID the ModelRegistry records (hash-checked by the hub
 * client) and parsed with onnx's {@link OnnxModelFile} (no ONNX Runtime). Its schema must hash to
 * the registry's {@code schemaHash}, as nodes also check before they serve a model; the class
 * labels are the file's {@code vouch.labels} metadata, so the on-chain CID covers them like the
 * weights. No side file in the hub: nothing on chain would commit to it, and every model ever
 * published has its ONNX file. The SDK cannot parse ONNX (layering), so this lives in the CLI.
 *
 * <p>The signature (a few hundred bytes) is cached per CID in {@code $VOUCH_CACHE_DIR}, else {@code
 * $XDG_CACHE_HOME/vouch}, else {@code ~/.cache/vouch}: a CID names one file forever, so the model
 * is fetched once per machine, and {@code model push} fills the cache for what it pushes. A cached
 * entry is used only when its schema hash is the registry's.
 */
public final class PublishedSignatures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PublishedSignatures() {}

  /** A signature, or why there is none. */
  public record Lookup(Optional<ModelSignature> signature, String unavailableBecause) {
    public static Lookup of(ModelSignature s) {
      return found(s);
    }

    static Lookup found(ModelSignature s) {
      return new Lookup(Optional.of(s), "");
    }

    static Lookup unavailable(String why) {
      return new Lookup(Optional.empty(), why);
    }
  }

  /**
   * The signature of {@code m}: from the cache, else from its ONNX file on the hub.
   *
   * @return empty with the reason when no hub is configured or none could serve the file
   * @throws VouchException INVALID_MODEL when the file's schema does not hash to the registry's
   */
  public static Lookup of(VouchClient vouch, PublishedModel m) {
    Optional<ModelSignature> cached = cached(m);
    if (cached.isPresent()) {
      return Lookup.found(cached.get());
    }
    Path tmp = null;
    try {
      tmp = Files.createTempFile("vouch-model-", ".onnx");
      try {
        vouch.models().fetchModelFile(m, tmp);
      } catch (VouchException e) {
        return Lookup.unavailable(
            e.code() == ErrorCode.BAD_INPUT
                ? "no model hub to fetch the model file from; give --model-hub URL"
                : Failure.clean(e.getMessage()));
      }
      OnnxModelFile file;
      try {
        file = OnnxModelFile.read(tmp);
      } catch (RuntimeException e) {
        throw new VouchException(
            ErrorCode.INVALID_MODEL,
            "the model file of "
                + m.ref()
                + " ("
                + m.cid()
                + ") is not a model Vouch reads: "
                + Failure.clean(e.getMessage()));
      }
      ModelSignature s = ModelSignature.of(file);
      if (!s.schema().schemaHash().equals(m.schemaHash())) {
        throw new VouchException(
            ErrorCode.INVALID_MODEL,
            "the model file of "
                + m.ref()
                + " has schema hash "
                + s.schema().schemaHash()
                + " but the registry records "
                + m.schemaHash()
                + "; it was published with a wrong schema hash, and nodes refuse to serve it."
                + " Its file takes "
                + s.schema().describeInputs());
      }
      remember(m.cid(), s);
      return Lookup.found(s);
    } catch (IOException e) {
      return Lookup.unavailable("cannot write a temporary file: " + e.getMessage());
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // A leftover temporary file is harmless.
        }
      }
    }
  }

  /** Caches the signature of the file with content id {@code cid}; failures are ignored. */
  public static void remember(String cid, ModelSignature s) {
    try {
      Path file = entry(cid);
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".sig-", ".tmp");
      Files.writeString(tmp, s.toJson().toString());
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      // The cache only saves a fetch; without it the next call fetches again.
    }
  }

  private static Optional<ModelSignature> cached(PublishedModel m) {
    try {
      Path file = entry(m.cid());
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      ModelSignature s = ModelSignature.fromJson(JSON.readTree(file.toFile()));
      return s.schema().schemaHash().equals(m.schemaHash()) ? Optional.of(s) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // unreadable: fetch again
    }
  }

  private static Path entry(String cid) {
    if (!cid.matches("[a-z0-9]+")) {
      throw new IllegalArgumentException("not a CID: " + cid);
    }
    return cacheDir(System.getenv()).resolve("signatures").resolve(cid + ".json");
  }

  /**
   * The system property {@code vouch.cache.dir} (the build's tests set it), else {@code
   * $VOUCH_CACHE_DIR}, else {@code $XDG_CACHE_HOME/vouch}, else {@code ~/.cache/vouch}.
   */
  static Path cacheDir(Map<String, String> env) {
    String property = System.getProperty("vouch.cache.dir");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String own = env.get("VOUCH_CACHE_DIR");
    if (own != null && !own.isBlank()) {
      return Path.of(own);
    }
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "vouch");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "vouch");
  }
}
