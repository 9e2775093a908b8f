package io.vouch.zk.mlp;

import io.vouch.onnx.quant.LayerOutput;
import java.util.Arrays;

/**
 * The public description of one dense layer in a {@link VerifyingKey}: shape, padded shape (powers
 * of two; the weight commitment is paddedOutputs × paddedInputs), bias, output kind and the Ligero
 * root of its int8 weights.
 *
 * <p>The bias is public (it is hashed into the model id) so the verifier evaluates b̃(r) itself in
 * O(outputs) instead of opening a commitment; this keeps the committed input width a power of two
 * instead of paying a constant-1 column that doubles it.
 */
public record LayerKey(
    int outputs,
    int inputs,
    int paddedOutputs,
    int paddedInputs,
    int[] bias,
    LayerOutput output,
    byte[] weightRoot) {
  public LayerKey {
    bias = bias.clone();
    weightRoot = weightRoot.clone();
  }

  @Override
  public int[] bias() {
    return bias.clone();
  }

  @Override
  public byte[] weightRoot() {
    return weightRoot.clone();
  }

  int biasAt(int i) {
    return bias[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LayerKey k
        && outputs == k.outputs
        && inputs == k.inputs
        && paddedOutputs == k.paddedOutputs
        && paddedInputs == k.paddedInputs
        && Arrays.equals(bias, k.bias)
        && output.equals(k.output)
        && Arrays.equals(weightRoot, k.weightRoot);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(weightRoot);
  }

  @Override
  public String toString() {
    return "LayerKey[" + outputs + "×" + inputs + ", " + output + "]";
  }
}
