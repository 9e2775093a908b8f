package io.vouch.onnx.quant;

import java.util.ArrayList;
import java.util.List;

/**
 * The bit-exact reference engine of an {@link IntegerModel}. Normative: the ZK prover proves
 * exactly this computation, audits re-run it, and float engines are compared with it within the
 * declared tolerance.
 *
 * <p>Per layer: z = W·a + b with int64 accumulators; hidden layers then compute q = (ε·z + 2^(s−1))
 * &gt;&gt; s (arithmetic shift, so rounding is half up) and clamp q to the activation's int8
 * interval; the last layer returns z.
 */
public final class IntegerEngine {
  private IntegerEngine() {}

  /** Runs the model and returns the logits. */
  public static long[] run(IntegerModel model, byte[] input) {
    return trace(model, input).logits();
  }

  /** Runs the model and keeps every intermediate value (the prover's witness). */
  public static Trace trace(IntegerModel model, byte[] input) {
    if (input.length != model.inputSize()) {
      throw new IllegalArgumentException(
          "model takes " + model.inputSize() + " int8 inputs, got " + input.length);
    }
    List<LayerTrace> layers = new ArrayList<>(model.layers().size());
    byte[] a = input.clone();
    long[] logits = null;
    for (DenseLayer layer : model.layers()) {
      long[] z = accumulate(layer, a);
      if (layer.output() instanceof LayerOutput.Requantized rq) {
        int n = z.length;
        long[] q = new long[n];
        long[] e = new long[n];
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
          long t = rq.multiplier() * z[i] + rq.roundingOffset();
          q[i] = t >> rq.shift();
          e[i] = t - (q[i] << rq.shift());
          out[i] = rq.activation().apply(q[i]);
        }
        layers.add(new LayerTrace(a, z, q, e, out));
        a = out;
      } else {
        layers.add(new LayerTrace(a, z, new long[0], new long[0], new byte[0]));
        logits = z;
      }
    }
    return new Trace(layers, logits);
  }

  private static long[] accumulate(DenseLayer layer, byte[] a) {
    int in = layer.inputs();
    byte[] w = layer.weightsView();
    long[] z = new long[layer.outputs()];
    for (int i = 0; i < z.length; i++) {
      long s = layer.biasAt(i);
      int base = i * in;
      for (int k = 0; k < in; k++) {
        s += w[base + k] * a[k];
      }
      z[i] = s;
    }
    return z;
  }
}
