package io.vouch.zk.mlp;

import io.vouch.onnx.quant.Activation;
import io.vouch.onnx.quant.DenseLayer;
import io.vouch.onnx.quant.InputQuantization;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.LayerOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded random integer MLPs whose requantization keeps typical activations inside int8. */
final class RandomModels {
  private RandomModels() {}

  static IntegerModel mlp(long seed, int... widths) {
    var rnd = new SplittableRandom(seed);
    List<DenseLayer> layers = new ArrayList<>();
    for (int l = 0; l + 1 < widths.length; l++) {
      int in = widths[l], out = widths[l + 1];
      byte[] w = new byte[out * in];
      rnd.nextBytes(w);
      int[] b = rnd.ints(out, -2000, 2000).toArray();
      boolean last = l + 2 == widths.length;
      LayerOutput o;
      if (last) {
        o = new LayerOutput.Logits();
      } else {
        int shift = rnd.nextInt(12, 30);
        // typical |z| ≈ sqrt(in)·64·64; aim the requantized value at about ±100
        long multiplier = Math.max(1, (long) ((100.0 * (1L << shift)) / (Math.sqrt(in) * 4096)));
        Activation act = rnd.nextInt(4) == 0 ? Activation.CLAMP : Activation.RELU;
        o = new LayerOutput.Requantized(multiplier, shift, act);
      }
      layers.add(new DenseLayer(out, in, w, b, o));
    }
    return new IntegerModel(new InputQuantization(1.0 / 64, 0), layers, 1e-4);
  }

  static byte[] input(long seed, int n) {
    byte[] x = new byte[n];
    new SplittableRandom(seed).nextBytes(x);
    return x;
  }

  static byte[] requestId(long seed) {
    byte[] id = new byte[32];
    new SplittableRandom(seed ^ 0x5EED).nextBytes(id);
    return id;
  }
}
