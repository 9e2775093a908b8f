package io.vouch.node.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.evidence.Evidence;
import io.vouch.onnx.quant.Activation;
import io.vouch.onnx.quant.DenseLayer;
import io.vouch.onnx.quant.InputQuantization;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.LayerOutput;
import io.vouch.tee.EnclaveSigner;
import io.vouch.tee.TeeEvidence;
import io.vouch.tee.dev.DevEnclave;
import io.vouch.tee.dev.DevRootAuthority;
import io.vouch.tee.policy.EnclaveManifest;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkVerifier;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node's request flow: a request is admitted (model, level, size, finiteness), handed to the
 * producer of its level, and its evidence kept; what cannot run is refused before anything runs or
 * is signed.
 */
class InferenceExecutorTest {
  static final Secp256k1.KeyPair NODE_KEY =
      Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("executor-test-node"));
  static final Eip712Domain DOMAIN =
      Eip712Domain.of(31337, Address.fromHex("0x00000000000000000000000000000000000000aa"));
  static final Instant NOW = Instant.parse("2026-05-01T08:05:00Z");
  static final Bytes32 REQUEST = Keccak.hash("executor request");
  static final int IN = 8;
  static final long MAX_INPUT = 64;

  static ZkModel zk;
  static EnclaveSigner enclave;
  static TeeEvidence attestation;

  final CountingRunner runner = new CountingRunner();
  final ModelCatalog catalog = new ModelCatalog();
  final ReceiptSigner signer =
      new ReceiptSigner(
          NODE_KEY,
          DOMAIN,
          Clock.fixed(NOW, ZoneOffset.UTC),
          ReceiptSigner.SequenceStore.inMemory());
  final InferenceExecutor executor = new InferenceExecutor(catalog, signer, MAX_INPUT);

  @BeforeAll
  static void fixtures() {
    zk = ZkModel.register(mlp());
    DevRootAuthority root = DevRootAuthority.generate(NOW.minusSeconds(300));
    byte[] software = "vouch node test".getBytes(StandardCharsets.UTF_8);
    DevEnclave dev =
        root.startEnclave(
            software, "config".getBytes(StandardCharsets.UTF_8), NOW.minusSeconds(300));
    enclave =
        EnclaveSigner.withKey(
            dev::attest, Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("enclave")));
    attestation =
        enclave.attest(
            new EnclaveManifest(
                new byte[48],
                List.of(Keccak.hash("m@1")),
                31337,
                DOMAIN.verifyingContract(),
                NODE_KEY.address()),
            new byte[32],
            NOW.minusSeconds(200));
  }

  /** A float engine stand-in: one input {@code x} [1, 8], output {@code y} = 2x; counts runs. */
  static final class CountingRunner implements ModelRunner {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    public List<String> inputNames() {
      return List.of("x");
    }

    @Override
    public List<String> outputNames() {
      return List.of("y");
    }

    @Override
    public void check(NamedTensors inputs) {
      if (inputs.only().elementCount() != IN) {
        throw new VouchException(ErrorCode.BAD_INPUT, "input must have " + IN + " values");
      }
    }

    @Override
    public NamedTensors run(NamedTensors inputs) {
      check(inputs);
      runs.incrementAndGet();
      Tensor x = inputs.only();
      float[] y = new float[IN];
      for (int i = 0; i < IN; i++) {
        y[i] = (float) (2 * x.getAsDouble(i));
      }
      return NamedTensors.single("y", Tensor.ofFloats(new int[] {1, IN}, y));
    }

    @Override
    public void close() {}
  }

  /** A seeded 8-8-3 integer MLP. */
  static IntegerModel mlp() {
    SplittableRandom rnd = new SplittableRandom(5);
    byte[] w1 = new byte[8 * IN];
    byte[] w2 = new byte[3 * 8];
    rnd.nextBytes(w1);
    rnd.nextBytes(w2);
    return new IntegerModel(
        new InputQuantization(1.0 / 64, 0),
        List.of(
            new DenseLayer(
                8,
                IN,
                w1,
                rnd.ints(8, -2000, 2000).toArray(),
                new LayerOutput.Requantized(9000, 20, Activation.RELU)),
            new DenseLayer(3, 8, w2, rnd.ints(3, -2000, 2000).toArray(), new LayerOutput.Logits())),
        1e-4);
  }

  LoadedModel load(Set<VerificationLevel> levels, Optional<ZkModel> zkModel) {
    LoadedModel m =
        new LoadedModel(
            Keccak.hash("m@1"), "m", 1, "bafkreitest", levels, BigInteger.TEN, runner, zkModel);
    catalog.add(m);
    return m;
  }

  LoadedModel loadAllLevels() {
    return load(
        Set.of(VerificationLevel.VANILLA, VerificationLevel.TEE, VerificationLevel.ZKML),
        Optional.of(zk));
  }

  static Tensor input() {
    float[] x = new float[IN];
    for (int i = 0; i < IN; i++) {
      x[i] = i / 8f;
    }
    return Tensor.ofFloats(new int[] {1, IN}, x);
  }

  static InferenceRequest request(VerificationLevel level, Tensor input) {
    return new InferenceRequest("m@1", input, level, REQUEST);
  }

  static void refused(Runnable r, ErrorCode code, String message) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(VouchException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(message);
  }

  @Test
  void aVanillaRequestRunsTheModelAndIsSignedWithTheNodesKey() {
    LoadedModel m = loadAllLevels();

    InferenceResult r = executor.execute(request(VerificationLevel.VANILLA, input()));

    InferenceReceipt receipt = r.receipt().receipt();
    assertThat(runner.runs).hasValue(1);
    assertThat(r.model()).isEqualTo(m);
    assertThat(r.outputs().get("y").getAsDouble(3)).isEqualTo(2 * input().getAsDouble(3));
    assertThat(receipt.requestId()).isEqualTo(REQUEST);
    assertThat(receipt.modelId()).isEqualTo(m.modelId());
    assertThat(receipt.level()).isEqualTo(VerificationLevel.VANILLA);
    assertThat(receipt.inputHash()).isEqualTo(input().hash());
    assertThat(receipt.outputHash()).isEqualTo(r.outputs().hash());
    assertThat(receipt.evidenceHash()).isEqualTo(Bytes32.ZERO);
    assertThat(receipt.timestamp()).isEqualTo(NOW.getEpochSecond());
    assertThat(r.receipt().signer(DOMAIN)).isEqualTo(NODE_KEY.address());
    assertThat(r.evidence()).isEqualTo(new Evidence.NodeSignature());
    assertThat(r.proof()).isEmpty();
  }

  @Test
  void everyResultHasTheNextSequenceNumber() {
    loadAllLevels();

    long first =
        executor
            .execute(request(VerificationLevel.VANILLA, input()))
            .receipt()
            .receipt()
            .sequence();
    long second =
        executor
            .execute(request(VerificationLevel.VANILLA, input()))
            .receipt()
            .receipt()
            .sequence();

    assertThat(second).isEqualTo(first + 1);
  }

  @Test
  void aModelThisNodeDoesNotServeIsUnknown() {
    refused(
        () -> executor.execute(request(VerificationLevel.VANILLA, input())),
        ErrorCode.UNKNOWN_MODEL,
        "model 'm@1' is not served by this node");
  }

  @Test
  void withoutAnEnclaveTeeIsAnUnsupportedLevel() {
    loadAllLevels();

    refused(
        () -> executor.execute(request(VerificationLevel.TEE, input())),
        ErrorCode.UNSUPPORTED_LEVEL,
        "this node serves m@1 at VANILLA only; ask another node for TEE (this node runs without"
            + " an enclave)");
    assertThat(runner.runs).hasValue(0);
  }

  @Test
  void withAnEnclaveTeeResultsAreSignedByTheEnclaveKeyAndNameItsAttestation() {
    loadAllLevels();
    executor.enclave(enclave);

    InferenceResult r = executor.execute(request(VerificationLevel.TEE, input()));

    assertThat(r.receipt().receipt().level()).isEqualTo(VerificationLevel.TEE);
    assertThat(r.receipt().receipt().node()).isEqualTo(NODE_KEY.address());
    assertThat(r.receipt().signer(DOMAIN)).isEqualTo(enclave.address());
    assertThat(r.receipt().receipt().evidenceHash()).isEqualTo(attestation.evidenceHash());
    assertThat(r.evidence().settledOnSubmission()).as("the hub settles TEE at submission").isTrue();
    assertThat(executor.enclave()).contains(enclave);
  }

  @Test
  void aLevelTheModelDoesNotAllowIsAnUnsupportedLevel() {
    load(Set.of(VerificationLevel.VANILLA), Optional.empty());
    executor.enclave(enclave);

    refused(
        () -> executor.execute(request(VerificationLevel.TEE, input())),
        ErrorCode.UNSUPPORTED_LEVEL,
        "model m@1 allows levels [VANILLA], not TEE");
  }

  @Test
  void aZkmlResultCarriesItsProofWhichTheNodeKeepsUnderTheReceiptsEvidenceHash() {
    loadAllLevels();

    InferenceResult r = executor.execute(request(VerificationLevel.ZKML, input()));

    Bytes32 evidenceHash = r.receipt().receipt().evidenceHash();
    byte[] proof = r.proof().orElseThrow();
    assertThat(runner.runs).as("the float engine").hasValue(0);
    assertThat(Keccak.hash(proof)).isEqualTo(evidenceHash);
    assertThat(executor.proofs().get(evidenceHash))
        .hasValueSatisfying(p -> assertThat(p).isEqualTo(proof));
    assertThat(r.receipt().signer(DOMAIN)).isEqualTo(NODE_KEY.address());
    assertThat(
            ZkVerifier.isValid(
                zk.verifyingKey(),
                REQUEST.toArray(),
                zk.quantizeInput(floats(input())),
                r.output().toLongs(),
                proof))
        .isTrue();
  }

  @Test
  void zkmlForAModelWithoutItsZkModelIsAnUnsupportedLevel() {
    load(Set.of(VerificationLevel.VANILLA), Optional.empty());

    refused(
        () -> executor.execute(request(VerificationLevel.ZKML, input())),
        ErrorCode.UNSUPPORTED_LEVEL,
        "this node has no ZK model for m@1");
  }

  @Test
  void anInputOverTheNodesLimitIsTooLarge() {
    loadAllLevels();
    Tensor big =
        Tensor.ofFloats(new int[] {1, (int) MAX_INPUT + 1}, new float[(int) MAX_INPUT + 1]);

    refused(
        () -> executor.execute(request(VerificationLevel.VANILLA, big)),
        ErrorCode.PAYLOAD_TOO_LARGE,
        "this node accepts at most " + MAX_INPUT);
  }

  @Test
  void aNonFiniteInputIsRefusedForEveryLevel() {
    loadAllLevels();
    float[] x = new float[IN];
    x[2] = Float.NaN;
    Tensor nan = Tensor.ofFloats(new int[] {1, IN}, x);

    for (VerificationLevel level : List.of(VerificationLevel.VANILLA, VerificationLevel.ZKML)) {
      refused(
          () -> executor.execute(request(level, nan)),
          ErrorCode.BAD_INPUT,
          "input element 2 is NaN; inputs must be finite");
    }
  }

  @Test
  void checkRefusesAnInputTheModelCannotTakeWithoutRunningOrSigning() {
    loadAllLevels();
    Tensor shortInput = Tensor.ofFloats(new int[] {1, 2}, new float[2]);

    refused(
        () -> executor.check(request(VerificationLevel.VANILLA, shortInput)),
        ErrorCode.BAD_INPUT,
        "input must have 8 values");
    assertThat(runner.runs).hasValue(0);
    assertThat(signer.lastSequence()).isZero();
  }

  @Test
  void checkAdmitsARequestThatCanRunWithoutRunningIt() {
    LoadedModel m = loadAllLevels();

    assertThat(executor.check(request(VerificationLevel.VANILLA, input()))).isEqualTo(m);
    assertThat(runner.runs).hasValue(0);
    assertThat(signer.lastSequence()).isZero();
  }

  private static float[] floats(Tensor t) {
    float[] f = new float[Math.toIntExact(t.elementCount())];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) t.getAsDouble(i);
    }
    return f;
  }
}
