package io.vouch.onnx.quant;

import java.util.function.DoubleUnaryOperator;

/**
 * The real functions the table ops stand for, in {@link StrictMath} so that the same ONNX file
 * gives the same tables (and model id) on every JVM.
 */
final class UnaryFunctions {
  private UnaryFunctions() {}

  /**
   * erf with fractional error below 1.2·10^-7 (Numerical Recipes' Chebyshev fit of erfc): far below
   * an int8 step.
   */
  static double erf(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double ans =
        t
            * StrictMath.exp(
                -z * z
                    - 1.26551223
                    + t
                        * (1.00002368
                            + t
                                * (0.37409196
                                    + t
                                        * (0.09678418
                                            + t
                                                * (-0.18628806
                                                    + t
                                                        * (0.27886807
                                                            + t
                                                                * (-1.13520398
                                                                    + t
                                                                        * (1.48851587
                                                                            + t
                                                                                * (-0.82215223
                                                                                    + t
                                                                                        * 0.17087277)))))))));
    return x >= 0 ? 1 - ans : ans - 1;
  }

  static double sigmoid(double x) {
    return 1 / (1 + StrictMath.exp(-x));
  }

  /** Gelu, exact (erf) form: x·Φ(x). */
  static double gelu(double x) {
    return 0.5 * x * (1 + erf(x / StrictMath.sqrt(2)));
  }

  /** Gelu, tanh approximation (ONNX {@code approximate="tanh"}). */
  static double geluTanh(double x) {
    return 0.5
        * x
        * (1 + StrictMath.tanh(StrictMath.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
  }

  /** The function of a unary ONNX op, or null if it has none here. */
  static DoubleUnaryOperator of(String opType, String geluApproximation) {
    return switch (opType) {
      case "Sigmoid" -> UnaryFunctions::sigmoid;
      case "Tanh" -> StrictMath::tanh;
      case "Erf" -> UnaryFunctions::erf;
      case "Gelu" ->
          "tanh".equals(geluApproximation) ? UnaryFunctions::geluTanh : UnaryFunctions::gelu;
      case "Exp" -> StrictMath::exp;
      case "Reciprocal" -> x -> 1 / x;
      case "Sqrt" -> StrictMath::sqrt;
      default -> null;
    };
  }
}
