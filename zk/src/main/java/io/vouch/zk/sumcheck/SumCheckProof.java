package io.vouch.zk.sumcheck;

import java.util.Arrays;

/**
 * The prover's messages of one sum-check: for round i, the round polynomial s_i given by its
 * evaluations at 0, 1, ..., d (interleaved K elements, 2(d + 1) longs per round).
 */
public record SumCheckProof(long[][] rounds) {
  public SumCheckProof {
    rounds = Arrays.stream(rounds).map(long[]::clone).toArray(long[][]::new);
  }

  @Override
  public long[][] rounds() {
    return Arrays.stream(rounds).map(long[]::clone).toArray(long[][]::new);
  }

  long[] round(int i) {
    return rounds[i];
  }

  public int roundCount() {
    return rounds.length;
  }

  /** The number of longs in round i (2(d + 1)), without copying the round. */
  public int roundLength(int i) {
    return rounds[i].length;
  }

  /** Value k of round i, without copying the round. */
  public long roundValue(int i, int k) {
    return rounds[i][k];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SumCheckProof other && Arrays.deepEquals(rounds, other.rounds);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(rounds);
  }

  @Override
  public String toString() {
    return "SumCheckProof[" + rounds.length + " rounds]";
  }
}
