package io.vouch.onnx.quant;

/**
 * The quantized model disagrees with the float model on too many calibration inputs to be
 * registered as its integer counterpart.
 */
public class QuantizationAccuracyException extends RuntimeException {
  public QuantizationAccuracyException(String message) {
    super(message);
  }
}
