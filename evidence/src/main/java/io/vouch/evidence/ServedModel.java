package io.vouch.evidence;

import io.vouch.core.Bytes32;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.zk.mlp.ZkModel;
import java.util.List;
import java.util.Optional;

/**
 * A model as the node serves it, seen by an {@link EvidenceProducer}: its registry identity, its
 * float engine (ONNX Runtime in the node; this module does not depend on it) and, when the node
 * serves it at ZKML, its registered integer model.
 */
public interface ServedModel {
  /** The model's registry id: what receipts name. */
  Bytes32 modelId();

  /** {@code name@version}, for messages. */
  String ref();

  /** The float engine's input names, in the model's order. */
  List<String> inputNames();

  /** The float engine's output names, in the model's order. */
  List<String> outputNames();

  /**
   * Checks {@code inputs} (named as the model declares them) against the model's schema without
   * running; throws a {@code BAD_INPUT} {@link io.vouch.core.error.VouchException} naming what is
   * wrong.
   */
  void check(NamedTensors inputs);

  /** Runs the float engine on inputs named as the model declares them; every output by name. */
  NamedTensors run(NamedTensors inputs);

  /** The registered integer model, when this node serves the model at ZKML. */
  Optional<ZkModel> zk();
}
