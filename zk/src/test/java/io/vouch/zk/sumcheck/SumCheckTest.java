package io.vouch.zk.sumcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.zk.InvalidProofException;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.field.Multilinear;
import io.vouch.zk.transcript.Transcript;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SumCheckTest {
  static Stream<Arguments> cases() {
    return Stream.of(2, 3)
        .flatMap(d -> Stream.of(0, 1, 2, 5, 8).map(n -> Arguments.of(d, n, 31L * d + n)));
  }

  private static long[][] randomTables(int count, int n, long seed) {
    var rnd = new SplittableRandom(seed);
    long[][] t = new long[count][2 << n];
    for (long[] table : t) {
      for (int i = 0; i < table.length; i++) {
        table[i] = Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P);
      }
    }
    return t;
  }

  private static GoldilocksExt2 bruteForceSum(long[][] tables) {
    GoldilocksExt2 sum = GoldilocksExt2.ZERO;
    for (int x = 0; x < tables[0].length / 2; x++) {
      GoldilocksExt2 p = GoldilocksExt2.ONE;
      for (long[] t : tables) {
        p = p.mul(GoldilocksExt2.at(t, x));
      }
      sum = sum.add(p);
    }
    return sum;
  }

  private static long[][] copy(long[][] t) {
    long[][] c = new long[t.length][];
    for (int i = 0; i < t.length; i++) {
      c[i] = t[i].clone();
    }
    return c;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void honestProofOfProductSumVerifiesAndEndsInTheTablesValues(int degree, int n, long seed) {
    long[][] tables = randomTables(degree, n, seed);
    GoldilocksExt2 claim = bruteForceSum(tables);
    var proved =
        SumCheck.prove(new Transcript("test"), SumCheckPolynomial.product(degree), copy(tables));
    var reduced = SumCheck.verify(new Transcript("test"), degree, n, claim, proved.proof());

    assertThat(reduced.point()).containsExactly(proved.point());
    GoldilocksExt2 expected = GoldilocksExt2.ONE;
    for (long[] t : tables) {
      expected = expected.mul(Multilinear.evaluateExt(t, reduced.point()));
    }
    assertThat(reduced.claim()).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void wrongClaimedSumIsRejected(int degree, int n, long seed) {
    long[][] tables = randomTables(degree, n, seed);
    GoldilocksExt2 wrong = bruteForceSum(tables).add(GoldilocksExt2.ONE);
    var proved =
        SumCheck.prove(new Transcript("test"), SumCheckPolynomial.product(degree), copy(tables));
    if (n == 0) {
      // no rounds: the wrong claim survives to the final check, which the caller makes
      var reduced = SumCheck.verify(new Transcript("test"), degree, n, wrong, proved.proof());
      assertThat(reduced.claim())
          .isNotEqualTo(
              proved.finalValues()[0].mul(
                  degree == 2
                      ? proved.finalValues()[1]
                      : proved.finalValues()[1].mul(proved.finalValues()[2])));
      return;
    }
    assertThatThrownBy(
            () -> SumCheck.verify(new Transcript("test"), degree, n, wrong, proved.proof()))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("round 0");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void tamperedRoundMessageIsRejectedOrBreaksTheFinalClaim(int degree, int n, long seed) {
    if (n == 0) {
      return;
    }
    long[][] tables = randomTables(degree, n, seed);
    GoldilocksExt2 claim = bruteForceSum(tables);
    var proved =
        SumCheck.prove(new Transcript("test"), SumCheckPolynomial.product(degree), copy(tables));
    long[][] rounds = proved.proof().rounds();
    int round = (int) (seed % n);
    rounds[round][2 * degree] = Goldilocks.add(rounds[round][2 * degree], 1); // s(d) changed
    var tampered = new SumCheckProof(rounds);
    GoldilocksExt2 honestFinal = GoldilocksExt2.ONE;
    for (GoldilocksExt2 v : proved.finalValues()) {
      honestFinal = honestFinal.mul(v);
    }
    try {
      var reduced = SumCheck.verify(new Transcript("test"), degree, n, claim, tampered);
      GoldilocksExt2 expected = GoldilocksExt2.ONE;
      for (long[] t : tables) {
        expected = expected.mul(Multilinear.evaluateExt(t, reduced.point()));
      }
      assertThat(reduced.claim()).isNotEqualTo(expected);
    } catch (InvalidProofException rejected) {
      assertThat(rejected).hasMessageContaining("sum-check round");
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void wrongNumberOfRoundsIsRejected(int degree, int n, long seed) {
    long[][] tables = randomTables(degree, n, seed);
    var proved =
        SumCheck.prove(new Transcript("test"), SumCheckPolynomial.product(degree), copy(tables));
    assertThatThrownBy(() ->
            SumCheck.verify(
                new Transcript("test"), degree, n + 1, bruteForceSum(tables), proved.proof()))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("rounds");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void interpolationReproducesTheRoundPolynomialAtItsNodes(int degree, int n, long seed) {
    var rnd = new SplittableRandom(seed);
    long[] s = new long[2 * (degree + 1)];
    for (int i = 0; i < s.length; i++) {
      s[i] = Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P);
    }
    for (int i = 0; i <= degree; i++) {
      assertThat(SumCheck.interpolate(s, GoldilocksExt2.of(i))).isEqualTo(GoldilocksExt2.at(s, i));
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void specializedProductProverSendsTheSameMessagesAsTheGenericOne(int degree, int n, long seed) {
    long[][] tables = randomTables(2, n, seed);
    var generic =
        SumCheck.prove(new Transcript("test"), SumCheckPolynomial.product(2), copy(tables));
    var special = SumCheck.proveProduct(new Transcript("test"), tables[0], tables[1]);
    assertThat(special.proof()).isEqualTo(generic.proof());
    assertThat(special.finalValues()).containsExactly(generic.finalValues());
  }

  static Stream<Arguments> productOfCases() {
    // sizes up to 2^10 reach the two-core split (rounds with 128 or more pairs per half)
    return Stream.of(1, 2, 3, 5, 9)
        .flatMap(m -> Stream.of(0, 1, 3, 8, 10).map(n -> Arguments.of(m, n, 97L * m + n)));
  }

  /**
   * The product prover with base-field tables (every X-coordinate 0: the zero-checks' lifted
   * witness vectors) and extension tables mixed: the same messages, point and final values as the
   * generic prover, and an honest proof verifies against the brute-force sum.
   */
  @ParameterizedTest
  @MethodSource("productOfCases")
  void productOfProverSendsTheGenericMessagesWithBaseAndExtensionTables(int m, int n, long seed) {
    var rnd = new SplittableRandom(seed);
    for (int baseMask = 0; baseMask < 1 << Math.min(m, 3); baseMask++) {
      long[][] tables = randomTables(m, n, seed + baseMask);
      for (int j = 0; j < m; j++) {
        if ((baseMask >> Math.min(j, 2) & 1) != 0) {
          for (int i = 0; i < tables[j].length; i += 2) {
            // small signed integers, as witness values are
            tables[j][i] = Goldilocks.fromSigned(rnd.nextInt(-300, 300));
            tables[j][i + 1] = 0;
          }
        }
      }
      GoldilocksExt2 claim = bruteForceSum(tables);
      var generic =
          SumCheck.prove(new Transcript("test"), SumCheckPolynomial.product(m), copy(tables));
      var special = SumCheck.proveProductOf(new Transcript("test"), copy(tables));
      assertThat(special.proof()).isEqualTo(generic.proof());
      assertThat(special.point()).containsExactly(generic.point());
      assertThat(special.finalValues()).containsExactly(generic.finalValues());
      var reduced = SumCheck.verify(new Transcript("test"), m, n, claim, special.proof());
      GoldilocksExt2 expected = GoldilocksExt2.ONE;
      for (GoldilocksExt2 v : special.finalValues()) {
        expected = expected.mul(v);
      }
      assertThat(reduced.claim()).isEqualTo(expected);
    }
  }

  /**
   * A tensor layout's zeros — C channels of S values in strides of T (a power of two), the rest of
   * the domain 0, as a max-pool's window differences and a convolution's input are committed — are
   * pairs the product provers skip and the folds set to 0 without products. The skip must be exact:
   * with a factor zero on a pair and the others not (an eq table or a window table is nonzero
   * there), every specialized prover sends the generic prover's messages, point and final values.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "3, 1, 3",
    "6, 3, 9",
    "8, 6, 24",
    "11, 6, 144",
    "11, 5, 200",
    "12, 3, 1"
  })
  void productProversSkipALayoutsZerosExactly(int n, int channels, int spatial) {
    var rnd = new SplittableRandom(1000L * n + spatial);
    int stride = Integer.highestOneBit(Math.max(1, 2 * spatial - 1));
    long[][] padded = new long[3][2 << n];
    for (int j = 0; j < padded.length; j++) {
      for (int c = 0; c < channels && c * stride < 1 << n; c++) {
        for (int s = 0; s < spatial && c * stride + s < 1 << n; s++) {
          int i = c * stride + s;
          if (j == 0) {
            padded[j][2 * i] = Goldilocks.fromSigned(rnd.nextInt(-300, 300)); // base, like a d_k
          } else {
            padded[j][2 * i] = Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P);
            padded[j][2 * i + 1] = Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P);
          }
        }
      }
    }
    long[] dense = randomTables(1, n, n)[0]; // nonzero on the padding: a window or eq table

    // two tables: the window table against a padded input
    var generic2 =
        SumCheck.prove(
            new Transcript("test"),
            SumCheckPolynomial.product(2),
            new long[][] {dense.clone(), padded[1].clone()});
    var special2 = SumCheck.proveProduct(new Transcript("test"), dense.clone(), padded[1].clone());
    assertThat(special2.proof()).isEqualTo(generic2.proof());
    assertThat(special2.finalValues()).containsExactly(generic2.finalValues());

    // a product of base and extension factors, one dense
    long[][] tables = {dense.clone(), padded[0].clone(), padded[2].clone()};
    var generic =
        SumCheck.prove(new Transcript("test"), SumCheckPolynomial.product(3), copy(tables));
    var special = SumCheck.proveProductOf(new Transcript("test"), copy(tables));
    assertThat(special.proof()).isEqualTo(generic.proof());
    assertThat(special.point()).containsExactly(generic.point());
    assertThat(special.finalValues()).containsExactly(generic.finalValues());

    // a zero-check over the padded factors, eq factored out
    GoldilocksExt2[] r = new GoldilocksExt2[n];
    for (int i = 0; i < n; i++) {
      r[i] = random(rnd);
    }
    long[][] withEq = {Multilinear.eqTable(r), padded[0].clone(), padded[1].clone()};
    var expected =
        SumCheck.prove(new Transcript("test"), SumCheckPolynomial.product(3), copy(withEq));
    var factored =
        SumCheck.proveEqProductOf(
            new Transcript("test"),
            r,
            GoldilocksExt2.ONE,
            new long[][] {padded[0].clone(), padded[1].clone()});
    assertThat(factored.proof()).isEqualTo(expected.proof());
    assertThat(factored.point()).containsExactly(expected.point());
    assertThat(factored.finalValues()).containsExactly(expected.finalValues());
    var reduced =
        SumCheck.verify(new Transcript("test"), 3, n, bruteForceSum(withEq), factored.proof());
    GoldilocksExt2 product = GoldilocksExt2.ONE;
    for (GoldilocksExt2 v : factored.finalValues()) {
      product = product.mul(v);
    }
    assertThat(reduced.claim()).isEqualTo(product);
  }

  /**
   * The eq-factored prover (Gruen's zero-check) sends exactly what {@link SumCheck#proveProductOf}
   * sends on (scale·eq(r, ·), f_1, …, f_F): messages, point and final values, with base and
   * extension factors mixed, a scale of 1, a random one and 0 (then every round's P is 0 and q(1)
   * is summed, not derived), and a point with a zero coordinate (r_i = 0: the same); an honest
   * zero-check verifies.
   */
  @ParameterizedTest
  @MethodSource("productOfCases")
  void eqFactoredProverSendsTheProductOfProversMessages(int f, int n, long seed) {
    var rnd = new SplittableRandom(seed ^ 0x5EEDL);
    for (int variant = 0; variant < 4; variant++) {
      long[][] factors = randomTables(f, n, seed + 17 * variant);
      for (int j = 0; j < f; j += 2) {
        for (int i = 0; i < factors[j].length; i += 2) {
          factors[j][i] = Goldilocks.fromSigned(rnd.nextInt(-300, 300)); // a base-field table
          factors[j][i + 1] = 0;
        }
      }
      GoldilocksExt2[] r = new GoldilocksExt2[n];
      for (int i = 0; i < n; i++) {
        r[i] = variant == 3 && i == n / 2 ? GoldilocksExt2.ZERO : random(rnd);
      }
      GoldilocksExt2 scale =
          switch (variant) {
            case 0 -> GoldilocksExt2.ONE;
            case 2 -> GoldilocksExt2.ZERO;
            default -> random(rnd);
          };
      long[] eq = Multilinear.eqTable(r);
      for (int i = 0; i < eq.length / 2; i++) {
        GoldilocksExt2.at(eq, i).mul(scale).store(eq, i);
      }
      long[][] tables = new long[f + 1][];
      tables[0] = eq;
      System.arraycopy(copy(factors), 0, tables, 1, f);
      GoldilocksExt2 claim = bruteForceSum(tables);
      var expected = SumCheck.proveProductOf(new Transcript("test"), tables);
      var factored = SumCheck.proveEqProductOf(new Transcript("test"), r, scale, factors);
      assertThat(factored.proof()).as("variant " + variant).isEqualTo(expected.proof());
      assertThat(factored.point()).containsExactly(expected.point());
      assertThat(factored.finalValues()).containsExactly(expected.finalValues());
      var reduced = SumCheck.verify(new Transcript("test"), f + 1, n, claim, factored.proof());
      GoldilocksExt2 product = GoldilocksExt2.ONE;
      for (GoldilocksExt2 v : factored.finalValues()) {
        product = product.mul(v);
      }
      assertThat(reduced.claim()).isEqualTo(product);
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void eqWeightedClaimsAtSeveralPointsReduceToOnePoint(int pairs, int n, long seed) {
    long[][] c = randomTables(pairs, n, seed);
    var rnd = new SplittableRandom(seed);
    GoldilocksExt2[] w = new GoldilocksExt2[pairs];
    GoldilocksExt2[][] z = new GoldilocksExt2[pairs][n];
    GoldilocksExt2[] claims = new GoldilocksExt2[pairs];
    GoldilocksExt2 sum = GoldilocksExt2.ZERO;
    for (int p = 0; p < pairs; p++) {
      w[p] = random(rnd);
      for (int i = 0; i < n; i++) {
        z[p][i] = random(rnd);
      }
      // Σ_x c_p(x)·eq(z_p, x) = c̃_p(z_p)
      claims[p] = Multilinear.evaluateExt(c[p], z[p]);
      sum = sum.add(w[p].mul(claims[p]));
    }
    GoldilocksExt2 claim = sum;
    var proved = SumCheck.proveEqWeighted(new Transcript("test"), copy(c), z, w, claims);
    var reduced = SumCheck.verify(new Transcript("test"), 2, n, claim, proved.proof());
    GoldilocksExt2 expected = GoldilocksExt2.ZERO;
    for (int p = 0; p < pairs; p++) {
      GoldilocksExt2 cp = Multilinear.evaluateExt(c[p], reduced.point());
      GoldilocksExt2 eq = Multilinear.eq(z[p], reduced.point());
      assertThat(proved.finalValues()[2 * p]).isEqualTo(cp);
      assertThat(proved.finalValues()[2 * p + 1]).isEqualTo(eq);
      expected = expected.add(w[p].mul(cp).mul(eq));
    }
    assertThat(reduced.point()).containsExactly(proved.point());
    assertThat(reduced.claim()).isEqualTo(expected);
    if (n == 0) {
      return; // no rounds: the caller checks the claim against the final values
    }
    // a point's coordinate at 0 (s·l = 0: L(1) summed, not derived) proves the same sum
    GoldilocksExt2[][] zeroed = z.clone();
    zeroed[0] = z[0].clone();
    zeroed[0][0] = GoldilocksExt2.ZERO;
    GoldilocksExt2[] zeroedClaims = claims.clone();
    zeroedClaims[0] = Multilinear.evaluateExt(c[0], zeroed[0]);
    GoldilocksExt2 zeroedSum = claim.sub(w[0].mul(claims[0])).add(w[0].mul(zeroedClaims[0]));
    var provedZeroed =
        SumCheck.proveEqWeighted(new Transcript("test"), copy(c), zeroed, w, zeroedClaims);
    SumCheck.verify(new Transcript("test"), 2, n, zeroedSum, provedZeroed.proof());
    // a claim off by one is refused
    assertThatThrownBy(() ->
            SumCheck.verify(
                new Transcript("test"), 2, n, claim.add(GoldilocksExt2.ONE), proved.proof()))
        .isInstanceOf(InvalidProofException.class);
  }

  private static GoldilocksExt2 random(SplittableRandom rnd) {
    return new GoldilocksExt2(
        Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P),
        Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P));
  }

  /** The O(d) interpolation equals Σ_i s(i)·Π_{j≠i}(c − j)/(i − j) computed term by term. */
  @org.junit.jupiter.api.Test
  void interpolationMatchesLagrangeTermByTerm() {
    SplittableRandom rnd = new SplittableRandom(5);
    for (int d : new int[] {1, 2, 3, 5, 8, 17, 33, 129, 300}) {
      long[] s = new long[2 * (d + 1)];
      for (int i = 0; i < s.length; i++) {
        s[i] = Goldilocks.reduce64(rnd.nextLong());
      }
      GoldilocksExt2 c =
          new GoldilocksExt2(
              Goldilocks.reduce64(rnd.nextLong()), Goldilocks.reduce64(rnd.nextLong()));
      GoldilocksExt2 expected = GoldilocksExt2.ZERO;
      for (int i = 0; i <= d; i++) {
        GoldilocksExt2 num = GoldilocksExt2.ONE;
        long den = 1;
        for (int j = 0; j <= d; j++) {
          if (j != i) {
            num = num.mul(c.sub(GoldilocksExt2.of(j)));
            den = Goldilocks.mul(den, Goldilocks.fromSigned(i - j));
          }
        }
        expected = expected.add(GoldilocksExt2.at(s, i).mul(num).mulBase(Goldilocks.inverse(den)));
      }
      assertThat(SumCheck.interpolate(s, c)).as("degree %d", d).isEqualTo(expected);
      // at a node it returns the node's value
      assertThat(SumCheck.interpolate(s, GoldilocksExt2.of(d))).isEqualTo(GoldilocksExt2.at(s, d));
    }
  }
}
