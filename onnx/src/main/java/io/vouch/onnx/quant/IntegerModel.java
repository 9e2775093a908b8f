package io.vouch.onnx.quant;

import java.util.List;

/**
 * A quantized multilayer perceptron in integers only: the specification the ZK prover proves and
 * the {@link IntegerEngine} runs bit-exactly.
 *
 * <p>Shape: int8 input → hidden {@link DenseLayer}s that requantize to int8 with a fused ReLU or
 * clamp → a last dense layer that outputs int64 logits (see {@link LayerOutput}).
 *
 * <p>Validation guarantees that no honest computation can wrap, neither in Java longs nor in the
 * Goldilocks field the prover works in (p ≈ 2^64, signed residues must stay below p/2 ≈ 2^63): for
 * every layer the accumulator bound Σ|W|·128 + |b| is below 2^62, and for requantized layers
 * multiplier·bound + 2^(shift−1) is below 2^62 as well.
 *
 * @param logitScale real value of one logit unit (input scale × weight scale of the last layer),
 *     for dequantization only
 */
public record IntegerModel(InputQuantization input, List<DenseLayer> layers, double logitScale) {
  /** Bound on every intermediate integer: well inside both long range and p/2. */
  public static final long VALUE_LIMIT = 1L << 62;

  public IntegerModel {
    if (input == null) {
      throw new IllegalArgumentException("input quantization is required");
    }
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("an integer model needs at least one dense layer");
    }
    layers = List.copyOf(layers);
    for (int l = 0; l < layers.size(); l++) {
      DenseLayer layer = layers.get(l);
      boolean last = l == layers.size() - 1;
      if (l > 0 && layer.inputs() != layers.get(l - 1).outputs()) {
        throw new IllegalArgumentException(
            "layer "
                + l
                + " takes "
                + layer.inputs()
                + " inputs but layer "
                + (l - 1)
                + " produces "
                + layers.get(l - 1).outputs());
      }
      if (last && !(layer.output() instanceof LayerOutput.Logits)) {
        throw new IllegalArgumentException(
            "the last layer (" + l + ") must output logits; got " + layer.output());
      }
      if (!last && !(layer.output() instanceof LayerOutput.Requantized)) {
        throw new IllegalArgumentException(
            "hidden layer " + l + " must requantize to int8; only the last layer outputs logits");
      }
      long bound = layer.accumulatorBound();
      if (bound >= VALUE_LIMIT) {
        throw new IllegalArgumentException(
            "layer " + l + " accumulators can reach " + bound + ", which could wrap; limit 2^62");
      }
      if (layer.output() instanceof LayerOutput.Requantized rq) {
        double scaled = (double) rq.multiplier() * bound + rq.roundingOffset();
        if (scaled >= VALUE_LIMIT) {
          throw new IllegalArgumentException(
              "layer "
                  + l
                  + ": multiplier "
                  + rq.multiplier()
                  + " × accumulator bound "
                  + bound
                  + " could exceed 2^62; lower the multiplier and shift");
        }
      }
    }
  }

  public int inputSize() {
    return layers.get(0).inputs();
  }

  public int outputSize() {
    return layers.get(layers.size() - 1).outputs();
  }
}
