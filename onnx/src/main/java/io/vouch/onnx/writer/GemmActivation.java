package io.vouch.onnx.writer;

/** What follows a dense layer's Gemm. */
public enum GemmActivation {
  NONE,
  RELU
}
