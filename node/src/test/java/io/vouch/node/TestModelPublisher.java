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
