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
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one canonical encoding of an {@link IntegerModel} (big-endian, {@link DataOutputStream}),
 * with each weight matrix either in full (the {@code .zkmodel} file) or as its 32-byte commitment
 * root (what the model id hashes): so the id and the file describe the graph the same way.
 *
 * <pre>
 *   u32 inputs;  per input: UTF name, i32 C, H, W, f64 scale, i32 zero point, i32 index range
 *                (0: int8; else token ids in [0, range))
 *   u32 ops;     per op: u8 kind, then
 *     1 Dense:       i32 input, i32 inputSize, i32 outputs, i32 rows, requant, i64[outputs] bias,
 *                    weights
 *     2 Conv:        i32 input, shape, window, i32 groups, i32 outChannels, requant, u32 n, i64[n]
 *                    bias, weights
 *     3 MaxPool:     i32 input, shape, window
 *     4 AveragePool: i32 input, shape, window, u32 n, i64[n] position weights, u32 m, i64[m]
 *                    bias, requant
 *     5 Elementwise: u32 k, i32[k] inputs, shape, per input u32 n, i64[n] multipliers, u32 m,
 *                    i64[m] bias, requant
 *     6 Wiring:      u32 k, i32[k] inputs, shape, u32 n, i32[n] source input, i32[n] source index
 *     7 Table:       i32 input, shape, UTF function, i8[256] table
 *     8 MatMul:      i32 left, i32 right, i32 batch, m, k, n, shape, requant
 *     9 Product:     i32 left, i32 right, shape, requant
 *    10 Softmax:     i32 input, shape, i32 batch, rows, length, outputMax, u32 n, i64[n] exp
 *    11 LayerNorm:   i32 input, shape, i32 batch, rows, length, u32 n, i64[n] gamma, u32 n,
 *                    i64[n] beta, i64 epsilon, i32 precision, requant
 *    12 Gather:      i32 indices, i32 vocabulary, i32 width, shape, table (weights' form)
 *   u32 outputs; per output: UTF name, i32 tensor, f64 scale
 *
 *   shape = i32 C, H, W;  window = i32 kh, kw, sh, sw, dh, dw, top, left, bottom, right
 *   requant = u8 0 (none: int64 output / pass-through) | u8 1, u32 n, i64[n] multipliers,
 *             i32 shift, u8 activation (0 RELU, 1 CLAMP)
 *   weights = u32 n, i8[n] (file) | 32-byte Ligero root of the committed matrix (model id)
 * </pre>
 */
final class GraphEncoding {
  static final int DENSE = 1, CONV = 2, MAXPOOL = 3, AVERAGE = 4, ELEMENTWISE = 5, WIRING = 6;
  static final int TABLE = 7, MATMUL = 8, PRODUCT = 9, SOFTMAX = 10, LAYERNORM = 11, GATHER = 12;

  private GraphEncoding() {}

  /**
   * Writes the model; {@code roots} (one per weighted op, in order) replace the weights if given.
   */
  static void write(DataOutputStream out, IntegerModel model, List<byte[]> roots)
      throws IOException {
    out.writeInt(model.inputs().size());
    for (ModelInput in : model.inputs()) {
      out.writeUTF(in.name());
      shape(out, in.shape());
      out.writeDouble(in.quantization().scale());
      out.writeInt(in.quantization().zeroPoint());
      out.writeInt(in.indexRange());
    }
    out.writeInt(model.ops().size());
    int w = 0;
    for (IntegerOp op : model.ops()) {
      switch (op) {
        case DenseOp d -> {
          out.writeByte(DENSE);
          out.writeInt(d.input());
          out.writeInt(d.inputSize());
          out.writeInt(d.outputs());
          out.writeInt(d.rows());
          requant(out, d.requantization());
          for (long b : d.bias()) {
            out.writeLong(b);
          }
          weights(out, d.weightsView(), roots, w++);
        }
        case ConvOp c -> {
          out.writeByte(CONV);
          out.writeInt(c.input());
          shape(out, c.inputShape());
          window(out, c.window());
          out.writeInt(c.groups());
          out.writeInt(c.outChannels());
          requant(out, c.requantization());
          longs(out, c.biasView());
          weights(out, c.weightsView(), roots, w++);
        }
        case MaxPoolOp m -> {
          out.writeByte(MAXPOOL);
          out.writeInt(m.input());
          shape(out, m.inputShape());
          window(out, m.window());
        }
        case AveragePoolOp a -> {
          out.writeByte(AVERAGE);
          out.writeInt(a.input());
          shape(out, a.inputShape());
          window(out, a.window());
          longs(out, a.positionWeightsView());
          longs(out, a.biasView());
          requant(out, a.requantization());
        }
        case ElementwiseOp e -> {
          out.writeByte(ELEMENTWISE);
          ints(out, e.inputs());
          shape(out, e.outputShape());
          for (long[] m : e.multipliers()) {
            longs(out, m);
          }
          longs(out, e.bias());
          requant(out, e.requantization());
        }
        case WiringOp x -> {
          out.writeByte(WIRING);
          ints(out, x.inputs());
          shape(out, x.outputShape());
          out.writeInt(x.outputShape().size());
          for (int i = 0; i < x.outputShape().size(); i++) {
            out.writeInt(x.sourceInputAt(i));
          }
          for (int i = 0; i < x.outputShape().size(); i++) {
            out.writeInt(x.sourceIndexAt(i));
          }
        }
        case MatMulOp x -> {
          out.writeByte(MATMUL);
          out.writeInt(x.left());
          out.writeInt(x.right());
          out.writeInt(x.batch());
          out.writeInt(x.m());
          out.writeInt(x.k());
          out.writeInt(x.n());
          shape(out, x.outputShape());
          requant(out, x.requantization());
        }
        case ProductOp x -> {
          out.writeByte(PRODUCT);
          out.writeInt(x.left());
          out.writeInt(x.right());
          shape(out, x.outputShape());
          requant(out, x.requantization());
        }
        case GatherOp x -> {
          out.writeByte(GATHER);
          out.writeInt(x.indices());
          out.writeInt(x.vocabulary());
          out.writeInt(x.width());
          shape(out, x.outputShape());
          out.writeInt(x.tableView().length);
          out.write(x.tableView());
        }
        case LayerNormOp x -> {
          out.writeByte(LAYERNORM);
          out.writeInt(x.input());
          shape(out, x.outputShape());
          out.writeInt(x.batch());
          out.writeInt(x.rows());
          out.writeInt(x.length());
          longs(out, x.gamma());
          longs(out, x.beta());
          out.writeLong(x.epsilon());
          out.writeInt(x.precision());
          requant(out, x.requantization());
        }
        case SoftmaxOp x -> {
          out.writeByte(SOFTMAX);
          out.writeInt(x.input());
          shape(out, x.outputShape());
          out.writeInt(x.batch());
          out.writeInt(x.rows());
          out.writeInt(x.length());
          out.writeInt(x.outputMax());
          longs(out, x.exp());
        }
        case TableOp x -> {
          out.writeByte(TABLE);
          out.writeInt(x.input());
          shape(out, x.outputShape());
          out.writeUTF(x.function());
          out.write(x.table());
        }
      }
    }
    out.writeInt(model.outputs().size());
    for (ModelOutput o : model.outputs()) {
      out.writeUTF(o.name());
      out.writeInt(o.tensor());
      out.writeDouble(o.scale());
    }
  }

  /**
   * Reads a model written with its weights.
   *
   * @param limit the encoded size, bounding every array before it is allocated
   * @throws IllegalArgumentException naming what is malformed
   */
  static IntegerModel read(DataInputStream in, long limit) throws IOException {
    int inputCount = count(in, limit, "inputs");
    List<ModelInput> inputs = new ArrayList<>();
    for (int i = 0; i < inputCount; i++) {
      String name = in.readUTF();
      TensorShape shape = shape(in);
      InputQuantization q = new InputQuantization(in.readDouble(), in.readInt());
      inputs.add(new ModelInput(name, shape, q, in.readInt()));
    }
    int opCount = count(in, limit, "ops");
    List<IntegerOp> ops = new ArrayList<>();
    for (int j = 0; j < opCount; j++) {
      int kind = in.readUnsignedByte();
      ops.add(
          switch (kind) {
            case DENSE -> {
              int input = in.readInt(), inputSize = in.readInt(), outputs = in.readInt();
              int rows = in.readInt();
              if (outputs <= 0 || outputs > limit) {
                throw new IllegalArgumentException("op " + j + " declares " + outputs + " outputs");
              }
              Requantization rq = requant(in, limit);
              long[] bias = new long[outputs];
              for (int i = 0; i < outputs; i++) {
                bias[i] = in.readLong();
              }
              yield new DenseOp(input, inputSize, outputs, bytes(in, limit), bias, rq, rows);
            }
            case CONV -> {
              int input = in.readInt();
              TensorShape shape = shape(in);
              Window window = window(in);
              int groups = in.readInt(), outChannels = in.readInt();
              Requantization rq = requant(in, limit);
              long[] bias = longs(in, limit);
              yield new ConvOp(
                  input, shape, window, groups, outChannels, bytes(in, limit), bias, rq);
            }
            case MAXPOOL -> new MaxPoolOp(in.readInt(), shape(in), window(in));
            case AVERAGE -> {
              int input = in.readInt();
              TensorShape shape = shape(in);
              Window window = window(in);
              long[] weights = longs(in, limit);
              long[] bias = longs(in, limit);
              yield new AveragePoolOp(input, shape, window, weights, bias, requant(in, limit));
            }
            case ELEMENTWISE -> {
              int[] ins = ints(in, limit);
              TensorShape shape = shape(in);
              long[][] m = new long[ins.length][];
              for (int i = 0; i < ins.length; i++) {
                m[i] = longs(in, limit);
              }
              long[] bias = longs(in, limit);
              yield new ElementwiseOp(ins, shape, m, bias, requant(in, limit));
            }
            case WIRING -> {
              int[] ins = ints(in, limit);
              TensorShape shape = shape(in);
              int n = count(in, limit, "wiring values");
              int[] src = new int[n], idx = new int[n];
              for (int i = 0; i < n; i++) {
                src[i] = in.readInt();
              }
              for (int i = 0; i < n; i++) {
                idx[i] = in.readInt();
              }
              yield new WiringOp(ins, shape, src, idx);
            }
            case MATMUL -> {
              int left = in.readInt(), right = in.readInt();
              int batch = in.readInt(), m = in.readInt(), k = in.readInt(), n = in.readInt();
              TensorShape shape = shape(in);
              yield new MatMulOp(left, right, batch, m, k, n, shape, requant(in, limit));
            }
            case PRODUCT -> {
              int left = in.readInt(), right = in.readInt();
              TensorShape shape = shape(in);
              yield new ProductOp(left, right, shape, requant(in, limit));
            }
            case GATHER -> {
              int indices = in.readInt(), vocabulary = in.readInt(), width = in.readInt();
              TensorShape shape = shape(in);
              yield new GatherOp(indices, vocabulary, width, bytes(in, limit), shape);
            }
            case LAYERNORM -> {
              int input = in.readInt();
              TensorShape shape = shape(in);
              int batch = in.readInt(), rows = in.readInt(), length = in.readInt();
              long[] gamma = longs(in, limit), beta = longs(in, limit);
              long epsilon = in.readLong();
              int precision = in.readInt();
              yield new LayerNormOp(
                  input,
                  shape,
                  batch,
                  rows,
                  length,
                  gamma,
                  beta,
                  epsilon,
                  precision,
                  requant(in, limit));
            }
            case SOFTMAX -> {
              int input = in.readInt();
              TensorShape shape = shape(in);
              int batch = in.readInt(), rows = in.readInt(), length = in.readInt();
              int outputMax = in.readInt();
              yield new SoftmaxOp(input, shape, batch, rows, length, longs(in, limit), outputMax);
            }
            case TABLE -> {
              int input = in.readInt();
              TensorShape shape = shape(in);
              String function = in.readUTF();
              byte[] table = new byte[TableOp.SIZE];
              in.readFully(table);
              yield new TableOp(input, shape, table, function);
            }
            default -> throw new IllegalArgumentException("op " + j + " has unknown kind " + kind);
          });
    }
    int outputCount = count(in, limit, "outputs");
    List<ModelOutput> outputs = new ArrayList<>();
    for (int i = 0; i < outputCount; i++) {
      outputs.add(new ModelOutput(in.readUTF(), in.readInt(), in.readDouble()));
    }
    return new IntegerModel(inputs, ops, outputs);
  }

  private static void shape(DataOutputStream out, TensorShape s) throws IOException {
    out.writeInt(s.channels());
    out.writeInt(s.height());
    out.writeInt(s.width());
  }

  private static TensorShape shape(DataInputStream in) throws IOException {
    return new TensorShape(in.readInt(), in.readInt(), in.readInt());
  }

  private static void window(DataOutputStream out, Window w) throws IOException {
    int[] v = {
      w.kernelHeight(), w.kernelWidth(), w.strideHeight(), w.strideWidth(), w.dilationHeight(),
      w.dilationWidth(), w.padTop(), w.padLeft(), w.padBottom(), w.padRight()
    };
    for (int x : v) {
      out.writeInt(x);
    }
  }

  private static Window window(DataInputStream in) throws IOException {
    int[] v = new int[10];
    for (int i = 0; i < 10; i++) {
      v[i] = in.readInt();
    }
    return new Window(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
  }

  private static void requant(DataOutputStream out, Requantization rq) throws IOException {
    if (rq == null) {
      out.writeByte(0);
      return;
    }
    out.writeByte(1);
    longs(out, rq.multipliers());
    out.writeInt(rq.shift());
    out.writeByte(rq.activation() == Activation.RELU ? 0 : 1);
  }

  private static Requantization requant(DataInputStream in, long limit) throws IOException {
    int present = in.readUnsignedByte();
    if (present == 0) {
      return null;
    }
    if (present != 1) {
      throw new IllegalArgumentException("unknown requantization code " + present);
    }
    long[] m = longs(in, limit);
    int shift = in.readInt();
    int act = in.readUnsignedByte();
    if (act > 1) {
      throw new IllegalArgumentException("unknown activation code " + act);
    }
    return new Requantization(m, shift, act == 0 ? Activation.RELU : Activation.CLAMP);
  }

  private static void weights(DataOutputStream out, byte[] w, List<byte[]> roots, int index)
      throws IOException {
    if (roots != null) {
      out.write(roots.get(index));
    } else {
      out.writeInt(w.length);
      out.write(w);
    }
  }

  private static void longs(DataOutputStream out, long[] v) throws IOException {
    out.writeInt(v.length);
    for (long x : v) {
      out.writeLong(x);
    }
  }

  private static void ints(DataOutputStream out, int[] v) throws IOException {
    out.writeInt(v.length);
    for (int x : v) {
      out.writeInt(x);
    }
  }

  private static int count(DataInputStream in, long limit, String what) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > limit) {
      throw new IllegalArgumentException("the file declares " + n + " " + what);
    }
    return n;
  }

  private static long[] longs(DataInputStream in, long limit) throws IOException {
    int n = count(in, limit / 8 + 1, "values");
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = in.readLong();
    }
    return v;
  }

  private static int[] ints(DataInputStream in, long limit) throws IOException {
    int n = count(in, limit / 4 + 1, "values");
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = in.readInt();
    }
    return v;
  }

  private static byte[] bytes(DataInputStream in, long limit) throws IOException {
    int n = count(in, limit, "weights");
    byte[] v = new byte[n];
    in.readFully(v);
    return v;
  }
}
