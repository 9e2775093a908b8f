package io.vouch.node.inference;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import java.math.BigInteger;
import java.util.Set;

/** A model this node serves: its registry identity, what it charges, and its runner. */
public record LoadedModel(
    Bytes32 modelId,
    String name,
    int version,
    String cid,
    Set<VerificationLevel> levels,
    BigInteger priceWei,
    ModelRunner runner) {

  public LoadedModel {
    levels = Set.copyOf(levels);
  }

  public String ref() {
    return name + "@" + version;
  }
}
