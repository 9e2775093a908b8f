package io.vouch.bench.direct;

import io.vouch.benchmodels.SeededModels;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.tensor.Tensor;
import io.vouch.demo.DemoModel;
import io.vouch.demo.text.HashedBagOfWords;

/**
 * The models the direct-path benchmarks run, each with one fixed batch-1 input. A JMH
 * {@code @Param}: every benchmark that takes a model runs once per constant.
 */
public enum BenchModel {
  /** The 784-128-10 ReLU MLP that ZKML.md and TOOLING.md's ONNX Runtime figure refer to. */
  MNIST_MLP("mnist-mlp") {
    @Override
    public byte[] onnx() {
      return SeededModels.randomMlpOnnx(MNIST_WEIGHTS_SEED, 784, 128, 10);
    }

    @Override
    public Tensor sampleInput() {
      float[] pixels = SeededModels.randomInputs(MNIST_INPUT_SEED, 1, 784)[0];
      return Tensor.ofFloats(new int[] {1, 784}, pixels);
    }
  },

  /** The demo intent classifier (512 hashed bag-of-words features, 64 hidden, 8 intents). */
  SUPPORT_INTENTS("support-intents") {
    @Override
    public byte[] onnx() {
      return DemoModelOnce.ONNX.clone();
    }

    @Override
    public Tensor sampleInput() {
      return HashedBagOfWords.withDefaultBuckets().toTensor(SUPPORT_MESSAGE);
    }
  };

  static final long MNIST_WEIGHTS_SEED = 7;
  static final long MNIST_INPUT_SEED = 11;
  static final String SUPPORT_MESSAGE =
      "I was charged twice for my order last week, please refund one of the payments";

  private final String name;

  BenchModel(String name) {
    this.name = name;
  }

  /** The ONNX file. */
  public abstract byte[] onnx();

  /** A fixed batch-1 input of the model's input shape. */
  public abstract Tensor sampleInput();

  /** The reference a client sends, {@code name@1}. */
  public String ref() {
    return name + "@1";
  }

  /** The registry id the node signs into receipts. */
  public Bytes32 modelId() {
    return Keccak.hash(ref());
  }

  /** Training the demo model takes a moment; do it once per JVM, and only if it is used. */
  private static final class DemoModelOnce {
    static final byte[] ONNX = DemoModel.build().onnx();
  }
}
