package io.vouch.chain.registry;

import io.vouch.core.VerificationLevel;
import java.util.EnumSet;
import java.util.Set;

/**
 * The registries' {@code uint8 levels}: bit {@code 1 << code} per {@link VerificationLevel} (a
 * model's allowed levels, a node's served levels).
 */
public final class LevelMask {
  private LevelMask() {}

  /** The levels whose bit is set in {@code mask}. */
  public static Set<VerificationLevel> levels(int mask) {
    Set<VerificationLevel> s = EnumSet.noneOf(VerificationLevel.class);
    for (VerificationLevel l : VerificationLevel.values()) {
      if ((mask & l.bit()) != 0) {
        s.add(l);
      }
    }
    return s;
  }
}
