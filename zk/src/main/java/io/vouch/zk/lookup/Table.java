package io.vouch.zk.lookup;

import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;

/**
 * A lookup table: rows of {@link #arity()} signed integers. A row is folded into one field element
 * id + β·c_0 + β^2·c_1 + ... + β^k·c_{k−1}, so tables of different shapes share one LogUp argument
 * (the table id keeps them apart). The fixed tables are {@link LookupTable}'s; a model's own
 * function tables (a Sigmoid's, a Softmax's exponentials) are {@link FunctionTable}s.
 */
public interface Table {
  /** The id folded into every row: distinct for every table of a proof. */
  int id();

  int arity();

  int size();

  /** Column {@code column} of row {@code row}, as a signed integer. */
  long entry(int row, int column);

  /** The row whose first one or two columns are (c0, c1), or −1 if none is. */
  int indexOf(long c0, long c1);

  /**
   * The row holding (c0, c1, c2) for a three-column table, or −1 if none does; a table of fewer
   * columns ignores c2.
   */
  default int indexOf(long c0, long c1, long c2) {
    return indexOf(c0, c1);
  }

  /**
   * The row holding the given tuple (its first one or two columns determine it).
   *
   * @throws IllegalArgumentException if no row holds it
   */
  default int rowOf(long c0, long c1) {
    int row = indexOf(c0, c1);
    if (row < 0) {
      throw new IllegalArgumentException(
          "value (" + c0 + ", " + c1 + ") is not in lookup table " + this);
    }
    return row;
  }

  /** id + Σ_j β^{j+1}·entry(row, j). */
  default GoldilocksExt2 combined(int row, GoldilocksExt2 beta) {
    GoldilocksExt2 acc = GoldilocksExt2.of(id());
    GoldilocksExt2 power = beta;
    for (int j = 0; j < arity(); j++) {
      acc = acc.add(power.mulBase(Goldilocks.fromSigned(entry(row, j))));
      power = power.mul(beta);
    }
    return acc;
  }

  /**
   * The table side of LogUp: Σ_row m_row / (α − combined(row)), with one batch inversion.
   *
   * @throws ArithmeticException if α hits a table value (probability ≤ size/|K|)
   */
  default GoldilocksExt2 weightedInverseSum(
      long[] multiplicities, GoldilocksExt2 alpha, GoldilocksExt2 beta) {
    return weightedInverseSum(Multiplicities.of(multiplicities), alpha, beta);
  }

  /**
   * {@link #weightedInverseSum(long[], GoldilocksExt2, GoldilocksExt2)} over the rows looked up
   * only: a clamp table's 2^18 rows cost nothing beyond the few hundred a proof uses.
   */
  default GoldilocksExt2 weightedInverseSum(
      Multiplicities multiplicities, GoldilocksExt2 alpha, GoldilocksExt2 beta) {
    int used = multiplicities.used();
    if (used == 0) {
      return GoldilocksExt2.ZERO;
    }
    long[] den = new long[2 * used];
    for (int i = 0; i < used; i++) {
      alpha.sub(combined(multiplicities.row(i), beta)).store(den, i);
    }
    long[] inv = GoldilocksExt2.batchInverse(den);
    long s0 = 0, s1 = 0;
    for (int i = 0; i < used; i++) {
      long m = multiplicities.count(i);
      s0 = Goldilocks.add(s0, Goldilocks.mul(inv[2 * i], m));
      s1 = Goldilocks.add(s1, Goldilocks.mul(inv[2 * i + 1], m));
    }
    return new GoldilocksExt2(s0, s1);
  }

  /** α − combined(row) for every row, interleaved K: the LogUp denominators of the table. */
  default long[] denominators(GoldilocksExt2 alpha, GoldilocksExt2 beta) {
    int arity = arity();
    int size = size();
    long[] den = new long[2 * size];
    GoldilocksExt2[] powers = new GoldilocksExt2[arity];
    GoldilocksExt2 power = beta;
    for (int j = 0; j < arity; j++) {
      powers[j] = power;
      power = power.mul(beta);
    }
    GoldilocksExt2 alphaMinusId = alpha.sub(GoldilocksExt2.of(id()));
    for (int row = 0; row < size; row++) {
      long d0 = alphaMinusId.c0(), d1 = alphaMinusId.c1();
      for (int j = 0; j < arity; j++) {
        long e = Goldilocks.fromSigned(entry(row, j));
        d0 = Goldilocks.sub(d0, Goldilocks.mul(powers[j].c0(), e));
        d1 = Goldilocks.sub(d1, Goldilocks.mul(powers[j].c1(), e));
      }
      den[2 * row] = d0;
      den[2 * row + 1] = d1;
    }
    return den;
  }
}
