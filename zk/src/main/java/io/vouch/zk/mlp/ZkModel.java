package io.vouch.zk.mlp;

import io.vouch.core.Bytes32;
import io.vouch.onnx.quant.DenseLayer;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.LayerOutput;
import io.vouch.zk.commit.LigeroCommitment;
import io.vouch.zk.lookup.LookupTable;
import java.util.ArrayList;
import java.util.List;

/**
 * A registered ZK model: the integer model, a Ligero commitment to every (zero-padded) weight
 * matrix and the public {@link VerifyingKey} whose hash is the model id. Registration runs once per
 * model; the commitments are reused by every proof.
 *
 * <p>Registration refuses (with {@link UnprovableModelException}) what v1 cannot prove soundly:
 * models without a hidden layer or with more than {@link #MAX_LAYERS} layers, shifts above {@link
 * #MAX_SHIFT} (2^s·q must stay far below p/2 so the requantization identity over the field implies
 * it over the integers), and layers whose worst-case requantized value could leave the clamp
 * lookup's range |q − lo| &lt; 2^17.
 */
public final class ZkModel {
  /** Largest requantization shift: 2^44·(2^17 + 129) + 2^62 stays below p/2. */
  public static final int MAX_SHIFT = 44;

  /**
   * Most layers a proof may cover: each weight opening errs with ≤ 2^-112, so the union bound over
   * 64 of them plus the witness opening (2^-108.5) and the algebraic checks stays below 2^-100.
   */
  public static final int MAX_LAYERS = 64;

  private static final long CLAMP_RANGE = 256L * LookupTable.H_LIMIT;

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

  public static ZkModel register(IntegerModel model) {
    List<DenseLayer> layers = model.layers();
    if (layers.size() < 2) {
      throw new UnprovableModelException(
          "v1 proves models with at least one hidden layer; this one has "
              + layers.size()
              + " layer(s)");
    }
    if (layers.size() > MAX_LAYERS) {
      throw new UnprovableModelException(
          "model has "
              + layers.size()
              + " layers; the soundness budget of v1 covers up to "
              + MAX_LAYERS);
    }
    int width = 2; // at least 2: the lookup padding pairs neighbouring leaves
    for (int l = 0; l < layers.size() - 1; l++) {
      DenseLayer layer = layers.get(l);
      var rq = (LayerOutput.Requantized) layer.output();
      if (rq.shift() > MAX_SHIFT) {
        throw new UnprovableModelException(
            "layer " + l + " shifts by " + rq.shift() + "; v1 proves shifts up to " + MAX_SHIFT);
      }
      long worstQ =
          (rq.multiplier() * layer.accumulatorBound() + rq.roundingOffset()) >> rq.shift();
      if (worstQ + Math.abs(rq.activation().low()) >= CLAMP_RANGE) {
        throw new UnprovableModelException(
            "layer "
                + l
                + " can requantize to |q| up to "
                + worstQ
                + " before clamping; v1 lookups cover |q − lo| < 2^17. Lower the multiplier or"
                + " raise the shift");
      }
      width = Math.max(width, nextPowerOfTwo(layer.outputs()));
    }
    List<LigeroCommitment> commitments = new ArrayList<>();
    List<LayerKey> keys = new ArrayList<>();
    for (int l = 0; l < layers.size(); l++) {
      DenseLayer layer = layers.get(l);
      boolean last = l == layers.size() - 1;
      int outPad = last ? nextPowerOfTwo(layer.outputs()) : width;
      int inPad = l == 0 ? nextPowerOfTwo(layer.inputs()) : width;
      byte[] padded = new byte[outPad * inPad];
      byte[] w = layer.weights();
      for (int i = 0; i < layer.outputs(); i++) {
        System.arraycopy(w, i * layer.inputs(), padded, i * inPad, layer.inputs());
      }
      LigeroCommitment c = LigeroCommitment.commitBytes(padded, outPad, inPad);
      commitments.add(c);
      keys.add(
          new LayerKey(
              layer.outputs(),
              layer.inputs(),
              outPad,
              inPad,
              layer.bias(),
              layer.output(),
              c.root()));
    }
    return new ZkModel(
        model, commitments, new VerifyingKey(model.input(), model.logitScale(), width, keys));
  }

  static int nextPowerOfTwo(int n) {
    int p = 1;
    while (p < n) {
      p <<= 1;
    }
    return p;
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

  /**
   * The int8 input the prover and verifier see for a float input, quantized with the model's input
   * scale and zero point. Here so that clients above {@code zk} (the SDK may not use {@code onnx})
   * quantize exactly as the node did.
   *
   * @throws IllegalArgumentException when the input has the wrong number of values
   */
  public byte[] quantizeInput(float[] x) {
    if (x.length != model.inputSize()) {
      throw new IllegalArgumentException(
          "input has " + x.length + " values; ZK model " + modelId + " takes " + model.inputSize());
    }
    return model.input().quantize(x);
  }

  /** How many int64 logits the model outputs. */
  public int outputSize() {
    return key.outputSize();
  }

  LigeroCommitment weightCommitment(int layer) {
    return weights.get(layer);
  }
}
