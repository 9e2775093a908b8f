package io.vouch.node.inference;

import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ZKML proofs this node produced, by keccak256 of their bytes (the receipt's evidenceHash), so
 * that anyone holding a receipt — on chain only the hash is posted — can fetch the proof at {@code
 * GET /v1/proofs/{hash}} from the node's registered endpoint and verify it. On disk for a node on
 * chain (proofs must outlive a restart while results can be challenged); a bounded in-memory map
 * otherwise.
 */
public final class ProofStore {
  private static final int IN_MEMORY_LIMIT = 4096;

  private final Path dir;
  private final Map<Bytes32, byte[]> memory =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes32, byte[]> eldest) {
          return size() > IN_MEMORY_LIMIT;
        }
      };

  private ProofStore(Path dir) {
    this.dir = dir;
  }

  public static ProofStore inMemory() {
    return new ProofStore(null);
  }

  public static ProofStore onDisk(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create proof folder " + dir + ": " + e.getMessage(), e);
    }
    return new ProofStore(dir);
  }

  /** Stores {@code proof}; returns its keccak256. */
  public Bytes32 put(byte[] proof) {
    Bytes32 hash = Keccak.hash(proof);
    if (dir == null) {
      synchronized (memory) {
        memory.put(hash, proof.clone());
      }
      return hash;
    }
    Path target = dir.resolve(hash.toHex().substring(2));
    if (Files.exists(target)) {
      return hash;
    }
    try {
      Path tmp = Files.createTempFile(dir, "proof", ".tmp");
      Files.write(tmp, proof);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store proof " + hash + ": " + e.getMessage(), e);
    }
    return hash;
  }

  public Optional<byte[]> get(Bytes32 hash) {
    if (dir == null) {
      synchronized (memory) {
        return Optional.ofNullable(memory.get(hash)).map(byte[]::clone);
      }
    }
    Path file = dir.resolve(hash.toHex().substring(2));
    try {
      return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read proof " + hash + ": " + e.getMessage(), e);
    }
  }
}
