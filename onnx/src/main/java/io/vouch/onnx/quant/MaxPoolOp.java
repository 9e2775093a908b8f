package io.vouch.onnx.quant;

/**
 * Max pooling: y[c, p] = max over the window's non-padding positions of x[c, source(p, k)]. The
 * values keep the input's scale and zero point (max commutes with the increasing map from codes to
 * reals), so nothing is requantized.
 */
public record MaxPoolOp(int input, TensorShape inputShape, Window window) implements IntegerOp {
  public MaxPoolOp {
    if (window.outputHeight(inputShape.height()) < 1
        || window.outputWidth(inputShape.width()) < 1) {
      throw new IllegalArgumentException("the pooling window does not fit the input " + inputShape);
    }
    if (window.padTop() >= window.kernelHeight()
        || window.padBottom() >= window.kernelHeight()
        || window.padLeft() >= window.kernelWidth()
        || window.padRight() >= window.kernelWidth()) {
      throw new IllegalArgumentException("pads must be smaller than the pooling kernel");
    }
  }

  @Override
  public int[] inputs() {
    return new int[] {input};
  }

  @Override
  public TensorShape outputShape() {
    return new TensorShape(
        inputShape.channels(),
        window.outputHeight(inputShape.height()),
        window.outputWidth(inputShape.width()));
  }

  @Override
  public Requantization requantization() {
    return null;
  }

  @Override
  public String kind() {
    return "MaxPool";
  }
}
