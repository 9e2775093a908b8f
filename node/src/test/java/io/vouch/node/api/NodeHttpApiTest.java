package io.vouch.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.json.ReceiptJson;
import io.vouch.core.json.TensorJson;
import io.vouch.core.tensor.Tensor;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.OnnxModelRunner;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.build.TestModels;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The node's HTTP API over real loopback HTTP, running a real model in ONNX Runtime. */
class NodeHttpApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Secp256k1.KeyPair NODE_KEY =
      Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("node-http-api-test"));
  static final Address HUB = Address.fromHex("0x00000000000000000000000000000000000000aa");
  static final Bytes32 MODEL_ID = Keccak.hash("mlp@1");
  static final int IN = 16;

  static NodeApp node;
  static OnnxRuntimeEngine reference;
  static HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startNode() throws Exception {
    byte[] onnx = TestModels.randomMlpOnnx(42, IN, 8, 3);
    reference = OnnxRuntimeEngine.load(onnx);
    NodeConfig config =
        new NodeConfig("127.0.0.1", 0, NODE_KEY, 31337, HUB, 1000, 1 << 20, BigInteger.TEN);
    node =
        new NodeApp(
            config,
            Clock.systemUTC(),
            io.vouch.node.inference.ReceiptSigner.SequenceStore.inMemory());
    node.load(
        new LoadedModel(
            MODEL_ID,
            "mlp",
            1,
            "bafkreitest",
            Set.of(VerificationLevel.VANILLA),
            BigInteger.TEN,
            new OnnxModelRunner(OnnxRuntimeEngine.load(onnx))));
    node.start();
  }

  @AfterAll
  static void stopNode() {
    node.stop();
    reference.close();
  }

  static float[] input(float base) {
    float[] x = new float[IN];
    for (int i = 0; i < IN; i++) {
      x[i] = base + i * 0.1f;
    }
    return x;
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String inferBody(String model, Tensor t) {
    return "{\"model\":\""
        + model
        + "\",\"input\":{\"canonical\":\""
        + Base64.getEncoder().encodeToString(t.canonicalBytes())
        + "\"}}";
  }

  @Test
  void inferReturnsOnnxRuntimesOutputWithAReceiptSignedByTheNode() throws Exception {
    Tensor x = Tensor.ofFloats(new int[] {1, IN}, input(0.5f));

    HttpResponse<String> resp = post("/v1/infer", inferBody("mlp@1", x));

    assertThat(resp.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(resp.body());
    Tensor output = TensorJson.fromJson(body.get("output"));
    assertThat(output).isEqualTo(reference.run(x));
    SignedReceipt receipt = ReceiptJson.fromJson(body.get("receipt"));
    assertThat(receipt.receipt().inputHash()).isEqualTo(x.hash());
    assertThat(receipt.receipt().outputHash()).isEqualTo(output.hash());
    assertThat(receipt.receipt().modelId()).isEqualTo(MODEL_ID);
    assertThat(receipt.signer(Eip712Domain.of(31337, HUB))).isEqualTo(NODE_KEY.address());
  }

  @Test
  void clientChosenRequestIdIsBoundIntoTheReceipt() throws Exception {
    Tensor x = Tensor.ofFloats(new int[] {1, IN}, input(1f));
    Bytes32 id = Keccak.hash("my-request");
    String body = inferBody(MODEL_ID.toHex(), x).replace("}}", "},\"requestId\":\"" + id + "\"}");

    JsonNode resp = JSON.readTree(post("/v1/infer", body).body());

    assertThat(ReceiptJson.fromJson(resp.get("receipt")).receipt().requestId()).isEqualTo(id);
  }

  @Test
  void receiptSequenceNumbersStrictlyIncrease() throws Exception {
    Tensor x = Tensor.ofFloats(new int[] {1, IN}, input(2f));
    long a =
        JSON.readTree(post("/v1/infer", inferBody("mlp@1", x)).body())
            .at("/receipt/sequence")
            .asLong();
    long b =
        JSON.readTree(post("/v1/infer", inferBody("mlp@1", x)).body())
            .at("/receipt/sequence")
            .asLong();

    assertThat(b).isGreaterThan(a);
  }

  @Test
  void wrongShapeIsRefusedNamingTheExpectedShape() throws Exception {
    Tensor x = Tensor.ofFloats(new int[] {1, IN - 1}, new float[IN - 1]);

    HttpResponse<String> resp = post("/v1/infer", inferBody("mlp@1", x));

    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(resp.body()).get("error").asText()).isEqualTo("BAD_INPUT");
    assertThat(resp.body()).contains(String.valueOf(IN));
  }

  @Test
  void wrongDtypeIsRefused() throws Exception {
    Tensor x = Tensor.ofInts(new int[] {1, IN}, new int[IN]);

    HttpResponse<String> resp = post("/v1/infer", inferBody("mlp@1", x));

    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(resp.body()).contains("int32").contains("float32");
  }

  @Test
  void nanInputIsRefusedNamingTheElement() throws Exception {
    float[] v = input(0);
    v[5] = Float.NaN;

    HttpResponse<String> resp =
        post("/v1/infer", inferBody("mlp@1", Tensor.ofFloats(new int[] {1, IN}, v)));

    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(resp.body()).contains("element 5").contains("finite");
  }

  @Test
  void unknownModelIs404AndSaysWhereToLook() throws Exception {
    Tensor x = Tensor.ofFloats(new int[] {1, IN}, input(0));

    HttpResponse<String> resp = post("/v1/infer", inferBody("nope@3", x));

    assertThat(resp.statusCode()).isEqualTo(404);
    assertThat(resp.body()).contains("UNKNOWN_MODEL").contains("/v1/models");
  }

  @Test
  void oversizeInputIs413() throws Exception {
    Tensor x = Tensor.ofFloats(new int[] {1, 2000}, new float[2000]);

    HttpResponse<String> resp = post("/v1/infer", inferBody("mlp@1", x));

    assertThat(resp.statusCode()).isEqualTo(413);
    assertThat(resp.body()).contains("at most 1000");
  }

  @Test
  void levelTheModelDoesNotAllowIsRefused() throws Exception {
    Tensor x = Tensor.ofFloats(new int[] {1, IN}, input(0));
    String body = inferBody("mlp@1", x).replace("}}", "},\"level\":\"zkml\"}");

    HttpResponse<String> resp = post("/v1/infer", body);

    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(resp.body()).contains("UNSUPPORTED_LEVEL");
  }

  @Test
  void malformedJsonIsRefused() throws Exception {
    HttpResponse<String> resp = post("/v1/infer", "{\"model\": ");

    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(resp.body()).contains("not JSON");
  }

  @Test
  void getOnInferIsMethodNotAllowed() throws Exception {
    assertThat(get("/v1/infer").statusCode()).isEqualTo(405);
  }

  @Test
  void modelsHealthMetricsAndOpenApiAreServed() throws Exception {
    post("/v1/infer", inferBody("mlp@1", Tensor.ofFloats(new int[] {1, IN}, input(3f))));

    JsonNode models = JSON.readTree(get("/v1/models").body());
    assertThat(models.at("/models/0/modelId").asText()).isEqualTo(MODEL_ID.toHex());
    JsonNode health = JSON.readTree(get("/health").body());
    assertThat(health.get("node").asText()).isEqualTo(NODE_KEY.address().toHex());
    String metrics = get("/metrics").body();
    assertThat(metrics).contains("vouch_inference_requests_total{outcome=\"ok\"}");
    assertThat(metrics).contains("vouch_inference_latency_seconds_count");
    JsonNode openapi = JSON.readTree(get("/openapi.json").body());
    assertThat(openapi.at("/paths/~1v1~1infer/post")).isNotNull();
    assertThat(openapi.get("openapi").asText()).startsWith("3.");
  }
}
