package io.vouch.evidence;

import io.vouch.core.Bytes32;
import io.vouch.zk.mlp.ZkModel;

/**
 * Where a verifier gets the ZK model (verifying key and input quantization) of a registry entry.
 */
@FunctionalInterface
public interface ZkModelDirectory {
  /**
   * The ZK model of registry model {@code modelId}; implementations must return only a model whose
   * id equals the registry's zkModelId for that entry.
   *
   * @throws io.vouch.core.error.VouchException VERIFICATION_FAILED when there is none or it does
   *     not match the registry (the SDK's implementation throws its {@code VouchClientException})
   */
  ZkModel zkModel(Bytes32 modelId);
}
