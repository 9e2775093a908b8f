package io.vouch.node.inference;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.evidence.ServedModel;
import io.vouch.zk.mlp.ZkModel;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A model this node serves: its registry identity, what it charges, and its runner (the float
 * engine the evidence producers run).
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
    Optional<ZkModel> zk)
    implements ServedModel {

  public LoadedModel {
    levels = Set.copyOf(levels);
    zk = zk == null ? Optional.empty() : zk;
    Optional<VerificationLevel> proving =
        levels.stream().filter(VerificationLevel::carriesProof).findFirst();
    if (proving.isPresent() && zk.isEmpty()) {
      throw new IllegalArgumentException(
          "model "
              + name
              + "@"
              + version
              + " cannot be served at "
              + proving.get()
              + " without its ZK model");
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

  @Override
  public String ref() {
    return name + "@" + version;
  }

  @Override
  public List<String> inputNames() {
    return runner.inputNames();
  }

  @Override
  public List<String> outputNames() {
    return runner.outputNames();
  }

  @Override
  public void check(NamedTensors inputs) {
    runner.check(inputs);
  }

  @Override
  public NamedTensors run(NamedTensors inputs) {
    return runner.run(inputs);
  }
}
