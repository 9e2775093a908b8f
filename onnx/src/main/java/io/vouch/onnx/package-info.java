/**
 * ONNX models in Vouch: reading and validating model files ({@link io.vouch.onnx.OnnxModelFile},
 * with its {@link io.vouch.onnx.ModelSchema} and schema hash) and running them on ONNX Runtime
 * ({@link io.vouch.onnx.OnnxRuntimeEngine}), the float engine of the {@code VANILLA} and {@code
 * TEE} levels.
 *
 * <p>Inputs and outputs are core {@link io.vouch.core.tensor.Tensor}s, so the bytes that are hashed
 * into receipts are the bytes that ran. Errors are {@link io.vouch.onnx.InvalidModelException} (the
 * file) and {@link io.vouch.onnx.InvalidInputException} (a request), each naming what is wrong and
 * how to fix it.
 *
 * <p>Subpackages: {@code writer} writes ONNX files from Java (MLPs, chains, any graph); {@code
 * quant} is the quantizer and integer reference engine of the {@code ZKML} level. The seeded test
 * models are test code ({@code io.vouch.onnx.testmodels} in this module's test-jar); the demo model
 * lives in the {@code demo} module. Depends on {@code core} only (and ONNX Runtime, protobuf).
 */
package io.vouch.onnx;
