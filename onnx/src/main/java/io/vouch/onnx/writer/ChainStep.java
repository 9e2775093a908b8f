package io.vouch.onnx.writer;

/**
 * One step of a {@link Chain}: a dense layer (Gemm, with its optional Relu), a folded-into-dense
 * {@link BatchNormalization}, a {@link Clip}, or any other {@link UnaryOp} applied element-wise.
 */
public sealed interface ChainStep permits GemmLayer, BatchNormalization, Clip, UnaryOp {}
