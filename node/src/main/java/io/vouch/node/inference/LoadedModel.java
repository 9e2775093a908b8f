package io.vouch.node.inference;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.zk.mlp.ZkModel;
import java.math.BigInteger;
import java.util.Optional;
import java.util.Set;

/**
 * A model this node serves: its registry identity, what it charges, and its runner.
 *
 * @param zk the registered integer model when this node serves the model at ZKML (its id equals the
 *     registry's zkModelId); empty otherwise
 */
public record LoadedModel(
    Bytes32 modelId,
    String name,
    int version,
    String cid,
    Set<VerificationLevel> levels,
    BigInteger priceWei,
    ModelRunner runner,
    Optional<ZkModel> zk) {

  public LoadedModel {
    levels = Set.copyOf(levels);
    zk = zk == null ? Optional.empty() : zk;
    if (levels.contains(VerificationLevel.ZKML) && zk.isEmpty()) {
      throw new IllegalArgumentException(
          "model " + name + "@" + version + " cannot be served at ZKML without its ZK model");
    }
  }

  /** A model without the ZKML level. */
  public LoadedModel(
      Bytes32 modelId,
      String name,
      int version,
      String cid,
      Set<VerificationLevel> levels,
      BigInteger priceWei,
      ModelRunner runner) {
    this(modelId, name, version, cid, levels, priceWei, runner, Optional.empty());
  }

  public String ref() {
    return name + "@" + version;
  }
}
