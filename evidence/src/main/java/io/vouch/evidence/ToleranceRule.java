package io.vouch.evidence;

import io.vouch.core.Bytes32;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * How a VANILLA audit compares the submitted outputs with the validator's re-execution: the rule a
 * model's owner recorded in the ModelRegistry at publication (a bytes32: byte 0 the rule, bytes
 * 1..4 ε as a big-endian float32, the rest zero).
 *
 * <ul>
 *   <li>{@code 0x00} EXACT: the canonical output bytes are equal;
 *   <li>{@code 0x01} ARGMAX_AND_MAX_ABS: per output, the same shape and dtype, the same argmax
 *       (ties to the lowest index), and every element within ε.
 * </ul>
 */
public record ToleranceRule(Kind kind, float epsilon) {
  public enum Kind {
    EXACT,
    ARGMAX_AND_MAX_ABS
  }

  /**
   * The ModelRegistry's DEFAULT_TOLERANCE: the same argmax and every element within 1e-4, which
   * absorbs ONNX Runtime's last-bit differences across CPUs.
   */
  public static final ToleranceRule DEFAULT = new ToleranceRule(Kind.ARGMAX_AND_MAX_ABS, 1e-4f);

  /** Exactly equal outputs: for models whose outputs are integers or computed bit-exactly. */
  public static final ToleranceRule EXACT = new ToleranceRule(Kind.EXACT, 0f);

  public ToleranceRule {
    if (kind == null) {
      throw new IllegalArgumentException("a tolerance rule needs a kind");
    }
    if (kind == Kind.EXACT && epsilon != 0f) {
      throw new IllegalArgumentException("the EXACT rule has no ε, got " + epsilon);
    }
    if (!Float.isFinite(epsilon) || epsilon < 0f) {
      throw new IllegalArgumentException("ε must be a finite number ≥ 0, got " + epsilon);
    }
  }

  /**
   * The rule a user writes: {@code exact}, or {@code argmax:EPS} (the same argmax and every element
   * within EPS, e.g. {@code argmax:1e-4}, the registry's default).
   *
   * @throws IllegalArgumentException naming the forms accepted
   */
  public static ToleranceRule parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.equals("exact")) {
      return EXACT;
    }
    if (t.startsWith("argmax:")) {
      String eps = t.substring("argmax:".length());
      float e;
      try {
        e = eps.length() > 32 ? Float.NaN : Float.parseFloat(eps);
      } catch (NumberFormatException ex) {
        e = Float.NaN;
      }
      if (Float.isFinite(e) && e >= 0f && !eps.endsWith("f") && !eps.endsWith("d")) {
        return new ToleranceRule(Kind.ARGMAX_AND_MAX_ABS, e);
      }
      throw new IllegalArgumentException(
          "the tolerance 'argmax:" + eps + "' needs ε as a number ≥ 0, e.g. argmax:1e-4");
    }
    throw new IllegalArgumentException(
        "unknown tolerance '"
            + text
            + "'; use exact (equal outputs) or argmax:EPS (the same argmax, every element within"
            + " EPS; the default is argmax:1e-4)");
  }

  /** How {@link #parse} writes this rule: {@code exact} or {@code argmax:EPS}. */
  public String text() {
    return kind == Kind.EXACT ? "exact" : "argmax:" + epsilon;
  }

  /** The registry's encoding: byte 0 the rule, bytes 1..4 ε as a big-endian float32. */
  public Bytes32 encode() {
    byte[] b = new byte[32];
    b[0] = (byte) kind.ordinal();
    ByteBuffer.wrap(b, 1, 4).putFloat(epsilon);
    return Bytes32.wrap(b);
  }

  /**
   * The rule a registry entry encodes; empty for an encoding this validator does not know (it then
   * must not vote: it cannot tell a lie from a rounding difference).
   */
  public static Optional<ToleranceRule> decode(Bytes32 encoded) {
    byte[] b = encoded.toArray();
    for (int i = 5; i < 32; i++) {
      if (b[i] != 0) {
        return Optional.empty();
      }
    }
    float eps = ByteBuffer.wrap(b, 1, 4).getFloat();
    return switch (b[0]) {
      case 0 -> eps == 0f ? Optional.of(new ToleranceRule(Kind.EXACT, 0f)) : Optional.empty();
      case 1 ->
          Float.isFinite(eps) && eps >= 0f
              ? Optional.of(new ToleranceRule(Kind.ARGMAX_AND_MAX_ABS, eps))
              : Optional.empty();
      default -> Optional.empty();
    };
  }

  /** Why {@code submitted} does not match {@code reexecuted} under this rule; empty if it does. */
  public Optional<String> mismatch(NamedTensors reexecuted, NamedTensors submitted) {
    if (kind == Kind.EXACT) {
      return Arrays.equals(reexecuted.canonicalBytes(), submitted.canonicalBytes())
          ? Optional.empty()
          : Optional.of("the outputs differ from the re-execution (rule EXACT)");
    }
    if (reexecuted.size() != submitted.size()) {
      return Optional.of(
          "the result has " + submitted.size() + " outputs, the model " + reexecuted.size());
    }
    var mine = reexecuted.asMap().values().iterator();
    var theirs = submitted.asMap().values().iterator();
    int index = 0;
    while (mine.hasNext()) {
      Optional<String> why = mismatch(mine.next(), theirs.next());
      if (why.isPresent()) {
        return Optional.of("output " + index + ": " + why.get());
      }
      index++;
    }
    return Optional.empty();
  }

  private Optional<String> mismatch(Tensor a, Tensor b) {
    if (a.dtype() != b.dtype() || !Arrays.equals(a.shape(), b.shape())) {
      return Optional.of(
          "expected "
              + a.dtype()
              + " "
              + Arrays.toString(a.shape())
              + ", got "
              + b.dtype()
              + " "
              + Arrays.toString(b.shape()));
    }
    int n = Math.toIntExact(a.elementCount());
    int argA = 0;
    int argB = 0;
    double maxDelta = 0;
    for (int i = 0; i < n; i++) {
      double x = a.getAsDouble(i);
      double y = b.getAsDouble(i);
      if (Double.isNaN(x) != Double.isNaN(y)) {
        return Optional.of("element " + i + " is NaN on one side only");
      }
      if (!Double.isNaN(x)) {
        maxDelta = Math.max(maxDelta, Math.abs(x - y));
      }
      if (x > a.getAsDouble(argA)) {
        argA = i;
      }
      if (y > b.getAsDouble(argB)) {
        argB = i;
      }
    }
    if (n > 0 && argA != argB) {
      return Optional.of("argmax " + argB + " where the model gives " + argA);
    }
    if (maxDelta > epsilon) {
      return Optional.of("max |Δ| " + maxDelta + " exceeds ε " + epsilon);
    }
    return Optional.empty();
  }
}
