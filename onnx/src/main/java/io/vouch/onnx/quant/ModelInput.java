package io.vouch.onnx.quant;

/** One input of an {@link IntegerModel}: its name, shape and how float values become int8. */
public record ModelInput(String name, TensorShape shape, InputQuantization quantization) {
  public ModelInput {
    if (name == null || shape == null || quantization == null) {
      throw new IllegalArgumentException("an input needs a name, a shape and a quantization");
    }
  }
}
