package io.vouch.node.chain;

import io.vouch.chain.VouchDeployment;
import io.vouch.chain.registry.ModelRegistryClient;
import io.vouch.chain.registry.ModelTerms;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.hub.cid.Cid;
import io.vouch.hub.http.HubClient;
import io.vouch.hub.repo.ManifestFile;
import io.vouch.hub.repo.PublishedVersion;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.ModelCatalog;
import io.vouch.node.inference.OnnxModelRunner;
import io.vouch.onnx.EngineOptions;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkModelFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the models published in the ModelRegistry that this node chose to serve: fetches each
 * one's ONNX file from the model hub by CID (hash-checked), checks that its schema hash matches the
 * registry's, loads it, and reports whether the catalog changed so the registration can be updated.
 */
public final class ModelProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(ModelProvisioner.class);

  private final ModelRegistryClient registry;
  private final HubClient hub;
  private final ModelCatalog catalog;
  private final Predicate<String> wanted;
  private final BigInteger priceWei;
  private final Set<VerificationLevel> servable;
  private final Set<Bytes32> refused = new HashSet<>();
  private long seen;

  public ModelProvisioner(
      TransactionSender sender,
      VouchDeployment deployment,
      HubClient hub,
      ModelCatalog catalog,
      Predicate<String> wanted,
      BigInteger priceWei) {
    this(
        sender,
        deployment,
        hub,
        catalog,
        wanted,
        priceWei,
        EnumSet.of(VerificationLevel.VANILLA, VerificationLevel.ZKML));
  }

  /**
   * @param servable the levels this node can run: VANILLA and ZKML (pure Java, always), plus TEE
   *     when it has an enclave; a model is served at the levels it allows among these (ZKML only
   *     when it has a zkModelId and its ZK model file on the hub matches it)
   */
  public ModelProvisioner(
      TransactionSender sender,
      VouchDeployment deployment,
      HubClient hub,
      ModelCatalog catalog,
      Predicate<String> wanted,
      BigInteger priceWei,
      Set<VerificationLevel> servable) {
    this.servable = EnumSet.copyOf(servable);
    this.registry = new ModelRegistryClient(sender, deployment);
    this.hub = hub;
    this.catalog = catalog;
    this.wanted = wanted;
    this.priceWei = priceWei;
  }

  /** Loads models published since the last call; returns true when any was added. */
  public synchronized boolean sync() throws Exception {
    long count = registry.modelCount();
    boolean added = false;
    for (long i = seen; i < count; i++) {
      Bytes32 id = registry.modelAt(i);
      Optional<ModelTerms> terms = registry.terms(id);
      if (terms.isEmpty()) {
        continue; // listed, so published: only a reorg could make it vanish
      }
      ModelTerms m = terms.get();
      String ref = m.ref();
      if (!wanted.test(ref) || refused.contains(id) || catalog.contains(id)) {
        continue;
      }
      try {
        byte[] bytes = hub.fetchBlob(Cid.parse(m.cid()));
        OnnxModelFile onnx = OnnxModelFile.parse(bytes);
        Bytes32 schema = onnx.schema().schemaHash();
        if (!m.schemaHash().equals(schema)) {
          refused.add(id);
          LOG.warn(
              "model {} refused: its schema hash on chain {} differs from the file's {}",
              ref,
              m.schemaHash(),
              schema);
          continue;
        }
        Set<VerificationLevel> levels = EnumSet.noneOf(VerificationLevel.class);
        levels.addAll(m.levels());
        levels.retainAll(servable);
        if (levels.isEmpty()) {
          refused.add(id);
          continue;
        }
        Optional<ZkModel> zk = Optional.empty();
        if (levels.stream().anyMatch(VerificationLevel::carriesProof)) {
          Bytes32 zkModelId = m.zkModelId();
          if (zkModelId.isZero()) {
            // allowed on chain but not ZK-enabled
            levels.removeIf(VerificationLevel::carriesProof);
          } else {
            zk = Optional.of(fetchZkModel(m.name(), m.version(), zkModelId));
          }
        }
        if (levels.isEmpty()) {
          refused.add(id);
          continue;
        }
        catalog.add(
            new LoadedModel(
                id,
                m.name(),
                m.version(),
                m.cid(),
                levels,
                priceWei,
                new OnnxModelRunner(OnnxRuntimeEngine.load(onnx, EngineOptions.DEFAULT)),
                zk));
        LOG.info("serving {} ({}) from {}", ref, id, m.cid());
        added = true;
      } catch (RuntimeException e) {
        refused.add(id);
        LOG.warn("model {} cannot be served: {}", ref, e.getMessage());
      }
    }
    seen = count;
    return added;
  }

  /**
   * The ZK model of a ZK-enabled registry entry: the {@value ZkModelFile#HUB_FILE_NAME} file of the
   * hub version {@code name}/{@code version} (fetched by CID, hash-checked), re-registered, and
   * refused unless its id is the registry's zkModelId — the hub is not trusted for it.
   */
  private ZkModel fetchZkModel(String name, int version, Bytes32 zkModelId) {
    ZkModel zk;
    try {
      PublishedVersion v = hub.showVersion(name, Integer.toString(version));
      ManifestFile file =
          v.manifest().files().stream()
              .filter(f -> f.path().equals(ZkModelFile.HUB_FILE_NAME))
              .findFirst()
              .orElseThrow(() ->
                  new IllegalStateException(
                      "the hub version "
                          + name
                          + "@"
                          + version
                          + " has no "
                          + ZkModelFile.HUB_FILE_NAME
                          + "; push the model with vouch model push --levels ...,zkml"));
      zk = ZkModelFile.load(name + "@" + version + "/" + file.path(), hub.fetchBlob(file.cid()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "fetching the ZK model of " + name + "@" + version + " failed: " + e.getMessage(), e);
    }
    if (!zk.modelId().equals(zkModelId)) {
      throw new IllegalStateException(
          "the hub's ZK model for "
              + name
              + "@"
              + version
              + " registers to "
              + zk.modelId()
              + " but the registry's zkModelId is "
              + zkModelId
              + "; not serving a model whose proofs no client would accept");
    }
    return zk;
  }

  public static Predicate<String> servingAll() {
    return ref -> true;
  }

  public static Predicate<String> serving(List<String> refs) {
    Set<String> set = Set.copyOf(refs);
    return set::contains;
  }
}
