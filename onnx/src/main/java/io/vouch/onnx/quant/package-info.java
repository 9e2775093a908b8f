/**
 * The integer (quantized) model that the ZK level proves: {@link io.vouch.onnx.quant.IntegerModel},
 * a DAG of {@link io.vouch.onnx.quant.IntegerOp}s (Dense, Conv, MaxPool, AveragePool, elementwise,
 * wiring) over int8 tensors with int64 accumulators, per-channel integer requantization with fused
 * ReLU/clamp and int64 outputs, and its bit-exact reference {@link
 * io.vouch.onnx.quant.IntegerEngine}. {@link io.vouch.onnx.quant.GraphQuantizer} turns any
 * supported ONNX graph into one (rules in its javadoc and onnx/README.md); the rest of this text is
 * about the MLP chains {@link io.vouch.onnx.quant.MlpQuantizer} keeps handling as before.
 *
 * <p>{@link io.vouch.onnx.quant.MlpQuantizer} turns a float ONNX MLP into an integer model,
 * calibrated on sample inputs and refused when its top-1 agreement with the float model is below 99
 * %. Ops (ZKML.md, v1): Gemm, MatMul + Add, Relu, Clip, BatchNormalization, and the pass-throughs
 * Flatten, Reshape, Identity, Dropout; any other op is refused with its op type and node name.
 *
 * <ul>
 *   <li>BatchNormalization (inference mode, [N, C]) is folded in floats into the adjacent dense
 *       layer: into its rows when it directly follows a Gemm/MatMul(+Add), into the next layer's
 *       columns when it sits on a layer's input (the graph input or after an activation). Between
 *       two activations, after the last layer's activation, or in training mode it is refused,
 *       naming the node.
 *   <li>Relu and Clip fuse into the dense layer before them as one interval. [0, hi] becomes the
 *       ReLU clamp with hi (or the calibrated max, if smaller) at code 127; [−m, m] becomes the
 *       int8 clamp with a half-step offset so that −128 and 127 are exactly −m and m (or ∓ the
 *       calibrated max, if smaller); a Clip without bounds is an Identity. Other bounds, a Clip
 *       before the first dense layer and a Clip on the output logits are refused.
 * </ul>
 *
 * <p>The integer model and engine depend on nothing outside the JDK; the quantizer reads ONNX
 * through {@link io.vouch.onnx.OnnxModelFile}.
 */
package io.vouch.onnx.quant;
