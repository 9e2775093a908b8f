package io.vouch.zk.mlp;

import io.vouch.core.Bytes32;
import io.vouch.onnx.quant.AveragePoolOp;
import io.vouch.onnx.quant.ConvOp;
import io.vouch.onnx.quant.DenseOp;
import io.vouch.onnx.quant.ElementwiseOp;
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
import io.vouch.zk.commit.Ligero;
import io.vouch.zk.commit.LigeroCommitment;
import io.vouch.zk.lookup.LookupTable;
import java.util.ArrayList;
import java.util.List;

/**
 * A registered ZK model: the integer model, a Ligero commitment to every weight matrix (Dense and
 * Conv ops) and the public {@link VerifyingKey} whose hash is the model id. Registration runs once
 * per model; the commitments are reused by every proof.
 *
 * <p>Registration refuses (with {@link UnprovableModelException}) what cannot be proved soundly:
 * models that commit nothing (no hidden tensor), more than {@link #MAX_LAYERS} weight matrices or
 * {@link #MAX_OPS} ops, shifts above {@link #MAX_SHIFT} (2^s·q must stay far below p/2 so the
 * requantization identity over the field implies it over the integers), ops whose worst-case
 * requantized value could leave the clamp lookup's range |q − lo| &lt; 2^17, MaxPool windows of
 * more than {@link #MAX_WINDOW} values, witnesses beyond the prover's sizes, and any model whose
 * proofs would be sound to fewer than {@link Soundness#MIN_BITS} bits.
 */
public final class ZkModel {
  /** Largest requantization shift: 2^44·(2^17 + 129) + 2^62 stays below p/2. */
  public static final int MAX_SHIFT = 44;

  /**
   * Most weight matrices a proof may open: each weight opening errs with ≤ 2^-112, so the union
   * bound over 64 of them plus the witness opening (2^-108.5) and the algebraic checks stays below
   * 2^-100.
   */
  public static final int MAX_LAYERS = 64;

  /** Most ops: each adds algebraic error terms of about 2^-120 (zk/README.md). */
  public static final int MAX_OPS = 1024;

  /** Largest MaxPool window (its zero-check has degree window + 1). */
  public static final int MAX_WINDOW = 64;

  /**
   * Longest softmax row (a sequence of 4,096 tokens' attention): the selector's checks cost
   * O(values) at any length; the row sum E ≤ 4,096·exp[0] (2^24 with the quantizer's exp[0] = 2^12)
   * keeps the reciprocal's remainders within two limbs.
   */
  public static final int MAX_ROW = 4096;

  /** Largest lookup GKR: 2^26 leaves. */
  static final int MAX_LEAF_BITS = 26;

  private static final long CLAMP_RANGE = LookupTable.CLAMP_LIMIT;

  private final IntegerModel model;
  private final List<LigeroCommitment> weights;
  private final VerifyingKey key;
  private final Bytes32 modelId;

  private ZkModel(IntegerModel model, List<LigeroCommitment> weights, VerifyingKey key) {
    this.model = model;
    this.weights = List.copyOf(weights);
    this.key = key;
    this.modelId = key.modelId();
  }

  /**
   * How a registered model keeps its weight commitments ({@link
   * LigeroCommitment#commitBytes(byte[], int, int, boolean)}): the same roots, model id and proofs
   * either way, different memory and prover time.
   */
  public enum WeightForm {
    /**
     * Every weight matrix keeps its encoded columns (32 bytes per weight of the rows up to the last
     * nonzero one): an opening copies 56 columns.
     */
    ENCODED,
    /**
     * Every weight matrix keeps its int8 entries and its Merkle tree only (about 1 byte per
     * weight): an opening computes its 56 columns from the weights, about 112 integer multiply-adds
     * per weight.
     */
    COMPACT,
    /**
     * {@link #ENCODED} for the weight matrices, in op order, while their encoded columns (32 bytes
     * per entry, padding included) take at most {@link #encodedWeightBudget()} bytes in all; {@link
     * #COMPACT} for the rest. A model within the budget is wholly {@link #ENCODED}.
     */
    AUTO
  }

  /** System property: the bytes of encoded weight columns {@link WeightForm#AUTO} keeps. */
  public static final String ENCODED_WEIGHT_BUDGET_PROPERTY = "vouch.zk.encodedWeightBytes";

  /**
   * Without the property, 512 MiB: the benchmark CNNs and transformers keep every encoding, a
   * GPT-2-small shape (7 GB of encoded columns) keeps few.
   */
  private static final long DEFAULT_ENCODED_WEIGHT_BUDGET = 512L << 20;

  /** The budget of {@link WeightForm#AUTO}: {@value #ENCODED_WEIGHT_BUDGET_PROPERTY} or 512 MiB. */
  public static long encodedWeightBudget() {
    String value = System.getProperty(ENCODED_WEIGHT_BUDGET_PROPERTY);
    if (value == null || value.isBlank()) {
      return DEFAULT_ENCODED_WEIGHT_BUDGET;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          ENCODED_WEIGHT_BUDGET_PROPERTY
              + " must be a number of bytes, got '"
              + value
              + "'; set it to e.g. 536870912 or leave it unset",
          e);
    }
  }

  /** Registers with {@link WeightForm#AUTO}. */
  public static ZkModel register(IntegerModel model) {
    return register(model, WeightForm.AUTO);
  }

  /** Registers the model, its weight commitments kept in the given form. */
  public static ZkModel register(IntegerModel model, WeightForm form) {
    if (model.ops().size() > MAX_OPS) {
      throw new UnprovableModelException(
          "model has " + model.ops().size() + " ops; the soundness budget covers up to " + MAX_OPS);
    }
    int weighted = 0;
    for (int j = 0; j < model.ops().size(); j++) {
      IntegerOp op = model.ops().get(j);
      String where = op instanceof DenseOp ? "layer " + j : "op " + j + " (" + op.kind() + ")";
      if (op instanceof DenseOp || op instanceof ConvOp) {
        weighted++;
      }
      if (op instanceof MaxPoolOp m && m.window().kernelSize() > MAX_WINDOW) {
        throw new UnprovableModelException(
            where + ": MaxPool windows of up to " + MAX_WINDOW + " values are provable");
      }
      if (op instanceof MatMulOp mm) {
        requireSeparable(where, model, j, mm);
      }
      if (op instanceof LayerNormOp ln
          && MatrixBits.of(
                  WitnessPlan.layout(ln.outputShape(), 0), ln.batch(), ln.rows(), ln.length())
              == null) {
        throw new UnprovableModelException(
            where
                + ": its rows of "
                + ln.length()
                + " in "
                + ln.outputShape()
                + " do not sit in separable index bits (rows of a power-of-two length, or a"
                + " channel per row)");
      }
      if (op instanceof SoftmaxOp sm) {
        if (sm.length() > MAX_ROW) {
          throw new UnprovableModelException(
              where + ": softmax rows of up to " + MAX_ROW + " values are provable");
        }
        var layout = WitnessPlan.layout(sm.outputShape(), 0);
        if (MatrixBits.of(layout, sm.batch(), sm.rows(), sm.length()) == null) {
          throw new UnprovableModelException(
              where
                  + ": its rows of "
                  + sm.length()
                  + " in "
                  + sm.outputShape()
                  + " do not sit in separable index bits (rows of a power-of-two length, or a"
                  + " channel per row)");
        }
      }
      Requantization rq = op.requantization();
      if (rq == null) {
        continue;
      }
      if (rq.shift() > MAX_SHIFT) {
        throw new UnprovableModelException(
            where + " shifts by " + rq.shift() + "; v1 proves shifts up to " + MAX_SHIFT);
      }
      long bound = accumulatorBound(op);
      long worstQ =
          (long) ((double) rq.maxMultiplier() * bound + rq.roundingOffset()) >> rq.shift();
      if (worstQ + Math.abs(rq.activation().low()) >= CLAMP_RANGE) {
        throw new UnprovableModelException(
            where
                + " can requantize to |q| up to "
                + worstQ
                + " before clamping; v1 lookups cover |q − lo| < 2^17. Lower the multiplier or"
                + " raise the shift");
      }
    }
    if (weighted > MAX_LAYERS) {
      throw new UnprovableModelException(
          "model has "
              + weighted
              + " weight matrices (layers); the soundness budget of v1 covers up to "
              + MAX_LAYERS);
    }
    WitnessPlan plan = WitnessPlan.of(model);
    if (plan.rowCount == 0) {
      throw new UnprovableModelException(
          "v1 proves models with at least one hidden layer (a requantized, pooled or wired"
              + " tensor between input and output); this one has none");
    }
    if (plan.leafBits > MAX_LEAF_BITS || (long) plan.rowCount * plan.width > 1 << 28) {
      throw new UnprovableModelException(
          "the model's witness ("
              + (long) plan.rowCount * plan.width
              + " values, 2^"
              + plan.leafBits
              + " lookups) is beyond what one proof handles");
    }
    double bits = Soundness.bits(plan);
    if (bits < Soundness.MIN_BITS) {
      throw new UnprovableModelException(
          String.format(
              java.util.Locale.ROOT,
              "a proof of this model would be sound to %.1f bits only (union bound of zk/README.md's"
                  + " components); at least %.0f are required",
              bits,
              Soundness.MIN_BITS));
    }
    List<LigeroCommitment> commitments = new ArrayList<>();
    List<byte[]> roots = new ArrayList<>();
    long budget = form == WeightForm.AUTO ? encodedWeightBudget() : 0;
    long encodedBytes = 0;
    for (int j = 0; j < model.ops().size(); j++) {
      IntegerOp op = model.ops().get(j);
      if (op instanceof DenseOp || op instanceof ConvOp) {
        int[] shape = Relations.weightShape(plan, j);
        long encoded = 8L * Ligero.BLOWUP * shape[0] * shape[1];
        boolean keepEncoding =
            switch (form) {
              case ENCODED -> true;
              case COMPACT -> false;
              case AUTO -> encodedBytes + encoded <= budget;
            };
        if (keepEncoding) {
          encodedBytes += encoded;
        }
        LigeroCommitment c =
            LigeroCommitment.commitBytes(
                Relations.weightMatrix(plan, j), shape[0], shape[1], keepEncoding);
        commitments.add(c);
        roots.add(c.root());
      }
    }
    return new ZkModel(model, commitments, new VerifyingKey(model, roots, plan));
  }

  /**
   * A matrix product is proved over its shared dimension with each operand's matrix indices as
   * separate bit fields of its layout ({@link MatrixBits}): columns filling a power of two, or a
   * channel per matrix row.
   */
  private static void requireSeparable(String where, IntegerModel model, int j, MatMulOp mm) {
    String[] names = {"left operand", "right operand", "output"};
    int[] ids = {mm.left(), mm.right(), model.tensorOf(j)};
    int[][] dims = {{mm.m(), mm.k()}, {mm.k(), mm.n()}, {mm.m(), mm.n()}};
    for (int x = 0; x < 3; x++) {
      var layout = WitnessPlan.layout(model.shapeOf(ids[x]), 0);
      if (MatrixBits.of(layout, mm.batch(), dims[x][0], dims[x][1]) == null) {
        throw new UnprovableModelException(
            where
                + ": its "
                + names[x]
                + " (shape "
                + model.shapeOf(ids[x])
                + ") does not hold "
                + mm.batch()
                + " matrices of "
                + dims[x][0]
                + "×"
                + dims[x][1]
                + " in separable index bits; the last two dimensions of a MatMul between"
                + " activations must be powers of two when several matrices share a tensor");
      }
    }
  }

  /** The largest |accumulator| any int8 input can produce, over the op's outputs. */
  static long accumulatorBound(IntegerOp op) {
    long max = 0;
    switch (op) {
      case DenseOp d -> {
        for (int i = 0; i < d.outputs(); i++) {
          max = Math.max(max, d.accumulatorBound(i));
        }
      }
      case ConvOp c -> {
        for (int co = 0; co < c.outChannels(); co++) {
          max = Math.max(max, c.accumulatorBound(co));
        }
      }
      case AveragePoolOp a -> max = a.accumulatorBound();
      case ElementwiseOp e -> max = e.accumulatorBound();
      case MatMulOp mm -> max = mm.accumulatorBound();
      case ProductOp p -> max = p.accumulatorBound();
      case LayerNormOp ln -> max = ln.accumulatorBound();
      default -> {}
    }
    return max;
  }

  public IntegerModel integerModel() {
    return model;
  }

  public VerifyingKey verifyingKey() {
    return key;
  }

  public Bytes32 modelId() {
    return modelId;
  }

  WitnessPlan plan() {
    return key.plan();
  }

  /**
   * The statistical soundness of one proof of this model in bits: −log2 of the union bound over the
   * components of zk/README.md's table ({@link Soundness}); at least 100 for every registered
   * model.
   */
  public double soundnessBits() {
    return Soundness.bits(key.plan());
  }

  /**
   * The statement's input the prover and verifier see for a float input (every model input,
   * concatenated in order): int8 values quantized with each input's scale and zero point, token ids
   * (integral floats) 4 bytes each. Here so that clients above {@code zk} (the SDK may not use
   * {@code onnx}) quantize exactly as the node did.
   *
   * @throws IllegalArgumentException when the input has the wrong number of values
   */
  public byte[] quantizeInput(float[] x) {
    if (x.length != model.inputSize()) {
      throw new IllegalArgumentException(
          "input has " + x.length + " values; ZK model " + modelId + " takes " + model.inputSize());
    }
    return model.quantizeInputs(x);
  }

  /**
   * How many values the model takes (every input, concatenated; a token id counts as one value):
   * the length of the float input {@link #quantizeInput} takes. The statement's input is {@link
   * #inputBytes} long. Here so that callers above {@code zk} need not open the integer model.
   */
  public int inputSize() {
    return model.inputSize();
  }

  /**
   * Bytes of the statement's input (what {@link ZkProver#prove} and {@link ZkVerifier#verify}
   * take): one per int8 value, four per token id. Equals {@link #inputSize} only when no input
   * takes token ids.
   */
  public int inputBytes() {
    return model.inputBytes();
  }

  /** How many int64 outputs the model has (all outputs, concatenated). */
  public int outputSize() {
    return key.outputSize();
  }

  /**
   * One input of the model, in the statement's order.
   *
   * @param name the input's name (the ONNX graph's, for a compiled graph)
   * @param values how many values it takes
   * @param tokenRange for an input of token ids, the ids it takes are in [0, tokenRange); 0 for an
   *     int8 input quantized from floats
   */
  public record Input(String name, int values, int tokenRange) {
    /**
     * Whether this input takes token ids (4 bytes each in the statement) rather than int8 values.
     */
    public boolean tokenIds() {
      return tokenRange > 0;
    }
  }

  /** One output of the model, in the statement's order: its name and how many int64 values. */
  public record Output(String name, int values) {}

  /** The model's inputs, in the order the statement concatenates them. */
  public List<Input> inputs() {
    List<Input> out = new ArrayList<>();
    for (ModelInput in : model.inputs()) {
      out.add(new Input(in.name(), in.shape().size(), in.indexRange()));
    }
    return List.copyOf(out);
  }

  /** The model's outputs, in the order the statement concatenates them. */
  public List<Output> outputs() {
    List<Output> out = new ArrayList<>();
    for (ModelOutput o : model.outputs()) {
      out.add(new Output(o.name(), model.shapeOf(o.tensor()).size()));
    }
    return List.copyOf(out);
  }

  /**
   * The statement bytes of input {@code index}: float values quantized with that input's scale and
   * zero point (int8 input), or token ids as 4 bytes little-endian each (an input of token ids;
   * each value must be an integer in [0, tokenRange)).
   *
   * @throws IllegalArgumentException naming the input when the count or a token id is wrong
   */
  public byte[] encodeInput(int index, double[] values) {
    ModelInput in = model.inputs().get(index);
    int n = in.shape().size();
    if (values.length != n) {
      throw new IllegalArgumentException(
          "input '" + in.name() + "' takes " + n + " values, got " + values.length);
    }
    if (!in.isIndex()) {
      float[] f = new float[n];
      for (int i = 0; i < n; i++) {
        f[i] = (float) values[i];
      }
      return in.quantization().quantize(f);
    }
    byte[] out = new byte[4 * n];
    for (int i = 0; i < n; i++) {
      double v = values[i];
      if (v != Math.rint(v) || v < 0 || v >= in.indexRange()) {
        throw new IllegalArgumentException(
            "input '"
                + in.name()
                + "' takes token ids, integers in [0, "
                + in.indexRange()
                + "); value "
                + i
                + " is "
                + v);
      }
      int w = (int) v;
      out[4 * i] = (byte) w;
      out[4 * i + 1] = (byte) (w >>> 8);
      out[4 * i + 2] = (byte) (w >>> 16);
      out[4 * i + 3] = (byte) (w >>> 24);
    }
    return out;
  }

  int weightCount() {
    return weights.size();
  }

  /**
   * The sizes one proof of this model pays for whatever its relations prove: the witness matrix
   * (rows × width; the prover encodes each row at rate 1/2 and hashes the encoded columns, the
   * verifier checks {@link Ligero#QUERIES_WITNESS} of them), the lookup GKR instances (log2 of each
   * one's leaves) and the weight matrices (rows × columns as committed at registration; each proof
   * opens each at {@link Ligero#QUERIES_REGISTERED} columns). What these cost alone, timed against
   * the inference, is the floor of a proof of this model (bench/README.md, "The small models'
   * floors").
   */
  public ProofShape proofShape() {
    WitnessPlan plan = key.plan();
    List<Integer> bits = new ArrayList<>();
    for (WitnessPlan.Instance instance : plan.instances) {
      bits.add(instance.bits());
    }
    List<ProofShape.Matrix> matrices = new ArrayList<>();
    for (LigeroCommitment c : weights) {
      matrices.add(new ProofShape.Matrix(c.rows(), c.columns()));
    }
    return new ProofShape(plan.rowCount, plan.width, bits, matrices);
  }

  /** {@link #proofShape()}: the witness matrix, the lookup GKR instances, the weight matrices. */
  public record ProofShape(
      int witnessRows, int witnessWidth, List<Integer> lookupInstanceBits, List<Matrix> weights) {
    public ProofShape {
      lookupInstanceBits = List.copyOf(lookupInstanceBits);
      weights = List.copyOf(weights);
    }

    /** A committed matrix's shape. */
    public record Matrix(int rows, int columns) {}

    /** Lookup leaves over every GKR instance (padding included). */
    public long lookupLeaves() {
      long n = 0;
      for (int b : lookupInstanceBits) {
        n += 1L << b;
      }
      return n;
    }
  }

  LigeroCommitment weightCommitment(int index) {
    return weights.get(index);
  }

  /** How many weight matrices keep their encoded columns (the others compute opened ones). */
  public int weightMatricesKeptEncoded() {
    return (int) weights.stream().filter(LigeroCommitment::keepsEncoding).count();
  }

  /**
   * Bytes of the arrays the weight commitments hold ({@link LigeroCommitment#heldBytes}), without
   * the integer model.
   */
  public long weightCommitmentBytes() {
    long bytes = 0;
    for (LigeroCommitment c : weights) {
      bytes += c.heldBytes();
    }
    return bytes;
  }
}
