package io.vouch.onnx.quant;

/**
 * How {@link IntegerEngine#trace(IntegerModel, byte[], Ranges)} runs its heaviest loops: over the
 * items [0, n) of one op in ranges, on this thread ({@link #SERIAL}) or on several (the ZK prover
 * passes its two-core runner). Each item is written by exactly one range, so the result is the same
 * however the ranges are cut and whichever thread runs them.
 */
@FunctionalInterface
public interface Ranges {
  /** Runs {@code work} over every item of [0, n) exactly once; returns when all are done. */
  void run(int n, Range work);

  /** Items [from, to). */
  @FunctionalInterface
  interface Range {
    void run(int from, int to);
  }

  /** Everything on the calling thread, in one range. */
  Ranges SERIAL = (n, work) -> work.run(0, n);
}
