package io.vouch.sdk.plan;

import io.vouch.core.Address;
import io.vouch.core.VerificationLevel;
import java.math.BigInteger;
import java.util.Set;

/** A node as the planner sees it: from the on-chain registry, plus what this client observed. */
public record NodeCandidate(
    Address address,
    String endpoint,
    Set<VerificationLevel> levels,
    BigInteger priceWei,
    BigInteger stakeWei,
    boolean active) {

  public NodeCandidate {
    levels = Set.copyOf(levels);
  }
}
