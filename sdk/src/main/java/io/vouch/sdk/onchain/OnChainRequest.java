package io.vouch.sdk.onchain;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import java.math.BigInteger;

/**
 * The handle of a request the hub accepted: enough to wait for its result and to check it.
 *
 * @param assignedNode the node assigned at request time (a missed deadline may reassign it)
 * @param deadline chain time (seconds) by which the assigned node must submit
 * @param blockNumber the block the request was mined in; events are read from there
 */
public record OnChainRequest(
    BigInteger requestId,
    Bytes32 modelId,
    String modelRef,
    VerificationLevel level,
    NamedTensors inputs,
    BigInteger maxFeeWei,
    Address assignedNode,
    long deadline,
    boolean fastDelivery,
    String transactionHash,
    long blockNumber) {

  /** The input of a model with one input; an error naming the inputs when there are several. */
  public Tensor input() {
    return inputs.only();
  }
}
