/**
 * Builds ONNX files in Java, without Python or protoc: {@link io.vouch.onnx.writer.OnnxModelWriter}
 * turns an {@link io.vouch.onnx.writer.Mlp} of {@link io.vouch.onnx.writer.GemmLayer}s into Gemm /
 * Relu graphs (IR 8, opset 13, dynamic batch), or a {@link io.vouch.onnx.writer.Chain} that also
 * holds BatchNormalization, Clip and other unary nodes; {@link
 * io.vouch.onnx.writer.OnnxGraphBuilder} writes any other graph. {@link
 * io.vouch.onnx.writer.Mlp#forward} is the plain Java reference forward pass the tests compare ONNX
 * Runtime against.
 *
 * <p>A {@link io.vouch.onnx.writer.GemmLayer} is a float layer to write (a Gemm, then the {@link
 * io.vouch.onnx.writer.GemmActivation} that follows it); the int8 layer of a quantized model is
 * {@code io.vouch.onnx.quant.DenseLayer}. The seeded random models the tests use are test code:
 * {@code io.vouch.onnx.testmodels.TestModels} in this module's test-jar.
 */
package io.vouch.onnx.writer;
