package io.vouch.node;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a node does on chain: executes requests ({@link #INFERENCE}), judges other nodes' results on
 * court committees ({@link #VALIDATOR}), or both. Fixed at registration in the NodeRegistry (its
 * role bits); a node is never drawn to judge its own result.
 */
public enum NodeRole {
  INFERENCE(1),
  VALIDATOR(2);

  private final int bit;

  NodeRole(int bit) {
    this.bit = bit;
  }

  /** The NodeRegistry's role bit. */
  public int bit() {
    return bit;
  }

  public static int mask(Set<NodeRole> roles) {
    int m = 0;
    for (NodeRole r : roles) {
      m |= r.bit;
    }
    return m;
  }

  /** {@code inference}, {@code validator} or both, comma-separated (as {@code --roles} takes). */
  public static Set<NodeRole> parse(String list) {
    Set<NodeRole> out = EnumSet.noneOf(NodeRole.class);
    for (String s : list.split(",")) {
      String name = s.trim().toUpperCase(Locale.ROOT);
      try {
        out.add(NodeRole.valueOf(name));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown node role '" + s.trim() + "': use inference, validator or both");
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("a node needs a role: inference, validator or both");
    }
    return out;
  }
}
