package io.vouch.bench.tee;

import io.vouch.bench.direct.BenchModel;
import io.vouch.bench.direct.LoopbackNode;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.tensor.Tensor;
import io.vouch.node.inference.ReceiptSigner;
import io.vouch.node.tee.TeeProfile;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.tee.EnclaveSigner;
import io.vouch.tee.TeeReceiptVerdict;
import io.vouch.tee.TeeReceiptVerifier;
import io.vouch.tee.dev.DevEnclave;
import io.vouch.tee.dev.DevRootAuthority;
import io.vouch.tee.nitro.NitroAttestationVerifier;
import io.vouch.tee.nitro.TrustAnchors;
import io.vouch.tee.policy.AttestationPolicy;
import io.vouch.tee.policy.EnclaveManifest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * TEE result overhead against VANILLA on the same model, in the same run (goal: at most +0.2 ms per
 * result on the node). The node-side pair is what {@code InferenceExecutor} does after the model
 * ran: hash input and output, build the receipt, sign it — with the staked key through {@link
 * ReceiptSigner} (VANILLA) or with the enclave key through {@link EnclaveSigner} (TEE; the draft
 * comes from the same {@code ReceiptSigner}). The client-side pair is the local signature check of
 * each level ({@code signerRecovery}, the same ecrecover for both) and, for TEE only, the optional
 * attestation check of the document ({@code teeAttestationCheck}: COSE ES384 signature, P-384
 * certificate path, policy), which a client caches per document in practice. The on-chain {@code
 * isActiveEnclaveKey} call is an RPC round trip and is not measured here.
 */
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--enable-native-access=ALL-UNNAMED",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
    })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TeeReceiptCost {
  private static final Bytes32 REQUEST_ID = Keccak.hash("tee-receipt-cost-request");

  /** One model's real tensors, the node's receipt signer and a development enclave, made once. */
  @State(Scope.Benchmark)
  public static class Node {
    @Param({"MNIST_MLP", "SUPPORT_INTENTS"})
    public BenchModel model;

    Tensor input;
    Tensor output;
    ReceiptSigner signer;
    EnclaveSigner enclave;
    TeeReceiptVerifier attestationVerifier;
    SignedReceipt teeReceipt;
    SignedReceipt vanillaReceipt;

    @Setup(Level.Trial)
    public void start() {
      input = model.sampleInput();
      try (OnnxRuntimeEngine engine = OnnxRuntimeEngine.load(model.onnx())) {
        output = engine.run(input);
      }
      signer =
          new ReceiptSigner(
              LoopbackNode.NODE_KEY,
              LoopbackNode.DOMAIN,
              Clock.systemUTC(),
              ReceiptSigner.SequenceStore.inMemory());
      DevRootAuthority root = DevRootAuthority.generate(Instant.now());
      DevEnclave devEnclave =
          root.startEnclave(
              TeeProfile.DEV_NODE_SOFTWARE_ID.getBytes(StandardCharsets.US_ASCII),
              TeeProfile.DEV_ENCLAVE_CONFIG_ID.getBytes(StandardCharsets.US_ASCII),
              Instant.now());
      enclave = EnclaveSigner.generate(devEnclave::attest, new SecureRandom());
      enclave.attest(
          new EnclaveManifest(
              TeeProfile.nodeSoftwareMeasurement(),
              List.of(model.modelId()),
              LoopbackNode.DOMAIN.chainId(),
              LoopbackNode.DOMAIN.verifyingContract(),
              LoopbackNode.NODE_KEY.address()),
          new byte[32],
          Instant.now());
      attestationVerifier =
          new TeeReceiptVerifier(
              new NitroAttestationVerifier(
                  TrustAnchors.builder()
                      .developmentRoot(root.rootCertificate())
                      .allowDevelopmentRoot(true)
                      .build()),
              AttestationPolicy.builder().allowAnyMeasurement().build(),
              Duration.ofHours(12));
      teeReceipt = signTee(this);
      vanillaReceipt = signVanilla(this);
    }
  }

  /** VANILLA: the node's staked key signs ({@code InferenceExecutor}'s VANILLA branch). */
  @Benchmark
  public SignedReceipt vanillaReceipt(Node n) {
    return signVanilla(n);
  }

  /** TEE: the same draft, signed by the enclave key with the attestation's hash as evidence. */
  @Benchmark
  public SignedReceipt teeReceipt(Node n) {
    return signTee(n);
  }

  /**
   * Client, both levels: recovering the receipt's signer (what either level's check starts with).
   */
  @Benchmark
  public Address signerRecovery(Node n) {
    return n.teeReceipt.signer(LoopbackNode.DOMAIN);
  }

  /** Client, TEE: the attestation document check of the default {@code TeeTrust.attested()}. */
  @Benchmark
  public TeeReceiptVerdict teeAttestationCheck(Node n) {
    return n.attestationVerifier.verify(
        n.teeReceipt, n.enclave.evidence().attestationDocument(), LoopbackNode.DOMAIN);
  }

  static SignedReceipt signVanilla(Node n) {
    return n.signer.sign(
        REQUEST_ID,
        n.model.modelId(),
        n.input.hash(),
        n.output.hash(),
        VerificationLevel.VANILLA,
        Bytes32.ZERO);
  }

  static SignedReceipt signTee(Node n) {
    return n.enclave.sign(
        LoopbackNode.DOMAIN,
        n.signer.draft(
            REQUEST_ID,
            n.model.modelId(),
            n.input.hash(),
            n.output.hash(),
            VerificationLevel.TEE,
            Bytes32.ZERO));
  }
}
