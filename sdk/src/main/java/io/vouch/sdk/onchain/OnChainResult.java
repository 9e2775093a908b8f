package io.vouch.sdk.onchain;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.tensor.Tensor;
import java.math.BigInteger;
import java.util.Optional;

/**
 * An on-chain result. The output was decoded from the canonical bytes the node put on chain, and
 * its keccak256 was checked against the output hash the node signed.
 *
 * @param finalizableAt chain time (seconds) after which anyone may finalize
 * @param settlement what the hub paid out, once {@link Finality#FINALIZED}
 */
public record OnChainResult(
    BigInteger requestId,
    Bytes32 modelId,
    Tensor output,
    Bytes32 outputHash,
    Address node,
    Finality finality,
    long finalizableAt,
    String requestTransaction,
    String submitTransaction,
    Optional<String> finalizeTransaction,
    Optional<Settlement> settlement) {

  /** The hub's split at finalization. */
  public record Settlement(BigInteger nodePaidWei, BigInteger modelFeeWei, BigInteger refundWei) {}

  public boolean isFinal() {
    return finality == Finality.FINALIZED;
  }
}
