package io.vouch.zk.commit;

import io.vouch.zk.exec.Chunks;
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
  private final int[] smallWide; // row-major signed entries of a residue matrix, when all are small
  private final long[] encodedByColumn;
  private final int leafColumns;
  private final MerkleTree tree;

  private LigeroCommitment(
      int rows, int columns, long[] residues, byte[] small, long[] encoded, int leafColumns) {
    this.rows = rows;
    this.columns = columns;
    this.residues = residues;
    this.small = small;
    this.smallWide = residues == null ? null : smallSigned(residues);
    this.encodedByColumn = encoded;
    this.leafColumns = leafColumns;
    this.tree = tree(encoded, rows, leafColumns);
  }

  /**
   * Commits to a matrix of field elements given row-major (rows × columns, columns = 2^k), one
   * encoded column per Merkle leaf.
   */
  public static LigeroCommitment commit(long[] rowMajor, int rows, int columns) {
    return commit(rowMajor, rows, columns, 1);
  }

  /**
   * Commits with {@code leafColumns} adjacent encoded columns per Merkle leaf (a power of two; a
   * prover-made matrix takes {@link Ligero#leafColumns}).
   */
  public static LigeroCommitment commit(long[] rowMajor, int rows, int columns, int leafColumns) {
    return commit(rowMajor, rows, columns, leafColumns, Ligero.BLOWUP);
  }

  /**
   * Commits at rate 1/{@code blowup} (2 or 4; the verifier must check with the same blowup and the
   * query count its distance needs, see {@link Ligero}).
   */
  public static LigeroCommitment commit(
      long[] rowMajor, int rows, int columns, int leafColumns, int blowup) {
    checkShape(rowMajor.length, rows, columns);
    Ligero.checkBlowup(blowup);
    Ligero.checkLeafColumns(leafColumns, columns, blowup);
    return build(rowMajor.clone(), null, rows, columns, leafColumns, blowup);
  }

  /** Commits to a matrix of signed bytes (int8 weights), embedded as signed residues. */
  public static LigeroCommitment commitBytes(byte[] rowMajor, int rows, int columns) {
    checkShape(rowMajor.length, rows, columns);
    if (rows >= 1 << 23) {
      throw new IllegalArgumentException("byte matrices are limited to 2^23 rows, got " + rows);
    }
    return build(null, rowMajor.clone(), rows, columns, 1, Ligero.BLOWUP);
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

  private static LigeroCommitment build(
      long[] residues, byte[] small, int rows, int columns, int leafColumns, int blowup) {
    int encodedColumns = columns * blowup;
    long[][] encoded = new long[rows][];
    long[] byColumn = new long[rows * encodedColumns];
    if ((long) rows * encodedColumns >= PARALLEL_ENCODED && rows >= 2) {
      // chunks of rows pulled by both cores, each row into its own array; then chunks of columns,
      // each into its own range of the column-major array (no two chunks write the same values)
      Parallel.forRange(
          rows,
          Math.max(1, CHUNK_VALUES / encodedColumns),
          (from, to, who) -> encodeRows(residues, small, columns, blowup, from, to, encoded));
      Parallel.forRange(
          encodedColumns,
          Math.max(1, CHUNK_VALUES / rows),
          (from, to, who) -> transpose(encoded, from, to, byColumn));
    } else {
      encodeRows(residues, small, columns, blowup, 0, rows, encoded);
      transpose(encoded, 0, encodedColumns, byColumn);
    }
    return new LigeroCommitment(rows, columns, residues, small, byColumn, leafColumns);
  }

  /** The Merkle tree over the encoded columns, {@code leafColumns} adjacent ones per leaf. */
  private static MerkleTree tree(long[] byColumn, int rows, int leafColumns) {
    int leafValues = leafColumns * rows;
    byte[][] leaves = new byte[byColumn.length / leafValues][];
    Parallel.Range serialize =
        (from, to, who) -> {
          for (int i = from; i < to; i++) {
            leaves[i] = Ligero.columnBytes(byColumn, i * leafValues, leafValues);
          }
        };
    if (byColumn.length >= PARALLEL_ENCODED) {
      Parallel.forRange(leaves.length, Math.max(1, CHUNK_VALUES / leafValues), serialize);
    } else {
      serialize.run(0, leaves.length, 0);
    }
    return MerkleTree.build(leaves);
  }

  /** Reed–Solomon encodes rows [from, to), each into its own array. */
  private static void encodeRows(
      long[] residues, byte[] small, int columns, int blowup, int from, int to, long[][] encoded) {
    for (int r = from; r < to; r++) {
      long[] row = new long[columns * blowup];
      for (int c = 0; c < columns; c++) {
        row[c] =
            small != null
                ? Goldilocks.fromSigned(small[r * columns + c])
                : residues[r * columns + c];
      }
      Ntt.encodeInPlace(row, columns);
      encoded[r] = row;
    }
  }

  /** Encoded columns [from, to) into the column-major array. */
  private static void transpose(long[][] encoded, int from, int to, long[] byColumn) {
    int rows = encoded.length;
    for (int c = from; c < to; c++) {
      for (int r = 0; r < rows; r++) {
        byColumn[c * rows + r] = encoded[r][c];
      }
    }
  }

  /**
   * A commitment whose encoded rows are given instead of computed: how a cheating prover commits to
   * words that are not codewords. For soundness tests of the proximity check only.
   */
  static LigeroCommitment withEncodedRows(
      long[] rowMajor, int rows, int columns, long[][] encoded) {
    long[] byColumn = new long[rows * columns * Ligero.BLOWUP];
    transpose(encoded, 0, columns * Ligero.BLOWUP, byColumn);
    return new LigeroCommitment(rows, columns, rowMajor.clone(), null, byColumn, 1);
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

  /** Encoded columns per Merkle leaf. */
  public int leafColumns() {
    return leafColumns;
  }

  /** g^T·M for an interleaved K vector g of length rows; returns an interleaved K vector. */
  public long[] combine(long[] g) {
    if (g.length != 2 * rows) {
      throw new IllegalArgumentException("need " + rows + " coefficients, got " + g.length / 2);
    }
    if (small != null) {
      return combineSmall(g);
    }
    return smallWide != null ? combineWide(g) : combineResidues(g);
  }

  /**
   * Entries of magnitude below this (as signed integers) combine by exact integer sums: a 32-bit
   * coefficient half times an entry stays below 2^52, and {@link #FLUSH_ROWS} of them below 2^62.
   */
  private static final long SMALL_LIMIT = 1L << 20;

  private static final int FLUSH_ROWS = 1024;

  /** The signed entries when every one is small (witness values: int8, limbs, h), else null. */
  private static int[] smallSigned(long[] residues) {
    int[] out = new int[residues.length];
    for (int i = 0; i < residues.length; i++) {
      long v = Goldilocks.toSigned(residues[i]);
      if (v >= SMALL_LIMIT || v <= -SMALL_LIMIT) {
        return null;
      }
      out[i] = (int) v;
    }
    return out;
  }

  /** {@link #combine} for a residue matrix of small entries: exact sums, reduced per chunk. */
  private long[] combineWide(long[] g) {
    long[] out = new long[2 * columns];
    long[] acc = new long[4 * columns];
    int since = 0;
    for (int r = 0; r < rows; r++) {
      long g0 = g[2 * r], g1 = g[2 * r + 1];
      if (g0 == 0 && g1 == 0) {
        continue;
      }
      long g0l = g0 & 0xFFFF_FFFFL, g0h = g0 >>> 32, g1l = g1 & 0xFFFF_FFFFL, g1h = g1 >>> 32;
      int base = r * columns;
      for (int c = 0; c < columns; c++) {
        long m = smallWide[base + c];
        int a = 4 * c;
        acc[a] += g0l * m;
        acc[a + 1] += g0h * m;
        acc[a + 2] += g1l * m;
        acc[a + 3] += g1h * m;
      }
      if (++since == FLUSH_ROWS) {
        addReduced(acc, out);
        since = 0;
      }
    }
    addReduced(acc, out);
    return out;
  }

  private void addReduced(long[] acc, long[] out) {
    long[] part = reduce(acc);
    for (int i = 0; i < out.length; i++) {
      out[i] = Goldilocks.add(out[i], part[i]);
    }
    java.util.Arrays.fill(acc, 0);
  }

  /**
   * ⟨M[row], e⟩ for each given row and an interleaved K vector e of length columns (a row's
   * multilinear at a point, e = eq(point, ·)), as an interleaved K vector: exact integer sums when
   * the entries are small.
   */
  public long[] evaluateRows(int[] which, long[] e) {
    if (e.length != 2 * columns) {
      throw new IllegalArgumentException("need " + columns + " values, got " + e.length / 2);
    }
    long[] out = new long[2 * which.length];
    if (smallWide != null && columns <= 2048) {
      long[] halves = new long[4 * columns];
      for (int c = 0; c < columns; c++) {
        halves[4 * c] = e[2 * c] & 0xFFFF_FFFFL;
        halves[4 * c + 1] = e[2 * c] >>> 32;
        halves[4 * c + 2] = e[2 * c + 1] & 0xFFFF_FFFFL;
        halves[4 * c + 3] = e[2 * c + 1] >>> 32;
      }
      long twoTo32 = 1L << 32;
      for (int i = 0; i < which.length; i++) {
        int base = which[i] * columns;
        // at most 2^11 products below 2^52 each: the sums stay below 2^63
        long s0l = 0, s0h = 0, s1l = 0, s1h = 0;
        for (int c = 0; c < columns; c++) {
          long m = smallWide[base + c];
          s0l += halves[4 * c] * m;
          s0h += halves[4 * c + 1] * m;
          s1l += halves[4 * c + 2] * m;
          s1h += halves[4 * c + 3] * m;
        }
        out[2 * i] =
            Goldilocks.add(
                Goldilocks.mul(Goldilocks.fromSigned(s0h), twoTo32), Goldilocks.fromSigned(s0l));
        out[2 * i + 1] =
            Goldilocks.add(
                Goldilocks.mul(Goldilocks.fromSigned(s1h), twoTo32), Goldilocks.fromSigned(s1l));
      }
      return out;
    }
    for (int i = 0; i < which.length; i++) {
      int base = which[i] * columns;
      long s0 = 0, s1 = 0;
      for (int c = 0; c < columns; c++) {
        long v = residues[base + c];
        if (v != 0) {
          s0 = Goldilocks.add(s0, Goldilocks.mul(v, e[2 * c]));
          s1 = Goldilocks.add(s1, Goldilocks.mul(v, e[2 * c + 1]));
        }
      }
      out[2 * i] = s0;
      out[2 * i + 1] = s1;
    }
    return out;
  }

  /**
   * Encoding takes an NTT per row (about 3 µs for 256 encoded entries), so rows go to two threads
   * from this many encoded entries on: a 6-row witness of a 64-neuron layer already qualifies.
   */
  private static final int PARALLEL_ENCODED = 1 << 10;

  /** Values per chunk that the two cores pull when encoding, transposing and serializing. */
  private static final int CHUNK_VALUES = 1 << 14;

  /** The byte matrix's combination on this thread: every chunk of a shared one. */
  private long[] combineSmall(long[] g) {
    return new SharedCombination(g).finish(0);
  }

  /** The exact per-column integer sums of {@link #accumulate} as an interleaved K vector. */
  private long[] reduce(long[] acc) {
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
   * Adds the exact integer sums over rows [from, to) into acc: per column re-lo, re-hi, im-lo,
   * im-hi. |entry| ≤ 128 and each coefficient half is below 2^32, so a sum over fewer than 2^23
   * rows stays below 2^62.
   */
  private void accumulate(long[] g, int from, int to, long[] acc) {
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
  }

  /**
   * g^T·M of a byte matrix (a weight fold) cut into row chunks of about {@link #CHUNK_ENTRIES}
   * entries that two threads can share (see {@link Chunks}): the helper runs {@link
   * SharedCombination#finish}, the caller {@link SharedCombination#help} when it is free. Each
   * participant sums exactly into its own accumulator, so the result equals {@link #combine}
   * whoever did which rows.
   */
  public SharedCombination shareCombination(long[] g) {
    if (small == null) {
      throw new IllegalStateException("only byte matrices combine by exact integer sums");
    }
    if (g.length != 2 * rows) {
      throw new IllegalArgumentException("need " + rows + " coefficients, got " + g.length / 2);
    }
    return new SharedCombination(g);
  }

  /**
   * g^T·M over rows [from, to) only (g indexed by row, entries outside the range ignored), on this
   * thread, for a byte matrix: the fold of one group of a grouped convolution's weights.
   */
  public long[] combineRows(long[] g, int from, int to) {
    if (small == null) {
      throw new IllegalStateException("only byte matrices combine by exact integer sums");
    }
    if (g.length != 2 * rows || from < 0 || to > rows || from > to) {
      throw new IllegalArgumentException("row range or coefficients do not fit the matrix");
    }
    long[] acc = new long[4 * columns];
    // accumulate sums exactly over fewer than 2^23 rows (checked at commit)
    accumulate(g, from, to, acc);
    return reduce(acc);
  }

  /** Rows per chunk of a shared combination: about this many entries (a few microseconds). */
  private static final int CHUNK_ENTRIES = 4096;

  /** A combination in progress, shared by two participants; see {@link #shareCombination}. */
  public final class SharedCombination {
    private final long[] g;
    private final int chunkRows = Math.max(1, CHUNK_ENTRIES / columns);
    private final long[][] accumulators = new long[2][];
    private final Chunks chunks;

    private SharedCombination(long[] g) {
      this.g = g;
      this.chunks = new Chunks((rows + chunkRows - 1) / chunkRows, this::run);
    }

    private void run(int chunk, int participant) {
      long[] acc = accumulators[participant];
      if (acc == null) {
        acc = new long[4 * columns];
        accumulators[participant] = acc;
      }
      accumulate(g, chunk * chunkRows, Math.min(rows, (chunk + 1) * chunkRows), acc);
    }

    /** Sums rows until none is left to start. */
    public void help(int participant) {
      chunks.help(participant);
    }

    /** Sums rows until none is left, waits for the other participant, and returns g^T·M. */
    public long[] finish(int participant) {
      chunks.finish(participant);
      long[] acc = accumulators[0] != null ? accumulators[0] : new long[4 * columns];
      long[] other = accumulators[1];
      if (other != null) {
        for (int i = 0; i < acc.length; i++) {
          acc[i] += other[i];
        }
      }
      return reduce(acc);
    }
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

  /** Opens the leaves holding the sampled columns, each once, with their Merkle multi-proof. */
  public LigeroColumns open(int[] queries) {
    int[] open = Ligero.openedLeaves(queries, leafColumns);
    int leafValues = leafColumns * rows;
    long[] values = new long[open.length * leafValues];
    for (int k = 0; k < open.length; k++) {
      System.arraycopy(encodedByColumn, open[k] * leafValues, values, k * leafValues, leafValues);
    }
    return LigeroColumns.owning(values, tree.prove(open));
  }
}
