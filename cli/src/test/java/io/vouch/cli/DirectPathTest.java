package io.vouch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.tensor.Tensor;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.OnnxModelRunner;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.build.TestModels;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.VouchClientException;
import io.vouch.sdk.direct.NodeClient;
import io.vouch.sdk.verify.ResultVerifier;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SDK → node over real HTTP, with the SDK's local verification of the signed receipt. */
class DirectPathTest {
  static final Secp256k1.KeyPair NODE_KEY =
      Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("direct-path-node"));
  static final Address HUB = Address.fromHex("0x5FbDB2315678afecb367f032d93F642f64180aa3");
  static final Eip712Domain DOMAIN = Eip712Domain.of(31337, HUB);
  static final Bytes32 MODEL_ID = Keccak.hash("direct@1");
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  static NodeApp node;
  static NodeClient client;

  @BeforeAll
  static void start() throws Exception {
    byte[] onnx = TestModels.randomMlpOnnx(7, 8, 4, 2);
    node =
        new NodeApp(
            new NodeConfig("127.0.0.1", 0, NODE_KEY, 31337, HUB, 1 << 16, 1 << 20, BigInteger.ONE),
            Clock.systemUTC(),
            io.vouch.node.inference.ReceiptSigner.SequenceStore.inMemory());
    node.load(
        new LoadedModel(
            MODEL_ID,
            "direct",
            1,
            "bafkreidirect",
            Set.of(VerificationLevel.VANILLA),
            BigInteger.ONE,
            new OnnxModelRunner(OnnxRuntimeEngine.load(onnx))));
    node.start();
    client = new NodeClient(NodeClient.defaultHttpClient(), node.baseUrl());
  }

  @AfterAll
  static void stop() {
    node.stop();
  }

  static Tensor input() {
    return Tensor.ofFloats(new int[] {1, 8}, 1, 2, 3, 4, 5, 6, 7, 8);
  }

  static InferenceOutcome infer(Bytes32 requestId) {
    return client.infer("direct@1", input(), VerificationLevel.VANILLA, requestId, TIMEOUT);
  }

  @Test
  void resultFromARegisteredNodeVerifiesLocally() {
    Bytes32 id = Keccak.hash("r1");
    ResultVerifier verifier = new ResultVerifier(DOMAIN, NODE_KEY.address()::equals);

    InferenceOutcome verified = verifier.verify(infer(id), id, MODEL_ID);

    assertThat(verified.verification())
        .isInstanceOf(InferenceOutcome.Verification.ClientVerified.class);
  }

  @Test
  void tamperedOutputFailsVerification() {
    Bytes32 id = Keccak.hash("r2");
    InferenceOutcome o = infer(id);
    float[] out = o.output().toFloats();
    out[0] += 1;
    InferenceOutcome tampered =
        new InferenceOutcome(
            o.requestId(),
            o.modelId(),
            o.modelRef(),
            o.level(),
            o.input(),
            Tensor.ofFloats(o.output().shape(), out),
            o.receipt(),
            o.domain(),
            o.nodeEndpoint(),
            o.verification());

    assertThatThrownBy(() ->
            new ResultVerifier(DOMAIN, NODE_KEY.address()::equals).verify(tampered, id, MODEL_ID))
        .isInstanceOf(VouchClientException.class)
        .hasMessageContaining("output hash");
  }

  @Test
  void resultSignedForAnotherChainFailsVerification() {
    Bytes32 id = Keccak.hash("r3");
    Eip712Domain mainnet = Eip712Domain.of(1, HUB);

    assertThatThrownBy(() ->
            new ResultVerifier(mainnet, NODE_KEY.address()::equals).verify(infer(id), id, MODEL_ID))
        .isInstanceOf(VouchClientException.class)
        .hasMessageContaining("expected chain 1");
  }

  @Test
  void resultFromAnUnregisteredSignerFailsVerification() {
    Bytes32 id = Keccak.hash("r4");

    assertThatThrownBy(() -> new ResultVerifier(DOMAIN, a -> false).verify(infer(id), id, MODEL_ID))
        .isInstanceOf(VouchClientException.class)
        .hasMessageContaining("not a registered");
  }

  @Test
  void receiptForAnotherRequestFailsVerification() {
    Bytes32 id = Keccak.hash("r5");

    assertThatThrownBy(() ->
            new ResultVerifier(DOMAIN, NODE_KEY.address()::equals)
                .verify(infer(id), Keccak.hash("other"), MODEL_ID))
        .isInstanceOf(VouchClientException.class)
        .hasMessageContaining("another request");
  }

  @Test
  void nodeErrorsArriveWithTheirCode() {
    assertThatThrownBy(() ->
            client.infer(
                "missing@1", input(), VerificationLevel.VANILLA, Keccak.hash("r6"), TIMEOUT))
        .isInstanceOfSatisfying(
            VouchClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_MODEL));
  }

  @Test
  void unreachableNodeIsNodeUnavailable() {
    NodeClient dead = new NodeClient(NodeClient.defaultHttpClient(), "http://127.0.0.1:1");

    assertThatThrownBy(
            () -> dead.infer("direct@1", input(), VerificationLevel.VANILLA, Bytes32.ZERO, TIMEOUT))
        .isInstanceOfSatisfying(
            VouchClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NODE_UNAVAILABLE));
  }
}
