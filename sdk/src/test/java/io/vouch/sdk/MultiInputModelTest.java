package io.vouch.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.EscrowBooks;
import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.node.ChainSettings;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.OnnxModelRunner;
import io.vouch.node.inference.RecurrentTestModel;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.sdk.models.PublishedModel;
import io.vouch.sdk.models.PushRequest;
import io.vouch.sdk.onchain.Finality;
import io.vouch.sdk.onchain.OnChainOptions;
import io.vouch.sdk.onchain.OnChainRequest;
import io.vouch.sdk.onchain.OnChainResult;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recurrent model with three named inputs (one an int64 scalar) and two outputs, as users bring
 * them (issue 10.3): pushed through the SDK, served by a real node on the devnet chain, run on the
 * direct path and on chain, and verified; its outputs are ONNX Runtime's.
 */
class MultiInputModelTest {
  static final BigInteger FEE = BigInteger.valueOf(10_000);

  @TempDir static Path dir;
  static Devnet devnet;
  static Secp256k1.KeyPair nodeKey;
  static NodeApp node;
  static PublishedModel vad;
  static OnnxRuntimeEngine reference;

  @BeforeAll
  static void start() throws Exception {
    devnet = Devnet.get();
    byte[] onnx = RecurrentTestModel.onnx();
    reference = OnnxRuntimeEngine.load(onnx);
    Path file = dir.resolve("vad.onnx");
    Files.write(file, onnx);
    try (VouchClient c = devnet.client(devnet.fundedKey("vad-publisher"))) {
      vad =
          c.models().push(file, PushRequest.vanilla("vad", 1, BigInteger.ZERO, Keccak.hash("vad")));
    }
    nodeKey = devnet.fundedKey("vad-node");
    node =
        new NodeApp(
            new NodeConfig(
                "127.0.0.1",
                0,
                nodeKey,
                devnet.deployment.chainId(),
                devnet.deployment.inferenceHub(),
                1 << 16,
                1 << 20,
                BigInteger.ZERO),
            Clock.systemUTC(),
            new ChainSettings(
                devnet.anvil.rpcUrl(),
                devnet.deployment,
                Devnet.ETH,
                List.of(devnet.hub.uri()),
                model -> false, // serves only the model loaded below
                dir.resolve("journal.jsonl"),
                Duration.ofMillis(100),
                null));
    node.load(
        new LoadedModel(
            vad.modelId(),
            vad.name(),
            vad.version(),
            vad.cid(),
            Set.of(VerificationLevel.VANILLA),
            BigInteger.ZERO,
            new OnnxModelRunner(OnnxRuntimeEngine.load(onnx))));
    node.start(); // registers itself with stake, serving vad@1
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      devnet.unbond(nodeKey);
      node.stop();
    }
    if (reference != null) {
      reference.close();
    }
  }

  static NamedTensors expected(NamedTensors inputs) {
    return NamedTensors.of(reference.run(inputs.asMap()));
  }

  /** Escrow is conserved after every test: the hub's and the court's books (chain's test-jar). */
  EscrowBooks books;

  @BeforeEach
  void openTheBooks() throws Exception {
    books = devnet.books();
  }

  @AfterEach
  void escrowIsConserved() throws Exception {
    books.assertBalanced();
  }

  @Test
  void theDirectPathRunsAModelWithSeveralNamedInputsAndVerifiesEveryOutput() {
    NamedTensors in = RecurrentTestModel.inputs(0.3f);
    try (VouchClient c = devnet.client(devnet.fundedKey("vad-direct"))) {
      InferenceOutcome r =
          c.infer("vad@1", in, Requirements.defaults().withPreferredNode(nodeKey.address()));

      assertThat(r.outputs()).isEqualTo(expected(in));
      assertThat(r.outputs().names()).containsExactly("output", "stateN");
      assertThat(r.verification()).isInstanceOf(InferenceOutcome.Verification.ClientVerified.class);
      assertThat(r.receipt().receipt().inputHash()).isEqualTo(in.hash());
      assertThat(c.verify(r).verification())
          .isInstanceOf(InferenceOutcome.Verification.ClientVerified.class);
    }
  }

  @Test
  void onChainTheInputBundleIsRunAndTheOutputBundleFinalized() {
    NamedTensors in = RecurrentTestModel.inputs(-0.8f);
    try (VouchClient c = devnet.client(devnet.fundedKey("vad-onchain"))) {
      OnChainRequest handle =
          c.inferOnChain(
              "vad@1",
              in,
              OnChainOptions.defaults(FEE)
                  .withPreferredNode(nodeKey.address())
                  .withFastDelivery(true));
      OnChainResult submitted = c.awaitResult(handle, Finality.SUBMITTED, Duration.ofSeconds(30));

      assertThat(submitted.node()).isEqualTo(nodeKey.address());
      assertThat(submitted.outputs()).isEqualTo(expected(in));
      assertThat(submitted.outputHash()).isEqualTo(submitted.outputs().hash());
    }
  }
}
