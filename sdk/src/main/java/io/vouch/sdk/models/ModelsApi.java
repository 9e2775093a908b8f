package io.vouch.sdk.models;

import java.nio.file.Path;
import java.util.List;

/** Publishing and reading models. */
public interface ModelsApi {
  /**
   * Pushes {@code onnxFile} to the hub and publishes it on chain. The name and version are checked
   * on chain first (owner, immutability), then the file goes to the hub (harmless: content
   * addressed, and the hub's version entry is idempotent), and the on-chain publish is the commit
   * point. A push that failed can be retried with the same arguments.
   *
   * @throws io.vouch.sdk.ModelNameOwnedException the name belongs to another key
   * @throws io.vouch.sdk.ModelVersionExistsException the version is already published
   */
  PublishedModel push(Path onnxFile, PushRequest request);

  /**
   * Pushes a ZK-enabled model: as {@link #push(Path, PushRequest)}, plus the ZK model file ({@code
   * io.vouch.zk.mlp.ZkModelFile} bytes, made by {@code ZkCompiler} — the CLI does this) stored in
   * the same hub version as {@value RegistryModels#ZK_MODEL_FILE}. The file must register to {@code
   * request.zkModelId()}, which is checked before anything moves.
   */
  PublishedModel push(Path onnxFile, PushRequest request, byte[] zkModelFile);

  /** Every published model version, in publishing order. */
  List<PublishedModel> list();

  /**
   * The audit rate, in basis points, the registry gives a version pushed without its own {@link
   * AuditTerms}.
   */
  int defaultAuditRateBps();

  /**
   * One model: {@code name@version}, a {@code 0x…} model id, or a bare {@code name} for its latest
   * version.
   *
   * @throws io.vouch.sdk.VouchClientException UNKNOWN_MODEL when there is none
   */
  PublishedModel show(String modelRef);

  /**
   * Fetches the model's ONNX file from the hub by the CID the registry records, hash-checked (the
   * file appears at {@code target} only when its bytes are proven right): what a client reads the
   * model's inputs, outputs and class labels from. The SDK does not parse ONNX (layering: no ONNX
   * Runtime in the SDK); {@code io.vouch.onnx.OnnxModelFile} does, without a runtime, as {@code
   * vouch model show} does.
   *
   * @throws io.vouch.sdk.VouchClientException BAD_INPUT without a hub, NODE_UNAVAILABLE when no hub
   *     could serve it
   */
  void fetchModelFile(PublishedModel model, java.nio.file.Path target);
}
