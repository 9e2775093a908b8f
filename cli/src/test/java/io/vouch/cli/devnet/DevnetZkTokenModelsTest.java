package io.vouch.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.vouch.benchmodels.SequenceModels;
import io.vouch.benchmodels.TokenClassifier;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.court.CourtCase;
import io.vouch.chain.registry.NodeRegistryClient;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.cli.VouchProcess;
import io.vouch.cli.VouchProcess.Run;
import io.vouch.core.Bytes32;
import io.vouch.core.ModelId;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.json.TensorJson;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.writer.OnnxGraphBuilder;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.VouchClient;
import io.vouch.sdk.VouchClientException;
import io.vouch.sdk.VouchConfig;
import io.vouch.sdk.onchain.OnChainOptions;
import io.vouch.sdk.onchain.OnChainRequest;
import io.vouch.sdk.onchain.OnChainResult;
import io.vouch.zk.mlp.ProvedInference;
import io.vouch.zk.mlp.ZkCompiler;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkProver;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;

/**
 * ZKML on the network for models that are not int8 MLPs, every step as a user takes it: {@code
 * vouch devnet up} (one node, the default validators), {@code vouch model push --levels
 * vanilla,zkml} of the 0.25M-parameter transformer encoder (int64 token ids, io.vouch.benchmodels)
 * and of a model with two inputs (token ids and float features) and two outputs; {@code vouch infer
 * --level zkml} on the direct path (proved by the node, verified by the client) and on chain
 * (finalized by the validators' quorum). A staked node that answers with a genuine proof for other
 * tokens is refused by the SDK and voted INVALID by the validators, and the request is answered by
 * the honest node.
 */
class DevnetZkTokenModelsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int TOKENS = 6, VOCABULARY = 40, WIDTH = 8, FEATURES = 4;

  @TempDir static Path dir;
  static VouchProcess vouch;
  static TokenClassifier transformer;
  static ZkModel transformerZk;
  static ZkModel twoInputZk;
  static JsonNode state;
  static VouchDeployment deployment;
  static String rpc;

  @BeforeAll
  static void up() throws Exception {
    vouch = new VouchProcess(dir);
    transformer = SequenceModels.transformerEncoder(3);
    Path onnx = Files.write(dir.resolve("transformer.onnx"), transformer.onnx());
    float[][] calibration = transformer.inputs(1, 128);
    Path calibrationFile = Files.writeString(dir.resolve("calibration.json"), json(calibration));
    // what the pushes must register: the compiler is deterministic
    transformerZk =
        ZkCompiler.compile(OnnxModelFile.parse(transformer.onnx()), calibration, 0.99).model();
    byte[] twoInputs = twoInputOnnx();
    Path two = Files.write(dir.resolve("two-inputs.onnx"), twoInputs);
    twoInputZk = ZkCompiler.compile(OnnxModelFile.parse(twoInputs), null, 0.5).model();

    ok(vouch.run("devnet", "up", "--nodes", "1"));
    ok(
        vouch.run(
            "model",
            "push",
            onnx.toString(),
            "--name",
            "transformer",
            "--levels",
            "vanilla,zkml",
            "--calibration",
            calibrationFile.toString()));
    // seeded random weights leave near-ties: agreement is not what this model is here for
    ok(
        vouch.run(
            "model",
            "push",
            two.toString(),
            "--name",
            "two-inputs",
            "--levels",
            "vanilla,zkml",
            "--min-agreement",
            "0.5"));
    ok(vouch.run("devnet", "status", "--await-model", "transformer@1"));
    ok(vouch.run("devnet", "status", "--await-model", "two-inputs@1"));
    state = JSON.readTree(dir.resolve(".vouch/devnet/devnet.json").toFile());
    deployment = VouchDeployment.readFrom(dir.resolve(".vouch/devnet/deployment.json"));
    rpc = state.get("rpcUrl").asText();
  }

  @AfterAll
  static void down() {
    if (vouch != null) {
      vouch.run("devnet", "down");
    }
  }

  static Run ok(Run r) {
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  /** The calibration file: one int64 tensor [1, length] of token ids per row. */
  static String json(float[][] rows) {
    List<String> out = new ArrayList<>();
    for (float[] row : rows) {
      StringBuilder s =
          new StringBuilder("{\"dtype\":\"int64\",\"shape\":[1," + row.length + "],\"data\":[");
      for (int i = 0; i < row.length; i++) {
        s.append(i == 0 ? "" : ",").append((int) row[i]);
      }
      out.add(s.append("]}").toString());
    }
    return "[" + String.join(",", out) + "]";
  }

  static Tensor tokens(long seed) {
    float[] t = transformer.inputs(seed, 1)[0];
    long[] ids = new long[t.length];
    for (int i = 0; i < t.length; i++) {
      ids[i] = (long) t[i];
    }
    return Tensor.ofLongs(new int[] {1, ids.length}, ids);
  }

  static double[] values(Tensor t) {
    double[] v = new double[Math.toIntExact(t.elementCount())];
    for (int i = 0; i < v.length; i++) {
      v[i] = t.getAsDouble(i);
    }
    return v;
  }

  static Bytes32 zkModelIdOnChain(String name) throws Exception {
    return Bytes32.wrap(
        deployment
            .modelRegistry(reader())
            .getModel(ModelId.of(name, 1).toArray())
            .send()
            .zkModelId);
  }

  static TransactionSender reader() {
    return TransactionSender.create(
        Web3j.build(new HttpService(rpc)), Bytes32.fromHex(state.get("deployerKey").asText()));
  }

  static VouchClient client() {
    return VouchClient.connect(
        VouchConfig.of(rpc, deployment)
            .withHubs(URI.create(state.get("modelHubUrl").asText()))
            .withKey(Bytes32.fromHex(state.get("userKey").asText())));
  }

  @Test
  void theTransformerIsProvedByTheNodeVerifiedByTheClientAndFinalizedByTheValidators()
      throws Exception {
    assertThat(zkModelIdOnChain("transformer")).isEqualTo(transformerZk.modelId());
    Tensor in = tokens(7);
    String input = TensorJson.toJson(in).toString();
    long[] expected =
        IntegerEngine.run(transformerZk.integerModel(), transformerZk.encodeInput(0, values(in)));

    Run direct =
        ok(
            vouch.run(
                "infer",
                "--model",
                "transformer@1",
                "--input",
                input,
                "--level",
                "zkml",
                "--deposit-wei", // the direct path pays the node through a payment channel
                "10000000000000000",
                "--json"));
    JsonNode r = JSON.readTree(direct.out());
    assertThat(r.get("verified").asText())
        .startsWith(
            "checked by this client: proof verified under zkModelId " + transformerZk.modelId());
    assertThat(TensorJson.fromJson(r.get("output")).toLongs()).containsExactly(expected);
    Path file = Files.writeString(dir.resolve("transformer-direct.json"), direct.out());
    ok(vouch.run("verify", file.toString()));

    Run onChain =
        ok(
            vouch.run(
                "infer",
                "--model",
                "transformer@1",
                "--input",
                TensorJson.toJson(tokens(8)).toString(),
                "--level",
                "zkml",
                "--on-chain",
                "--timeout",
                "300s",
                "--json"));
    assertFinalizedByTheQuorum(JSON.readTree(onChain.out()), transformerZk);
  }

  @Test
  void aModelWithTokenAndFeatureInputsAndTwoOutputsRunsOnBothPaths() throws Exception {
    assertThat(zkModelIdOnChain("two-inputs")).isEqualTo(twoInputZk.modelId());
    NamedTensors in = twoInputs(3, 0.5f);
    for (var e : in.asMap().entrySet()) {
      Files.writeString(
          dir.resolve(e.getKey() + ".json"), TensorJson.toJson(e.getValue()).toString());
    }
    Files.writeString(
        dir.resolve("two-inputs.json"), TensorJson.toJson(twoInputs(4, -0.25f)).toString());

    Run direct =
        ok(
            vouch.run(
                "infer",
                "--model",
                "two-inputs@1",
                "--input",
                "tokens=@" + dir.resolve("tokens.json"),
                "--input",
                "features=@" + dir.resolve("features.json"),
                "--level",
                "zkml",
                "--deposit-wei", // the direct path pays the node through a payment channel
                "10000000000000000",
                "--json"));
    JsonNode r = JSON.readTree(direct.out());
    assertThat(r.get("verified").asText())
        .startsWith(
            "checked by this client: proof verified under zkModelId " + twoInputZk.modelId());
    NamedTensors outputs = TensorJson.namedFromJson(r.get("outputs"));
    assertThat(outputs.names()).containsExactlyInAnyOrder("class", "score");
    long[] expected = IntegerEngine.run(twoInputZk.integerModel(), statement(twoInputZk, in));
    long[] got = new long[expected.length];
    int at = 0;
    for (ZkModel.Output o : twoInputZk.outputs()) {
      System.arraycopy(outputs.get(o.name()).toLongs(), 0, got, at, o.values());
      at += o.values();
    }
    assertThat(got).containsExactly(expected);
    Path file = Files.writeString(dir.resolve("two-direct.json"), direct.out());
    ok(vouch.run("verify", file.toString()));

    Run onChain =
        ok(
            vouch.run(
                "infer",
                "--model",
                "two-inputs@1",
                "--input-file",
                dir.resolve("two-inputs.json").toString(),
                "--level",
                "zkml",
                "--on-chain",
                "--timeout",
                "300s",
                "--json"));
    assertFinalizedByTheQuorum(JSON.readTree(onChain.out()), twoInputZk);
  }

  static void assertFinalizedByTheQuorum(JsonNode r, ZkModel zk) {
    assertThat(r.get("finality").asText()).as(r.toString()).isEqualTo("FINALIZED");
    assertThat(r.get("verified").asText())
        .startsWith("checked by this client: proof verified under zkModelId " + zk.modelId());
    JsonNode v = r.get("onChainVerification");
    assertThat(v.get("decidedByQuorum").asBoolean()).as(v.toString()).isTrue();
    JsonNode c = v.get("cases").get(0);
    assertThat(c.get("kind").asText()).isEqualTo("ZKML");
    assertThat(c.get("state").asText()).isEqualTo("VALID");
    assertThat(c.get("verdictsCast").asInt()).isGreaterThanOrEqualTo(2);
  }

  /**
   * A staked node that receives tokens T and answers with the output and a genuine proof of other
   * tokens T′, its receipt naming T: the SDK refuses it on the direct path; on chain the validators
   * vote it INVALID, its stake is slashed and the honest node answers.
   */
  @Test
  void aNodeAnsweringWithAProofForOtherTokensIsRefusedBySdkAndValidators() throws Exception {
    Web3j web3j = Web3j.build(new HttpService(rpc));
    Map<String, byte[]> proofs = new ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicInteger served =
        new java.util.concurrent.atomic.AtomicInteger();
    HttpServer serving = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    serving.createContext(
        "/v1/proofs/",
        ex -> {
          byte[] body = proofs.get(ex.getRequestURI().getPath().substring("/v1/proofs/".length()));
          if (body == null) {
            ex.sendResponseHeaders(404, -1);
          } else {
            served.incrementAndGet();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
          }
          ex.close();
        });
    serving.start();
    try (VouchClient client = client()) {
      Secp256k1.KeyPair cheatKey =
          Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("devnet-zk-token-models/cheat"));
      BigInteger eth = BigInteger.TEN.pow(18);
      new org.web3j.protocol.core.Request<>(
              "anvil_setBalance",
              List.of(cheatKey.address().toHex(), "0x" + eth.multiply(BigInteger.TEN).toString(16)),
              new HttpService(rpc),
              org.web3j.protocol.core.methods.response.VoidResponse.class)
          .send();
      TransactionSender cheat = TransactionSender.create(web3j, cheatKey);
      NodeRegistryClient registry = NodeRegistryClient.readOnly(web3j, deployment);
      Bytes32 modelId = ModelId.of("transformer", 1);
      deployment
          .nodeRegistry(cheat)
          .register(
              BigInteger.ONE,
              "http://127.0.0.1:" + serving.getAddress().getPort(),
              BigInteger.valueOf(VerificationLevel.ZKML.bit()),
              BigInteger.valueOf(1_000),
              List.of(modelId.toArray()),
              eth.multiply(BigInteger.TWO))
          .send();
      BigInteger stakeBefore = registry.nodeInfo(cheatKey.address()).stakeWei();

      Tensor asked = tokens(9);
      long[] swapped = asked.toLongs();
      swapped[3] = (swapped[3] + 1) % SequenceModels.VOCABULARY; // one other token
      Tensor other = Tensor.ofLongs(asked.shape(), swapped);

      // the direct path: the client checks the proof against the tokens it sent
      Bytes32 directId = Keccak.hash("devnet-zk-token-models/direct");
      Answer lie = answer(cheatKey, directId, modelId, asked, other, now(web3j), 1);
      InferenceOutcome outcome =
          new InferenceOutcome(
              directId,
              modelId,
              "transformer@1",
              VerificationLevel.ZKML,
              NamedTensors.lone(asked),
              lie.outputs(),
              lie.receipt(),
              deployment.domain(),
              "http://127.0.0.1:" + serving.getAddress().getPort(),
              new InferenceOutcome.Verification.Unverified(),
              Optional.of(lie.proof()));
      assertThatThrownBy(() -> client.verify(outcome))
          .isInstanceOfSatisfying(
              VouchClientException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION_FAILED))
          .hasMessageContaining("ZKML proof rejected under zkModelId " + transformerZk.modelId());
      // the same proof does verify for the tokens it was made for: the refusal is about the tokens
      assertThat(
              client
                  .verify(
                      new InferenceOutcome(
                          directId,
                          modelId,
                          "transformer@1",
                          VerificationLevel.ZKML,
                          NamedTensors.lone(other),
                          lie.outputs(),
                          answer(cheatKey, directId, modelId, other, other, now(web3j), 2)
                              .receipt(),
                          deployment.domain(),
                          "http://127.0.0.1:" + serving.getAddress().getPort(),
                          new InferenceOutcome.Verification.Unverified(),
                          Optional.of(lie.proof())))
                  .verification())
          .isInstanceOf(InferenceOutcome.Verification.ClientVerified.class);

      // on chain: the request names the cheat; it submits the other tokens' output and proof
      OnChainRequest h =
          client.inferOnChain(
              "transformer@1",
              asked,
              OnChainOptions.defaults(new BigInteger("10000000000000000"))
                  .withLevel(VerificationLevel.ZKML)
                  .withPreferredNode(cheatKey.address()));
      Bytes32 requestId = Bytes32.fromUint(h.requestId());
      Answer onChainLie = answer(cheatKey, requestId, modelId, asked, other, now(web3j), 3);
      proofs.put(onChainLie.receipt().receipt().evidenceHash().toHex(), onChainLie.proof());
      InferenceReceipt rr = onChainLie.receipt().receipt();
      deployment
          .inferenceHub(cheat)
          .submitResult(
              h.requestId(),
              rr.outputHash().toArray(),
              onChainLie.outputs().canonicalBytes(),
              rr.evidenceHash().toArray(),
              BigInteger.valueOf(rr.timestamp()),
              BigInteger.valueOf(rr.sequence()),
              onChainLie.receipt().signature().toArray())
          .send();
      OnChainResult r = client.awaitResult(h, Duration.ofSeconds(300));

      List<CourtCase> cases = r.verification().orElseThrow().cases();
      assertThat(cases).as(cases.toString()).hasSize(2);
      assertThat(cases.get(0).node()).isEqualTo(cheatKey.address());
      assertThat(cases.get(0).kind()).isEqualTo(CourtCase.Kind.ZKML);
      assertThat(cases.get(0).state()).isEqualTo(CourtCase.State.INVALID);
      assertThat(served.get())
          .as(
              "the validators fetched the proof: INVALID is their verdict on it, not a withheld proof")
          .isPositive();
      assertThat(cases.get(1).state()).isEqualTo(CourtCase.State.VALID);
      assertThat(r.node()).isNotEqualTo(cheatKey.address());
      assertThat(r.verification().get().state().name()).isEqualTo("FINALIZED");
      assertThat(r.proofVerification().orElseThrow()).contains("proof verified");
      assertThat(r.outputs().only().toLongs())
          .containsExactly(
              IntegerEngine.run(
                  transformerZk.integerModel(), transformerZk.encodeInput(0, values(asked))));
      assertThat(registry.nodeInfo(cheatKey.address()).stakeWei()).isLessThan(stakeBefore);
    } finally {
      serving.stop(0);
      web3j.shutdown();
    }
  }

  /** A node's answer: outputs, the receipt over them (naming {@code asked}) and the proof. */
  record Answer(NamedTensors outputs, SignedReceipt receipt, byte[] proof) {}

  /** Proves {@code proved} and signs a receipt that names {@code asked} as the input. */
  static Answer answer(
      Secp256k1.KeyPair key,
      Bytes32 requestId,
      Bytes32 modelId,
      Tensor asked,
      Tensor proved,
      long timestamp,
      long sequence) {
    ProvedInference p =
        ZkProver.prove(
            transformerZk, requestId.toArray(), transformerZk.encodeInput(0, values(proved)));
    byte[] proof = p.proof().toBytes();
    long[] logits = p.logits();
    NamedTensors outputs =
        NamedTensors.single("output", Tensor.ofLongs(new int[] {1, logits.length}, logits));
    InferenceReceipt receipt =
        new InferenceReceipt(
            requestId,
            modelId,
            asked.hash(),
            outputs.hash(),
            VerificationLevel.ZKML,
            Keccak.hash(proof),
            key.address(),
            timestamp,
            sequence);
    return new Answer(
        outputs, new SignedReceipt(receipt, receipt.sign(deployment.domain(), key)), proof);
  }

  static long now(Web3j web3j) throws Exception {
    return web3j
        .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
        .send()
        .getBlock()
        .getTimestamp()
        .longValueExact();
  }

  static byte[] statement(ZkModel zk, NamedTensors in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<ZkModel.Input> inputs = zk.inputs();
    for (int i = 0; i < inputs.size(); i++) {
      out.writeBytes(zk.encodeInput(i, values(in.get(inputs.get(i).name()))));
    }
    return out.toByteArray();
  }

  static NamedTensors twoInputs(int seed, float feature) {
    long[] ids = new long[TOKENS];
    for (int i = 0; i < TOKENS; i++) {
      ids[i] = (seed * 7L + i * 13L) % VOCABULARY;
    }
    float[] f = new float[FEATURES];
    for (int i = 0; i < FEATURES; i++) {
      f[i] = feature - i / 8f;
    }
    return NamedTensors.of(
        Map.of(
            "tokens", Tensor.ofLongs(new int[] {1, TOKENS}, ids),
            "features", Tensor.ofFloats(new int[] {1, FEATURES}, f)));
  }

  /**
   * Token ids → embedding → flatten → dense, plus float features → dense; summed, Relu, two heads
   * ("class" and "score"). Seeded weights.
   */
  static byte[] twoInputOnnx() {
    SplittableRandom r = new SplittableRandom(5);
    OnnxGraphBuilder b = OnnxGraphBuilder.graph("tokens-and-features");
    b.int64Input("tokens", -1, TOKENS);
    b.input("features", -1, FEATURES);
    String table = b.initializer("embedding", uniform(r, VOCABULARY * WIDTH, 1), VOCABULARY, WIDTH);
    String e = b.node("Gather", "embed", List.of(table, "tokens"), Map.of("axis", 0L));
    String flat = b.int64Initializer("flat", new long[] {-1, TOKENS * WIDTH}, 2);
    e = b.node("Reshape", "flatten", List.of(e, flat), Map.of());
    String h1 = gemm(b, r, "from_tokens", e, TOKENS * WIDTH, 16);
    String h2 = gemm(b, r, "from_features", "features", FEATURES, 16);
    String h = b.node("Add", "sum", List.of(h1, h2), Map.of());
    h = b.node("Relu", "relu", List.of(h), Map.of());
    b.nodeTo(
        "Gemm",
        "head_a",
        List.of(h, w(b, r, "a.w", 16, 3), w(b, r, "a.b", 0, 3)),
        "class",
        Map.of("transB", 1L));
    b.nodeTo(
        "Gemm",
        "head_b",
        List.of(h, w(b, r, "b.w", 16, 2), w(b, r, "b.b", 0, 2)),
        "score",
        Map.of("transB", 1L));
    b.output("class", -1, 3);
    b.output("score", -1, 2);
    return b.toBytes();
  }

  static String gemm(OnnxGraphBuilder b, SplittableRandom r, String n, String x, int in, int out) {
    return b.node(
        "Gemm",
        n,
        List.of(x, w(b, r, n + ".w", in, out), w(b, r, n + ".b", 0, out)),
        Map.of("transB", 1L));
  }

  static String w(OnnxGraphBuilder b, SplittableRandom r, String name, int in, int out) {
    return in == 0
        ? b.initializer(name, uniform(r, out, 0.05), out)
        : b.initializer(name, uniform(r, in * out, Math.sqrt(6.0 / in)), out, in);
  }

  static float[] uniform(SplittableRandom r, int n, double bound) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
    }
    return f;
  }
}
