package io.vouch.evidence;

import static io.vouch.evidence.Fixtures.DOMAIN;
import static io.vouch.evidence.Fixtures.MODEL_ID;
import static io.vouch.evidence.Fixtures.NODE;
import static io.vouch.evidence.Fixtures.REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.writer.OnnxGraphBuilder;
import io.vouch.zk.mlp.ZkCompiler;
import io.vouch.zk.mlp.ZkModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ZKML for a compiled model with two inputs — int64 token ids read by an embedding and float
 * features — and two outputs: the node's producer and the clients' and validators' verifier build
 * the same statement (token ids 4 bytes each, so the statement's input is longer than its count of
 * values), and a proof of other tokens, another feature vector or another output is refused.
 */
class ZkmlTokenInputsTest {
  static final int TOKENS = 6, VOCABULARY = 40, WIDTH = 8, FEATURES = 4;

  static ZkModel zk;
  static Served served;
  static Production produced;

  final ZkmlVerifier verifier =
      new ZkmlVerifier(
          DOMAIN,
          new Fixtures.Registry().register(NODE.address()),
          id -> {
            if (!id.equals(MODEL_ID)) {
              throw new VouchException(ErrorCode.VERIFICATION_FAILED, "no ZK model for " + id);
            }
            return zk;
          });

  /** tokens → embedding → flatten → dense, plus features → dense; summed, Relu, two heads. */
  static byte[] onnx() {
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

  /** The model as a node serves it (its float engine is not needed at ZKML). */
  record Served(ZkModel model) implements ServedModel {
    @Override
    public Bytes32 modelId() {
      return MODEL_ID;
    }

    @Override
    public String ref() {
      return "tokens@1";
    }

    @Override
    public List<String> inputNames() {
      return List.of("tokens", "features");
    }

    @Override
    public List<String> outputNames() {
      return List.of("class", "score");
    }

    @Override
    public void check(NamedTensors inputs) {}

    @Override
    public NamedTensors run(NamedTensors inputs) {
      throw new AssertionError("the float engine does not run at ZKML");
    }

    @Override
    public Optional<ZkModel> zk() {
      return Optional.of(model);
    }
  }

  @BeforeAll
  static void compile() {
    // seeded random weights leave near-ties: agreement is not what this test is about
    zk = ZkCompiler.compile(OnnxModelFile.parse(onnx()), null, 0.5).model();
    served = new Served(zk);
    produced = produce(REQUEST, inputs(3, 0.5f));
  }

  static NamedTensors inputs(int seed, float feature) {
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

  static Production produce(Bytes32 request, NamedTensors inputs) {
    return new ZkmlProducer(new Fixtures.Receipts(NODE)).produce(request, served, inputs);
  }

  static byte[] proof(Production p) {
    return ((Evidence.Proof) p.evidence()).bytes();
  }

  static ResultClaim claim(NamedTensors inputs, NamedTensors outputs, SignedReceipt r, byte[] p) {
    return new ResultClaim(
        VerificationLevel.ZKML, inputs, outputs, r, DOMAIN, Optional.ofNullable(p));
  }

  /** A receipt the node signs for {@code inputs} and {@code outputs} with {@code evidenceHash}. */
  static SignedReceipt signed(NamedTensors inputs, NamedTensors outputs, Bytes32 evidenceHash) {
    InferenceReceipt r = produced.receipt().receipt();
    return Fixtures.resigned(
        new InferenceReceipt(
            REQUEST,
            r.modelId(),
            inputs.hash(),
            outputs.hash(),
            r.level(),
            evidenceHash,
            r.node(),
            r.timestamp(),
            r.sequence()),
        NODE);
  }

  static String reason(Verdict v) {
    assertThat(v).isInstanceOf(Verdict.Invalid.class);
    return ((Verdict.Invalid) v).reason();
  }

  @Test
  void theStatementHasFourBytesPerTokenIdAndTheOutputsAreTheIntegerModels() {
    assertThat(zk.inputs())
        .extracting(ZkModel.Input::name, ZkModel.Input::values, ZkModel.Input::tokenIds)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("tokens", TOKENS, true),
            org.assertj.core.groups.Tuple.tuple("features", FEATURES, false));
    assertThat(zk.inputBytes()).isEqualTo(4 * TOKENS + FEATURES).isNotEqualTo(zk.inputSize());
    byte[] x = ZkStatement.input(zk, inputs(3, 0.5f));
    assertThat(x).hasSize(zk.inputBytes());

    long[] expected = IntegerEngine.run(zk.integerModel(), x);
    assertThat(produced.outputs().names()).containsExactlyInAnyOrder("class", "score");
    assertThat(ZkStatement.outputs(zk, produced.outputs())).containsExactly(expected);
    assertThat(produced.receipt().receipt().inputHash()).isEqualTo(inputs(3, 0.5f).hash());
  }

  @Test
  void theResultIsVerifiedByTheClientAndOnChain() {
    NamedTensors in = inputs(3, 0.5f);
    Verdict v =
        verifier.verify(
            claim(in, produced.outputs(), produced.receipt(), proof(produced)), REQUEST, MODEL_ID);
    assertThat(v).isInstanceOf(Verdict.Valid.class);
    assertThat(((Verdict.Valid) v).what())
        .contains("proof verified under zkModelId " + zk.modelId());

    assertThat(verifier.verifySubmitted(submitted(in, produced.outputs(), proof(produced))))
        .hasValueSatisfying(s -> assertThat(s).isInstanceOf(Verdict.Valid.class));
  }

  @Test
  void aProofOfOtherTokensIsRefusedForTheseTokens() {
    NamedTensors asked = inputs(3, 0.5f);
    Production other = produce(REQUEST, inputs(4, 0.5f)); // same features, other token ids
    byte[] proof = proof(other);
    SignedReceipt naming = signed(asked, other.outputs(), Keccak.hash(proof));

    assertThat(
            reason(
                verifier.verify(claim(asked, other.outputs(), naming, proof), REQUEST, MODEL_ID)))
        .startsWith("ZKML proof rejected under zkModelId " + zk.modelId());
    assertThat(verifier.verifySubmitted(submitted(asked, other.outputs(), proof)))
        .hasValueSatisfying(
            v -> assertThat(reason(v)).startsWith("ZKML proof rejected under zkModelId "));
  }

  @Test
  void aProofOfOtherFeaturesIsRefusedForTheseFeatures() {
    NamedTensors asked = inputs(3, 0.5f);
    Production other = produce(REQUEST, inputs(3, -0.5f));
    byte[] proof = proof(other);

    assertThat(verifier.verifySubmitted(submitted(asked, other.outputs(), proof)))
        .hasValueSatisfying(
            v -> assertThat(reason(v)).startsWith("ZKML proof rejected under zkModelId "));
  }

  @Test
  void anOutputOtherThanTheProvedOneIsRefused() {
    NamedTensors in = inputs(3, 0.5f);
    Map<String, Tensor> lie = new HashMap<>(produced.outputs().asMap());
    long[] score = lie.get("score").toLongs();
    score[1] += 1;
    lie.put("score", Tensor.ofLongs(new int[] {1, score.length}, score));
    NamedTensors lying = NamedTensors.of(lie);

    assertThat(
            reason(
                verifier.verify(
                    claim(
                        in,
                        lying,
                        signed(in, lying, Keccak.hash(proof(produced))),
                        proof(produced)),
                    REQUEST,
                    MODEL_ID)))
        .startsWith("ZKML proof rejected under zkModelId ");
  }

  @Test
  void outputsThatAreNotTheModelsAreRefusedByName() {
    NamedTensors in = inputs(3, 0.5f);
    NamedTensors one = NamedTensors.single("class", produced.outputs().get("class"));
    NamedTensors floats =
        NamedTensors.of(
            Map.of(
                "class", Tensor.ofFloats(new int[] {1, 3}, new float[3]),
                "score", produced.outputs().get("score")));

    assertThatThrownBy(() -> ZkStatement.outputs(zk, one))
        .hasMessageContaining("the model's outputs [class, score]");
    assertThat(
            reason(verifier.verifySubmitted(submitted(in, floats, proof(produced))).orElseThrow()))
        .isEqualTo("ZKML output 'class' must be the model's 3 int64 values, got FLOAT32 [1, 3]");
  }

  @Test
  void tokenIdsOutsideTheVocabularyOrAsFloatsAndMissingInputsAreBadInput() {
    Map<String, Tensor> in = new HashMap<>(inputs(3, 0.5f).asMap());
    long[] ids = in.get("tokens").toLongs();
    ids[2] = VOCABULARY;
    in.put("tokens", Tensor.ofLongs(new int[] {1, TOKENS}, ids));
    badInput(
        NamedTensors.of(in),
        "input 'tokens' takes token ids, integers in [0, " + VOCABULARY + "); value 2 is 40");

    in.put("tokens", Tensor.ofFloats(new int[] {1, TOKENS}, new float[TOKENS]));
    badInput(NamedTensors.of(in), "input 'tokens' takes token ids; send it as an int64 tensor");

    in.put("tokens", Tensor.ofLongs(new int[] {1, 3}, new long[3]));
    badInput(NamedTensors.of(in), "input 'tokens' takes 6 values; the request's has 3");

    badInput(
        NamedTensors.single("tokens", in.get("features")),
        "takes 2 inputs [tokens, features] but the request names [tokens]");
  }

  @Test
  void theVerifierRefusesTokenIdsThatTheNodeWouldRefuse() {
    Map<String, Tensor> in = new HashMap<>(inputs(3, 0.5f).asMap());
    long[] ids = in.get("tokens").toLongs();
    ids[0] = -1;
    in.put("tokens", Tensor.ofLongs(new int[] {1, TOKENS}, ids));

    assertThat(
            reason(
                verifier
                    .verifySubmitted(
                        submitted(NamedTensors.of(in), produced.outputs(), proof(produced)))
                    .orElseThrow()))
        .contains("input 'tokens' takes token ids");
  }

  static void badInput(NamedTensors inputs, String message) {
    ZkmlProducer producer = new ZkmlProducer(new Fixtures.Receipts(NODE));
    assertThatThrownBy(() -> producer.check(served, inputs))
        .isInstanceOfSatisfying(
            VouchException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT))
        .hasMessageContaining(message);
    assertThatThrownBy(() -> producer.produce(REQUEST, served, inputs))
        .isInstanceOf(VouchException.class)
        .hasMessageContaining(message);
  }

  static SubmittedResult submitted(NamedTensors inputs, NamedTensors outputs, byte[] served) {
    return new SubmittedResult(
        REQUEST,
        MODEL_ID,
        VerificationLevel.ZKML,
        inputs,
        outputs,
        Keccak.hash(served),
        new SubmittedResult.EvidenceSource() {
          @Override
          public SignedReceipt receipt() {
            throw new AssertionError("the hub checked the node's signature");
          }

          @Override
          public byte[] payload(Bytes32 evidenceHash) {
            return served.clone();
          }
        });
  }
}
