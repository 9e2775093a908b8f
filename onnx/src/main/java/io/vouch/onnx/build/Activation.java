package io.vouch.onnx.build;

/** What follows a dense layer's Gemm. */
public enum Activation {
  NONE,
  RELU
}
