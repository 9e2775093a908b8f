package io.vouch.bench.direct;

import static io.vouch.bench.direct.BenchmarkSettings.ITERATION_SECONDS;
import static io.vouch.bench.direct.BenchmarkSettings.MEASUREMENT_ITERATIONS;
import static io.vouch.bench.direct.BenchmarkSettings.NATIVE_ACCESS;
import static io.vouch.bench.direct.BenchmarkSettings.QUIET_NODE_LOG;
import static io.vouch.bench.direct.BenchmarkSettings.WARMUP_ITERATIONS;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.tensor.Tensor;
import io.vouch.node.inference.ReceiptSigner;
import io.vouch.onnx.OnnxRuntimeEngine;
import java.time.Clock;
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
 * What the node adds to each request besides HTTP and JSON: keccak256 of the input and output
 * tensors' canonical encodings, the EIP-712 digest of the receipt, and the secp256k1 signature, all
 * through the node's own {@link ReceiptSigner}. Split into parts so that the report can show which
 * one dominates; {@link #signature} and {@link #signerRecovery} do not depend on the model.
 */
@Fork(
    value = 1,
    jvmArgsAppend = {NATIVE_ACCESS, QUIET_NODE_LOG})
@Warmup(iterations = WARMUP_ITERATIONS, time = ITERATION_SECONDS)
@Measurement(iterations = MEASUREMENT_ITERATIONS, time = ITERATION_SECONDS)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReceiptCost {
  private static final Bytes32 REQUEST_ID = Keccak.hash("receipt-cost-request");

  /** A model's real input and output, computed once: hashing cost grows with tensor size. */
  @State(Scope.Benchmark)
  public static class ModelTensors {
    @Param({"MNIST_MLP", "SUPPORT_INTENTS"})
    public BenchModel model;

    Tensor input;
    Tensor output;
    ReceiptSigner signer;

    @Setup(Level.Trial)
    public void runModelOnce() {
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
    }
  }

  /**
   * Receipt digests of consecutive sequence numbers with their signatures, to time signing and
   * recovery alone. Several digests, not one: web3j finds the recovery id by trial recovery, so the
   * cost of a signature depends on the digest, and one fixed digest could hit the cheap case.
   */
  @State(Scope.Thread)
  public static class SignedDigests {
    static final int COUNT = 64;
    Secp256k1.KeyPair key;
    Bytes32[] digests;
    Signature[] signatures;
    int next;

    @Setup(Level.Trial)
    public void signAll() {
      key = LoopbackNode.NODE_KEY;
      digests = new Bytes32[COUNT];
      signatures = new Signature[COUNT];
      for (int sequence = 0; sequence < COUNT; sequence++) {
        digests[sequence] =
            new InferenceReceipt(
                    REQUEST_ID,
                    Keccak.hash("model"),
                    Keccak.hash("input"),
                    Keccak.hash("output"),
                    VerificationLevel.VANILLA,
                    Bytes32.ZERO,
                    key.address(),
                    1_700_000_000L,
                    sequence)
                .digest(LoopbackNode.DOMAIN);
        signatures[sequence] = key.sign(digests[sequence]);
      }
    }

    int nextIndex() {
      next = (next + 1) % COUNT;
      return next;
    }
  }

  /** All of it, as {@code InferenceExecutor} does after the model has run. */
  @Benchmark
  public SignedReceipt fullReceipt(ModelTensors t) {
    return t.signer.sign(
        REQUEST_ID,
        t.model.modelId(),
        t.input.hash(),
        t.output.hash(),
        VerificationLevel.VANILLA,
        Bytes32.ZERO);
  }

  /** Everything but the signature: two tensor hashes and the EIP-712 digest. */
  @Benchmark
  public Bytes32 hashesAndDigest(ModelTensors t) {
    return new InferenceReceipt(
            REQUEST_ID,
            t.model.modelId(),
            t.input.hash(),
            t.output.hash(),
            VerificationLevel.VANILLA,
            Bytes32.ZERO,
            LoopbackNode.NODE_KEY.address(),
            1_700_000_000L,
            1)
        .digest(LoopbackNode.DOMAIN);
  }

  /**
   * The secp256k1 signature alone, as the project signs (BouncyCastle, deterministic k, one
   * fixed-base comb multiplication; recovery id from R's parity).
   */
  @Benchmark
  public Signature signature(SignedDigests d) {
    return d.key.sign(d.digests[d.nextIndex()]);
  }

  /**
   * The baseline the project's signer replaced: web3j's {@code Sign.signMessage}, byte-identical
   * output, but it finds the recovery id by trial public-key recovery.
   */
  @Benchmark
  public org.web3j.crypto.Sign.SignatureData web3jSignature(SignedDigests d) {
    return org.web3j.crypto.Sign.signMessage(
        d.digests[d.nextIndex()].toArray(),
        org.web3j.crypto.ECKeyPair.create(d.key.privateKey().toUint()),
        false);
  }

  /** What the SDK's verifier pays for the signature: recovering the signer, as ecrecover does. */
  @Benchmark
  public Address signerRecovery(SignedDigests d) {
    int i = d.nextIndex();
    return Secp256k1.recover(d.digests[i], d.signatures[i]);
  }
}
