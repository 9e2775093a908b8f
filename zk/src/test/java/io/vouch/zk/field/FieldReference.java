package io.vouch.zk.field;

import java.math.BigInteger;

/** Naive BigInteger arithmetic the fast field code is compared against. */
final class FieldReference {
  static final BigInteger P =
      BigInteger.TWO.pow(64).subtract(BigInteger.TWO.pow(32)).add(BigInteger.ONE);
  static final BigInteger W = BigInteger.valueOf(7);

  private FieldReference() {}

  static BigInteger big(long unsigned) {
    return new BigInteger(Long.toUnsignedString(unsigned));
  }

  static long small(BigInteger v) {
    return v.mod(P).longValue();
  }

  static BigInteger[] extMul(BigInteger a0, BigInteger a1, BigInteger b0, BigInteger b1) {
    return new BigInteger[] {
      a0.multiply(b0).add(W.multiply(a1).multiply(b1)).mod(P),
      a0.multiply(b1).add(a1.multiply(b0)).mod(P)
    };
  }

  static long randomElement(java.util.SplittableRandom rnd) {
    // mix edge values near 0 and p with uniform ones
    return switch (rnd.nextInt(8)) {
      case 0 -> rnd.nextLong(16);
      case 1 -> Goldilocks.P - 1 - rnd.nextLong(16);
      case 2 -> 0xFFFF_FFFFL + rnd.nextLong(-8, 8);
      default -> Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P);
    };
  }

  static GoldilocksExt2 randomExt(java.util.SplittableRandom rnd) {
    return new GoldilocksExt2(randomElement(rnd), randomElement(rnd));
  }
}
