package io.vouch.zk.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.zk.InvalidProofException;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.field.Multilinear;
import io.vouch.zk.transcript.Transcript;
import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FractionalSumGkrTest {
  static LongStream seeds() {
    return LongStream.range(1, 13);
  }

  /** An honest proof over 2^n random fractions. */
  private static FractionalSumGkr.Proof randomProof(SplittableRandom rnd, int n) {
    return FractionalSumGkr.prove(new Transcript("gkr"), randomK(rnd, 1 << n), randomK(rnd, 1 << n))
        .proof();
  }

  private static long[] randomK(SplittableRandom rnd, int n) {
    long[] v = new long[2 * n];
    for (int i = 0; i < v.length; i++) {
      v[i] = 1 + Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P - 1);
    }
    return v;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void honestProofReducesToTheLeavesMultilinearsAndTheTrueSum(long seed) {
    var rnd = new SplittableRandom(seed);
    int n = (int) (seed % 11);
    long[] p = randomK(rnd, 1 << n), q = randomK(rnd, 1 << n);
    var proved = FractionalSumGkr.prove(new Transcript("gkr"), p.clone(), q.clone());
    var claim = FractionalSumGkr.verify(new Transcript("gkr"), n, proved.proof());

    GoldilocksExt2 sum = GoldilocksExt2.ZERO;
    for (int i = 0; i < 1 << n; i++) {
      sum = sum.add(GoldilocksExt2.at(p, i).mul(GoldilocksExt2.at(q, i).inverse()));
    }
    assertThat(claim.rootNumerator().mul(claim.rootDenominator().inverse())).isEqualTo(sum);
    assertThat(claim.point()).containsExactly(proved.leafPoint());
    assertThat(claim.numerator()).isEqualTo(Multilinear.evaluateExt(p, claim.point()));
    assertThat(claim.denominator()).isEqualTo(Multilinear.evaluateExt(q, claim.point()));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void proversReadTheirLeavesWithoutWritingThem(long seed) {
    var rnd = new SplittableRandom(seed);
    int n = 1 + (int) (seed % 10);
    long[] p = randomK(rnd, 1 << n), q = randomK(rnd, 1 << n);
    long[] pCopy = p.clone(), qCopy = q.clone();
    var general = FractionalSumGkr.prove(new Transcript("gkr"), p, q);
    var unit = FractionalSumGkr.proveUnitNumerators(new Transcript("gkr"), q);
    assertThat(p).containsExactly(pCopy);
    assertThat(q).containsExactly(qCopy);
    // and a second proof from the same arrays is the same proof
    var again = FractionalSumGkr.prove(new Transcript("gkr"), p, q);
    assertThat(again.leafPoint()).containsExactly(general.leafPoint());
    assertThat(FractionalSumGkr.proveUnitNumerators(new Transcript("gkr"), q).leafPoint())
        .containsExactly(unit.leafPoint());
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void unitNumeratorProofIsTheGeneralProofWithOnes(long seed) {
    var rnd = new SplittableRandom(seed);
    int n = 1 + (int) (seed % 10);
    long[] q = randomK(rnd, 1 << n);
    long[] ones = new long[q.length];
    for (int i = 0; i < ones.length; i += 2) {
      ones[i] = 1;
    }
    var general = FractionalSumGkr.prove(new Transcript("gkr"), ones, q.clone());
    var unit = FractionalSumGkr.proveUnitNumerators(new Transcript("gkr"), q.clone());

    assertThat(unit.leafPoint()).containsExactly(general.leafPoint());
    assertThat(unit.proof().topNumerators()).containsExactly(general.proof().topNumerators());
    assertThat(unit.proof().topDenominators()).containsExactly(general.proof().topDenominators());
    assertThat(unit.proof().layers()).hasSize(n - FractionalSumGkr.sentLayer(n));
    for (int k = 0; k < unit.proof().layers().size(); k++) {
      var u = unit.proof().layers().get(k);
      var g = general.proof().layers().get(k);
      assertThat(u.children()).containsExactly(g.children());
      assertThat(u.sumCheck().rounds()).isDeepEqualTo(g.sumCheck().rounds());
    }
    var claim = FractionalSumGkr.verify(new Transcript("gkr"), n, unit.proof());
    assertThat(claim.numerator()).isEqualTo(GoldilocksExt2.ONE);
    assertThat(claim.denominator()).isEqualTo(Multilinear.evaluateExt(q, claim.point()));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void alteredChildValueIsRejected(long seed) {
    var rnd = new SplittableRandom(seed);
    int n = 2 + (int) (seed % 9);
    long[] p = randomK(rnd, 1 << n), q = randomK(rnd, 1 << n);
    var proof = FractionalSumGkr.prove(new Transcript("gkr"), p, q).proof();
    var layers = new ArrayList<>(proof.layers());
    int k = (int) (seed % layers.size());
    GoldilocksExt2[] children = layers.get(k).children().clone();
    children[(int) (seed % 4)] = children[(int) (seed % 4)].add(GoldilocksExt2.ONE);
    layers.set(k, new FractionalSumGkr.Layer(layers.get(k).sumCheck(), children));
    var tampered =
        new FractionalSumGkr.Proof(proof.topNumerators(), proof.topDenominators(), layers);
    assertThatThrownBy(() -> FractionalSumGkr.verify(new Transcript("gkr"), n, tampered))
        .isInstanceOf(InvalidProofException.class);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void alteredFractionOfTheSentLayerIsRejected(long seed) {
    var rnd = new SplittableRandom(seed);
    int n = 1 + (int) (seed % 10);
    var proof = randomProof(rnd, n);
    long[] numerators = proof.topNumerators(), denominators = proof.topDenominators();
    int i = rnd.nextInt(numerators.length);
    if (seed % 2 == 0) {
      numerators[i] = Goldilocks.add(numerators[i], 1);
    } else {
      denominators[i] = Goldilocks.add(denominators[i], 1);
    }
    var tampered = new FractionalSumGkr.Proof(numerators, denominators, proof.layers());
    assertThatThrownBy(() -> FractionalSumGkr.verify(new Transcript("gkr"), n, tampered))
        .isInstanceOf(InvalidProofException.class);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void sentLayerOfTheWrongSizeIsRejected(long seed) {
    var rnd = new SplittableRandom(seed);
    int n = 2 + (int) (seed % 9);
    var proof = randomProof(rnd, n);
    long[] shorter =
        java.util.Arrays.copyOf(proof.topNumerators(), proof.topNumerators().length / 2);
    long[] shorterQ =
        java.util.Arrays.copyOf(proof.topDenominators(), proof.topDenominators().length / 2);
    var tampered = new FractionalSumGkr.Proof(shorter, shorterQ, proof.layers());
    assertThatThrownBy(() -> FractionalSumGkr.verify(new Transcript("gkr"), n, tampered))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("fractions of its layer");
  }

  @org.junit.jupiter.api.Test
  void sentLayerIsAtMostSevenAndAlwaysAboveTheLeaves() {
    assertThat(FractionalSumGkr.sentLayer(0)).isZero();
    assertThat(FractionalSumGkr.sentLayer(1)).isZero();
    assertThat(FractionalSumGkr.sentLayer(4)).isEqualTo(3);
    assertThat(FractionalSumGkr.sentLayer(8)).isEqualTo(7);
    assertThat(FractionalSumGkr.sentLayer(20)).isEqualTo(7);
  }
}

class FractionalSumGkrLayerTest {
  /**
   * vars, unit numerators, and the coordinate of the point set to 0 (−1: none); a zero coordinate
   * makes eq-prefix·r_i vanish, so the prover cannot divide h(1) out and takes its fallback.
   */
  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> layers() {
    var args = new java.util.ArrayList<org.junit.jupiter.params.provider.Arguments>();
    for (int vars : new int[] {0, 1, 2, 5, 8, 11}) {
      for (boolean unit : new boolean[] {false, true}) {
        args.add(org.junit.jupiter.params.provider.Arguments.of(vars, unit, -1));
        if (vars > 0) {
          args.add(org.junit.jupiter.params.provider.Arguments.of(vars, unit, vars / 2));
        }
      }
    }
    return args.stream();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("layers")
  void specializedLayerProverSendsTheSameMessagesAsTheGenericSumCheck(
      int vars, boolean unit, int zeroCoordinate) {
    var rnd = new java.util.SplittableRandom(vars * 31L + (unit ? 7 : 0) + zeroCoordinate);
    var point = new io.vouch.zk.field.GoldilocksExt2[vars];
    for (int i = 0; i < vars; i++) {
      point[i] =
          i == zeroCoordinate
              ? io.vouch.zk.field.GoldilocksExt2.ZERO
              : new io.vouch.zk.field.GoldilocksExt2(
                  Long.remainderUnsigned(rnd.nextLong(), io.vouch.zk.field.Goldilocks.P),
                  Long.remainderUnsigned(rnd.nextLong(), io.vouch.zk.field.Goldilocks.P));
    }
    long[][] tables = new long[5][];
    tables[0] = io.vouch.zk.field.Multilinear.eqTable(point);
    for (int j = 1; j < 5; j++) {
      tables[j] = new long[2 << vars];
      for (int i = 0; i < tables[j].length; i++) {
        tables[j][i] =
            unit && j <= 2
                ? (i % 2 == 0 ? 1 : 0)
                : Long.remainderUnsigned(rnd.nextLong(), io.vouch.zk.field.Goldilocks.P);
      }
    }
    var lambda = new io.vouch.zk.field.GoldilocksExt2(3, 5);
    var poly = FractionalSumGkr.layerPolynomial(lambda);
    // the claim is the true sum, which the specialized prover needs to derive s(1)
    var claim = io.vouch.zk.field.GoldilocksExt2.ZERO;
    long[] values = new long[10];
    long[] out = new long[2];
    for (int x = 0; x < 1 << vars; x++) {
      for (int j = 0; j < 5; j++) {
        values[2 * j] = tables[j][2 * x];
        values[2 * j + 1] = tables[j][2 * x + 1];
      }
      poly.evaluate(values, out);
      claim = claim.add(new io.vouch.zk.field.GoldilocksExt2(out[0], out[1]));
    }
    long[][] copy = java.util.Arrays.stream(tables).map(long[]::clone).toArray(long[][]::new);
    long[][] pristine = java.util.Arrays.stream(tables).map(long[]::clone).toArray(long[][]::new);
    var generic = io.vouch.zk.sumcheck.SumCheck.prove(new Transcript("layer"), poly, tables);
    var special =
        unit
            ? FractionalSumGkr.proveUnitLayer(
                new Transcript("layer"), lambda, claim, point, copy[3], copy[4])
            : FractionalSumGkr.proveLayer(
                new Transcript("layer"), lambda, claim, point, copy[1], copy[2], copy[3], copy[4]);
    org.assertj.core.api.Assertions.assertThat(special.proof()).isEqualTo(generic.proof());
    org.assertj.core.api.Assertions.assertThat(special.finalValues())
        .containsExactly(generic.finalValues());
    // the same with the parent layer given (the first round's h(0) read from it)
    int size = 1 << vars;
    long[] parentP = new long[2 * size], parentQ = new long[2 * size];
    for (int y = 0; y < size; y++) {
      var pl = io.vouch.zk.field.GoldilocksExt2.at(pristine[1], y);
      var pr = io.vouch.zk.field.GoldilocksExt2.at(pristine[2], y);
      var ql = io.vouch.zk.field.GoldilocksExt2.at(pristine[3], y);
      var qr = io.vouch.zk.field.GoldilocksExt2.at(pristine[4], y);
      pl.mul(qr).add(pr.mul(ql)).store(parentP, y);
      ql.mul(qr).store(parentQ, y);
    }
    long[][] again = java.util.Arrays.stream(pristine).map(long[]::clone).toArray(long[][]::new);
    var withParent =
        FractionalSumGkr.proveLayer(
            new Transcript("layer"),
            lambda,
            claim,
            point,
            unit ? null : again[1],
            unit ? null : again[2],
            again[3],
            again[4],
            parentP,
            parentQ);
    org.assertj.core.api.Assertions.assertThat(withParent.proof()).isEqualTo(generic.proof());
    org.assertj.core.api.Assertions.assertThat(withParent.finalValues())
        .containsExactly(generic.finalValues());
  }
}
