package io.vouch.node.inference;

import io.vouch.core.Bytes32;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The models loaded on this node, by model id and by {@code name@version}. */
public final class ModelCatalog implements AutoCloseable {
  private final Map<Bytes32, LoadedModel> byId = new ConcurrentHashMap<>();
  private final Map<String, LoadedModel> byRef = new ConcurrentHashMap<>();
  private final AtomicLong version = new AtomicLong();

  public void add(LoadedModel model) {
    LoadedModel previous = byId.putIfAbsent(model.modelId(), model);
    if (previous != null) {
      throw new IllegalStateException("model " + model.modelId() + " is already loaded");
    }
    byRef.put(model.ref(), model);
    version.incrementAndGet();
  }

  /** Changes each time a model is added or the catalog is cleared: for values derived from it. */
  public long version() {
    return version.get();
  }

  /** Finds a model by {@code 0x…} id or {@code name@version}. */
  public LoadedModel resolve(String idOrRef) {
    LoadedModel m;
    if (idOrRef.startsWith("0x") && idOrRef.length() == 66) {
      m = byId.get(Bytes32.fromHex(idOrRef));
    } else {
      m = byRef.get(idOrRef);
    }
    if (m == null) {
      throw new VouchException(
          ErrorCode.UNKNOWN_MODEL,
          "model '"
              + idOrRef
              + "' is not served by this node; GET /v1/models lists what it serves"
              + (idOrRef.contains("@") || idOrRef.startsWith("0x") ? "" : " (use name@version)"));
    }
    return m;
  }

  public boolean contains(Bytes32 modelId) {
    return byId.containsKey(modelId);
  }

  public Collection<LoadedModel> all() {
    return List.copyOf(byId.values());
  }

  @Override
  public void close() {
    byId.values().forEach(m -> m.runner().close());
    byId.clear();
    byRef.clear();
    version.incrementAndGet();
  }
}
