package io.vouch.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.OnnxModelRunner;
import io.vouch.node.inference.ReceiptSigner;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.onnx.writer.ClassLabels;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/models} says what each model takes and gives (issue 10: the schema). */
class ModelsEndpointTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Secp256k1.KeyPair NODE_KEY =
      Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("models-endpoint-test"));
  static final Bytes32 MODEL_ID = Keccak.hash("intents@1");
  static final Bytes32 PLAIN_ID = Keccak.hash("plain@1");

  static NodeApp node;
  static OnnxModelFile model;
  static OnnxModelFile plain;

  @BeforeAll
  static void start() throws Exception {
    plain = OnnxModelFile.parse(TestModels.randomMlpOnnx(7, 6, 4, 3));
    model =
        OnnxModelFile.parse(ClassLabels.write(plain, List.of("refund", "order_status", "other")));
    node =
        new NodeApp(
            new NodeConfig(
                "127.0.0.1",
                0,
                NODE_KEY,
                31337,
                Address.fromHex("0x00000000000000000000000000000000000000aa"),
                1000,
                1 << 20,
                BigInteger.TEN),
            Clock.systemUTC(),
            ReceiptSigner.SequenceStore.inMemory());
    node.load(
        new LoadedModel(
            MODEL_ID,
            "intents",
            1,
            "bafkreitest",
            Set.of(VerificationLevel.VANILLA),
            BigInteger.TEN,
            new OnnxModelRunner(OnnxRuntimeEngine.load(model.bytes()))));
    node.load(
        new LoadedModel(
            PLAIN_ID,
            "plain",
            1,
            "bafkreiplain",
            Set.of(VerificationLevel.VANILLA),
            BigInteger.ONE,
            new OnnxModelRunner(OnnxRuntimeEngine.load(plain.bytes()))));
    node.start();
  }

  @AfterAll
  static void stop() {
    node.stop();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode served(Bytes32 id) throws Exception {
    HttpResponse<String> resp = get("/v1/models");
    assertThat(resp.statusCode()).isEqualTo(200);
    for (JsonNode m : JSON.readTree(resp.body()).get("models")) {
      if (m.get("modelId").asText().equals(id.toHex())) {
        return m;
      }
    }
    throw new AssertionError("model " + id + " not in " + resp.body());
  }

  @Test
  void eachModelCarriesItsInputsOutputsClassLabelsAndSchemaHash() throws Exception {
    JsonNode m = served(MODEL_ID);
    assertThat(m.get("modelId").asText()).isEqualTo(MODEL_ID.toHex());
    assertThat(m.at("/inputs/0/name").asText()).isEqualTo("input");
    assertThat(m.at("/inputs/0/dtype").asText()).isEqualTo("float32");
    assertThat(m.at("/inputs/0/shape").toString()).isEqualTo("[-1,6]");
    assertThat(m.at("/outputs/0/name").asText()).isEqualTo("output");
    assertThat(m.at("/outputs/0/shape").toString()).isEqualTo("[-1,3]");
    assertThat(m.at("/outputs/0/labels").toString())
        .isEqualTo("[\"refund\",\"order_status\",\"other\"]");
    assertThat(m.get("schemaHash").asText()).isEqualTo(model.schema().schemaHash().toHex());
  }

  @Test
  void aModelWithoutClassLabelsHasItsSchemaAndNoLabels() throws Exception {
    JsonNode m = served(PLAIN_ID);

    assertThat(m.at("/inputs/0/shape").toString()).isEqualTo("[-1,6]");
    assertThat(m.at("/outputs/0").has("labels")).isFalse();
    assertThat(m.get("schemaHash").asText()).isEqualTo(plain.schema().schemaHash().toHex());
  }

  @Test
  void theOpenApiDocumentDescribesEveryFieldServed() throws Exception {
    JsonNode schemas = JSON.readTree(get("/openapi.json").body()).at("/components/schemas");
    JsonNode modelProps = schemas.at("/Model/properties");
    JsonNode specProps = schemas.at("/TensorSpec/properties");
    JsonNode m = served(MODEL_ID);

    m.fieldNames().forEachRemaining(f -> assertThat(modelProps.has(f)).as("Model." + f).isTrue());
    for (String list : List.of("inputs", "outputs")) {
      assertThat(modelProps.at("/" + list + "/items/$ref").asText())
          .isEqualTo("#/components/schemas/TensorSpec");
      for (JsonNode spec : m.get(list)) {
        spec.fieldNames()
            .forEachRemaining(f -> assertThat(specProps.has(f)).as("TensorSpec." + f).isTrue());
      }
    }
  }
}
