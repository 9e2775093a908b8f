package io.vouch.bench.zk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.benchmodels.ZkBenchmarkModels;
import io.vouch.zk.mlp.ZkVerifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each ZKML benchmark's setup and one invocation of every method, called directly (no JMH, no
 * timing). DENSE_4M is left out: its setup commits 4.2 M weights (seconds, ~1.5 GB), and it shares
 * every code path with the MLPs here; CNN_264K shares every code path with LENET5, and
 * TRANSFORMER_250K every op kind with KWS_HEAD and zk's OpGraphs (zk's SequenceModelsProofTest
 * proves it).
 */
class ZkmlBenchmarksRunOnceTest {
  @ParameterizedTest
  @EnumSource(
      value = ZkBenchmarkModels.Kind.class,
      names = {"MNIST_MLP", "SUPPORT_INTENTS", "LENET5", "KWS_HEAD"})
  void proveReturnsAProofOfTheInferenceThatVerifies(ZkBenchmarkModels.Kind model) {
    ZkmlBenchmarks bench = new ZkmlBenchmarks();
    bench.model = model;
    bench.register();

    long[] logits = bench.integerInference();
    byte[] proof = bench.prove();

    assertThat(logits).isEqualTo(bench.logits);
    assertThat(
            ZkVerifier.isValid(
                bench.registered.verifyingKey(), bench.requestId, bench.input, logits, proof))
        .isTrue();
    assertThat(bench.verify()).isEqualTo(logits);
    assertThat(bench.verifyOnOneThread()).isEqualTo(logits);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"MNIST_MLP, 1", "MNIST_MLP, 8", "LENET5, 4"})
  void aBatchProofVerifiesAndCarriesEveryItemsLogits(ZkBenchmarkModels.Kind model, int items) {
    ZkmlBatchBenchmarks bench = new ZkmlBatchBenchmarks();
    bench.model = model;
    bench.items = items;
    bench.register();
    ZkmlCpuBenchmarks.Cpu cpu = new ZkmlCpuBenchmarks.Cpu();
    cpu.before();
    byte[] proof = bench.prove(cpu);
    assertThat(
            ZkVerifier.isValid(
                bench.registered.verifyingKey(),
                bench.requestId,
                bench.batchInput,
                bench.logits,
                proof))
        .isTrue();
    int classes = bench.logits.length / items;
    for (int n = 0; n < items; n++) {
      assertThat(java.util.Arrays.copyOfRange(bench.logits, n * classes, (n + 1) * classes))
          .isEqualTo(io.vouch.onnx.quant.IntegerEngine.run(bench.bench.model(), bench.inputs[n]));
    }
    assertThat(bench.verify(cpu)).isEqualTo(bench.logits);
  }
}
