package io.vouch.sdk.models;

import io.vouch.core.Bytes32;
import io.vouch.core.error.ErrorCode;
import io.vouch.evidence.ZkModelDirectory;
import io.vouch.hub.http.HubClient;
import io.vouch.hub.repo.ManifestFile;
import io.vouch.hub.repo.PublishedVersion;
import io.vouch.sdk.VouchClientException;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkModelFile;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ZK models from the model hub, trusted only through the registry: the {@value
 * RegistryModels#ZK_MODEL_FILE} of the hub version named like the registry entry is fetched by CID
 * (hash-checked), re-registered (which recomputes its id from the weights), and accepted only if
 * that id is the entry's on-chain zkModelId. Registered models are cached by zkModelId: a ZK model
 * id commits to everything, so a cached model can never be the wrong one.
 */
public final class HubZkModels implements ZkModelDirectory {
  private final RegistryModels registry;
  private final Optional<HubClient> hub;
  private final Map<Bytes32, ZkModel> cache = new ConcurrentHashMap<>();

  public HubZkModels(RegistryModels registry, Optional<HubClient> hub) {
    this.registry = registry;
    this.hub = hub;
  }

  @Override
  public ZkModel zkModel(Bytes32 modelId) {
    PublishedModel m =
        registry
            .read(modelId)
            .orElseThrow(() -> fail("model " + modelId + " is not published on chain"));
    if (m.zkModelId().isZero()) {
      throw fail(
          "model " + m.ref() + " has no zkModelId on chain, so no ZKML result of it can be valid");
    }
    ZkModel cached = cache.get(m.zkModelId());
    if (cached != null) {
      return cached;
    }
    HubClient client =
        hub.orElseThrow(() ->
            fail(
                "verifying a ZKML result needs the model's ZK model file from a hub; give"
                    + " VouchConfig a hub URL"));
    ZkModel zk;
    try {
      PublishedVersion v = client.showVersion(m.name(), Integer.toString(m.version()));
      ManifestFile file =
          v.manifest().files().stream()
              .filter(f -> f.path().equals(RegistryModels.ZK_MODEL_FILE))
              .findFirst()
              .orElseThrow(() ->
                  fail(
                      "the hub version of "
                          + m.ref()
                          + " has no "
                          + RegistryModels.ZK_MODEL_FILE
                          + "; the publisher must push it with --levels ...,zkml"));
      zk = ZkModelFile.load(m.ref() + "/" + file.path(), client.fetchBlob(file.cid()));
    } catch (IOException e) {
      throw new VouchClientException(
          ErrorCode.NODE_UNAVAILABLE,
          "fetching the ZK model of "
              + m.ref()
              + " from the hub failed: "
              + e.getMessage()
              + "; retry when the hub is reachable",
          e);
    } catch (IllegalArgumentException e) {
      throw fail("the hub's ZK model file of " + m.ref() + " is unusable: " + e.getMessage());
    }
    if (!zk.modelId().equals(m.zkModelId())) {
      throw fail(
          "the hub's ZK model of "
              + m.ref()
              + " registers to "
              + zk.modelId()
              + ", not the registry's zkModelId "
              + m.zkModelId());
    }
    cache.put(zk.modelId(), zk);
    return zk;
  }

  private static VouchClientException fail(String message) {
    return new VouchClientException(ErrorCode.VERIFICATION_FAILED, message);
  }
}
