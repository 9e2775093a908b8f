/**
 * Builds ONNX files in Java, without Python or protoc: {@link io.vouch.onnx.build.OnnxModelWriter}
 * turns an {@link io.vouch.onnx.build.Mlp} of {@link io.vouch.onnx.build.DenseLayer}s into Gemm /
 * Relu graphs (IR 8, opset 13, dynamic batch), or a {@link io.vouch.onnx.build.Chain} that also
 * holds BatchNormalization, Clip and other unary nodes, and {@link io.vouch.onnx.build.TestModels}
 * makes seeded random MLPs (such as the 784-128-10 of the benchmarks), dense layers and batch
 * normalizations. {@link io.vouch.onnx.build.Mlp#forward} is the plain Java reference forward pass
 * the tests compare ONNX Runtime against.
 */
package io.vouch.onnx.build;
