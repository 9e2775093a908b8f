package io.vouch.zk.commit;

import io.vouch.zk.InvalidProofException;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.Ntt;
import java.util.Arrays;
import java.util.List;

/**
 * Ligero polynomial commitment over the Goldilocks field: a matrix M (rows × columns, columns a
 * power of two) whose rows are Reed–Solomon encoded at rate 1/4 by NTT, with a Merkle tree over the
 * encoded columns.
 *
 * <p>Opening: for coefficient vectors g_j ∈ K^rows the prover sends v_j = g_j^T·M ∈ K^columns; the
 * verifier checks, at t random encoded columns, that Enc(v_j)[c] = Σ_r g_j[r]·Enc(M)[r][c]. A
 * multilinear of 2^(a+b) values laid out as 2^a rows of 2^b evaluates at (z_lo, z_hi) as ⟨v,
 * eq(z_lo, ·)⟩ with g = eq(z_hi, ·); rows holding separate vectors open with g = a random
 * combination of them.
 *
 * <p><b>Soundness.</b> Rate ρ = 1/4 (weights; a proof's witness uses ρ = 1/2, {@link
 * #WITNESS_BLOWUP}: distance 1/2, unique-decoding radius 1/4, {@link #QUERIES_WITNESS} = 262
 * queries for (3/4)^262 ≈ 2^-108.7 by the same argument): the code has relative distance 3/4.
 *
 * <ul>
 *   <li>Matrix committed by an honest registrar (model weights, checked once at registration): the
 *       rows are codewords, and a wrong v_j encodes to a codeword that differs from the true
 *       combination in ≥ 3/4 of the columns, so t queries miss with probability ≤ (1/4)^t; {@link
 *       #QUERIES_REGISTERED} = 56 gives 2^-112.
 *   <li>Matrix committed by the prover (witness): a random combination (the proximity test, with
 *       fresh coefficients) is checked like any opening. By the proximity gaps of Reed–Solomon
 *       codes up to the unique-decoding radius δ &lt; (1 − ρ)/2 = 3/8 (Ben-Sasson, Carmon, Ishai,
 *       Kopparty, Saraf 2020), a matrix δ-far from the code passes except with probability n/|K| +
 *       (1 − δ)^t; within the radius, a wrong v_j still differs from the decoded combination in ≥
 *       3/4 − 3/8 = 3/8 of the columns. {@link #QUERIES_PROXIMITY} = 160 gives (5/8)^160 ≈
 *       2^-108.5.
 * </ul>
 *
 * The design note's round numbers (50 and 150 queries) give 100 bits per opening; the few extra
 * queries keep every component at ≥ 108 bits so that the union bound over all components of a proof
 * (one opening per layer plus the witness) stays ≥ 100 bits for up to 64 layers.
 *
 * <p>Queries are sampled with replacement from the transcript after every v_j is absorbed. A Merkle
 * leaf holds g adjacent encoded columns: g = 1 for the registered weights, and for a prover-made
 * matrix {@link #leafColumns}, enough columns for at least {@link #MIN_LEAF_BYTES} bytes. A query
 * opens the whole leaf holding its column (each leaf once) and the verifier checks the queried
 * columns, so the bounds above hold for any g. What grouping buys is fewer hashes for a matrix of
 * few rows: the witness of a 64-neuron hidden layer (6 rows × 256 encoded columns) is 32 leaves of
 * 384 bytes instead of 256 leaves of 48 bytes, 286 SHA-256 compressions instead of 766. Its cost is
 * the unqueried columns that share an opened leaf; with 160 queries nearly every leaf of such a
 * small matrix is opened either way, so the proof grows only by a few kB.
 */
public final class Ligero {
  /** Rate 1/4: each row of length n encodes to 4n evaluations. */
  public static final int BLOWUP = 4;

  /** Column queries for a matrix an honest registrar committed: (1/4)^56 = 2^-112. */
  public static final int QUERIES_REGISTERED = 56;

  /** Column queries for a prover-made matrix, with the proximity test: (5/8)^160 ≈ 2^-108.5. */
  public static final int QUERIES_PROXIMITY = 160;

  /** A prover-made matrix's Merkle leaf takes adjacent encoded columns up to this many bytes. */
  public static final int MIN_LEAF_BYTES = 256;

  /**
   * A proof's witness (prover-made, committed per proof) is encoded at rate 1/2: half the encoding,
   * hashing and transposing of rate 1/4, for more queries.
   */
  public static final int WITNESS_BLOWUP = 2;

  /**
   * Column queries for a prover-made matrix at rate 1/2: relative distance 1/2, unique-decoding
   * radius δ &lt; 1/4, a wrong combination differs from the decoded one in ≥ 1/4 of the columns:
   * (3/4)^262 ≈ 2^-108.7.
   */
  public static final int QUERIES_WITNESS = 262;

  private Ligero() {}

  /**
   * Encoded columns per Merkle leaf for a prover-made matrix of {@code rows} rows and {@code
   * columns} columns: the smallest power of two g with 8·rows·g ≥ {@link #MIN_LEAF_BYTES}, at most
   * every encoded column.
   */
  public static int leafColumns(int rows, int columns) {
    return leafColumns(rows, columns, BLOWUP);
  }

  /** {@link #leafColumns(int, int)} for a matrix encoded at rate 1/{@code blowup}. */
  public static int leafColumns(int rows, int columns, int blowup) {
    int g = 1;
    while ((long) g * rows * 8 < MIN_LEAF_BYTES && g < columns * blowup) {
      g <<= 1;
    }
    return g;
  }

  /** Refuses a leaf size that is not a power of two up to the encoded width. */
  static void checkLeafColumns(int leafColumns, int columns) {
    checkLeafColumns(leafColumns, columns, BLOWUP);
  }

  static void checkLeafColumns(int leafColumns, int columns, int blowup) {
    if (leafColumns <= 0 || Integer.bitCount(leafColumns) != 1 || leafColumns > columns * blowup) {
      throw new IllegalArgumentException(
          "leaf columns must be a power of two up to the encoded width, got " + leafColumns);
    }
  }

  /** Rates 1/2 and 1/4 are supported. */
  static void checkBlowup(int blowup) {
    if (blowup != 2 && blowup != 4) {
      throw new IllegalArgumentException("blowup must be 2 or 4, got " + blowup);
    }
  }

  /** Increasing distinct leaves holding the sampled columns: the leaves actually opened. */
  public static int[] openedLeaves(int[] queries, int leafColumns) {
    int[] leaves = new int[queries.length];
    for (int i = 0; i < queries.length; i++) {
      leaves[i] = queries[i] / leafColumns;
    }
    return distinctSorted(leaves);
  }

  /** Increasing distinct values of the sampled indices: the columns actually opened. */
  public static int[] distinctSorted(int[] indices) {
    int[] sorted = indices.clone();
    Arrays.sort(sorted);
    int n = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (n == 0 || sorted[i] != sorted[n - 1]) {
        sorted[n++] = sorted[i];
      }
    }
    return Arrays.copyOf(sorted, n);
  }

  /** Leaf bytes of one encoded column: its {@code rows} residues as 8-byte little-endian words. */
  static byte[] columnBytes(long[] source, int offset, int rows) {
    byte[] b = new byte[rows * 8];
    java.nio.ByteBuffer.wrap(b)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .asLongBuffer()
        .put(source, offset, rows);
    return b;
  }

  /** Enc(v) for a K vector: the base-field encoding applied to each coordinate. */
  public static long[] encodeExt(long[] v) {
    return encodeExt(v, BLOWUP);
  }

  /** {@link #encodeExt(long[])} at rate 1/{@code blowup}. */
  public static long[] encodeExt(long[] v, int blowup) {
    return Ntt.encodeExt(v, blowup);
  }

  /**
   * Verifies an opening of a commitment with the given root and shape.
   *
   * @param coefficients g_j, each an interleaved K vector of length rows
   * @param combined v_j, each an interleaved K vector of length columns (already absorbed by the
   *     caller, before the queries were sampled)
   * @param leafColumns encoded columns per Merkle leaf (a power of two)
   * @param queries the sampled column indices (with repetitions)
   * @throws InvalidProofException if any column, path or combination is inconsistent
   */
  public static void verify(
      byte[] root,
      int rows,
      int columns,
      int leafColumns,
      List<long[]> coefficients,
      List<long[]> combined,
      int[] queries,
      LigeroColumns opening) {
    verify(root, rows, columns, leafColumns, BLOWUP, coefficients, combined, queries, opening);
  }

  /** {@link #verify(byte[], int, int, int, List, List, int[], LigeroColumns)} at rate 1/blowup. */
  public static void verify(
      byte[] root,
      int rows,
      int columns,
      int leafColumns,
      int blowup,
      List<long[]> coefficients,
      List<long[]> combined,
      int[] queries,
      LigeroColumns opening) {
    checkBlowup(blowup);
    if (coefficients.size() != combined.size()) {
      throw new IllegalArgumentException("one combined row per coefficient vector");
    }
    checkLeafColumns(leafColumns, columns, blowup);
    int g = leafColumns;
    int[] open = openedLeaves(queries, g);
    int[] checked = distinctSorted(queries);
    int leafValues = g * rows;
    if (opening.valueCount() != open.length * leafValues) {
      throw new InvalidProofException(
          "Ligero opening has "
              + opening.valueCount()
              + " values, expected "
              + open.length
              + " leaves of "
              + g
              + " columns of "
              + rows);
    }
    long[] values = opening.valuesView();
    if (!Goldilocks.allCanonical(values)) {
      for (int i = 0; i < values.length; i++) {
        if (!Goldilocks.isCanonical(values[i])) {
          throw new InvalidProofException(
              "Ligero column value " + i + " is not a canonical residue");
        }
      }
    }
    byte[] siblings = opening.flatSiblingsView();
    if (siblings == null) {
      throw new InvalidProofException("Ligero opening has a Merkle sibling that is not 32 bytes");
    }
    MerkleTree.verifyLongLeaves(
        root, columns * blowup / g, open, values, leafValues, siblings, opening.siblingCount());
    long[][] encoded = new long[coefficients.size()][];
    for (int j = 0; j < coefficients.size(); j++) {
      long[] gj = coefficients.get(j);
      long[] v = combined.get(j);
      if (gj.length != 2 * rows || v.length != 2 * columns) {
        throw new InvalidProofException(
            "Ligero combination "
                + j
                + " has the wrong length for a "
                + rows
                + "×"
                + columns
                + " matrix");
      }
      encoded[j] = Ntt.encodeExt(v, blowup, checked); // only the checked columns are read
    }
    // two combinations per pass over a column: one load of each value, four independent sums,
    // each a 128-bit sum of unreduced products (one reduction per column instead of one per term)
    long[] sums = new long[4];
    for (int j = 0; j < coefficients.size(); j += 2) {
      long[] ga = coefficients.get(j);
      long[] gb = j + 1 < coefficients.size() ? coefficients.get(j + 1) : null;
      int leaf = 0;
      for (int c : checked) {
        while (open[leaf] != c / g) {
          leaf++;
        }
        int base = (leaf * g + c % g) * rows;
        if (gb == null) {
          long a0 = dot(ga, 0, values, base, rows), a1 = dot(ga, 1, values, base, rows);
          if (a0 != encoded[j][2 * c] || a1 != encoded[j][2 * c + 1]) {
            throw new InvalidProofException(
                "Ligero combination " + j + " disagrees with committed column " + c);
          }
        } else {
          dot2(ga, gb, values, base, rows, sums);
          if (sums[0] != encoded[j][2 * c] || sums[1] != encoded[j][2 * c + 1]) {
            throw new InvalidProofException(
                "Ligero combination " + j + " disagrees with committed column " + c);
          }
          if (sums[2] != encoded[j + 1][2 * c] || sums[3] != encoded[j + 1][2 * c + 1]) {
            throw new InvalidProofException(
                "Ligero combination " + (j + 1) + " disagrees with committed column " + c);
          }
        }
      }
    }
  }

  /**
   * Σ_r g[2r + part]·m[base + r] over {@code rows} terms, as a canonical residue: the 128-bit
   * products are added into a 192-bit accumulator (lo, hi, top) and reduced once, with 2^128 ≡
   * −2^32 (mod p). Exact for any number of terms below 2^31.
   */
  static long dot(long[] g, int part, long[] m, int base, int rows) {
    long lo = 0, hi = 0, top = 0;
    for (int r = 0; r < rows; r++) {
      long a = g[2 * r + part], b = m[base + r];
      long pl = a * b, ph = Math.unsignedMultiplyHigh(a, b);
      long nl = lo + pl;
      long carry = ((lo & pl) | ((lo | pl) & ~nl)) >>> 63;
      lo = nl;
      long add = ph + carry; // ph ≤ 2^64 − 2: no wrap
      long nh = hi + add;
      top += ((hi & add) | ((hi | add) & ~nh)) >>> 63;
      hi = nh;
    }
    return finish(lo, hi, top);
  }

  /** {@link #dot} of both coordinates of two coefficient vectors in one pass over the column. */
  static void dot2(long[] ga, long[] gb, long[] m, int base, int rows, long[] out) {
    long l0 = 0, h0 = 0, t0 = 0, l1 = 0, h1 = 0, t1 = 0;
    long l2 = 0, h2 = 0, t2 = 0, l3 = 0, h3 = 0, t3 = 0;
    for (int r = 0; r < rows; r++) {
      long v = m[base + r];
      long x = ga[2 * r], pl = x * v, ph = Math.unsignedMultiplyHigh(x, v);
      long nl = l0 + pl;
      long add = ph + (((l0 & pl) | ((l0 | pl) & ~nl)) >>> 63);
      long nh = h0 + add;
      t0 += ((h0 & add) | ((h0 | add) & ~nh)) >>> 63;
      l0 = nl;
      h0 = nh;
      x = ga[2 * r + 1];
      pl = x * v;
      ph = Math.unsignedMultiplyHigh(x, v);
      nl = l1 + pl;
      add = ph + (((l1 & pl) | ((l1 | pl) & ~nl)) >>> 63);
      nh = h1 + add;
      t1 += ((h1 & add) | ((h1 | add) & ~nh)) >>> 63;
      l1 = nl;
      h1 = nh;
      x = gb[2 * r];
      pl = x * v;
      ph = Math.unsignedMultiplyHigh(x, v);
      nl = l2 + pl;
      add = ph + (((l2 & pl) | ((l2 | pl) & ~nl)) >>> 63);
      nh = h2 + add;
      t2 += ((h2 & add) | ((h2 | add) & ~nh)) >>> 63;
      l2 = nl;
      h2 = nh;
      x = gb[2 * r + 1];
      pl = x * v;
      ph = Math.unsignedMultiplyHigh(x, v);
      nl = l3 + pl;
      add = ph + (((l3 & pl) | ((l3 | pl) & ~nl)) >>> 63);
      nh = h3 + add;
      t3 += ((h3 & add) | ((h3 | add) & ~nh)) >>> 63;
      l3 = nl;
      h3 = nh;
    }
    out[0] = finish(l0, h0, t0);
    out[1] = finish(l1, h1, t1);
    out[2] = finish(l2, h2, t2);
    out[3] = finish(l3, h3, t3);
  }

  /** top·2^128 + hi·2^64 + lo mod p, for top &lt; 2^31 (2^128 ≡ −2^32). */
  private static long finish(long lo, long hi, long top) {
    return Goldilocks.sub(Goldilocks.reduce128(hi, lo), Goldilocks.reduce64(top << 32));
  }
}
