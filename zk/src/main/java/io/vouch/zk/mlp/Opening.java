package io.vouch.zk.mlp;

import io.vouch.zk.field.GoldilocksExt2;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Committed vectors opened at one point z of their layouts' coordinates. A vector stored in its
 * layout's order is known there from the witness rows at z's first log B coordinates; a transposed
 * one ({@link WitnessPlan.Vec#stored}) at the rows at its stored point's. So the opening is one
 * {@link PointGroup} per storage order among the vectors, the layout's own first, then by {@link
 * WitnessPlan.Vec#storageKey()}: prover and verifier split a list of vectors the same way ({@link
 * #split}) and send or receive the groups in that order.
 */
final class Opening {
  private final Map<Long, PointGroup> groups;

  Opening(Map<Long, PointGroup> groups) {
    this.groups = groups;
  }

  /** The vectors by storage order, the layout's own (key 0) first; each list keeps their order. */
  static TreeMap<Long, List<WitnessPlan.Vec>> split(Collection<WitnessPlan.Vec> vectors) {
    TreeMap<Long, List<WitnessPlan.Vec>> out = new TreeMap<>();
    for (WitnessPlan.Vec v : vectors) {
      out.computeIfAbsent(v.storageKey(), k -> new ArrayList<>()).add(v);
    }
    return out;
  }

  /** The first log B coordinates of the stored point of vectors of this list's order at z. */
  static GoldilocksExt2[] low(List<WitnessPlan.Vec> sameOrder, GoldilocksExt2[] z, int logWidth) {
    return Relations.prefix(sameOrder.get(0).stored(z), logWidth);
  }

  /** ṽ(z) for a vector of this opening, z in its layout's coordinates. */
  GoldilocksExt2 value(WitnessPlan.Vec v, GoldilocksExt2[] z, int logWidth) {
    PointGroup g = groups.get(v.storageKey());
    if (g == null) {
      throw new IllegalStateException("vector at row " + v.firstRow() + " was not opened here");
    }
    return g.value(v, v.stored(z), logWidth);
  }
}
