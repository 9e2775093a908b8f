package io.vouch.zk.mlp;

import io.vouch.onnx.quant.Activation;
import io.vouch.onnx.quant.AveragePoolOp;
import io.vouch.onnx.quant.ConvOp;
import io.vouch.onnx.quant.DenseOp;
import io.vouch.onnx.quant.ElementwiseOp;
import io.vouch.onnx.quant.GatherOp;
import io.vouch.onnx.quant.InputQuantization;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.LayerNormOp;
import io.vouch.onnx.quant.MatMulOp;
import io.vouch.onnx.quant.MaxPoolOp;
import io.vouch.onnx.quant.ModelInput;
import io.vouch.onnx.quant.ModelOutput;
import io.vouch.onnx.quant.ProductOp;
import io.vouch.onnx.quant.Requantization;
import io.vouch.onnx.quant.SoftmaxOp;
import io.vouch.onnx.quant.TableOp;
import io.vouch.onnx.quant.TensorShape;
import io.vouch.onnx.quant.Window;
import io.vouch.onnx.quant.WiringOp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random integer DAGs for property tests: one or two inputs, then random ops over any
 * earlier int8 tensors — convolutions (strides, pads, dilations, groups), max and average pooling,
 * elementwise combinations (residual adds, per-channel multipliers), function tables (also of the
 * public inputs, which the verifier then computes), wiring (concatenations, permutations, reshapes)
 * — and one or two Dense heads as outputs, sometimes with a table's int8 values as another output.
 * Requantization constants aim typical values at about ±60 so that activations use the int8 range
 * without saturating it.
 */
final class RandomGraphs {
  private RandomGraphs() {}

  private record Tensor(int id, TensorShape shape) {}

  static IntegerModel graph(long seed) {
    var rnd = new SplittableRandom(seed);
    List<ModelInput> inputs = new ArrayList<>();
    List<IntegerOp> ops = new ArrayList<>();
    List<Tensor> tensors = new ArrayList<>();
    int inputCount = rnd.nextInt(1, 3);
    for (int i = 0; i < inputCount; i++) {
      TensorShape s = new TensorShape(rnd.nextInt(1, 4), rnd.nextInt(3, 8), rnd.nextInt(3, 8));
      inputs.add(new ModelInput("in" + i, s, new InputQuantization(1.0 / 64, 0)));
      tensors.add(new Tensor(i, s));
    }
    if (rnd.nextInt(3) == 0) {
      // token ids and their embedding (public: the verifier computes it)
      int tokens = rnd.nextInt(2, 9), vocab = rnd.nextInt(3, 40), width = rnd.nextInt(2, 9);
      inputs.add(ModelInput.indices("tokens", TensorShape.vector(tokens), vocab));
      tensors.add(new Tensor(inputs.size() - 1, TensorShape.vector(tokens)));
    }
    int steps = rnd.nextInt(2, 7);
    int first = inputs.size();
    if (inputs.get(first - 1).isIndex()) {
      ModelInput tokens = inputs.get(first - 1);
      tensors.remove(tensors.size() - 1); // indices are read by the embedding only
      int width = rnd.nextInt(2, 9), vocab = tokens.indexRange() + rnd.nextInt(0, 3);
      int n = tokens.shape().size();
      ops.add(
          new GatherOp(
              first - 1,
              vocab,
              width,
              bytes(rnd, vocab * width, 127),
              new TensorShape(n, 1, width)));
      tensors.add(new Tensor(first, new TensorShape(n, 1, width)));
    }
    for (int step = 0; step < steps; step++) {
      Tensor x = tensors.get(rnd.nextInt(tensors.size()));
      IntegerOp op =
          switch (rnd.nextInt(12)) {
            case 0, 1 -> conv(rnd, x);
            case 2 -> maxPool(rnd, x);
            case 3 -> averagePool(rnd, x);
            case 4 -> elementwise(rnd, x, tensors);
            case 5 -> table(rnd, x);
            case 6 -> product(rnd, x, tensors);
            case 7 -> matMul(rnd, x, inputs.size(), ops, tensors);
            case 8 -> rowsDense(rnd, x);
            case 9 -> softmax(rnd, x, inputs.size(), ops, tensors);
            case 10 -> layerNorm(rnd, x, inputs.size(), ops, tensors);
            default -> wiring(rnd, x, tensors);
          };
      if (op == null) {
        continue;
      }
      ops.add(op);
      tensors.add(new Tensor(inputs.size() + ops.size() - 1, op.outputShape()));
    }
    // one or two dense heads on random tensors (at least one on the last)
    List<ModelOutput> outputs = new ArrayList<>();
    int heads = rnd.nextInt(1, 3);
    for (int h = 0; h < heads; h++) {
      Tensor x =
          h == 0 ? tensors.get(tensors.size() - 1) : tensors.get(rnd.nextInt(tensors.size()));
      int n = x.shape().size();
      int out = rnd.nextInt(2, 6);
      byte[] w = bytes(rnd, out * n, 20);
      long[] b = rnd.longs(out, -500, 500).toArray();
      ops.add(new DenseOp(x.id(), n, out, w, b, null));
      outputs.add(new ModelOutput("out" + h, inputs.size() + ops.size() - 1, 1e-3));
    }
    // an int8 output: a table op's values, when there is one
    for (int j = ops.size() - 1; j >= 0; j--) {
      if ((ops.get(j) instanceof TableOp
              || ops.get(j) instanceof SoftmaxOp
              || ops.get(j) instanceof LayerNormOp)
          && rnd.nextBoolean()) {
        outputs.add(new ModelOutput("int8", inputs.size() + j, 1.0 / 127));
        break;
      }
    }
    if (committedCount(inputs.size(), ops) == 0) {
      // a model must commit something: a copy of the first input, read by a last head
      Tensor x = tensors.get(0);
      int n = x.shape().size();
      int[] src = new int[n], idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      ops.add(new WiringOp(new int[] {x.id()}, x.shape(), src, idx));
      int id = inputs.size() + ops.size() - 1;
      ops.add(new DenseOp(id, n, 2, bytes(rnd, 2 * n, 20), new long[2], null));
      outputs.add(new ModelOutput("extra", inputs.size() + ops.size() - 1, 1e-3));
    }
    return new IntegerModel(inputs, ops, outputs);
  }

  /** Ops that commit something: neither accumulator outputs nor ops the verifier computes. */
  private static int committedCount(int inputCount, List<IntegerOp> ops) {
    boolean[] pub = new boolean[inputCount + ops.size()];
    java.util.Arrays.fill(pub, 0, inputCount, true);
    int n = 0;
    for (int j = 0; j < ops.size(); j++) {
      IntegerOp op = ops.get(j);
      boolean all = true;
      for (int in : op.inputs()) {
        all &= pub[in];
      }
      pub[inputCount + j] =
          op instanceof GatherOp || (all && (op instanceof TableOp || op instanceof ElementwiseOp));
      if (!op.outputsAccumulators() && !pub[inputCount + j]) {
        n++;
      }
    }
    return n;
  }

  /** Random int8 values, and valid token ids for an index input. */
  static byte[] input(IntegerModel model, long seed) {
    var rnd = new SplittableRandom(seed);
    float[] x = new float[model.inputSize()];
    int at = 0;
    for (ModelInput in : model.inputs()) {
      for (int i = 0; i < in.shape().size(); i++) {
        x[at++] =
            in.isIndex()
                ? rnd.nextInt(in.indexRange())
                : (float) (rnd.nextInt(-128, 128) * in.quantization().scale());
      }
    }
    return model.quantizeInputs(x);
  }

  private static byte[] bytes(SplittableRandom rnd, int n, int bound) {
    byte[] w = new byte[n];
    for (int i = 0; i < n; i++) {
      w[i] = (byte) rnd.nextInt(-bound, bound + 1);
    }
    return w;
  }

  /** ε, s with ε/2^s ≈ target/typical. */
  private static Requantization requant(
      SplittableRandom rnd, double typical, int channels, boolean perChannel) {
    int shift = rnd.nextInt(12, 24);
    long[] m = new long[perChannel ? channels : 1];
    for (int c = 0; c < m.length; c++) {
      double ratio = 60.0 / Math.max(1, typical) * (0.7 + 0.6 * rnd.nextDouble());
      m[c] = Math.max(1, Math.min((1L << 31) - 1, Math.round(ratio * (1L << shift))));
    }
    return new Requantization(m, shift, rnd.nextBoolean() ? Activation.RELU : Activation.CLAMP);
  }

  private static IntegerOp conv(SplittableRandom rnd, Tensor x) {
    TensorShape s = x.shape();
    int k = rnd.nextInt(1, 4);
    int dil = k > 1 && rnd.nextInt(4) == 0 ? 2 : 1;
    int pad = rnd.nextInt(0, k);
    int stride = rnd.nextInt(1, 3);
    Window w = new Window(k, k, stride, stride, dil, dil, pad, pad, pad, rnd.nextInt(0, k));
    if (w.outputHeight(s.height()) < 1 || w.outputWidth(s.width()) < 1) {
      return null;
    }
    int cin = s.channels();
    int groups = cin > 1 && rnd.nextBoolean() ? (rnd.nextBoolean() ? cin : largestDivisor(cin)) : 1;
    int cout = groups * rnd.nextInt(1, 3);
    if (groups == 1) {
      cout = rnd.nextInt(1, 5);
    }
    int per = cin / groups * k * k;
    byte[] weights = bytes(rnd, cout * per, 30);
    int positions = w.outputHeight(s.height()) * w.outputWidth(s.width());
    long[] bias = new long[cout * positions];
    for (int co = 0; co < cout; co++) {
      long b = rnd.nextLong(-300, 300);
      for (int p = 0; p < positions; p++) {
        bias[co * positions + p] = b + (rnd.nextInt(8) == 0 ? rnd.nextLong(-50, 50) : 0);
      }
    }
    double typical = Math.sqrt(per) * 15 * 60;
    return new ConvOp(
        x.id(), s, w, groups, cout, weights, bias, requant(rnd, typical, cout, rnd.nextBoolean()));
  }

  private static int largestDivisor(int n) {
    for (int d = n / 2; d > 1; d--) {
      if (n % d == 0) {
        return d;
      }
    }
    return 1;
  }

  private static IntegerOp maxPool(SplittableRandom rnd, Tensor x) {
    int k = rnd.nextInt(2, 4);
    int pad = rnd.nextInt(0, k);
    Window w = new Window(k, k, rnd.nextInt(1, 3), rnd.nextInt(1, 3), 1, 1, pad, 0, 0, pad);
    TensorShape s = x.shape();
    if (w.outputHeight(s.height()) < 1 || w.outputWidth(s.width()) < 1) {
      return null;
    }
    return new MaxPoolOp(x.id(), s, w);
  }

  private static IntegerOp averagePool(SplittableRandom rnd, Tensor x) {
    int k = rnd.nextInt(2, 4);
    int pad = rnd.nextInt(0, k);
    Window w = new Window(k, k, rnd.nextInt(1, 3), 1, 1, 1, pad, pad, pad, pad);
    TensorShape s = x.shape();
    if (w.outputHeight(s.height()) < 1 || w.outputWidth(s.width()) < 1) {
      return null;
    }
    int positions = w.outputHeight(s.height()) * w.outputWidth(s.width());
    long[] weights = new long[positions];
    for (int p = 0; p < positions; p++) {
      weights[p] = rnd.nextInt(1, 5);
    }
    long[] bias = rnd.longs((long) s.channels() * positions, -100, 100).toArray();
    double typical = Math.sqrt(k * k) * 60 * 2.5;
    return new AveragePoolOp(
        x.id(), s, w, weights, bias, requant(rnd, typical, s.channels(), false));
  }

  private static IntegerOp elementwise(SplittableRandom rnd, Tensor x, List<Tensor> tensors) {
    List<Integer> ins = new ArrayList<>();
    ins.add(x.id());
    for (Tensor t : tensors) {
      if (t.id() != x.id() && t.shape().equals(x.shape()) && ins.size() < 3) {
        ins.add(t.id());
      }
    }
    int channels = x.shape().channels();
    long[][] m = new long[ins.size()][];
    for (int j = 0; j < m.length; j++) {
      m[j] =
          rnd.nextBoolean()
              ? new long[] {rnd.nextLong(-300, 300)}
              : rnd.longs(channels, -300, 300).toArray();
    }
    long[] bias =
        rnd.nextBoolean()
            ? new long[] {rnd.nextLong(-2000, 2000)}
            : rnd.longs(x.shape().size(), -2000, 2000).toArray();
    double typical = Math.sqrt(ins.size()) * 150 * 60;
    return new ElementwiseOp(
        ins.stream().mapToInt(Integer::intValue).toArray(),
        x.shape(),
        m,
        bias,
        requant(rnd, typical, channels, rnd.nextBoolean()));
  }

  /** x·y for a tensor y of the same shape (x itself when there is none). */
  private static IntegerOp product(SplittableRandom rnd, Tensor x, List<Tensor> tensors) {
    Tensor y = x;
    for (Tensor t : tensors) {
      if (t.shape().equals(x.shape()) && rnd.nextBoolean()) {
        y = t;
      }
    }
    return new ProductOp(x.id(), y.id(), x.shape(), requant(rnd, 60 * 60, 1, false));
  }

  /**
   * A matrix product of x with a transposed copy of itself: x as one matrix per channel (C × H×W,
   * when W is a power of two) times its per-channel transpose, or x as a (C·H) × W matrix (rows as
   * channels, any sizes) times its transpose; the copies are wiring ops added first.
   */
  private static IntegerOp matMul(
      SplittableRandom rnd, Tensor x, int inputCount, List<IntegerOp> ops, List<Tensor> tensors) {
    TensorShape s = x.shape();
    int c = s.channels(), h = s.height(), w = s.width();
    boolean batched = Integer.bitCount(w) == 1 && Integer.bitCount(h) == 1 && rnd.nextBoolean();
    int batch = batched ? c : 1, m = batched ? h : c * h, k = w;
    int left = x.id();
    if (!batched) {
      // x as m rows of k: a channel per row
      int n = s.size();
      int[] src = new int[n], idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      ops.add(new WiringOp(new int[] {x.id()}, new TensorShape(m, 1, k), src, idx));
      left = inputCount + ops.size() - 1;
      tensors.add(new Tensor(left, new TensorShape(m, 1, k)));
    }
    // the transpose of every matrix: k × m
    TensorShape ts = batched ? new TensorShape(batch, k, m) : new TensorShape(k, 1, m);
    int n = ts.size();
    int[] src = new int[n], idx = new int[n];
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < k; j++) {
        for (int i = 0; i < m; i++) {
          idx[(b * k + j) * m + i] = (b * m + i) * k + j;
        }
      }
    }
    ops.add(new WiringOp(new int[] {x.id()}, ts, src, idx));
    int right = inputCount + ops.size() - 1;
    tensors.add(new Tensor(right, ts));
    TensorShape out = batched ? new TensorShape(batch, m, m) : new TensorShape(m, 1, m);
    return new MatMulOp(
        left, right, batch, m, k, m, out, requant(rnd, Math.sqrt(k) * 60 * 60, 1, false));
  }

  /**
   * Softmax over the last axis: x as C matrices of H rows (when W is a power of two), or copied
   * into a channel per row.
   */
  private static IntegerOp softmax(
      SplittableRandom rnd, Tensor x, int inputCount, List<IntegerOp> ops, List<Tensor> tensors) {
    TensorShape s = x.shape();
    int c = s.channels(), h = s.height(), w = s.width();
    long[] exp = new long[256];
    double scale = 0.01 + 0.09 * rnd.nextDouble();
    for (int d = 0; d < exp.length; d++) {
      exp[d] = Math.round(4096 * Math.exp(-scale * d));
    }
    if (Integer.bitCount(w) == 1 && h > 1 && rnd.nextBoolean()) {
      return new SoftmaxOp(x.id(), s, c, h, w, exp, 127);
    }
    int n = s.size();
    int[] src = new int[n], idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    TensorShape rows = new TensorShape(c * h, 1, w);
    ops.add(new WiringOp(new int[] {x.id()}, rows, src, idx));
    int id = inputCount + ops.size() - 1;
    tensors.add(new Tensor(id, rows));
    return new SoftmaxOp(id, rows, 1, c * h, w, exp, 127);
  }

  /**
   * Layer normalization over the last axis, its rows read like a softmax's; random scales, shifts
   * and ε, K from 18 to 26.
   */
  private static IntegerOp layerNorm(
      SplittableRandom rnd, Tensor x, int inputCount, List<IntegerOp> ops, List<Tensor> tensors) {
    TensorShape s = x.shape();
    int c = s.channels(), h = s.height(), w = s.width();
    if (w < 2) {
      return null;
    }
    int k = rnd.nextInt(18, 27);
    long[] g = rnd.longs(w, -300, 301).toArray();
    long[] b = rnd.longs(w, -(1L << (k + 8)), 1L << (k + 8)).toArray();
    long eps = rnd.nextLong(1, 2000);
    Requantization rq =
        Requantization.uniform(1, k + 3, rnd.nextBoolean() ? Activation.RELU : Activation.CLAMP);
    if (Integer.bitCount(w) == 1 && h > 1 && rnd.nextBoolean()) {
      return new LayerNormOp(x.id(), s, c, h, w, g, b, eps, k, rq);
    }
    int n = s.size();
    int[] src = new int[n], idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    TensorShape rows = new TensorShape(c * h, 1, w);
    ops.add(new WiringOp(new int[] {x.id()}, rows, src, idx));
    int id = inputCount + ops.size() - 1;
    tensors.add(new Tensor(id, rows));
    return new LayerNormOp(id, rows, 1, c * h, w, g, b, eps, k, rq);
  }

  /** The same dense weights on every channel's values (a token-wise projection). */
  private static IntegerOp rowsDense(SplittableRandom rnd, Tensor x) {
    TensorShape s = x.shape();
    int rows = s.channels(), in = s.spatial(), out = rnd.nextInt(1, 6);
    if (rows < 2) {
      return null;
    }
    byte[] w = bytes(rnd, out * in, 30);
    long[] b = rnd.longs(out, -300, 300).toArray();
    return new DenseOp(
        x.id(), in, out, w, b, requant(rnd, Math.sqrt(in) * 15 * 60, 1, false), rows);
  }

  /** A random function of int8 values (monotone half the time, like most activations). */
  private static IntegerOp table(SplittableRandom rnd, Tensor x) {
    byte[] t = new byte[TableOp.SIZE];
    boolean monotone = rnd.nextBoolean();
    int v = rnd.nextInt(-128, 0);
    for (int i = 0; i < t.length; i++) {
      if (monotone) {
        v = Math.min(127, v + rnd.nextInt(0, 2));
        t[i] = (byte) v;
      } else {
        t[i] = (byte) rnd.nextInt(-128, 128);
      }
    }
    return new TableOp(x.id(), x.shape(), t, monotone ? "Monotone" : "Random");
  }

  private static IntegerOp wiring(SplittableRandom rnd, Tensor x, List<Tensor> tensors) {
    TensorShape s = x.shape();
    switch (rnd.nextInt(3)) {
      case 0 -> {
        // channel concatenation with another tensor of the same spatial size (or itself)
        Tensor y = x;
        for (Tensor t : tensors) {
          if (t.shape().height() == s.height()
              && t.shape().width() == s.width()
              && rnd.nextBoolean()) {
            y = t;
          }
        }
        TensorShape out =
            new TensorShape(s.channels() + y.shape().channels(), s.height(), s.width());
        int n = out.size();
        int[] src = new int[n], idx = new int[n];
        for (int i = 0; i < n; i++) {
          boolean first = i < s.size();
          src[i] = first ? 0 : 1;
          idx[i] = first ? i : i - s.size();
        }
        return new WiringOp(new int[] {x.id(), y.id()}, out, src, idx);
      }
      case 1 -> {
        // transpose of height and width, one value left zero
        TensorShape out = new TensorShape(s.channels(), s.width(), s.height());
        int n = out.size();
        int[] src = new int[n], idx = new int[n];
        for (int c = 0; c < s.channels(); c++) {
          for (int yy = 0; yy < s.width(); yy++) {
            for (int xx = 0; xx < s.height(); xx++) {
              int o = (c * s.width() + yy) * s.height() + xx;
              idx[o] = (c * s.height() + xx) * s.width() + yy;
            }
          }
        }
        src[rnd.nextInt(n)] = -1;
        return new WiringOp(new int[] {x.id()}, out, src, idx);
      }
      default -> {
        // the same values as a vector (a Flatten a consumer needs in another shape)
        int n = s.size();
        int[] src = new int[n], idx = new int[n];
        for (int i = 0; i < n; i++) {
          idx[i] = i;
        }
        return new WiringOp(new int[] {x.id()}, TensorShape.vector(n), src, idx);
      }
    }
  }
}
