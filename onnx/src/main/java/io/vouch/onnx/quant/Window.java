package io.vouch.onnx.quant;

/**
 * The sliding window of a Conv or a pooling op over an H × W input: kernel, strides, dilations and
 * pads (ONNX's {@code pads} order: top, left, bottom, right). Output position (oy, ox) and kernel
 * position (ky, kx) read input row oy·sh + ky·dh − padTop and column ox·sw + kx·dw − padLeft;
 * positions outside the input are padding.
 */
public record Window(
    int kernelHeight,
    int kernelWidth,
    int strideHeight,
    int strideWidth,
    int dilationHeight,
    int dilationWidth,
    int padTop,
    int padLeft,
    int padBottom,
    int padRight) {
  public Window {
    if (kernelHeight < 1 || kernelWidth < 1 || strideHeight < 1 || strideWidth < 1) {
      throw new IllegalArgumentException("kernel and strides must be positive");
    }
    if (dilationHeight < 1 || dilationWidth < 1) {
      throw new IllegalArgumentException("dilations must be positive");
    }
    if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
      throw new IllegalArgumentException("pads must not be negative");
    }
    if ((long) kernelHeight * kernelWidth > 1 << 16) {
      throw new IllegalArgumentException(
          "kernel of " + kernelHeight + "×" + kernelWidth + " is too large");
    }
  }

  /** A k × k window with stride s and no padding or dilation (a typical pooling window). */
  public static Window square(int k, int stride) {
    return new Window(k, k, stride, stride, 1, 1, 0, 0, 0, 0);
  }

  /** Kernel positions: kh · kw. */
  public int kernelSize() {
    return kernelHeight * kernelWidth;
  }

  /** Output rows for an input of {@code height} rows (floor mode). */
  public int outputHeight(int height) {
    return (height + padTop + padBottom - dilationHeight * (kernelHeight - 1) - 1) / strideHeight
        + 1;
  }

  /** Output columns for an input of {@code width} columns (floor mode). */
  public int outputWidth(int width) {
    return (width + padLeft + padRight - dilationWidth * (kernelWidth - 1) - 1) / strideWidth + 1;
  }

  /** Input row read by output row oy at kernel row ky (may be outside [0, H): padding). */
  public int inputRow(int oy, int ky) {
    return oy * strideHeight + ky * dilationHeight - padTop;
  }

  /** Input column read by output column ox at kernel column kx (may be outside [0, W)). */
  public int inputColumn(int ox, int kx) {
    return ox * strideWidth + kx * dilationWidth - padLeft;
  }

  /**
   * The spatial index iy·W + ix read by output position p = oy·outW + ox at kernel position k =
   * ky·kw + kx of an H × W input with outW output columns, or −1 for padding.
   */
  public int source(int height, int width, int outWidth, int p, int k) {
    int iy = inputRow(p / outWidth, k / kernelWidth);
    int ix = inputColumn(p % outWidth, k % kernelWidth);
    return iy < 0 || iy >= height || ix < 0 || ix >= width ? -1 : iy * width + ix;
  }
}
