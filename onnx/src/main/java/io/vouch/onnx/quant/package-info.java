/**
 * The integer (quantized) model that the ZK level proves: {@link io.vouch.onnx.quant.IntegerModel}
 * (int8 dense layers, int32 bias, integer requantization with fused ReLU/clamp, int64 logits) and
 * its bit-exact reference {@link io.vouch.onnx.quant.IntegerEngine}.
 *
 * <p>{@link io.vouch.onnx.quant.MlpQuantizer} turns a float ONNX MLP (Gemm / MatMul + Add, Relu,
 * pass-through reshapes) into an integer model, calibrated on sample inputs and refused when its
 * top-1 agreement with the float model is below 99 %. The engine itself depends on nothing outside
 * the JDK.
 */
package io.vouch.onnx.quant;
