package io.vouch.zk.field;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Number-theoretic transform over the Goldilocks field for power-of-two sizes.
 *
 * <p>{@link #forward} maps coefficients a_0..a_{n−1} to evaluations a(ω^i) for the primitive n-th
 * root ω = {@link Goldilocks#rootOfUnity}(log n), in natural order. Twiddle tables are cached per
 * size.
 */
public final class Ntt {
  private static final ConcurrentHashMap<Integer, long[]> TWIDDLES = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<Integer, long[]> INVERSE_TWIDDLES =
      new ConcurrentHashMap<>();

  private Ntt() {}

  /** In-place forward transform: coefficients to evaluations on the n-th roots of unity. */
  public static void forward(long[] a) {
    transform(a, twiddles(log2(a.length), false));
  }

  /** In-place inverse transform: evaluations on the n-th roots of unity back to coefficients. */
  public static void inverse(long[] a) {
    int logN = log2(a.length);
    transform(a, twiddles(logN, true));
    long nInv = Goldilocks.inverse(a.length);
    for (int i = 0; i < a.length; i++) {
      a[i] = Goldilocks.mul(a[i], nInv);
    }
  }

  /**
   * Reed–Solomon encodes a message of length n (as polynomial coefficients) into its evaluations on
   * the (n·blowup)-th roots of unity.
   */
  public static long[] encode(long[] message, int blowup) {
    long[] out = new long[message.length * blowup];
    System.arraycopy(message, 0, out, 0, message.length);
    forward(out);
    return out;
  }

  /**
   * Reed–Solomon encodes in place: {@code a} holds a message of {@code messageLength} coefficients
   * followed by zeros; on return it holds the evaluations on the a.length-th roots of unity, as
   * {@link #forward} would give. With k = log(a.length / messageLength), the first k butterfly
   * stages only copy each coefficient into its block of 2^k (its partners are zeros), so they are
   * skipped, and the stage after them reads its two coefficients straight from the message (see
   * {@link #firstStage}) instead of from copies.
   */
  public static void encodeInPlace(long[] a, int messageLength) {
    int n = a.length;
    int logN = log2(n);
    int block = 1 << (logN - log2(messageLength));
    long[] message = java.util.Arrays.copyOf(a, messageLength);
    long[] tw = twiddles(logN, false);
    if (block == n) {
      java.util.Arrays.fill(a, message[0]); // a constant: the same value at every point
      return;
    }
    firstStage(a, message, tw, block);
    butterflies(a, tw, 2 * block);
  }

  /**
   * The butterfly stage of half {@code block} over the bit-reversed message spread in blocks of
   * {@code block} copies, without the spread: each block of 2·block positions starting at s holds
   * copies of the coefficients x = message[rev(s)] and y = message[rev(s + block)], so its outputs
   * are x ± ω_{2·block}^j·y, j &lt; block. Leaves lazy values (see {@link #butterflies}).
   */
  private static void firstStage(long[] a, long[] message, long[] tw, int block) {
    int n = a.length;
    int shift = 32 - log2(n);
    for (int start = 0; start < n; start += 2 * block) {
      long x = message[Integer.reverse(start) >>> shift];
      long y = Goldilocks.reduce64(message[Integer.reverse(start + block) >>> shift]);
      a[start] = lazyAdd(x, y);
      a[start + block] = lazySub(x, y);
      for (int j = 1; j < block; j++) {
        long w = tw[block + j];
        long v = w == OMEGA_4 ? timesOmega4(y) : Goldilocks.mul(y, w);
        a[start + j] = lazyAdd(x, v);
        a[start + j + block] = lazySub(x, v);
      }
    }
  }

  /**
   * Reed–Solomon encodes a message over K (an interleaved vector of n pairs, read as polynomial
   * coefficients) into its evaluations on the (n·blowup)-th roots of unity, interleaved: the same
   * values as {@link #encode} applied to each coordinate, in one pass over both (the twiddles are
   * base-field elements, so a butterfly acts on each coordinate alone), with the first log(blowup)
   * stages replaced by copies as in {@link #encodeInPlace}.
   */
  public static long[] encodeExt(long[] message, int blowup) {
    return encodeExt(message, blowup, null);
  }

  /**
   * {@link #encodeExt(long[], int)} where only the evaluations at the positions in {@code needed}
   * are wanted (a verifier's queried columns); the others are left unspecified. A stage of half h
   * computes only the butterflies whose offset in their block is some needed position mod h: the
   * outputs of a stage are needed exactly at the positions congruent mod 2h to a needed one, so the
   * last stages, where h exceeds the number of needed positions, shrink to a few butterflies per
   * block. The needed positions get exactly the values of the full transform.
   *
   * @param needed positions in [0, n·blowup), any order, repeats allowed; null for all
   */
  public static long[] encodeExt(long[] message, int blowup, int[] needed) {
    int m = message.length / 2;
    int n = m * blowup;
    int logN = log2(n);
    int skipped = logN - log2(m);
    long[] a = new long[2 * n];
    int block = 1 << skipped;
    int shift = 32 - logN;
    for (int i = 0; i < m; i++) {
      int pos = logN == 0 ? 0 : Integer.reverse(i) >>> shift;
      long re = message[2 * i], im = message[2 * i + 1];
      for (int k = pos; k < pos + block; k++) {
        a[2 * k] = re;
        a[2 * k + 1] = im;
      }
    }
    long[] tw = twiddles(logN, false);
    for (int half = block; half < n; half <<= 1) {
      int[] offsets = needed == null ? null : residues(needed, half);
      if (offsets == null || offsets.length == half) {
        for (int start = 0; start < n; start += 2 * half) {
          for (int j = 0; j < half; j++) {
            butterfly(a, 2 * (start + j), 2 * half, tw[half + j]);
          }
        }
      } else {
        for (int start = 0; start < n; start += 2 * half) {
          for (int j : offsets) {
            butterfly(a, 2 * (start + j), 2 * half, tw[half + j]);
          }
        }
      }
    }
    return a;
  }

  private static void butterfly(long[] a, int x, int distance, long w) {
    int y = x + distance;
    long u0 = a[x], u1 = a[x + 1];
    long v0 = Goldilocks.mul(a[y], w), v1 = Goldilocks.mul(a[y + 1], w);
    a[x] = Goldilocks.add(u0, v0);
    a[x + 1] = Goldilocks.add(u1, v1);
    a[y] = Goldilocks.sub(u0, v0);
    a[y + 1] = Goldilocks.sub(u1, v1);
  }

  /** The distinct values of {@code positions} mod {@code h} (a power of two), increasing. */
  private static int[] residues(int[] positions, int h) {
    boolean[] seen = new boolean[h];
    int count = 0;
    for (int p : positions) {
      int r = p & (h - 1);
      if (!seen[r]) {
        seen[r] = true;
        count++;
      }
    }
    int[] out = new int[count];
    int k = 0;
    for (int r = 0; r < h && k < count; r++) {
      if (seen[r]) {
        out[k++] = r;
      }
    }
    return out;
  }

  public static int log2(int n) {
    if (n <= 0 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("NTT size must be a power of two, got " + n);
    }
    return Integer.numberOfTrailingZeros(n);
  }

  /** Twiddles for all stages: table[half + j] = ω_{2·half}^j for half = 1, 2, 4, ..., n/2. */
  private static long[] twiddles(int logN, boolean inverse) {
    var cache = inverse ? INVERSE_TWIDDLES : TWIDDLES;
    return cache.computeIfAbsent(
        logN,
        k -> {
          int n = 1 << k;
          long[] t = new long[Math.max(n, 2)];
          for (int half = 1; half < n; half <<= 1) {
            long w = Goldilocks.rootOfUnity(Integer.numberOfTrailingZeros(half) + 1);
            if (inverse) {
              w = Goldilocks.inverse(w);
            }
            long x = 1;
            for (int j = 0; j < half; j++) {
              t[half + j] = x;
              x = Goldilocks.mul(x, w);
            }
          }
          return t;
        });
  }

  private static void transform(long[] a, long[] tw) {
    int n = a.length;
    // bit-reversal permutation, then iterative Cooley–Tukey butterflies
    for (int i = 1, j = 0; i < n; i++) {
      int bit = n >> 1;
      for (; (j & bit) != 0; bit >>= 1) {
        j ^= bit;
      }
      j ^= bit;
      if (i < j) {
        long tmp = a[i];
        a[i] = a[j];
        a[j] = tmp;
      }
    }
    butterflies(a, tw, 1);
  }

  /**
   * The Cooley–Tukey stages of halves firstHalf, 2·firstHalf, ..., n/2 over a bit-reversed array,
   * the residues of {@link #forward}'s. Between stages the values are lazy: any 64-bit value
   * congruent to the exact one (only the last stage makes them canonical), which saves the
   * conditional subtraction of p after each addition: u ± v for any 64-bit u and a canonical v
   * needs a single correction by 2^64 ≡ 2^32 − 1 (see {@link #lazyAdd}), and the products are
   * reduced canonically whatever their input. A stage with at least as many blocks as butterflies
   * per block runs twiddle by twiddle ({@link #stageByTwiddle}), which skips the multiplications by
   * 1 and by ω_4.
   */
  private static void butterflies(long[] a, long[] tw, int firstHalf) {
    int n = a.length;
    if (firstHalf >= n) {
      for (int i = 0; i < n; i++) {
        a[i] = Goldilocks.reduce64(a[i]); // no stage: settle what a first stage left
      }
      return;
    }
    for (int half = firstHalf; 2 * half < n; half <<= 1) {
      if (n / (2 * half) >= half) {
        stageByTwiddle(a, tw, half);
      } else {
        stageByBlock(a, tw, half);
      }
    }
    int half = n / 2; // the last stage: one block, canonical outputs
    for (int j = 0; j < half; j++) {
      long u = a[j];
      long v = Goldilocks.mul(a[j + half], tw[half + j]);
      a[j] = Goldilocks.reduce64(lazyAdd(u, v));
      a[j + half] = Goldilocks.reduce64(lazySub(u, v));
    }
  }

  /**
   * One stage of half {@code half}, twiddle after twiddle: the butterflies at offset j of every
   * block share ω^j, so j = 0 is an addition and a subtraction without a product and, in a forward
   * table, j = half/2 multiplies by ω_4 = 2^48 with shifts. Early stages have many short blocks,
   * where this also saves the per-block loop overhead.
   */
  private static void stageByTwiddle(long[] a, long[] tw, int half) {
    int n = a.length;
    for (int i = 0; i < n; i += 2 * half) {
      long u = a[i], v = Goldilocks.reduce64(a[i + half]);
      a[i] = lazyAdd(u, v);
      a[i + half] = lazySub(u, v);
    }
    for (int j = 1; j < half; j++) {
      long w = tw[half + j];
      if (w == OMEGA_4) {
        for (int i = j; i < n; i += 2 * half) {
          long u = a[i], v = timesOmega4(a[i + half]);
          a[i] = lazyAdd(u, v);
          a[i + half] = lazySub(u, v);
        }
      } else {
        for (int i = j; i < n; i += 2 * half) {
          long u = a[i], v = Goldilocks.mul(a[i + half], w);
          a[i] = lazyAdd(u, v);
          a[i + half] = lazySub(u, v);
        }
      }
    }
  }

  /** One stage of half {@code half}, block after block (late stages: few long blocks). */
  private static void stageByBlock(long[] a, long[] tw, int half) {
    int n = a.length;
    for (int start = 0; start < n; start += 2 * half) {
      long u0 = a[start], v0 = Goldilocks.reduce64(a[start + half]);
      a[start] = lazyAdd(u0, v0);
      a[start + half] = lazySub(u0, v0);
      for (int j = 1; j < half; j++) {
        long u = a[start + j];
        long v = Goldilocks.mul(a[start + j + half], tw[half + j]);
        a[start + j] = lazyAdd(u, v);
        a[start + j + half] = lazySub(u, v);
      }
    }
  }

  /** ω_4 = 2^48, the primitive 4th root of unity of {@link Goldilocks#rootOfUnity}(2). */
  private static final long OMEGA_4 = 1L << 48;

  /**
   * x·2^48 mod p, canonical, for any 64-bit x: the product is (x >>> 16)·2^64 + (x &lt;&lt; 48),
   * reduced as {@link Goldilocks#mul} reduces, without the multiplication.
   */
  static long timesOmega4(long x) {
    return Goldilocks.reduce128(x >>> 16, x << 48);
  }

  /**
   * A value congruent to u + v, for any 64-bit u and a canonical v: a carry out of 64 bits is worth
   * 2^64 ≡ 2^32 − 1, and u + v − 2^64 ≤ p − 2, so adding it back cannot carry again. Not reduced
   * below p (lazy, see {@link #butterflies}).
   */
  static long lazyAdd(long u, long v) {
    long s = u + v;
    return s + (Goldilocks.carryMask(u, v, s) & Goldilocks.EPSILON);
  }

  /**
   * A value congruent to u − v, for any 64-bit u and a canonical v: a borrow is worth −2^64 ≡
   * −(2^32 − 1), and then u − v + 2^64 ≥ 2^64 − p + 1 = 2^32, so taking it off cannot borrow again.
   */
  static long lazySub(long u, long v) {
    long d = u - v;
    return d - (Goldilocks.borrowMask(u, v, d) & Goldilocks.EPSILON);
  }
}
