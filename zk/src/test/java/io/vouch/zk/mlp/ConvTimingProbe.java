package io.vouch.zk.mlp;

import io.vouch.benchmodels.ClassifierModel;
import io.vouch.benchmodels.ConvNets;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.IntegerModel;

/**
 * Rough wall-clock numbers for the CNN test models (LENET5, CNN_264K), printed to stdout. Not a
 * test and not a benchmark of record (those are JMH, in bench/); run with the test classpath:
 * {@code java -cp ... io.vouch.zk.mlp.ConvTimingProbe [LENET5|CNN_264K] [seconds]}.
 */
public final class ConvTimingProbe {
  private ConvTimingProbe() {}

  public static void main(String[] args) {
    String which = args.length > 0 ? args[0] : "LENET5";
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
    ClassifierModel m = which.equals("LENET5") ? ConvNets.lenet5(5) : ConvNets.cnn264k(5);
    ZkCompiler.Compiled compiled =
        ZkCompiler.compile(OnnxModelFile.parse(m.onnx()), m.inputs(1, 128), 0.9);
    ZkModel model = compiled.model();
    IntegerModel integer = model.integerModel();
    byte[] x = model.quantizeInput(m.inputs(9, 1)[0]);
    byte[] request = RandomModels.requestId(1);
    ProvedInference proved = ZkProver.prove(model, request, x);
    byte[] bytes = proved.proof().toBytes();
    System.out.printf(
        "%s: witness %d × %d, 2^%d lookup leaves, proof %d bytes%n",
        which, model.plan().rowCount, model.plan().width, model.plan().leafBits, bytes.length);
    long sink = 0;
    double bestInference = 1e18, bestProve = 1e18, bestVerify = 1e18;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long half = System.nanoTime() + (long) (seconds * 0.5e9);
    boolean cleared = false;
    while (System.nanoTime() < end) {
      if (!cleared && System.nanoTime() > half) {
        bestInference = bestProve = bestVerify = 1e18;
        cleared = true;
      }
      long a = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        sink += IntegerEngine.run(integer, x)[0];
      }
      long b = System.nanoTime();
      for (int i = 0; i < 3; i++) {
        sink += ZkProver.prove(model, request, x).proof().toBytes().length;
      }
      long c = System.nanoTime();
      for (int i = 0; i < 3; i++) {
        ZkVerifier.verify(model.verifyingKey(), request, x, proved.logits(), bytes);
      }
      long d = System.nanoTime();
      bestInference = Math.min(bestInference, (b - a) / 1e6 / 20);
      bestProve = Math.min(bestProve, (c - b) / 1e6 / 3);
      bestVerify = Math.min(bestVerify, (d - c) / 1e6 / 3);
    }
    System.out.printf(
        "best: inference %.3f ms, prove+serialize %.2f ms (%.1f×), parse+verify %.2f ms%n",
        bestInference, bestProve, bestProve / bestInference, bestVerify);
    System.out.println(sink == 42 ? "" : "done");
  }
}
