package io.vouch.node;

import io.vouch.chain.VouchDeployment;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.VerificationLevel;
import io.vouch.hub.http.HubClient;
import io.vouch.onnx.OnnxModelFile;
import java.math.BigInteger;
import java.net.URI;

/**
 * Publishes a model the way a user does — its bytes to the model hub, then version 1 in the
 * ModelRegistry with the file's CID and schema hash — for node tests that need one on chain.
 */
public final class TestModelPublisher {
  private TestModelPublisher() {}

  /**
   * Publishes a ZK-enabled model (VANILLA and ZKML): the ONNX file and its compiled ZK model file
   * in one hub version, then the registry entry with the ZK model's id; returns the registry model
   * id.
   */
  public static io.vouch.core.Bytes32 publishZk(
      VouchDeployment deployment, TransactionSender publisher, URI hub, String name, byte[] onnx)
      throws Exception {
    OnnxModelFile file = OnnxModelFile.parse(onnx);
    io.vouch.zk.mlp.ZkCompiler.Compiled compiled =
        io.vouch.zk.mlp.ZkCompiler.compile(file, null, 0.9);
    HubClient client = HubClient.of(hub);
    io.vouch.hub.cid.Cid cid = client.pushBlob(onnx);
    byte[] zkFile = compiled.fileBytes();
    io.vouch.hub.cid.Cid zkCid = client.pushBlob(zkFile);
    client.pushVersion(
        name,
        new io.vouch.hub.repo.VersionDraft(
            publisher.address().toHex(),
            "1",
            java.util.List.of(
                new io.vouch.hub.repo.ManifestFile("model.onnx", cid, onnx.length),
                new io.vouch.hub.repo.ManifestFile(
                    io.vouch.zk.mlp.ZkModelFile.HUB_FILE_NAME, zkCid, zkFile.length)),
            new java.util.HashMap<>()));
    var receipt =
        deployment
            .modelRegistry(publisher)
            .publish(
                name,
                BigInteger.ONE,
                cid.toString(),
                file.schema().schemaHash().toArray(),
                compiled.model().modelId().toArray(),
                BigInteger.valueOf(VerificationLevel.VANILLA.bit() | VerificationLevel.ZKML.bit()),
                BigInteger.ZERO)
            .send();
    return io.vouch.core.Bytes32.wrap(
        io.vouch.chain.contracts.ModelRegistry.getModelPublishedEvents(receipt).getFirst().modelId);
  }

  /** The ModelRegistry's default tolerance rule: same argmax and max |Δ| ≤ 1e-4. */
  public static final io.vouch.core.Bytes32 DEFAULT_TOLERANCE =
      io.vouch.core.Bytes32.fromHex("0x0138d1b717" + "00".repeat(27));

  /**
   * Publishes a VANILLA model whose results are drawn for audit at {@code auditRateBps} and
   * compared under the default tolerance rule; returns the registry model id.
   */
  public static io.vouch.core.Bytes32 publishAudited(
      VouchDeployment deployment,
      TransactionSender publisher,
      URI hub,
      String name,
      byte[] onnx,
      int auditRateBps)
      throws Exception {
    String cid = HubClient.of(hub).pushBlob(onnx).toString();
    var receipt =
        deployment
            .modelRegistry(publisher)
            .publish(
                name,
                BigInteger.ONE,
                cid,
                OnnxModelFile.parse(onnx).schema().schemaHash().toArray(),
                new byte[32],
                BigInteger.valueOf(VerificationLevel.VANILLA.bit()),
                BigInteger.ZERO,
                BigInteger.valueOf(auditRateBps),
                DEFAULT_TOLERANCE.toArray())
            .send();
    return io.vouch.core.Bytes32.wrap(
        io.vouch.chain.contracts.ModelRegistry.getModelPublishedEvents(receipt).getFirst().modelId);
  }

  public static void publishVanilla(
      VouchDeployment deployment, TransactionSender publisher, URI hub, String name, byte[] onnx)
      throws Exception {
    String cid = HubClient.of(hub).pushBlob(onnx).toString();
    deployment
        .modelRegistry(publisher)
        .publish(
            name,
            BigInteger.ONE,
            cid,
            OnnxModelFile.parse(onnx).schema().schemaHash().toArray(),
            new byte[32],
            BigInteger.valueOf(VerificationLevel.VANILLA.bit()),
            BigInteger.ZERO)
        .send();
  }
}
