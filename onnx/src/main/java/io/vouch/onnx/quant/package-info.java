/**
 * The integer (quantized) model that the ZK level proves: {@link io.vouch.onnx.quant.IntegerModel}
 * (int8 dense layers, int32 bias, integer requantization with fused ReLU/clamp, int64 logits) and
 * its bit-exact reference {@link io.vouch.onnx.quant.IntegerEngine}.
 *
 * <p>Depends on nothing outside the JDK; the float→int quantizer that reads ONNX will live here
 * too.
 */
package io.vouch.onnx.quant;
