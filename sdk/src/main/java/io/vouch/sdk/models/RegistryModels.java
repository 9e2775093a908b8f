package io.vouch.sdk.models;

import io.vouch.chain.VouchContracts;
import io.vouch.chain.registry.LevelMask;
import io.vouch.chain.registry.ModelRegistryClient;
import io.vouch.chain.registry.ModelRegistryError;
import io.vouch.chain.registry.ModelTerms;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.ModelId;
import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.hub.cid.Cid;
import io.vouch.hub.http.HubClient;
import io.vouch.hub.http.HubHttpException;
import io.vouch.hub.repo.ManifestFile;
import io.vouch.hub.repo.VersionDraft;
import io.vouch.sdk.ModelNameOwnedException;
import io.vouch.sdk.ModelVersionExistsException;
import io.vouch.sdk.VouchClientException;
import io.vouch.sdk.chain.ChainCalls;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link ModelsApi} over the ModelRegistry contract and the model hub. */
public final class RegistryModels implements ModelsApi {
  /** The file name a model's ONNX file has in its hub version. */
  public static final String MODEL_FILE = "model.onnx";

  /**
   * The file name of a ZK-enabled model's {@link ZkModelFile} in the same hub version. Nodes and
   * clients find it through the hub version named like the registry entry ({@code name}, version
   * {@code N}); its id is checked against the registry's {@code zkModelId}, so the hub is not
   * trusted. The manifest's metadata also records its CID as {@code zkModelCid}.
   */
  public static final String ZK_MODEL_FILE = ZkModelFile.HUB_FILE_NAME;

  private final VouchContracts contracts;
  private final Optional<HubClient> hub;

  public RegistryModels(VouchContracts contracts, Optional<HubClient> hub) {
    this.contracts = contracts;
    this.hub = hub;
  }

  @Override
  public PublishedModel push(Path onnxFile, PushRequest request) {
    if (request.levels().stream().anyMatch(VerificationLevel::carriesProof)) {
      throw new VouchClientException(
          ErrorCode.BAD_INPUT,
          "a model that allows ZKML needs its ZK model file: push(onnx, request, zkModelFile), or"
              + " vouch model push --levels ...,zkml which compiles it");
    }
    return push(onnxFile, request, null);
  }

  @Override
  public PublishedModel push(Path onnxFile, PushRequest request, byte[] zkModelFile) {
    if (zkModelFile != null) {
      checkZkModelFile(zkModelFile, request);
    }
    ChainCalls.requireKey(contracts, "publish a model");
    ModelRegistryClient registry = contracts.modelRegistry();
    Address me = contracts.self().orElseThrow();
    HubClient hubClient =
        hub.orElseThrow(() ->
            new VouchClientException(
                ErrorCode.BAD_INPUT,
                "pushing a model needs a hub; give VouchConfig at least one hub URL"));
    if (!Files.isRegularFile(onnxFile)) {
      throw new VouchClientException(
          ErrorCode.BAD_INPUT, "model file " + onnxFile + " does not exist or is not a file");
    }
    // 1. Check on chain before anything moves, so the common mistakes cost nothing.
    refuseIfNotPublishable(request, me);
    // 2. The bytes to the hub: content addressed, so pushing twice is harmless.
    Cid cid;
    try {
      cid = hubClient.pushBlob(onnxFile);
      List<ManifestFile> files = new ArrayList<>();
      files.add(new ManifestFile(MODEL_FILE, cid, Files.size(onnxFile)));
      Map<String, String> metadata = hubMetadata(request);
      if (zkModelFile != null) {
        Cid zkCid = hubClient.pushBlob(zkModelFile);
        files.add(new ManifestFile(ZK_MODEL_FILE, zkCid, zkModelFile.length));
        metadata.put("zkModelCid", zkCid.toString());
      }
      hubClient.pushVersion(
          request.name(),
          new VersionDraft(me.toHex(), Integer.toString(request.version()), files, metadata));
    } catch (HubHttpException e) {
      throw new VouchClientException(
          e.status() == 409 || e.status() == 403 ? ErrorCode.BAD_INPUT : ErrorCode.INTERNAL,
          "the hub refused "
              + request.ref()
              + " ("
              + e.status()
              + "): "
              + e.getMessage()
              + "; nothing was published on chain",
          e);
    } catch (IOException e) {
      throw new VouchClientException(
          ErrorCode.INTERNAL,
          "pushing "
              + onnxFile
              + " to the hub "
              + hubClient.peers().getFirst()
              + " failed: "
              + e.getMessage()
              + "; nothing was published on chain, retry when the hub is reachable",
          e);
    }
    // 3. The commit point.
    ModelRegistryClient.Published published;
    try {
      published =
          ChainCalls.call(
              "publishing " + request.ref(),
              () ->
                  registry.publish(
                      new ModelRegistryClient.Publication(
                          request.name(),
                          request.version(),
                          cid.toString(),
                          request.schemaHash(),
                          request.zkModelId(),
                          request.levels(),
                          request.feeWei(),
                          request
                              .audit()
                              .map(a ->
                                  new ModelRegistryClient.AuditTerms(
                                      a.rateBps(), a.tolerance().encode())))));
    } catch (ContractRevertException e) {
      throw translatePublishRevert(e, request, me);
    }
    return read(published.modelId()).orElseThrow().withTx(published.transactionHash());
  }

  private static void checkZkModelFile(byte[] zkModelFile, PushRequest request) {
    ZkModel zk;
    try {
      zk = ZkModelFile.load("the ZK model file of " + request.ref(), zkModelFile);
    } catch (IllegalArgumentException e) {
      throw new VouchClientException(
          ErrorCode.BAD_INPUT, e.getMessage() + "; compile it again with vouch zk compile", e);
    }
    if (!zk.modelId().equals(request.zkModelId())) {
      throw new VouchClientException(
          ErrorCode.BAD_INPUT,
          "the ZK model file registers to "
              + zk.modelId()
              + " but the request publishes zkModelId "
              + request.zkModelId()
              + "; pass the id the file registers to");
    }
  }

  private void refuseIfNotPublishable(PushRequest request, Address me) {
    Address owner =
        ChainCalls.call(
            "reading the owner of " + request.name(),
            () -> contracts.modelRegistry().ownerOfName(request.name()));
    if (!owner.equals(Address.ZERO) && !owner.equals(me)) {
      throw new ModelNameOwnedException(request.name(), owner, me);
    }
    if (read(ModelId.of(request.name(), request.version())).isPresent()) {
      throw new ModelVersionExistsException(
          request.name(), request.version(), latestVersion(request.name()));
    }
  }

  private RuntimeException translatePublishRevert(
      ContractRevertException e, PushRequest request, Address me) {
    // A race with another publisher between our check and our transaction.
    if (ModelRegistryError.NOT_NAME_OWNER.matches(e)) {
      return new ModelNameOwnedException(
          request.name(), Address.fromHex(e.argument("owner").toString()), me);
    }
    if (ModelRegistryError.VERSION_ALREADY_PUBLISHED.matches(e)) {
      return new ModelVersionExistsException(
          request.name(), request.version(), latestVersion(request.name()));
    }
    return new VouchClientException(
        ErrorCode.CHAIN_ERROR,
        "the ModelRegistry refused " + request.ref() + ": " + e.getMessage(),
        e);
  }

  private static Map<String, String> hubMetadata(PushRequest r) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("schemaHash", r.schemaHash().toHex());
    m.put("zkModelId", r.zkModelId().toHex());
    m.put("levels", Integer.toString(VerificationLevel.mask(r.levels())));
    m.put("feeWei", r.feeWei().toString());
    return m;
  }

  @Override
  public List<PublishedModel> list() {
    ModelRegistryClient view = contracts.modelRegistry();
    long count = ChainCalls.call("counting models", view::modelCount);
    Map<Bytes32, String> txs = publishTransactions();
    List<PublishedModel> out = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      long index = i;
      Bytes32 id = ChainCalls.call("reading model " + index, () -> view.modelAt(index));
      read(id).ifPresent(m -> out.add(txs.containsKey(id) ? m.withTx(txs.get(id)) : m));
    }
    return out;
  }

  @Override
  public PublishedModel show(String modelRef) {
    Bytes32 id = resolveId(modelRef);
    PublishedModel m =
        read(id)
            .orElseThrow(() ->
                new VouchClientException(
                    ErrorCode.UNKNOWN_MODEL,
                    "no model '"
                        + modelRef
                        + "' is published on chain "
                        + contracts.deployment().chainId()
                        + "; 'vouch model list' shows what is"));
    String tx = publishTransactions().get(id);
    return tx == null ? m : m.withTx(tx);
  }

  @Override
  public void fetchModelFile(PublishedModel model, Path target) {
    HubClient client =
        hub.orElseThrow(() ->
            new VouchClientException(
                ErrorCode.BAD_INPUT,
                "fetching the model file of "
                    + model.ref()
                    + " needs a model hub; give VouchConfig a hub URL (the CLI: --model-hub)"));
    Cid cid;
    try {
      cid = Cid.parse(model.cid());
    } catch (IllegalArgumentException e) {
      throw new VouchClientException(
          ErrorCode.INVALID_MODEL,
          "the registry records '"
              + model.cid()
              + "' as the CID of "
              + model.ref()
              + ": "
              + e.getMessage(),
          e);
    }
    try {
      client.fetchBlob(cid, target);
    } catch (IOException e) {
      throw new VouchClientException(
          ErrorCode.NODE_UNAVAILABLE,
          "fetching the model file of "
              + model.ref()
              + " ("
              + cid
              + ") from the hub failed: "
              + e.getMessage()
              + "; retry when the hub is reachable",
          e);
    }
  }

  /** The registry entry of {@code modelRef} without the log lookup (the inference paths). */
  public PublishedModel terms(String modelRef) {
    Bytes32 id = resolveId(modelRef);
    return read(id)
        .orElseThrow(() ->
            new VouchClientException(
                ErrorCode.UNKNOWN_MODEL,
                "no model '" + modelRef + "' is published; 'vouch model list' shows what is"));
  }

  private Bytes32 resolveId(String modelRef) {
    String ref = modelRef.trim();
    if (ref.startsWith("0x") && ref.length() == 66) {
      return Bytes32.fromHex(ref);
    }
    if (ref.contains("@")) {
      try {
        return ModelId.ofRef(ref);
      } catch (IllegalArgumentException e) {
        throw new VouchClientException(ErrorCode.BAD_INPUT, e.getMessage());
      }
    }
    int latest = latestVersion(ref);
    if (latest == 0) {
      throw new VouchClientException(
          ErrorCode.UNKNOWN_MODEL,
          "no model named '" + ref + "' is published; 'vouch model list' shows what is");
    }
    return ModelId.of(ref, latest);
  }

  private int latestVersion(String name) {
    return ChainCalls.call(
        "reading the latest version of " + name,
        () -> contracts.modelRegistry().latestVersion(name));
  }

  /**
   * The audit rate, in basis points, the registry gives a version pushed without its own audit
   * terms.
   */
  @Override
  public int defaultAuditRateBps() {
    return ChainCalls.call(
        "reading the registry's default audit rate",
        () -> contracts.modelRegistry().defaultAuditRateBps());
  }

  /** The registry entry, or empty when the id is unknown. */
  public Optional<PublishedModel> read(Bytes32 id) {
    Optional<ModelTerms> terms =
        ChainCalls.call("reading model " + id, () -> contracts.modelRegistry().terms(id));
    return terms.map(m ->
        new PublishedModel(
            id,
            m.name(),
            m.version(),
            m.cid(),
            m.levels(),
            m.feeWei(),
            m.owner(),
            m.schemaHash(),
            m.zkModelId(),
            m.challengeWindowSeconds(),
            m.publishedAt(),
            m.auditRateBps(),
            m.tolerance(),
            Optional.empty()));
  }

  /** Levels from the on-chain bit mask ({@link LevelMask#levels}). */
  public static Set<VerificationLevel> levelsOf(int mask) {
    return LevelMask.levels(mask);
  }

  /**
   * Model id → publishing transaction, from the registry's ModelPublished logs. Empty when the
   * endpoint refuses the range (some public RPCs cap eth_getLogs): the hashes are a convenience.
   */
  private Map<Bytes32, String> publishTransactions() {
    return contracts.modelRegistry().publishTransactions();
  }
}
