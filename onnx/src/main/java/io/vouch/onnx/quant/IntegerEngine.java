package io.vouch.onnx.quant;

/**
 * The bit-exact reference engine of an {@link IntegerModel}. Normative: the ZK prover proves
 * exactly this computation, audits re-run it, and float engines are compared with it within the
 * declared tolerance.
 *
 * <p>Every op accumulates in int64 (exactly: the model's validation bounds every sum below 2^62),
 * then, if it requantizes, computes q = (ε_c·z + 2^(s−1)) &gt;&gt; s (arithmetic shift, so rounding
 * is half up) and clamps q to the activation's int8 interval. The ops:
 *
 * <ul>
 *   <li>{@link DenseOp}: z = W·x + b over the flattened input;
 *   <li>{@link ConvOp}: z[co, p] = Σ W[co, cj, k]·x[g·Cg + cj, source(p, k)] + b[co, p], padding
 *       reading nothing;
 *   <li>{@link MaxPoolOp}: the max over the window's non-padding positions (int8 in, int8 out);
 *   <li>{@link AveragePoolOp}: z = w_p·(sum over the window's non-padding positions) + b;
 *   <li>{@link ElementwiseOp}: z = Σ_j m_j[c]·x_j + b;
 *   <li>{@link WiringOp}: copies values (0 where it names no source);
 *   <li>{@link TableOp}: y = table[x + 128], a function of one int8 value;
 *   <li>{@link MatMulOp}: z[b, i, l] = Σ_j L[b, i, j]·R[b, j, l] of two activations;
 *   <li>{@link ProductOp}: z = x·y, value by value;
 *   <li>{@link SoftmaxOp}: per row, e = exp[max − x], R = ⌊Q·2^K/Σe⌋ and y = round(e·R/2^K), within
 *       ½ + 1/(2L) of Q·e/Σe;
 *   <li>{@link LayerNormOp}: per row, z = g·(L·x − Σx)·⌊2^K/⌊√(Σc² + E)⌋⌋ + b;
 *   <li>{@link GatherOp}: y[p, :] = table[idx[p], :] for an index input.
 * </ul>
 */
public final class IntegerEngine {
  private IntegerEngine() {}

  /** Runs the model on its inputs (concatenated in order) and returns the outputs (likewise). */
  public static long[] run(IntegerModel model, byte[] input) {
    return trace(model, input).logits();
  }

  /** Runs the model and keeps every intermediate value (the prover's witness). */
  public static Trace trace(IntegerModel model, byte[] input) {
    return trace(model, input, Ranges.SERIAL);
  }

  /**
   * {@link #trace(IntegerModel, byte[])} with the dense, convolution and activation-product loops
   * and the requantizations run through {@code ranges} (split over output features, output
   * channels, output rows and values): the same values, bit for bit, on as many threads as {@code
   * ranges} uses.
   */
  public static Trace trace(IntegerModel model, byte[] input, Ranges ranges) {
    if (input.length != model.inputBytes()) {
      throw new IllegalArgumentException(
          "model takes "
              + model.inputBytes()
              + " input bytes (int8 inputs, 4 per token id), got "
              + input.length);
    }
    int first = model.inputs().size();
    int count = first + model.ops().size();
    byte[][] values = new byte[count][];
    long[][] accumulators = new long[count][];
    int offset = 0;
    for (int i = 0; i < first; i++) {
      ModelInput in = model.inputs().get(i);
      int n = in.shape().size() * in.bytesPerValue(); // an index input keeps its 4-byte values
      values[i] = java.util.Arrays.copyOfRange(input, offset, offset + n);
      offset += n;
    }
    for (int j = 0; j < model.ops().size(); j++) {
      IntegerOp op = model.ops().get(j);
      int id = first + j;
      switch (op) {
        case MaxPoolOp m -> values[id] = maxPool(m, values[m.input()]);
        case WiringOp w -> values[id] = wire(w, values);
        case TableOp t -> values[id] = table(t, values[t.input()]);
        case SoftmaxOp s -> values[id] = softmax(s, values[s.input()]);
        case GatherOp g -> values[id] = gather(g, values[g.indices()]);
        default -> {
          long[] z =
              switch (op) {
                case DenseOp d -> dense(d, values[d.input()], ranges);
                case ConvOp c -> conv(c, values[c.input()], ranges);
                case AveragePoolOp a -> averagePool(a, values[a.input()]);
                case ElementwiseOp e -> elementwise(e, values);
                case MatMulOp mm -> matMul(mm, values[mm.left()], values[mm.right()], ranges);
                case ProductOp p -> product(values[p.left()], values[p.right()]);
                case LayerNormOp l -> layerNorm(l, values[l.input()]);
                default -> throw new IllegalStateException("unreachable");
              };
          accumulators[id] = z;
          Requantization rq = op.requantization();
          if (rq != null) {
            values[id] = requantize(rq, z, op, ranges);
          }
        }
      }
    }
    int total = model.outputSize();
    long[] logits = new long[total];
    int at = 0;
    for (ModelOutput o : model.outputs()) {
      long[] z = accumulators[o.tensor()];
      if (z == null || values[o.tensor()] != null) {
        byte[] y = values[o.tensor()];
        for (int i = 0; i < y.length; i++) {
          logits[at + i] = y[i];
        }
        at += y.length;
        continue;
      }
      System.arraycopy(z, 0, logits, at, z.length);
      at += z.length;
    }
    return new Trace(values, accumulators, logits);
  }

  /**
   * Ops of less work than this (multiply-adds; a requantization counts 8 per value) run on the
   * calling thread: a split costs a few microseconds.
   */
  static final long PARALLEL_WORK = 1 << 16;

  /**
   * Items [0, n) of an op of {@code work} multiply-adds: through {@code ranges} if the op is large
   * enough to split, else in one call here (the reference engine's own path: no lambda between the
   * caller and the loop).
   */
  private static void run(Ranges ranges, long work, int n, Ranges.Range items) {
    if (ranges == Ranges.SERIAL || work < PARALLEL_WORK) {
      items.run(0, n);
    } else {
      ranges.run(n, items);
    }
  }

  /**
   * q = (ε_c·z + 2^(s−1)) &gt;&gt; s clamped, with c the value's multiplier index (its channel; a
   * dense op's output over several rows).
   */
  static byte[] requantize(Requantization rq, long[] z, IntegerOp op, Ranges ranges) {
    byte[] out = new byte[z.length];
    run(ranges, 8L * z.length, z.length, (from, to) -> requantize(rq, z, op, out, from, to));
    return out;
  }

  private static void requantize(
      Requantization rq, long[] z, IntegerOp op, byte[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] = rq.apply(z[i], op.multiplierIndex(i));
    }
  }

  static long[] dense(DenseOp d, byte[] x, Ranges ranges) {
    long[] z = new long[d.rows() * d.outputs()];
    run(
        ranges,
        (long) d.rows() * d.outputs() * d.inputSize(),
        d.outputs(),
        (from, to) -> denseOutputs(d, x, z, from, to));
    return z;
  }

  /** Outputs [from, to) of a dense op, over every row, into z. */
  private static void denseOutputs(DenseOp d, byte[] x, long[] z, int from, int to) {
    int in = d.inputSize();
    byte[] w = d.weightsView();
    long[] bias = d.bias();
    int outs = d.outputs();
    for (int r = 0; r < d.rows(); r++) {
      int xr = r * in;
      for (int i = from; i < to; i++) {
        long s = bias[i];
        int base = i * in;
        for (int k = 0; k < in; k++) {
          s += w[base + k] * x[xr + k];
        }
        z[r * outs + i] = s;
      }
    }
  }

  static long[] conv(ConvOp c, byte[] x, Ranges ranges) {
    Window win = c.window();
    long[] z = new long[c.outputShape().size()];
    // int sums are exact while Cg·kh·kw·127·128 < 2^31; beyond that, per-kernel-row flushes
    boolean flushRows =
        (long) c.groupInputChannels() * win.kernelHeight() * win.kernelWidth() * 127 * 128
            >= Integer.MAX_VALUE;
    long work = (long) z.length * c.groupInputChannels() * win.kernelSize();
    run(ranges, work, c.outChannels(), (from, to) -> convChannels(c, x, z, from, to, flushRows));
    return z;
  }

  /** Output channels [from, to) of a convolution into z. */
  private static void convChannels(
      ConvOp c, byte[] x, long[] z, int from, int to, boolean flushRows) {
    TensorShape in = c.inputShape();
    TensorShape out = c.outputShape();
    Window win = c.window();
    int h = in.height(), w = in.width(), oh = out.height(), ow = out.width();
    int cg = c.groupInputChannels(), og = c.groupOutputChannels();
    int kh = win.kernelHeight(), kw = win.kernelWidth();
    int positions = oh * ow;
    byte[] weights = c.weightsView();
    long[] bias = c.biasView();
    int sw = win.strideWidth();
    int[] acc = new int[positions];
    for (int co = from; co < to; co++) {
      int g = co / og;
      java.util.Arrays.fill(acc, 0);
      long[] wide = flushRows ? new long[positions] : null;
      for (int cj = 0; cj < cg; cj++) {
        int plane = (g * cg + cj) * h * w;
        int wBase = (co * cg + cj) * kh * kw;
        for (int ky = 0; ky < kh; ky++) {
          for (int kx = 0; kx < kw; kx++) {
            int wv = weights[wBase + ky * kw + kx];
            if (wv == 0) {
              continue;
            }
            // the output columns whose input column is inside [0, w)
            int off = kx * win.dilationWidth() - win.padLeft();
            int oxFrom = off >= 0 ? 0 : (-off + sw - 1) / sw;
            int oxTo = Math.min(ow, (w - 1 - off) / sw + 1);
            if (w - 1 - off < 0) {
              continue;
            }
            for (int oy = 0; oy < oh; oy++) {
              int iy = win.inputRow(oy, ky);
              if (iy < 0 || iy >= h) {
                continue;
              }
              int row = plane + iy * w + off;
              int o = oy * ow;
              if (sw == 1) {
                for (int ox = oxFrom; ox < oxTo; ox++) {
                  acc[o + ox] += wv * x[row + ox];
                }
              } else {
                for (int ox = oxFrom; ox < oxTo; ox++) {
                  acc[o + ox] += wv * x[row + ox * sw];
                }
              }
            }
          }
          if (flushRows) {
            for (int p = 0; p < positions; p++) {
              wide[p] += acc[p];
            }
            java.util.Arrays.fill(acc, 0);
          }
        }
      }
      int base = co * positions;
      for (int p = 0; p < positions; p++) {
        z[base + p] = (flushRows ? wide[p] : acc[p]) + bias[base + p];
      }
    }
  }

  static byte[] maxPool(MaxPoolOp m, byte[] x) {
    TensorShape in = m.inputShape();
    TensorShape out = m.outputShape();
    Window win = m.window();
    int positions = out.spatial();
    byte[] y = new byte[out.size()];
    for (int c = 0; c < in.channels(); c++) {
      int plane = c * in.spatial();
      for (int p = 0; p < positions; p++) {
        int best = Byte.MIN_VALUE;
        for (int k = 0; k < win.kernelSize(); k++) {
          int s = win.source(in.height(), in.width(), out.width(), p, k);
          if (s >= 0) {
            best = Math.max(best, x[plane + s]);
          }
        }
        y[c * positions + p] = (byte) best;
      }
    }
    return y;
  }

  static long[] averagePool(AveragePoolOp a, byte[] x) {
    TensorShape in = a.inputShape();
    TensorShape out = a.outputShape();
    Window win = a.window();
    int positions = out.spatial();
    long[] weights = a.positionWeightsView();
    long[] bias = a.biasView();
    long[] z = new long[out.size()];
    for (int c = 0; c < in.channels(); c++) {
      int plane = c * in.spatial();
      for (int p = 0; p < positions; p++) {
        long s = 0;
        for (int k = 0; k < win.kernelSize(); k++) {
          int src = win.source(in.height(), in.width(), out.width(), p, k);
          if (src >= 0) {
            s += x[plane + src];
          }
        }
        int i = c * positions + p;
        z[i] = weights[p] * s + bias[i];
      }
    }
    return z;
  }

  static long[] elementwise(ElementwiseOp e, byte[][] values) {
    TensorShape shape = e.outputShape();
    int n = shape.size();
    int spatial = shape.spatial();
    int[] in = e.inputs();
    long[] z = new long[n];
    for (int i = 0; i < n; i++) {
      z[i] = e.biasAt(i);
    }
    for (int j = 0; j < in.length; j++) {
      byte[] x = values[in[j]];
      for (int i = 0; i < n; i++) {
        z[i] += e.multiplier(j, i / spatial) * x[i];
      }
    }
    return z;
  }

  /** z[b, i, l] = Σ_j L[b, i, j]·R[b, j, l]. */
  static long[] matMul(MatMulOp mm, byte[] left, byte[] right, Ranges ranges) {
    int m = mm.m(), k = mm.k(), n = mm.n();
    long[] z = new long[mm.batch() * m * n];
    run(
        ranges,
        (long) z.length * k,
        mm.batch() * m,
        (from, to) -> matMulRows(mm, left, right, z, from, to));
    return z;
  }

  /** Output rows [from, to) (batch·m + i) of an activation product into z. */
  private static void matMulRows(
      MatMulOp mm, byte[] left, byte[] right, long[] z, int from, int to) {
    int k = mm.k(), n = mm.n();
    int[] row = new int[n];
    for (int bi = from; bi < to; bi++) {
      java.util.Arrays.fill(row, 0);
      int lBase = bi * k;
      int b = bi / mm.m();
      for (int j = 0; j < k; j++) {
        int a = left[lBase + j];
        if (a == 0) {
          continue;
        }
        int rBase = (b * k + j) * n;
        for (int l = 0; l < n; l++) {
          row[l] += a * right[rBase + l];
        }
      }
      int zBase = bi * n;
      for (int l = 0; l < n; l++) {
        z[zBase + l] = row[l]; // |Σ| ≤ k·2^14 < 2^31 for k < 2^17
      }
    }
  }

  /** z[i] = x[i]·y[i]. */
  static long[] product(byte[] x, byte[] y) {
    long[] z = new long[x.length];
    for (int i = 0; i < z.length; i++) {
      z[i] = x[i] * y[i];
    }
    return z;
  }

  /**
   * y[p, :] = table[idx[p], :] of the 4-byte little-endian indices.
   *
   * @throws IllegalArgumentException for an index outside the table
   */
  public static byte[] gather(GatherOp g, byte[] indices) {
    int n = indices.length / 4, w = g.width();
    byte[] table = g.tableView();
    byte[] y = new byte[n * w];
    for (int p = 0; p < n; p++) {
      int idx = IntegerModel.index(indices, p);
      if (idx < 0 || idx >= g.vocabulary()) {
        throw new IllegalArgumentException(
            "index "
                + idx
                + " at position "
                + p
                + " is outside the table's "
                + g.vocabulary()
                + " rows");
      }
      System.arraycopy(table, idx * w, y, p * w, w);
    }
    return y;
  }

  /**
   * The int8 output of op {@code j} from the values of the tensors it reads (by tensor id): what a
   * verifier computes for the ops whose inputs are all public (embeddings, and tables and
   * elementwise ops of public tensors).
   */
  public static byte[] evaluate(IntegerModel model, int j, byte[][] values) {
    IntegerOp op = model.ops().get(j);
    return switch (op) {
      case GatherOp g -> gather(g, values[g.indices()]);
      case TableOp t -> table(t, values[t.input()]);
      case ElementwiseOp e ->
          requantize(e.requantization(), elementwise(e, values), e, Ranges.SERIAL);
      default -> throw new IllegalArgumentException(op.kind() + " is not computed in the open");
    };
  }

  /** Per row: c = L·x − Σx, σ = ⌊√(Σc² + E)⌋, ρ = ⌊2^K/σ⌋, z = g·c·ρ + b. */
  public static long[] layerNorm(LayerNormOp l, byte[] x) {
    int n = l.length();
    long[] g = l.gamma(), b = l.beta();
    long[] z = new long[x.length];
    long[] c = new long[n];
    for (int r = 0; r < l.rowCount(); r++) {
      int base = r * n;
      long sum = 0;
      for (int j = 0; j < n; j++) {
        sum += x[base + j];
      }
      long v = 0;
      for (int j = 0; j < n; j++) {
        c[j] = (long) n * x[base + j] - sum;
        v += c[j] * c[j];
      }
      long sigma = LayerNormOp.isqrt(v + l.epsilon());
      long rho = (1L << l.precision()) / sigma;
      for (int j = 0; j < n; j++) {
        z[base + j] = g[j] * c[j] * rho + b[j];
      }
    }
    return z;
  }

  /**
   * Per row of {@code length}: m = max x, e = exp[m − x], E = Σ e, R = ⌊Q·2^K/E⌋, y = ⌊(e·R +
   * 2^(K−1))/2^K⌋ ({@link SoftmaxOp}).
   */
  public static byte[] softmax(SoftmaxOp s, byte[] x) {
    int n = s.length();
    long[] exp = s.exp();
    byte[] y = new byte[x.length];
    long[] e = new long[n];
    for (int r = 0; r < s.rowCount(); r++) {
      int base = r * n;
      int m = Byte.MIN_VALUE;
      for (int j = 0; j < n; j++) {
        m = Math.max(m, x[base + j]);
      }
      long sum = 0;
      for (int j = 0; j < n; j++) {
        e[j] = exp[m - x[base + j]];
        sum += e[j];
      }
      long reciprocal = s.reciprocal(sum);
      for (int j = 0; j < n; j++) {
        y[base + j] = (byte) s.divide(e[j], reciprocal);
      }
    }
    return y;
  }

  /** y[i] = table[x[i] + 128]. */
  public static byte[] table(TableOp t, byte[] x) {
    byte[] y = new byte[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = t.apply(x[i]);
    }
    return y;
  }

  static byte[] wire(WiringOp w, byte[][] values) {
    int[] in = w.inputs();
    byte[] y = new byte[w.outputShape().size()];
    for (int i = 0; i < y.length; i++) {
      int s = w.sourceInputAt(i);
      y[i] = s < 0 ? 0 : values[in[s]][w.sourceIndexAt(i)];
    }
    return y;
  }
}
