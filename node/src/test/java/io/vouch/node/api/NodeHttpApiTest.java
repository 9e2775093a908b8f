package io.vouch.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.json.ReceiptJson;
import io.vouch.core.json.TensorJson;
import io.vouch.core.tensor.Tensor;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.OnnxModelRunner;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.testmodels.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
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

  // --- numbers from the wire (issue 9.6) ---

  static String inferBodyWithVoucherAmount(String amount) {
    return inferBody("mlp@1", Tensor.ofFloats(new int[] {1, IN}, input(1f)))
        .replace(
            "}}",
            "},\"voucher\":{\"payer\":\""
                + NODE_KEY.address().toHex()
                + "\",\"cumulativeAmount\":\""
                + amount
                + "\",\"signature\":\"0x"
                + "11".repeat(65)
                + "\"}}");
  }

  @Test
  void aVoucherAmountLongerThanAUint256IsRefusedBeforeItIsParsed() throws Exception {
    // 20,000 digits: new BigInteger would parse them before the signature check
    HttpResponse<String> resp = post("/v1/infer", inferBodyWithVoucherAmount("7".repeat(20_000)));

    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(resp.body()).get("message").asText())
        .contains("cumulativeAmount")
        .contains("at most 78 decimal digits");
  }

  @Test
  void aBodyFarLargerThanTheLargestModelInputIsRefusedBeforeItIsRead() throws Exception {
    // 500,000 digits no longer reach the parser: the body exceeds what /v1/infer takes for a model
    // of 16 inputs (batch up to the node's 1,000 elements)
    HttpResponse<String> resp = post("/v1/infer", inferBodyWithVoucherAmount("7".repeat(500_000)));

    assertThat(resp.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(resp.body()).get("error").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    assertThat(JSON.readTree(resp.body()).get("message").asText())
        .contains("bytes that POST /v1/infer accepts");
  }

  @Test
  void theBinaryFormsBodyLimitFollowsTheModelsInputNotTheNodesCap() throws Exception {
    // the node's cap is 1 MiB; the model's largest binary input is 1,000 floats (4 kB), so the
    // limit is the 16 KiB floor
    HttpResponse<byte[]> resp =
        postBinary(new byte[20_000], "Content-Type", TENSOR, "Vouch-Model", "mlp@1");

    assertThat(resp.statusCode()).isEqualTo(413);
    assertThat(text(resp)).contains("exceeds the 16384 bytes that POST /v1/infer accepts");
  }

  @Test
  void aVoucherAmountHeaderLongerThanAUint256IsRefused() throws Exception {
    Tensor x = Tensor.ofFloats(new int[] {1, IN}, input(1f));
    HttpResponse<String> resp =
        http.send(
            HttpRequest.newBuilder(URI.create(node.baseUrl() + "/v1/infer"))
                .header("Content-Type", NodeHttpApi.TENSOR_MEDIA_TYPE)
                .header("Vouch-Model", "mlp@1")
                .header("Vouch-Voucher-Payer", NODE_KEY.address().toHex())
                .header("Vouch-Voucher-Cumulative-Amount", "9".repeat(60_000))
                .header("Vouch-Voucher-Signature", "0x" + "11".repeat(65))
                .POST(HttpRequest.BodyPublishers.ofByteArray(x.canonicalBytes()))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(resp.body()).get("message").asText())
        .contains("Vouch-Voucher-Cumulative-Amount")
        .contains("at most 78 decimal digits");
  }

  @Test
  void aVoucherAmountWithASignOrSpacesIsRefused() throws Exception {
    for (String bad : new String[] {"+5", " 5", "5 ", "-5", "5e3", "0x10"}) {
      HttpResponse<String> resp = post("/v1/infer", inferBodyWithVoucherAmount(bad));
      assertThat(resp.statusCode()).as("cumulativeAmount '%s'", bad).isEqualTo(400);
    }
  }

  // --- the binary form (application/vnd.vouch.tensor) ---

  static final String TENSOR = NodeHttpApi.TENSOR_MEDIA_TYPE;

  static HttpResponse<byte[]> postBinary(byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(node.baseUrl() + "/v1/infer"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static String header(HttpResponse<byte[]> r, String name) {
    return r.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name));
  }

  @Test
  void binaryRequestAcceptingBinaryGetsTheOutputBytesAndAReceiptSignedByTheNode() throws Exception {
    Tensor x = Tensor.ofFloats(new int[] {1, IN}, input(0.25f));
    Bytes32 id = Keccak.hash("binary-request");

    HttpResponse<byte[]> resp =
        postBinary(
            x.canonicalBytes(),
            "Content-Type",
            TENSOR,
            "Accept",
            TENSOR,
            "Vouch-Model",
            "mlp@1",
            "Vouch-Request-Id",
            id.toHex());

    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(header(resp, "Content-Type")).isEqualTo(TENSOR);
    Tensor output = Tensor.fromCanonicalBytes(resp.body());
    assertThat(output).isEqualTo(reference.run(x));
    InferenceReceipt receipt =
        new InferenceReceipt(
            Bytes32.fromHex(header(resp, "Vouch-Request-Id")),
            Bytes32.fromHex(header(resp, "Vouch-Model-Id")),
            Bytes32.fromHex(header(resp, "Vouch-Input-Hash")),
            Bytes32.fromHex(header(resp, "Vouch-Output-Hash")),
            VerificationLevel.parse(header(resp, "Vouch-Level")),
            Bytes32.fromHex(header(resp, "Vouch-Evidence-Hash")),
            Address.fromHex(header(resp, "Vouch-Node")),
            Long.parseLong(header(resp, "Vouch-Timestamp")),
            Long.parseLong(header(resp, "Vouch-Sequence")));
    SignedReceipt signed =
        new SignedReceipt(receipt, Signature.fromHex(header(resp, "Vouch-Signature")));
    Eip712Domain domain =
        Eip712Domain.of(
            Long.parseLong(header(resp, "Vouch-Chain-Id")),
            Address.fromHex(header(resp, "Vouch-Hub")));
    assertThat(domain).isEqualTo(Eip712Domain.of(31337, HUB));
    assertThat(signed.signer(domain)).isEqualTo(NODE_KEY.address());
    assertThat(receipt.requestId()).isEqualTo(id);
    assertThat(receipt.modelId()).isEqualTo(MODEL_ID);
    assertThat(receipt.inputHash()).isEqualTo(x.hash());
    assertThat(receipt.outputHash()).isEqualTo(output.hash());
    assertThat(receipt.level()).isEqualTo(VerificationLevel.VANILLA);
    assertThat(header(resp, "Vouch-Receipt-Digest")).isEqualTo(receipt.digest(domain).toHex());
    assertThat(header(resp, "Vouch-Model")).isEqualTo("mlp@1");
  }

  @Test
  void binaryRequestWithoutAcceptGetsTheJsonAnswer() throws Exception {
    Tensor x = Tensor.ofFloats(new int[] {1, IN}, input(0.75f));

    HttpResponse<byte[]> resp =
        postBinary(x.canonicalBytes(), "Content-Type", TENSOR, "Vouch-Model", MODEL_ID.toHex());

    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(header(resp, "Content-Type")).isEqualTo("application/json");
    JsonNode body = JSON.readTree(resp.body());
    assertThat(TensorJson.fromJson(body.get("output"))).isEqualTo(reference.run(x));
    assertThat(ReceiptJson.fromJson(body.get("receipt")).receipt().inputHash()).isEqualTo(x.hash());
  }

  @Test
  void jsonRequestAcceptingBinaryGetsTheBinaryAnswer() throws Exception {
    Tensor x = Tensor.ofFloats(new int[] {1, IN}, input(1.25f));

    HttpResponse<byte[]> resp =
        postBinary(
            inferBody("mlp@1", x).getBytes(StandardCharsets.UTF_8),
            "Content-Type",
            "application/json; charset=utf-8",
            "Accept",
            "application/json;q=0.5, " + TENSOR);

    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(Tensor.fromCanonicalBytes(resp.body())).isEqualTo(reference.run(x));
    assertThat(header(resp, "Vouch-Input-Hash")).isEqualTo(x.hash().toHex());
  }

  @Test
  void acceptNamingBinaryWithQualityZeroGetsJson() throws Exception {
    Tensor x = Tensor.ofFloats(new int[] {1, IN}, input(1.5f));

    HttpResponse<byte[]> resp =
        postBinary(
            x.canonicalBytes(),
            "Content-Type",
            TENSOR,
            "Accept",
            TENSOR + ";q=0, application/json",
            "Vouch-Model",
            "mlp@1");

    assertThat(header(resp, "Content-Type")).isEqualTo("application/json");
  }

  @Test
  void binaryBodyThatIsNotACanonicalTensorIsRefusedSayingWhatTheEncodingIs() throws Exception {
    byte[] good = Tensor.ofFloats(new int[] {1, IN}, input(0)).canonicalBytes();
    byte[] truncated = Arrays.copyOf(good, good.length - 3);
    byte[] unknownDtype = good.clone();
    unknownDtype[0] = (byte) 0xEE;
    byte[] rankTooHigh = {1, 9};

    for (byte[] body : new byte[][] {truncated, unknownDtype, rankTooHigh, new byte[0]}) {
      HttpResponse<byte[]> resp =
          postBinary(body, "Content-Type", TENSOR, "Accept", TENSOR, "Vouch-Model", "mlp@1");

      assertThat(resp.statusCode()).isEqualTo(400);
      assertThat(header(resp, "Content-Type")).isEqualTo("application/json");
      assertThat(JSON.readTree(resp.body()).get("error").asText()).isEqualTo("BAD_INPUT");
      assertThat(text(resp)).contains("not a canonical tensor encoding");
    }
  }

  @Test
  void binaryRequestWithoutModelHeaderIsRefusedNamingTheHeader() throws Exception {
    byte[] body = Tensor.ofFloats(new int[] {1, IN}, input(0)).canonicalBytes();

    HttpResponse<byte[]> resp = postBinary(body, "Content-Type", TENSOR);

    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(text(resp)).contains("Vouch-Model");
  }

  @Test
  void binaryRequestWithAMalformedRequestIdIsRefused() throws Exception {
    byte[] body = Tensor.ofFloats(new int[] {1, IN}, input(0)).canonicalBytes();

    HttpResponse<byte[]> resp =
        postBinary(
            body, "Content-Type", TENSOR, "Vouch-Model", "mlp@1", "Vouch-Request-Id", "0x1234");

    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(text(resp)).contains("Vouch-Request-Id");
  }

  @Test
  void binaryInputWithTheWrongShapeDtypeOrANanIsRefusedLikeJson() throws Exception {
    float[] nan = input(0);
    nan[3] = Float.NaN;
    Object[][] cases = {
      {Tensor.ofFloats(new int[] {1, IN - 1}, new float[IN - 1]), String.valueOf(IN)},
      {Tensor.ofInts(new int[] {1, IN}, new int[IN]), "int32"},
      {Tensor.ofFloats(new int[] {1, IN}, nan), "element 3"},
    };
    for (Object[] c : cases) {
      HttpResponse<byte[]> resp =
          postBinary(
              ((Tensor) c[0]).canonicalBytes(),
              "Content-Type",
              TENSOR,
              "Accept",
              TENSOR,
              "Vouch-Model",
              "mlp@1");

      assertThat(resp.statusCode()).as(c[1].toString()).isEqualTo(400);
      assertThat(text(resp)).contains("BAD_INPUT").contains((String) c[1]);
    }
  }

  @Test
  void binaryInputWithTooManyElementsIs413() throws Exception {
    byte[] body = Tensor.ofFloats(new int[] {1, 2000}, new float[2000]).canonicalBytes();

    HttpResponse<byte[]> resp = postBinary(body, "Content-Type", TENSOR, "Vouch-Model", "mlp@1");

    assertThat(resp.statusCode()).isEqualTo(413);
    assertThat(text(resp)).contains("at most 1000");
  }

  @Test
  void aBodyLargerThanTheNodeAcceptsIs413() throws Exception {
    HttpResponse<byte[]> resp =
        postBinary(new byte[(1 << 20) + 1], "Content-Type", TENSOR, "Vouch-Model", "mlp@1");

    assertThat(resp.statusCode()).isEqualTo(413);
    assertThat(text(resp)).contains("PAYLOAD_TOO_LARGE");
  }

  @Test
  void anIncompleteVoucherInHeadersIsRefusedNamingTheHeaders() throws Exception {
    byte[] body = Tensor.ofFloats(new int[] {1, IN}, input(0)).canonicalBytes();

    HttpResponse<byte[]> resp =
        postBinary(
            body,
            "Content-Type",
            TENSOR,
            "Vouch-Model",
            "mlp@1",
            "Vouch-Voucher-Payer",
            NODE_KEY.address().toHex());

    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(text(resp))
        .contains("Vouch-Voucher-Cumulative-Amount")
        .contains("Vouch-Voucher-Signature");
  }

  @Test
  void anUnsupportedContentTypeIs415NamingTheAcceptedTypes() throws Exception {
    HttpResponse<byte[]> resp =
        postBinary("model=mlp".getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain");

    assertThat(resp.statusCode()).isEqualTo(415);
    assertThat(JSON.readTree(resp.body()).get("error").asText())
        .isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    assertThat(text(resp)).contains("application/json").contains(TENSOR);
  }

  @Test
  void aCurlStyleRequestExpectingContinueIsServed() throws Exception {
    Tensor x = Tensor.ofFloats(new int[] {1, IN}, input(2.5f));
    byte[] body = inferBody("mlp@1", x).getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket("127.0.0.1", URI.create(node.baseUrl()).getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("POST /v1/infer HTTP/1.1\r\nHost: localhost\r\nUser-Agent: curl/8\r\n"
                      + "Accept: */*\r\nContent-Type: application/json\r\nContent-Length: "
                      + body.length
                      + "\r\nExpect: 100-continue\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      assertThat(head(in)).startsWith("HTTP/1.1 100 ");
      s.getOutputStream().write(body);
      String head = head(in);
      assertThat(head).startsWith("HTTP/1.1 200 ").contains("Content-Type: application/json");
      int i = head.indexOf("Content-Length: ");
      int length = Integer.parseInt(head.substring(i + 16, head.indexOf("\r\n", i)));
      JsonNode answer = JSON.readTree(in.readNBytes(length));
      assertThat(TensorJson.fromJson(answer.get("output"))).isEqualTo(reference.run(x));
    }
  }

  static String head(InputStream in) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int c = in.read();
      assertThat(c).as("connection closed inside a response head").isNotNegative();
      b.write(c);
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void anUnknownPathIs404InJson() throws Exception {
    HttpResponse<String> resp = get("/v2/nothing");

    assertThat(resp.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(resp.body()).get("error").asText()).isEqualTo("NOT_FOUND");
  }

  @Test
  void theOpenApiDescriptionDescribesBothFormsOfInfer() throws Exception {
    JsonNode infer = JSON.readTree(get("/openapi.json").body()).at("/paths/~1v1~1infer/post");

    assertThat(infer.at("/requestBody/content").has("application/json")).isTrue();
    assertThat(infer.at("/requestBody/content").has(TENSOR)).isTrue();
    assertThat(infer.at("/responses/200/content").has(TENSOR)).isTrue();
    assertThat(infer.at("/responses/200/headers").has("Vouch-Signature")).isTrue();
    assertThat(infer.at("/responses").has("415")).isTrue();
    // the server's own refusals (issue 9): deadlines, body limits, head size, connection caps
    for (String status : new String[] {"408", "413", "431", "503"}) {
      assertThat(infer.at("/responses").has(status)).as(status).isTrue();
    }
  }

  @Test
  void servesTheEnclaveManifestsItAttestedByTheirSha256() throws Exception {
    io.vouch.tee.policy.EnclaveManifest m =
        new io.vouch.tee.policy.EnclaveManifest(
            new byte[48], java.util.List.of(MODEL_ID), 31_337, HUB, NODE_KEY.address());
    node.executor().serveEnclaveManifest(m);
    String path =
        io.vouch.core.protocol.NodeProtocol.ENCLAVE_MANIFESTS_PREFIX
            + Bytes32.wrap(m.userData()).toHex();

    HttpResponse<byte[]> served =
        http.send(
            HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type")).hasValue("application/cbor");
    assertThat(io.vouch.tee.policy.EnclaveManifest.decode(served.body())).isEqualTo(m);

    HttpResponse<String> unknown =
        get(
            io.vouch.core.protocol.NodeProtocol.ENCLAVE_MANIFESTS_PREFIX
                + Keccak.hash("no manifest").toHex());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("UNKNOWN_MANIFEST");
    HttpResponse<String> notAHash =
        get(io.vouch.core.protocol.NodeProtocol.ENCLAVE_MANIFESTS_PREFIX + "xyz");
    assertThat(notAHash.statusCode()).isEqualTo(400);
    assertThat(
            JSON.readTree(get("/openapi.json").body())
                .at("/paths/~1v1~1enclave~1manifests~1{sha256}/get")
                .isMissingNode())
        .isFalse();
  }
}
