package io.vouch.zk.mlp;

import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.IntegerModel;

/**
 * Rough wall-clock numbers for MLP 784-128-10, printed to stdout. Not a test and not a benchmark of
 * record (those are JMH, in bench/); run with the test classpath: {@code java -cp ...
 * io.vouch.zk.mlp.TimingProbe}.
 */
public final class TimingProbe {
  private TimingProbe() {}

  public static void main(String[] args) {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    IntegerModel m = RandomModels.mlp(1, 784, 128, 10);
    long t0 = System.nanoTime();
    ZkModel model = ZkModel.register(m);
    System.out.printf("register: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
    byte[] x = RandomModels.input(1, 784);
    byte[] request = RandomModels.requestId(1);
    ProvedInference proved = ZkProver.prove(model, request, x);
    byte[] bytes = proved.proof().toBytes();
    System.out.printf("proof size: %d bytes%n", bytes.length);
    long sink = 0;
    double bestInference = 1e18, bestProve = 1e18, bestVerify = 1e18;
    for (int round = 0; round < 8; round++) {
      long a = System.nanoTime();
      for (int i = 0; i < iterations; i++) {
        sink += IntegerEngine.run(m, x)[0];
      }
      long b = System.nanoTime();
      for (int i = 0; i < iterations / 4; i++) {
        sink += ZkProver.prove(model, request, x).proof().toBytes().length;
      }
      long c = System.nanoTime();
      for (int i = 0; i < iterations / 4; i++) {
        ZkVerifier.verify(model.verifyingKey(), request, x, proved.logits(), bytes);
      }
      long d = System.nanoTime();
      bestInference = Math.min(bestInference, (b - a) / 1e3 / iterations);
      bestProve = Math.min(bestProve, (c - b) / 1e6 / (iterations / 4));
      bestVerify = Math.min(bestVerify, (d - c) / 1e6 / (iterations / 4));
    }
    System.out.printf(
        "best of 8 rounds: inference %.1f µs, prove+serialize %.3f ms, parse+verify %.3f ms%n",
        bestInference, bestProve, bestVerify);
    System.out.println(sink == 42 ? "" : "done");
  }
}
