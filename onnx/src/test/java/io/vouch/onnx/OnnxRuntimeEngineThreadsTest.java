package io.vouch.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.testmodels.TestModels;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime's native session creation needs more stack than a default JVM thread has; before the
 * engine moved loading to its own thread, loading from such a thread killed the process with
 * SIGSEGV (which would take this test JVM down with it).
 */
class OnnxRuntimeEngineThreadsTest {

  @Test
  void loadingFromAThreadWithASmallStackWorks() throws Exception {
    byte[] onnx = TestModels.randomMlpOnnx(5, 784, 128, 10);
    AtomicReference<Tensor> out = new AtomicReference<>();
    Thread small =
        new Thread(
            null,
            () -> {
              try (OnnxRuntimeEngine e = OnnxRuntimeEngine.load(onnx)) {
                out.set(e.run(Tensor.ofFloats(new int[] {1, 784}, new float[784])));
              }
            },
            "small-stack",
            256 * 1024);
    small.start();
    small.join();

    assertThat(out.get()).isNotNull();
    assertThat(out.get().shape()).containsExactly(1, 10);
  }

  @Test
  void aLoadedEngineRunsOnVirtualThreads() throws Exception {
    try (OnnxRuntimeEngine e = OnnxRuntimeEngine.load(TestModels.randomMlpOnnx(6, 8, 4, 2))) {
      AtomicReference<Tensor> out = new AtomicReference<>();
      Thread.ofVirtual()
          .start(() -> out.set(e.run(Tensor.ofFloats(new int[] {1, 8}, new float[8]))))
          .join();

      assertThat(out.get().shape()).containsExactly(1, 2);
    }
  }
}
