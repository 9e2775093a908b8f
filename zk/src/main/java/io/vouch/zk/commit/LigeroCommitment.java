package io.vouch.zk.commit;

import io.vouch.zk.exec.Parallel;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.Ntt;

/**
 * The prover's side of a {@link Ligero} commitment: the matrix, its row encodings (stored column by
 * column, ready to hash and open) and the Merkle tree over the encoded columns.
 *
 * <p>Matrices of small signed integers (int8 weights) are kept as bytes and combined with 64-bit
 * integer arithmetic: each K coefficient is split into 32-bit halves whose products with the
 * entries accumulate exactly in a long, and only the final sums are reduced. That makes g^T·M, the
 * prover's dominant cost (the fold of a weight matrix with eq(r, ·)), four integer multiply-adds
 * per entry instead of two field multiplications.
 */
public final class LigeroCommitment {
  private final int rows;
  private final int columns;
  private final long[] residues; // row-major, null when small is set
  private final byte[] small; // row-major signed entries, or null
  private final long[] encodedByColumn;
  private final MerkleTree tree;

  private LigeroCommitment(
      int rows, int columns, long[] residues, byte[] small, long[] encoded, MerkleTree tree) {
    this.rows = rows;
    this.columns = columns;
    this.residues = residues;
    this.small = small;
    this.encodedByColumn = encoded;
    this.tree = tree;
  }

  /** Commits to a matrix of field elements given row-major (rows × columns, columns = 2^k). */
  public static LigeroCommitment commit(long[] rowMajor, int rows, int columns) {
    checkShape(rowMajor.length, rows, columns);
    return build(rowMajor.clone(), null, rows, columns);
  }

  /** Commits to a matrix of signed bytes (int8 weights), embedded as signed residues. */
  public static LigeroCommitment commitBytes(byte[] rowMajor, int rows, int columns) {
    checkShape(rowMajor.length, rows, columns);
    if (rows >= 1 << 23) {
      throw new IllegalArgumentException("byte matrices are limited to 2^23 rows, got " + rows);
    }
    return build(null, rowMajor.clone(), rows, columns);
  }

  private static void checkShape(int length, int rows, int columns) {
    if (rows <= 0 || columns <= 0 || Integer.bitCount(columns) != 1) {
      throw new IllegalArgumentException(
          "Ligero matrix needs rows > 0 and a power-of-two column count, got "
              + rows
              + "×"
              + columns);
    }
    if (length != rows * columns) {
      throw new IllegalArgumentException(
          "matrix has " + length + " entries, expected " + rows + "×" + columns);
    }
  }

  private static LigeroCommitment build(long[] residues, byte[] small, int rows, int columns) {
    int encodedColumns = columns * Ligero.BLOWUP;
    long[] byColumn = new long[rows * encodedColumns];
    byte[][] leaves = new byte[encodedColumns][];
    if ((long) rows * encodedColumns >= PARALLEL_ENTRIES / 8 && rows >= 2) {
      int mid = rows / 2;
      Parallel.both(
          () -> encodeRows(residues, small, rows, columns, 0, mid, byColumn),
          () -> encodeRows(residues, small, rows, columns, mid, rows, byColumn));
      int half = encodedColumns / 2;
      Parallel.both(
          () -> columnLeaves(byColumn, rows, 0, half, leaves),
          () -> columnLeaves(byColumn, rows, half, encodedColumns, leaves));
    } else {
      encodeRows(residues, small, rows, columns, 0, rows, byColumn);
      columnLeaves(byColumn, rows, 0, encodedColumns, leaves);
    }
    return new LigeroCommitment(rows, columns, residues, small, byColumn, MerkleTree.build(leaves));
  }

  /** Reed–Solomon encodes rows [from, to) into the column-major array. */
  private static void encodeRows(
      long[] residues, byte[] small, int rows, int columns, int from, int to, long[] byColumn) {
    int encodedColumns = columns * Ligero.BLOWUP;
    long[] row = new long[encodedColumns];
    for (int r = from; r < to; r++) {
      java.util.Arrays.fill(row, 0);
      for (int c = 0; c < columns; c++) {
        row[c] =
            small != null
                ? Goldilocks.fromSigned(small[r * columns + c])
                : residues[r * columns + c];
      }
      Ntt.encodeInPlace(row, columns);
      for (int c = 0; c < encodedColumns; c++) {
        byColumn[c * rows + r] = row[c];
      }
    }
  }

  private static void columnLeaves(long[] byColumn, int rows, int from, int to, byte[][] leaves) {
    for (int c = from; c < to; c++) {
      leaves[c] = Ligero.columnBytes(byColumn, c * rows, rows);
    }
  }

  /**
   * A commitment whose encoded rows are given instead of computed: how a cheating prover commits to
   * words that are not codewords. For soundness tests of the proximity check only.
   */
  static LigeroCommitment withEncodedRows(
      long[] rowMajor, int rows, int columns, long[][] encoded) {
    int encodedColumns = columns * Ligero.BLOWUP;
    long[] byColumn = new long[rows * encodedColumns];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < encodedColumns; c++) {
        byColumn[c * rows + r] = encoded[r][c];
      }
    }
    byte[][] leaves = new byte[encodedColumns][];
    columnLeaves(byColumn, rows, 0, encodedColumns, leaves);
    return new LigeroCommitment(
        rows, columns, rowMajor.clone(), null, byColumn, MerkleTree.build(leaves));
  }

  public byte[] root() {
    return tree.root();
  }

  public int rows() {
    return rows;
  }

  public int columns() {
    return columns;
  }

  /** g^T·M for an interleaved K vector g of length rows; returns an interleaved K vector. */
  public long[] combine(long[] g) {
    if (g.length != 2 * rows) {
      throw new IllegalArgumentException("need " + rows + " coefficients, got " + g.length / 2);
    }
    return small != null ? combineSmall(g) : combineResidues(g);
  }

  /** Below this many entries a second thread costs more than it saves. */
  private static final int PARALLEL_ENTRIES = 1 << 15;

  private long[] combineSmall(long[] g) {
    long[] acc;
    if ((long) rows * columns >= PARALLEL_ENTRIES && rows >= 2) {
      // two halves of the rows on two threads; integer partial sums add exactly
      int mid = rows / 2;
      long[][] halves = new long[2][];
      Parallel.both(
          () -> halves[0] = accumulate(g, 0, mid), () -> halves[1] = accumulate(g, mid, rows));
      acc = halves[0];
      long[] other = halves[1];
      for (int i = 0; i < acc.length; i++) {
        acc[i] += other[i];
      }
    } else {
      acc = accumulate(g, 0, rows);
    }
    long twoTo32 = 1L << 32;
    long[] out = new long[2 * columns];
    for (int c = 0; c < columns; c++) {
      int a = 4 * c;
      out[2 * c] =
          Goldilocks.add(
              Goldilocks.mul(Goldilocks.fromSigned(acc[a + 1]), twoTo32),
              Goldilocks.fromSigned(acc[a]));
      out[2 * c + 1] =
          Goldilocks.add(
              Goldilocks.mul(Goldilocks.fromSigned(acc[a + 3]), twoTo32),
              Goldilocks.fromSigned(acc[a + 2]));
    }
    return out;
  }

  /**
   * Exact integer sums over rows [from, to): per column re-lo, re-hi, im-lo, im-hi. |entry| ≤ 128
   * and each coefficient half is below 2^32, so a sum over fewer than 2^23 rows stays below 2^62.
   */
  private long[] accumulate(long[] g, int from, int to) {
    long[] acc = new long[4 * columns];
    for (int r = from; r < to; r++) {
      long g0 = g[2 * r], g1 = g[2 * r + 1];
      long g0l = g0 & 0xFFFF_FFFFL, g0h = g0 >>> 32, g1l = g1 & 0xFFFF_FFFFL, g1h = g1 >>> 32;
      int base = r * columns;
      for (int c = 0; c < columns; c++) {
        long m = small[base + c];
        int a = 4 * c;
        acc[a] += g0l * m;
        acc[a + 1] += g0h * m;
        acc[a + 2] += g1l * m;
        acc[a + 3] += g1h * m;
      }
    }
    return acc;
  }

  private long[] combineResidues(long[] g) {
    long[] out = new long[2 * columns];
    for (int r = 0; r < rows; r++) {
      long g0 = g[2 * r], g1 = g[2 * r + 1];
      if (g0 == 0 && g1 == 0) {
        continue;
      }
      int base = r * columns;
      for (int c = 0; c < columns; c++) {
        long m = residues[base + c];
        if (m != 0) {
          out[2 * c] = Goldilocks.add(out[2 * c], Goldilocks.mul(g0, m));
          out[2 * c + 1] = Goldilocks.add(out[2 * c + 1], Goldilocks.mul(g1, m));
        }
      }
    }
    return out;
  }

  /** Opens the distinct sampled columns with their Merkle multi-proof. */
  public LigeroColumns open(int[] queries) {
    int[] open = Ligero.distinctSorted(queries);
    long[] values = new long[open.length * rows];
    for (int k = 0; k < open.length; k++) {
      System.arraycopy(encodedByColumn, open[k] * rows, values, k * rows, rows);
    }
    return LigeroColumns.owning(values, tree.prove(open));
  }
}
