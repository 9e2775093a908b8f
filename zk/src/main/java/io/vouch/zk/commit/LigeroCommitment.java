package io.vouch.zk.commit;

import io.vouch.zk.exec.Chunks;
import io.vouch.zk.exec.Parallel;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.Multilinear;
import io.vouch.zk.field.Ntt;
import java.security.DigestException;
import java.security.MessageDigest;

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

  /**
   * Encoded columns, column after column: every row of a residue matrix; for a byte matrix the
   * first {@link #keptRows} rows of each (the rows below are zero, and so are their encodings), or
   * null when the columns are computed as they are opened ({@link #commitBytes(byte[], int, int,
   * boolean)}).
   */
  private final long[] encodedByColumn;

  private final int keptRows;
  private final int usedColumns; // a byte matrix's entries at columns from here on are all zero
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
    this.keptRows = rows;
    this.usedColumns = columns;
    this.leafColumns = leafColumns;
    this.tree = tree(encoded, rows, leafColumns);
  }

  /** A byte matrix committed by {@link #streamBytes}. */
  private LigeroCommitment(
      int rows,
      int columns,
      byte[] small,
      long[] kept,
      int keptRows,
      int usedColumns,
      MerkleTree tree) {
    this.rows = rows;
    this.columns = columns;
    this.residues = null;
    this.small = small;
    this.smallWide = null;
    this.encodedByColumn = kept;
    this.keptRows = keptRows;
    this.usedColumns = usedColumns;
    this.leafColumns = 1;
    this.tree = tree;
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

  /**
   * {@link #commit(long[], int, int, int, int)} without copying the matrix: the commitment keeps
   * {@code rowMajor} itself, so the caller must not change it afterwards (the prover's witness, 8
   * bytes per committed value, which it only reads once committed).
   */
  public static LigeroCommitment commitOwned(
      long[] rowMajor, int rows, int columns, int leafColumns, int blowup) {
    checkShape(rowMajor.length, rows, columns);
    Ligero.checkBlowup(blowup);
    Ligero.checkLeafColumns(leafColumns, columns, blowup);
    return build(rowMajor, null, rows, columns, leafColumns, blowup);
  }

  /**
   * Commits to a matrix of signed bytes (int8 weights), embedded as signed residues, keeping its
   * encoded columns: {@link #commitBytes(byte[], int, int, boolean)} with {@code keepEncoding}.
   */
  public static LigeroCommitment commitBytes(byte[] rowMajor, int rows, int columns) {
    return commitBytes(rowMajor, rows, columns, true);
  }

  /**
   * Commits to a matrix of signed bytes (int8 weights) at rate 1/4, one encoded column per Merkle
   * leaf. The rows are encoded a block at a time and each encoded column's leaf hash is streamed,
   * so committing never holds the whole encoding (32 bytes per entry) at once. Afterwards the
   * commitment holds the bytes (1 per entry, for the folds) and the Merkle tree (64 bytes per
   * encoded column), and:
   *
   * <ul>
   *   <li>with {@code keepEncoding}, the encoded columns of the rows up to the last nonzero one (8
   *       bytes per encoded entry, 32 per entry; the zero rows below, a layer's outputs padded to a
   *       power of two, encode to zeros and are not stored): {@link #open} copies them;
   *   <li>without, nothing more: {@link #open} computes each opened column from the bytes,
   *       Enc(M)[r] [c] = Σ_j M[r][j]·ω^(c·j) with ω the (4·columns)-th root of unity of {@link
   *       io.vouch.zk.field.Ntt}, in exact integer sums (about 56 × 2 multiply-adds per entry for
   *       the 56 queries of a registered matrix).
   * </ul>
   *
   * Both give the same root and the same openings as {@link #commit} of the same entries.
   */
  public static LigeroCommitment commitBytes(
      byte[] rowMajor, int rows, int columns, boolean keepEncoding) {
    checkShape(rowMajor.length, rows, columns);
    if (rows >= 1 << 23) {
      throw new IllegalArgumentException("byte matrices are limited to 2^23 rows, got " + rows);
    }
    // exact column sums: |entry| ≤ 128 times a 32-bit half, over at most 2^23 columns, < 2^62
    boolean keep = keepEncoding || columns > 1 << 23;
    return streamBytes(rowMajor.clone(), rows, columns, keep);
  }

  /** Rows of a byte matrix encoded per block of {@link #streamBytes}: about this many values. */
  private static final int BLOCK_VALUES = 1 << 19;

  private static LigeroCommitment streamBytes(
      byte[] small, int rows, int columns, boolean keepEncoding) {
    int encodedColumns = columns * Ligero.BLOWUP;
    int usedRows = 0;
    int usedColumns = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        if (small[r * columns + c] != 0) {
          usedRows = r + 1;
          usedColumns = Math.max(usedColumns, c + 1);
        }
      }
    }
    int keptRows = usedRows;
    long[] kept = keepEncoding ? new long[keptRows * encodedColumns] : null;
    MessageDigest[] digests = new MessageDigest[encodedColumns];
    for (int c = 0; c < encodedColumns; c++) {
      digests[c] = MerkleTree.sha256();
      digests[c].update((byte) 0);
    }
    int block = Math.max(1, Math.min(rows, BLOCK_VALUES / encodedColumns));
    long[][] encoded = new long[block][];
    byte[][] buffers = {new byte[8 * block], new byte[8 * block]};
    long[] zeros = new long[encodedColumns];
    for (int start = 0; start < rows; start += block) {
      int first = start;
      int end = Math.min(rows, start + block);
      int encodeTo = Math.min(end, usedRows);
      if (encodeTo > first) {
        Parallel.forRange(
            encodeTo - first,
            Math.max(1, CHUNK_VALUES / encodedColumns),
            (from, to, who) -> {
              for (int r = first + from; r < first + to; r++) {
                long[] row = new long[encodedColumns];
                for (int c = 0; c < columns; c++) {
                  row[c] = Goldilocks.fromSigned(small[r * columns + c]);
                }
                Ntt.encodeInPlace(row, columns);
                encoded[r - first] = row;
              }
            });
      }
      for (int r = Math.max(first, encodeTo); r < end; r++) {
        encoded[r - first] = zeros;
      }
      int count = end - first;
      Parallel.forRange(
          encodedColumns,
          Math.max(1, CHUNK_VALUES / count),
          (from, to, who) -> {
            byte[] buffer = buffers[who];
            for (int c = from; c < to; c++) {
              for (int k = 0; k < count; k++) {
                long v = encoded[k][c];
                int o = 8 * k;
                for (int b = 0; b < 8; b++) {
                  buffer[o + b] = (byte) (v >>> (8 * b));
                }
                if (kept != null && first + k < keptRows) {
                  kept[c * keptRows + first + k] = v;
                }
              }
              digests[c].update(buffer, 0, 8 * count);
            }
          });
    }
    byte[] leafHashes = new byte[encodedColumns * MerkleTree.HASH_BYTES];
    for (int c = 0; c < encodedColumns; c++) {
      try {
        digests[c].digest(leafHashes, c * MerkleTree.HASH_BYTES, MerkleTree.HASH_BYTES);
      } catch (DigestException e) {
        throw new IllegalStateException("SHA-256 digest into a 32-byte slot failed", e);
      }
    }
    return new LigeroCommitment(
        rows, columns, small, kept, keptRows, usedColumns, MerkleTree.ofLeafHashes(leafHashes));
  }

  /**
   * Bytes of the arrays this commitment holds for proofs: the entries (1 per byte entry, 8 per
   * residue), the stored encoded columns and the Merkle tree's hashes.
   */
  public long heldBytes() {
    long bytes = tree.heldBytes();
    if (small != null) {
      bytes += small.length;
    }
    if (residues != null) {
      bytes += 8L * residues.length;
    }
    if (smallWide != null) {
      bytes += 4L * smallWide.length;
    }
    if (encodedByColumn != null) {
      bytes += 8L * encodedByColumn.length;
    }
    return bytes;
  }

  /** Whether {@link #open} copies stored encoded columns (else it computes them). */
  public boolean keepsEncoding() {
    return encodedByColumn != null;
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
    long[] byColumn = new long[rows * encodedColumns];
    int blockRows = blockRows(rows);
    int blocks = (rows + blockRows - 1) / blockRows;
    long[][][] buffers = new long[2][][]; // a participant's block buffer, reused by its chunks
    Parallel.Range encode =
        (from, to, who) -> {
          if (buffers[who] == null) {
            buffers[who] = new long[blockRows][encodedColumns];
          }
          encodeBlocks(residues, small, rows, columns, blockRows, from, to, buffers[who], byColumn);
        };
    if ((long) rows * encodedColumns >= PARALLEL_ENCODED && blocks >= 2) {
      // blocks of rows pulled by both cores, each encoded into the core's own buffer and written
      // straight into its rows of the column-major array (no two blocks write the same values)
      Parallel.forRange(blocks, Math.max(1, CHUNK_VALUES / (blockRows * encodedColumns)), encode);
    } else {
      encode.run(0, blocks, 0);
    }
    return new LigeroCommitment(rows, columns, residues, small, byColumn, leafColumns);
  }

  /**
   * The Merkle tree over the encoded columns, {@code leafColumns} adjacent ones per leaf: each
   * leaf's bytes hashed as they are serialized, a few kilobytes at a time, so the encoding is never
   * copied whole into bytes.
   */
  private static MerkleTree tree(long[] byColumn, int rows, int leafColumns) {
    int leafValues = leafColumns * rows;
    int leaves = byColumn.length / leafValues;
    byte[] hashes = new byte[leaves * MerkleTree.HASH_BYTES];
    // a participant's digest and serialization buffer, reused by its chunks
    MessageDigest[] digests = new MessageDigest[2];
    byte[][] buffers = new byte[2][];
    Parallel.Range hash =
        (from, to, who) -> {
          if (digests[who] == null) {
            digests[who] = MerkleTree.sha256();
            buffers[who] = new byte[8 * Math.min(leafValues, HASH_CHUNK_VALUES)];
          }
          MessageDigest sha = digests[who];
          byte[] buffer = buffers[who];
          java.nio.LongBuffer view =
              java.nio.ByteBuffer.wrap(buffer)
                  .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                  .asLongBuffer();
          for (int i = from; i < to; i++) {
            sha.update((byte) 0); // MerkleTree's leaf prefix
            for (int at = 0; at < leafValues; at += HASH_CHUNK_VALUES) {
              int n = Math.min(HASH_CHUNK_VALUES, leafValues - at);
              view.clear();
              view.put(byColumn, i * leafValues + at, n);
              sha.update(buffer, 0, 8 * n);
            }
            try {
              sha.digest(hashes, i * MerkleTree.HASH_BYTES, MerkleTree.HASH_BYTES);
            } catch (DigestException e) {
              throw new IllegalStateException(e);
            }
          }
        };
    if (byColumn.length >= PARALLEL_ENCODED) {
      Parallel.forRange(leaves, Math.max(1, CHUNK_VALUES / leafValues), hash);
    } else {
      hash.run(0, leaves, 0);
    }
    return MerkleTree.ofLeafHashes(hashes);
  }

  /** Values serialized per digest update while hashing a leaf. */
  private static final int HASH_CHUNK_VALUES = 1024;

  /**
   * Rows per block of the witness's encoding: at most {@link #TRANSPOSE_ROWS}, in blocks of nearly
   * equal size whose number is even (or, where rounding leaves it odd, at least 31), so that the
   * two cores pulling them finish together (154 rows: six blocks of 26 or 24 rows, not four of 32
   * and one of 26, three of which one core would run).
   */
  static int blockRows(int rows) {
    int pairs = (rows + 2 * TRANSPOSE_ROWS - 1) / (2 * TRANSPOSE_ROWS);
    return (rows + 2 * pairs - 1) / (2 * pairs);
  }

  /**
   * Row blocks [from, to) of {@code blockRows} rows each: the block's rows Reed–Solomon encoded
   * into one buffer, then each encoded column's run of the block's rows written into the
   * column-major array while the buffer is still cached.
   */
  private static void encodeBlocks(
      long[] residues,
      byte[] small,
      int rows,
      int columns,
      int blockRows,
      int from,
      int to,
      long[][] buffer,
      long[] byColumn) {
    int encodedColumns = buffer[0].length;
    for (int block = from; block < to; block++) {
      int r0 = block * blockRows, r1 = Math.min(rows, r0 + blockRows);
      for (int r = r0; r < r1; r++) {
        long[] row = buffer[r - r0];
        for (int c = 0; c < columns; c++) {
          row[c] =
              small != null
                  ? Goldilocks.fromSigned(small[r * columns + c])
                  : residues[r * columns + c];
        }
        Ntt.encodeInPlace(row, columns); // reads the first `columns` entries, writes every one
      }
      for (int c = 0; c < encodedColumns; c++) {
        int at = c * rows;
        for (int r = r0; r < r1; r++) {
          byColumn[at + r] = buffer[r - r0][c];
        }
      }
    }
  }

  /** Encoded rows' columns [from, to) into the column-major array (a test's given encoding). */
  private static void transpose(long[][] encoded, int from, int to, long[] byColumn) {
    int rows = encoded.length;
    for (int r0 = 0; r0 < rows; r0 += TRANSPOSE_ROWS) {
      int r1 = Math.min(rows, r0 + TRANSPOSE_ROWS);
      for (int c = from; c < to; c++) {
        int at = c * rows;
        for (int r = r0; r < r1; r++) {
          byColumn[at + r] = encoded[r][c];
        }
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

  /** Matrices of fewer entries are combined and checked on the calling thread alone. */
  private static final long PARALLEL_ENTRIES = 1 << 20;

  /** The signed entries when every one is small (witness values: int8, limbs, h), else null. */
  private static int[] smallSigned(long[] residues) {
    int[] out = new int[residues.length];
    boolean[] large = new boolean[1];
    Parallel.Range check =
        (from, to, who) -> {
          for (int i = from; i < to && !large[0]; i++) {
            long v = Goldilocks.toSigned(residues[i]);
            if (v >= SMALL_LIMIT || v <= -SMALL_LIMIT) {
              large[0] = true; // a benign race: only ever set to true
              return;
            }
            out[i] = (int) v;
          }
        };
    if (residues.length < PARALLEL_ENTRIES) {
      check.run(0, residues.length, 0);
    } else {
      Parallel.forRange(residues.length, 1 << 20, check);
    }
    return large[0] ? null : out;
  }

  /**
   * {@link #combine} for a residue matrix of small entries: exact sums, reduced every {@link
   * #FLUSH_ROWS} rows; on two cores, each summing its chunks of rows.
   */
  private long[] combineWide(long[] g) {
    if ((long) rows * columns < PARALLEL_ENTRIES) {
      long[] all = combineWide(g, 0, rows);
      return all == null ? new long[2 * columns] : all;
    }
    long[][] parts = new long[2][];
    Parallel.forRange(
        rows,
        FLUSH_ROWS,
        (from, to, who) -> {
          long[] part = combineWide(g, from, to);
          if (part != null) {
            synchronized (parts) {
              parts[who] = parts[who] == null ? part : addAll(parts[who], part);
            }
          }
        });
    if (parts[0] == null || parts[1] == null) {
      return parts[0] != null ? parts[0] : parts[1] != null ? parts[1] : new long[2 * columns];
    }
    return addAll(parts[0], parts[1]);
  }

  private static long[] addAll(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] = Goldilocks.add(a[i], b[i]);
    }
    return a;
  }

  /**
   * Rows [from, to) of {@link #combineWide}, reduced every {@link #FLUSH_ROWS} rows; null if every
   * coefficient there is zero.
   */
  private long[] combineWide(long[] g, int from, int to) {
    long[] acc = null;
    long[] out = null;
    int since = 0;
    for (int r = from; r < to; r++) {
      long g0 = g[2 * r], g1 = g[2 * r + 1];
      if (g0 == 0 && g1 == 0) {
        continue;
      }
      if (acc == null) {
        acc = new long[4 * columns];
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
        out = out == null ? reduce(acc) : addAll(out, reduce(acc));
        java.util.Arrays.fill(acc, 0);
        since = 0;
      }
    }
    if (acc == null) {
      return null;
    }
    return out == null ? reduce(acc) : addAll(out, reduce(acc));
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
      // summed in lazy form, one reduction per row (Multilinear.innerProductBase)
      Multilinear.innerProductBase(residues, which[i] * columns, columns, e).store(out, i);
    }
    return out;
  }

  /**
   * Encoding takes an NTT per row (about 3 µs for 256 encoded entries), so rows go to two threads
   * from this many encoded entries on: a 6-row witness of a 64-neuron layer already qualifies.
   */
  private static final int PARALLEL_ENCODED = 1 << 10;

  /** Values per chunk that the two cores pull when encoding and hashing leaves. */
  private static final int CHUNK_VALUES = 1 << 14;

  /**
   * The most rows per block of the witness's encoding ({@link #blockRows}): each block's encoded
   * columns are written into the column-major array while its buffer is still cached (and rows per
   * tile of {@link #transpose}).
   */
  private static final int TRANSPOSE_ROWS = 32;

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
    if (encodedByColumn == null) {
      encodedColumns(open, values);
    } else if (keptRows == rows) {
      for (int k = 0; k < open.length; k++) {
        System.arraycopy(encodedByColumn, open[k] * leafValues, values, k * leafValues, leafValues);
      }
    } else {
      // a byte matrix: one column per leaf, its rows from keptRows on zero
      for (int k = 0; k < open.length; k++) {
        System.arraycopy(encodedByColumn, open[k] * keptRows, values, k * rows, keptRows);
      }
    }
    return LigeroColumns.owning(values, tree.prove(open));
  }

  /** Rows per chunk of {@link #encodedColumns}: about this many entries. */
  private static final int COLUMN_CHUNK_ENTRIES = 1 << 15;

  /**
   * The encoded columns {@code which} of a byte matrix, column after column ({@code rows} values
   * each), from its entries: Enc(M)[r][c] = Σ_j M[r][j]·x_c^j with x_c = ω^c. Each x_c^j is split
   * into 32-bit halves (held as longs, so that the loop over j is a plain long multiply-add the JIT
   * vectorizes) whose products with the entries sum exactly in a long (below 2^39 each, at most
   * 2^23 of them). Rows are cut into chunks that both cores pull.
   */
  private void encodedColumns(int[] which, long[] values) {
    int used = usedColumns;
    int q = which.length;
    long[] lo = new long[q * used];
    long[] hi = new long[q * used];
    long omega = Goldilocks.rootOfUnity(Ntt.log2(columns * Ligero.BLOWUP));
    for (int k = 0; k < q; k++) {
      long x = Goldilocks.pow(omega, which[k]);
      long t = 1;
      for (int j = 0; j < used; j++) {
        lo[k * used + j] = t & 0xFFFF_FFFFL;
        hi[k * used + j] = t >>> 32;
        t = Goldilocks.mul(t, x);
      }
    }
    Parallel.forRange(
        keptRows,
        Math.max(1, COLUMN_CHUNK_ENTRIES / Math.max(1, used)),
        (from, to, who) -> {
          long twoTo32 = 1L << 32;
          for (int r = from; r < to; r++) {
            int base = r * columns;
            for (int k = 0; k < q; k++) {
              int a = k * used;
              long s0 = 0, s1 = 0;
              for (int j = 0; j < used; j++) {
                long m = small[base + j];
                s0 += m * lo[a + j];
                s1 += m * hi[a + j];
              }
              values[k * rows + r] =
                  Goldilocks.add(
                      Goldilocks.mul(Goldilocks.fromSigned(s1), twoTo32),
                      Goldilocks.fromSigned(s0));
            }
          }
        });
  }
}
