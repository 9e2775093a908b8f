package io.vouch.zk.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.zk.InvalidProofException;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.field.Multilinear;
import io.vouch.zk.field.Ntt;
import io.vouch.zk.transcript.Transcript;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LigeroTest {
  static LongStream seeds() {
    return LongStream.range(1, 11);
  }

  private static long[] randomMatrix(SplittableRandom rnd, int n) {
    long[] m = new long[n];
    for (int i = 0; i < n; i++) {
      m[i] = Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P);
    }
    return m;
  }

  private static byte[] randomBytes(SplittableRandom rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  private static GoldilocksExt2[] randomPoint(SplittableRandom rnd, int n) {
    GoldilocksExt2[] p = new GoldilocksExt2[n];
    for (int i = 0; i < n; i++) {
      p[i] =
          new GoldilocksExt2(
              Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P),
              Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P));
    }
    return p;
  }

  private static GoldilocksExt2[] concat(GoldilocksExt2[] lo, GoldilocksExt2[] hi) {
    GoldilocksExt2[] p = new GoldilocksExt2[lo.length + hi.length];
    System.arraycopy(lo, 0, p, 0, lo.length);
    System.arraycopy(hi, 0, p, lo.length, hi.length);
    return p;
  }

  /** Runs one opening the way a protocol would: combine, absorb, sample, open. */
  private static void openAndVerify(
      LigeroCommitment commitment, byte[] root, long[] g, long[] v, int queries) {
    Transcript prover = new Transcript("ligero-test");
    prover.absorbLongs("v", v);
    int[] q = prover.challengeIndices("q", commitment.columns() * Ligero.BLOWUP, queries);
    LigeroColumns opening = commitment.open(q);
    Transcript verifier = new Transcript("ligero-test");
    verifier.absorbLongs("v", v);
    int[] q2 = verifier.challengeIndices("q", commitment.columns() * Ligero.BLOWUP, queries);
    Ligero.verify(
        root,
        commitment.rows(),
        commitment.columns(),
        commitment.leafColumns(),
        List.of(g),
        List.of(v),
        q2,
        opening);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void tensorOpeningEvaluatesTheMultilinearOfTheMatrix(long seed) {
    var rnd = new SplittableRandom(seed);
    int logRows = rnd.nextInt(0, 4), logCols = rnd.nextInt(0, 6);
    long[] m = randomMatrix(rnd, 1 << (logRows + logCols));
    var commitment = LigeroCommitment.commit(m, 1 << logRows, 1 << logCols);
    GoldilocksExt2[] lo = randomPoint(rnd, logCols), hi = randomPoint(rnd, logRows);
    long[] v = commitment.combine(Multilinear.eqTable(hi));

    assertThat(Multilinear.innerProduct(v, Multilinear.eqTable(lo)))
        .isEqualTo(Multilinear.evaluate(m, concat(lo, hi)));
    assertThatCode(() ->
            openAndVerify(
                commitment,
                commitment.root(),
                Multilinear.eqTable(hi),
                v,
                Ligero.QUERIES_REGISTERED))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void byteMatrixCombinesLikeItsResidues(long seed) {
    var rnd = new SplittableRandom(seed);
    int rows = 1 + rnd.nextInt(40), cols = 1 << rnd.nextInt(0, 7);
    byte[] b = randomBytes(rnd, rows * cols);
    long[] residues = new long[b.length];
    for (int i = 0; i < b.length; i++) {
      residues[i] = Goldilocks.fromSigned(b[i]);
    }
    long[] g = new long[2 * rows];
    for (int i = 0; i < g.length; i++) {
      g[i] = Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P);
    }
    var fromBytes = LigeroCommitment.commitBytes(b, rows, cols);
    var fromResidues = LigeroCommitment.commit(residues, rows, cols);
    assertThat(fromBytes.combine(g)).containsExactly(fromResidues.combine(g));
    assertThat(fromBytes.root()).isEqualTo(fromResidues.root());
  }

  /**
   * A byte matrix with zero rows at the end (outputs padded to a power of two), a zero row and zero
   * columns inside (inputs padded), of a shape that needs several encoding blocks when large.
   */
  private static byte[] paddedBytes(SplittableRandom rnd, int rows, int cols, int usedRows) {
    byte[] b = new byte[rows * cols];
    int usedCols = Math.max(1, cols - cols / 4);
    for (int r = 0; r < usedRows; r++) {
      if (r == usedRows / 2 && usedRows > 2) {
        continue;
      }
      for (int c = 0; c < usedCols; c++) {
        b[r * cols + c] = (byte) rnd.nextInt(256);
      }
    }
    return b;
  }

  private static long[] residuesOf(byte[] b) {
    long[] residues = new long[b.length];
    for (int i = 0; i < b.length; i++) {
      residues[i] = Goldilocks.fromSigned(b[i]);
    }
    return residues;
  }

  /**
   * The streamed byte commitment, with its encoded columns kept (zero rows not stored) or computed
   * as they are opened, has the root and gives the openings (values and Merkle siblings) of the
   * residue commitment that encodes and hashes the whole matrix; and the openings verify.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void compactAndKeptByteCommitmentsOpenLikeTheWholeEncoding(long seed) {
    var rnd = new SplittableRandom(seed);
    int[][] shapes = {
      {1, 1, 1}, {3, 2, 3}, {7, 16, 5}, {64, 64, 50}, {40, 256, 40}, {300, 1024, 250}, {8, 8, 0}
    };
    int[] shape = shapes[(int) (seed % shapes.length)];
    int rows = shape[0], cols = shape[1];
    byte[] b = paddedBytes(rnd, rows, cols, shape[2]);
    var whole = LigeroCommitment.commit(residuesOf(b), rows, cols);
    var kept = LigeroCommitment.commitBytes(b, rows, cols, true);
    var compact = LigeroCommitment.commitBytes(b, rows, cols, false);
    assertThat(kept.keepsEncoding()).isTrue();
    assertThat(compact.keepsEncoding()).isFalse();
    assertThat(kept.root()).isEqualTo(whole.root());
    assertThat(compact.root()).isEqualTo(whole.root());
    for (int trial = 0; trial < 3; trial++) {
      int[] queries = new int[Ligero.QUERIES_REGISTERED];
      for (int i = 0; i < queries.length; i++) {
        queries[i] = rnd.nextInt(cols * Ligero.BLOWUP);
      }
      LigeroColumns expected = whole.open(queries);
      assertThat(kept.open(queries)).isEqualTo(expected);
      assertThat(compact.open(queries)).isEqualTo(expected);
    }
    long[] g = new long[2 * rows];
    for (int i = 0; i < g.length; i++) {
      g[i] = Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P);
    }
    assertThat(compact.combine(g)).containsExactly(whole.combine(g));
    openAndVerify(compact, whole.root(), g, compact.combine(g), Ligero.QUERIES_REGISTERED);
  }

  /**
   * The compact form holds the bytes and the tree only: at most 1 byte per entry and 256 bytes per
   * column beyond them; the kept form 32 bytes per entry of the rows up to the last nonzero one.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void compactByteCommitmentHoldsAboutOneBytePerEntry(long seed) {
    var rnd = new SplittableRandom(seed);
    int rows = 1 << rnd.nextInt(4, 9), cols = 1 << rnd.nextInt(4, 9), used = rows - rows / 4;
    byte[] b = paddedBytes(rnd, rows, cols, used);
    var compact = LigeroCommitment.commitBytes(b, rows, cols, false);
    var kept = LigeroCommitment.commitBytes(b, rows, cols, true);
    long tree = 2L * cols * Ligero.BLOWUP * 32 - 32;
    assertThat(compact.heldBytes()).isEqualTo((long) rows * cols + tree);
    assertThat(kept.heldBytes())
        .isEqualTo((long) rows * cols + tree + 8L * used * cols * Ligero.BLOWUP);
  }

  /**
   * One weight changed: another root, and the compact commitment's opening of the changed matrix is
   * refused against the original root.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void aCompactCommitmentOfAChangedWeightIsAnotherCommitment(long seed) {
    var rnd = new SplittableRandom(seed);
    int rows = 1 + rnd.nextInt(40), cols = 1 << rnd.nextInt(1, 7);
    byte[] b = randomBytes(rnd, rows * cols);
    var original = LigeroCommitment.commitBytes(b, rows, cols, false);
    int i = rnd.nextInt(b.length);
    b[i] = (byte) (b[i] + 1 + rnd.nextInt(255));
    var changed = LigeroCommitment.commitBytes(b, rows, cols, false);
    assertThat(changed.root()).isNotEqualTo(original.root());
    long[] g = new long[2 * rows];
    for (int k = 0; k < g.length; k++) {
      g[k] = Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P);
    }
    assertThatThrownBy(() ->
            openAndVerify(
                changed, original.root(), g, changed.combine(g), Ligero.QUERIES_REGISTERED))
        .isInstanceOf(InvalidProofException.class);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void wrongCombinedRowIsRejected(long seed) {
    var rnd = new SplittableRandom(seed);
    long[] m = randomMatrix(rnd, 8 * 16);
    var commitment = LigeroCommitment.commit(m, 8, 16);
    long[] g = Multilinear.eqTable(randomPoint(rnd, 3));
    long[] v = commitment.combine(g);
    int i = rnd.nextInt(v.length);
    v[i] = Goldilocks.add(v[i], 1);
    assertThatThrownBy(
            () -> openAndVerify(commitment, commitment.root(), g, v, Ligero.QUERIES_REGISTERED))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("disagrees");
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void openingAgainstAnotherRootIsRejected(long seed) {
    var rnd = new SplittableRandom(seed);
    var commitment = LigeroCommitment.commit(randomMatrix(rnd, 4 * 8), 4, 8);
    var other = LigeroCommitment.commit(randomMatrix(rnd, 4 * 8), 4, 8);
    long[] g = Multilinear.eqTable(randomPoint(rnd, 2));
    assertThatThrownBy(() -> openAndVerify(commitment, other.root(), g, commitment.combine(g), 20))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("root");
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void proximityTestCatchesARowThatIsNotACodeword(long seed) {
    // a cheating prover commits to 4 rows, one of which is random noise far from every codeword,
    // and reports the combination of the messages it pretends to have encoded
    var rnd = new SplittableRandom(seed);
    int rows = 4, cols = 16;
    long[] m = randomMatrix(rnd, rows * cols);
    long[][] encoded = new long[rows][];
    for (int r = 0; r < rows; r++) {
      long[] msg = new long[cols];
      System.arraycopy(m, r * cols, msg, 0, cols);
      encoded[r] = Ntt.encode(msg, Ligero.BLOWUP);
    }
    encoded[2] = randomMatrix(rnd, cols * Ligero.BLOWUP);
    var cheat = LigeroCommitment.withEncodedRows(m, rows, cols, encoded);
    long[] g = new long[2 * rows];
    for (int i = 0; i < g.length; i++) {
      g[i] = Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P);
    }
    assertThatThrownBy(
            () -> openAndVerify(cheat, cheat.root(), g, cheat.combine(g), Ligero.QUERIES_PROXIMITY))
        .isInstanceOf(InvalidProofException.class);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aSharedCombinationEqualsTheCombinationWhoeverSummedWhichRows(long seed) {
    var rnd = new SplittableRandom(seed);
    int rows = 1 + rnd.nextInt(200), cols = 1 << rnd.nextInt(0, 11);
    byte[] b = randomBytes(rnd, rows * cols);
    var commitment = LigeroCommitment.commitBytes(b, rows, cols);
    long[] residues = new long[b.length];
    for (int i = 0; i < b.length; i++) {
      residues[i] = Goldilocks.fromSigned(b[i]);
    }
    long[] g = randomMatrix(rnd, 2 * rows);
    // field arithmetic on the residues: independent of the integer sums being tested
    long[] expected = LigeroCommitment.commit(residues, rows, cols).combine(g);

    // alone
    assertThat(commitment.shareCombination(g).finish(0)).containsExactly(expected);
    // the caller helps first, then the forked side finishes
    var helped = commitment.shareCombination(g);
    helped.help(1);
    assertThat(helped.finish(0)).containsExactly(expected);
    // both at once
    var shared = commitment.shareCombination(g);
    io.vouch.zk.exec.Parallel.Forked<long[]> forked =
        io.vouch.zk.exec.Parallel.fork(() -> shared.finish(0));
    shared.help(1);
    assertThat(forked.join()).containsExactly(expected);
  }

  @org.junit.jupiter.api.Test
  void onlyByteMatricesShareTheirCombination() {
    var commitment = LigeroCommitment.commit(new long[8], 2, 4);
    assertThatThrownBy(() -> commitment.shareCombination(new long[4]))
        .isInstanceOf(IllegalStateException.class);
  }

  @org.junit.jupiter.api.Test
  void aProverMadeLeafTakesAdjacentColumnsUpTo256Bytes() {
    assertThat(Ligero.leafColumns(6, 64)).isEqualTo(8); // 8 × 48 bytes
    assertThat(Ligero.leafColumns(32, 64)).isEqualTo(1);
    assertThat(Ligero.leafColumns(18, 1024)).isEqualTo(2);
    assertThat(Ligero.leafColumns(1, 2)).isEqualTo(8); // capped at every encoded column
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void groupedLeavesOpenAndVerifyLikeSingleColumns(long seed) {
    var rnd = new SplittableRandom(seed);
    int rows = 1 + rnd.nextInt(8), logCols = rnd.nextInt(1, 7);
    long[] m = randomMatrix(rnd, rows << logCols);
    int g = Ligero.leafColumns(rows, 1 << logCols);
    var grouped = LigeroCommitment.commit(m, rows, 1 << logCols, g);
    var single = LigeroCommitment.commit(m, rows, 1 << logCols);
    long[] coefficients = randomMatrix(rnd, 2 * rows);

    assertThat(grouped.leafColumns()).isEqualTo(g).isGreaterThan(1);
    assertThat(grouped.combine(coefficients)).containsExactly(single.combine(coefficients));
    assertThat(grouped.root()).isNotEqualTo(single.root());
    assertThatCode(() ->
            openAndVerify(
                grouped,
                grouped.root(),
                coefficients,
                grouped.combine(coefficients),
                Ligero.QUERIES_PROXIMITY))
        .doesNotThrowAnyException();
  }

  /**
   * A grouped commitment of random rows, opened at {@code queries} columns of a random combination.
   */
  private record GroupedOpening(
      LigeroCommitment commitment, long[] coefficients, long[] v, int[] q, LigeroColumns opening) {
    static GroupedOpening of(SplittableRandom rnd, int rows, int cols, int queries) {
      var commitment =
          LigeroCommitment.commit(
              randomMatrix(rnd, rows * cols), rows, cols, Ligero.leafColumns(rows, cols));
      long[] coefficients = randomMatrix(rnd, 2 * rows);
      long[] v = commitment.combine(coefficients);
      Transcript prover = new Transcript("ligero-test");
      prover.absorbLongs("v", v);
      int[] q = prover.challengeIndices("q", cols * Ligero.BLOWUP, queries);
      return new GroupedOpening(commitment, coefficients, v, q, commitment.open(q));
    }

    void verify(int leafColumns, LigeroColumns columns) {
      Ligero.verify(
          commitment.root(),
          commitment.rows(),
          commitment.columns(),
          leafColumns,
          List.of(coefficients),
          List.of(v),
          q,
          columns);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aChangedColumnThatSharesAnOpenedLeafIsRejected(long seed) {
    // the verifier checks only queried columns, but the Merkle root binds the whole leaf
    var rnd = new SplittableRandom(seed);
    var o = GroupedOpening.of(rnd, 3, 16, 4);
    long[] values = o.opening().values();
    int i = rnd.nextInt(values.length);
    values[i] = Goldilocks.add(values[i], 1);
    var tampered = new LigeroColumns(values, o.opening().siblings());
    assertThatCode(() -> o.verify(o.commitment().leafColumns(), o.opening()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> o.verify(o.commitment().leafColumns(), tampered))
        .isInstanceOf(InvalidProofException.class);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void anOpeningReadWithAnotherLeafSizeIsRejected(long seed) {
    var o = GroupedOpening.of(new SplittableRandom(seed), 2, 32, 20);
    int g = o.commitment().leafColumns();
    for (int other : new int[] {g / 2, 2 * g}) {
      assertThatThrownBy(() -> o.verify(other, o.opening()))
          .isInstanceOf(InvalidProofException.class);
    }
  }

  @org.junit.jupiter.api.Test
  void queryCountsGiveEachOpeningAtLeast108Bits() {
    // honest registrar: (1/4)^t; prover-made with proximity test: (5/8)^t
    assertThat(Ligero.QUERIES_REGISTERED * Math.log(4) / Math.log(2)).isGreaterThanOrEqualTo(108);
    assertThat(Ligero.QUERIES_PROXIMITY * Math.log(8.0 / 5) / Math.log(2))
        .isGreaterThanOrEqualTo(108);
  }

  /** The column sums with one reduction per column equal the term-by-term field sums. */
  @org.junit.jupiter.api.Test
  void lazyColumnSumsEqualFieldSums() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
    long max = Goldilocks.P - 1;
    for (int rows : new int[] {0, 1, 2, 7, 64, 1000, 5000}) {
      long[] ga = new long[2 * rows], gb = new long[2 * rows], m = new long[rows + 3];
      for (int i = 0; i < 2 * rows; i++) {
        ga[i] = rows == 5000 ? max : Goldilocks.reduce64(rnd.nextLong());
        gb[i] = Goldilocks.reduce64(rnd.nextLong());
      }
      for (int i = 0; i < m.length; i++) {
        m[i] = rows == 5000 ? max : Goldilocks.reduce64(rnd.nextLong());
      }
      long[] expected = new long[4];
      for (int r = 0; r < rows; r++) {
        expected[0] = Goldilocks.add(expected[0], Goldilocks.mul(ga[2 * r], m[3 + r]));
        expected[1] = Goldilocks.add(expected[1], Goldilocks.mul(ga[2 * r + 1], m[3 + r]));
        expected[2] = Goldilocks.add(expected[2], Goldilocks.mul(gb[2 * r], m[3 + r]));
        expected[3] = Goldilocks.add(expected[3], Goldilocks.mul(gb[2 * r + 1], m[3 + r]));
      }
      long[] out = new long[4];
      Ligero.dot2(ga, gb, m, 3, rows, out);
      assertThat(out).as("%d rows", rows).containsExactly(expected);
      assertThat(Ligero.dot(ga, 0, m, 3, rows)).isEqualTo(expected[0]);
      assertThat(Ligero.dot(ga, 1, m, 3, rows)).isEqualTo(expected[1]);
    }
  }
}
