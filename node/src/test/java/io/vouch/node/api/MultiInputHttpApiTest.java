package io.vouch.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.json.ReceiptJson;
import io.vouch.core.json.TensorJson;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.OnnxModelRunner;
import io.vouch.node.inference.ReceiptSigner;
import io.vouch.node.inference.RecurrentTestModel;
import io.vouch.onnx.OnnxRuntimeEngine;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A model with several named inputs (one an int64 scalar) and several outputs, served over the
 * node's HTTP API in both forms: outputs equal ONNX Runtime's, and the receipt commits to the
 * bundles of named tensors.
 */
class MultiInputHttpApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Secp256k1.KeyPair NODE_KEY = Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("multi"));
  static final Address HUB = Address.fromHex("0x00000000000000000000000000000000000000bb");
  static final Bytes32 MODEL_ID = Keccak.hash("vad@1");
  static NodeApp node;
  static OnnxRuntimeEngine reference;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    byte[] onnx = RecurrentTestModel.onnx();
    reference = OnnxRuntimeEngine.load(onnx);
    node =
        new NodeApp(
            new NodeConfig("127.0.0.1", 0, NODE_KEY, 31337, HUB, 1000, 1 << 20, BigInteger.ZERO),
            Clock.systemUTC(),
            ReceiptSigner.SequenceStore.inMemory());
    node.load(
        new LoadedModel(
            MODEL_ID,
            "vad",
            1,
            "bafkreitest",
            Set.of(VerificationLevel.VANILLA),
            BigInteger.ZERO,
            new OnnxModelRunner(OnnxRuntimeEngine.load(onnx))));
    node.start();
  }

  @AfterAll
  static void stop() {
    node.stop();
    reference.close();
  }

  static HttpResponse<byte[]> post(
      String contentType, String accept, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(node.baseUrl() + "/v1/infer"))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (accept != null) {
      b.header("Accept", accept);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static NamedTensors expected(NamedTensors inputs) {
    return NamedTensors.of(reference.run(inputs.asMap()));
  }

  @Test
  void namedJsonInputsGiveEveryOutputByNameWithAReceiptOverTheBundles() throws Exception {
    NamedTensors in = RecurrentTestModel.inputs(0.7f);
    ObjectNode body = JSON.createObjectNode().put("model", "vad@1");
    body.set("inputs", TensorJson.toJson(in));

    HttpResponse<byte[]> resp = post("application/json", null, JSON.writeValueAsBytes(body));
    assertThat(resp.statusCode()).as(new String(resp.body())).isEqualTo(200);
    JsonNode answer = JSON.readTree(resp.body());
    NamedTensors outputs = TensorJson.namedFromJson(answer.get("outputs"));

    assertThat(outputs).isEqualTo(expected(in));
    assertThat(outputs.names()).containsExactly("output", "stateN");
    var receipt = ReceiptJson.fromJson(answer.get("receipt")).receipt();
    assertThat(receipt.inputHash()).isEqualTo(in.hash());
    assertThat(receipt.outputHash()).isEqualTo(outputs.hash());
    assertThat(answer.has("output")).as("one 'output' only for one-output models").isFalse();
  }

  @Test
  void theBinaryFormCarriesTheBundleBothWays() throws Exception {
    NamedTensors in = RecurrentTestModel.inputs(-1.5f);
    HttpResponse<byte[]> resp =
        post(
            NodeHttpApi.TENSOR_MEDIA_TYPE,
            NodeHttpApi.TENSOR_MEDIA_TYPE,
            in.canonicalBytes(),
            "Vouch-Model",
            "vad@1");
    assertThat(resp.statusCode()).as(new String(resp.body())).isEqualTo(200);
    NamedTensors outputs = NamedTensors.decode(resp.body(), "unused");

    assertThat(outputs).isEqualTo(expected(in));
    assertThat(resp.headers().firstValue("Vouch-Input-Hash")).hasValue(in.hash().toHex());
    assertThat(resp.headers().firstValue("Vouch-Output-Hash")).hasValue(outputs.hash().toHex());
  }

  @Test
  void aMissingInputIsRefusedNamingWhatTheModelTakes() throws Exception {
    NamedTensors in = RecurrentTestModel.inputs(1f);
    ObjectNode body = JSON.createObjectNode().put("model", "vad@1");
    ObjectNode inputs = TensorJson.toJson(in);
    inputs.remove("sr");
    body.set("inputs", inputs);

    HttpResponse<byte[]> resp = post("application/json", null, JSON.writeValueAsBytes(body));
    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(resp.body()).get("message").asText()).contains("input", "state", "sr");
  }

  @Test
  void aLoneTensorForAModelWithSeveralInputsIsToldToNameThem() throws Exception {
    ObjectNode body = JSON.createObjectNode().put("model", "vad@1");
    body.set("input", TensorJson.toJson(Tensor.ofFloats(new int[] {1, 4}, 1, 2, 3, 4)));

    HttpResponse<byte[]> resp = post("application/json", null, JSON.writeValueAsBytes(body));
    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(resp.body()).get("message").asText())
        .contains("takes 3 inputs")
        .contains("send each by name");
  }

  @Test
  void anInt64ScalarOfTheWrongTypeIsRefused() throws Exception {
    NamedTensors in = RecurrentTestModel.inputs(1f);
    var m = new java.util.LinkedHashMap<>(in.asMap());
    m.put("sr", Tensor.ofFloats(new int[] {}, 8000f));
    HttpResponse<byte[]> resp =
        post(
            NodeHttpApi.TENSOR_MEDIA_TYPE,
            null,
            NamedTensors.of(m).canonicalBytes(),
            "Vouch-Model",
            "vad@1");
    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(new String(resp.body())).contains("sr").contains("int64");
  }
}
