package io.vouch.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.json.ReceiptJson;
import io.vouch.core.json.TensorJson;
import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.Tensor;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.OnnxModelRunner;
import io.vouch.node.inference.ReceiptSigner;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.zk.mlp.ZkCompiler;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkVerifier;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ZKML level of {@code POST /v1/infer}, on a direct-only node over real loopback HTTP. */
class ZkmlHttpApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Secp256k1.KeyPair NODE_KEY =
      Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("node-zkml-api-test"));
  static final Address HUB = Address.fromHex("0x00000000000000000000000000000000000000aa");
  static final int IN = 16;

  static NodeApp node;
  static ZkModel zk;
  static HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startNode() throws Exception {
    byte[] onnx = TestModels.randomMlpOnnx(42, IN, 8, 3);
    zk = ZkCompiler.compile(OnnxModelFile.parse(onnx), null, 0.9).model();
    node =
        new NodeApp(
            new NodeConfig("127.0.0.1", 0, NODE_KEY, 31337, HUB, 1000, 1 << 20, BigInteger.TEN),
            Clock.systemUTC(),
            ReceiptSigner.SequenceStore.inMemory());
    node.load(
        new LoadedModel(
            Keccak.hash("zk@1"),
            "zk",
            1,
            "bafkreitest",
            Set.of(VerificationLevel.VANILLA, VerificationLevel.ZKML),
            BigInteger.TEN,
            new OnnxModelRunner(OnnxRuntimeEngine.load(onnx)),
            Optional.of(zk)));
    node.load(
        new LoadedModel(
            Keccak.hash("plain@1"),
            "plain",
            1,
            "bafkreitest2",
            Set.of(VerificationLevel.VANILLA),
            BigInteger.TEN,
            new OnnxModelRunner(OnnxRuntimeEngine.load(onnx))));
    node.start();
  }

  @AfterAll
  static void stopNode() {
    node.stop();
  }

  static Tensor input() {
    float[] x = new float[IN];
    for (int i = 0; i < IN; i++) {
      x[i] = i / (float) IN;
    }
    return Tensor.ofFloats(new int[] {1, IN}, x);
  }

  static HttpResponse<String> infer(String model, String level, Bytes32 requestId)
      throws Exception {
    String body =
        "{\"model\":\""
            + model
            + "\",\"level\":\""
            + level
            + "\",\"requestId\":\""
            + requestId
            + "\",\"input\":{\"canonical\":\""
            + Base64.getEncoder().encodeToString(input().canonicalBytes())
            + "\"}}";
    return http.send(
        HttpRequest.newBuilder(URI.create(node.baseUrl() + "/v1/infer"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void zkmlReturnsLogitsAndAProofTheReceiptNames() throws Exception {
    Bytes32 requestId = Keccak.hash("zk-request");

    HttpResponse<String> resp = infer("zk@1", "zkml", requestId);

    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(resp.body());
    byte[] proof = Base64.getDecoder().decode(body.get("proof").asText());
    Tensor output = TensorJson.fromJson(body.get("output"));
    SignedReceipt receipt = ReceiptJson.fromJson(body.get("receipt"));
    assertThat(output.dtype()).isEqualTo(DType.INT64);
    assertThat(receipt.receipt().level()).isEqualTo(VerificationLevel.ZKML);
    assertThat(receipt.receipt().evidenceHash()).isEqualTo(Keccak.hash(proof));
    assertThat(receipt.receipt().outputHash()).isEqualTo(output.hash());
    byte[] x = zk.quantizeInput(input().toFloats());
    assertThat(
            ZkVerifier.isValid(zk.verifyingKey(), requestId.toArray(), x, output.toLongs(), proof))
        .isTrue();
  }

  @Test
  void theProofIsServedByItsHashForWhoeverHoldsOnlyTheReceipt() throws Exception {
    JsonNode body = JSON.readTree(infer("zk@1", "zkml", Keccak.hash("by-hash")).body());
    SignedReceipt receipt = ReceiptJson.fromJson(body.get("receipt"));

    HttpResponse<byte[]> served =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        node.baseUrl() + "/v1/proofs/" + receipt.receipt().evidenceHash().toHex()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body()).isEqualTo(Base64.getDecoder().decode(body.get("proof").asText()));
    HttpResponse<String> unknown =
        http.send(
            HttpRequest.newBuilder(URI.create(node.baseUrl() + "/v1/proofs/" + Keccak.hash("none")))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("UNKNOWN_PROOF");
  }

  @Test
  void vanillaOnAZkModelIsUnchanged() throws Exception {
    JsonNode body = JSON.readTree(infer("zk@1", "vanilla", Keccak.hash("v")).body());

    assertThat(body.has("proof")).isFalse();
    assertThat(TensorJson.fromJson(body.get("output")).dtype()).isEqualTo(DType.FLOAT32);
  }

  @Test
  void zkmlOnAModelWithoutAZkModelIsUnsupportedLevel() throws Exception {
    HttpResponse<String> resp = infer("plain@1", "zkml", Keccak.hash("p"));

    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(resp.body()).get("error").asText()).isEqualTo("UNSUPPORTED_LEVEL");
  }
}
