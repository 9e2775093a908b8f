package io.vouch.bench.validator;

import static io.vouch.bench.direct.BenchmarkSettings.NATIVE_ACCESS;
import static io.vouch.bench.direct.BenchmarkSettings.QUIET_NODE_LOG;

import io.vouch.bench.direct.BenchModel;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.Verdict;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.evidence.ToleranceRule;
import io.vouch.onnx.OnnxRuntimeEngine;
import java.math.BigInteger;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a VANILLA audit verdict costs a validator on this machine, against the inference itself in
 * the same run (issue 12, "validator cost per verdict"): {@link #inference} is ONNX Runtime alone
 * (the node's work, the denominator); {@link #auditVerdict} is the validator's work for one seat —
 * the re-execution, the model's tolerance rule (the default, argmax and max |Δ| ≤ 1e-4) against the
 * submitted output, and the EIP-712 verdict signed with its key. Fetching the model from the hub
 * happens once per model, not per verdict, and the chain calls are gas, not CPU (contracts/README).
 * The ZKML verdict is the proof's verification: {@code ZkmlCpuBenchmarks.verify} against {@code
 * integerInference} in one run, plus {@link #signVerdict} here.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {NATIVE_ACCESS, QUIET_NODE_LOG})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ValidatorCost {
  @Param({"MNIST_MLP", "SUPPORT_INTENTS"})
  public BenchModel model;

  OnnxRuntimeEngine engine;
  Tensor input;
  NamedTensors submitted;
  ToleranceRule rule;
  Secp256k1.KeyPair validator;
  Eip712Domain court;
  Verdict verdict;

  @Setup(Level.Trial)
  public void load() {
    engine = OnnxRuntimeEngine.load(model.onnx());
    input = model.sampleInput();
    submitted = NamedTensors.of(java.util.Map.of("output", engine.run(input)));
    rule = new ToleranceRule(ToleranceRule.Kind.ARGMAX_AND_MAX_ABS, 1e-4f); // the registry default
    validator = Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("bench-validator"));
    court = Eip712Domain.of(31_337, Address.fromHex("0x" + "c0".repeat(20)));
    verdict =
        new Verdict(
            BigInteger.valueOf(513),
            BigInteger.TWO,
            Keccak.hash(submitted.canonicalBytes()),
            Bytes32.ZERO,
            true,
            0);
  }

  @TearDown(Level.Trial)
  public void close() {
    engine.close();
  }

  /** The node's inference: the denominator. */
  @Benchmark
  public Tensor inference() {
    return engine.run(input);
  }

  /** One VANILLA audit seat: re-execute, compare under the tolerance rule, sign the verdict. */
  @Benchmark
  public Object auditVerdict() {
    NamedTensors mine = NamedTensors.of(java.util.Map.of("output", engine.run(input)));
    boolean valid = rule.mismatch(mine, submitted).isEmpty();
    if (!valid) {
      throw new IllegalStateException("the benchmark's re-execution disagreed with itself");
    }
    return verdict.sign(court, validator);
  }

  /** The signature alone, which every verdict carries (a ZKML verdict: verify + this). */
  @Benchmark
  public Object signVerdict() {
    return verdict.sign(court, validator);
  }
}
