package io.vouch.core.eip712;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;

/**
 * What an executing node (or enclave key) signs for one inference.
 *
 * <pre>
 * Receipt(bytes32 requestId,bytes32 modelId,bytes32 inputHash,bytes32 outputHash,uint8 level,
 *         bytes32 evidenceHash,address node,uint64 timestamp,uint64 sequence)
 * </pre>
 *
 * <ul>
 *   <li>{@code requestId}: the hub's request id as bytes32 on the on-chain path; on the direct path
 *       a value the client chose (32 random bytes), so a receipt is bound to one request;
 *   <li>{@code inputHash}/{@code outputHash}: keccak256 of the tensors' canonical encodings;
 *   <li>{@code evidenceHash}: zero for VANILLA, keccak256 of the proof for ZKML, of the attestation
 *       document for TEE;
 *   <li>{@code node}: the node's registered (staked) address;
 *   <li>{@code timestamp}: seconds since the epoch at signing; {@code sequence}: the node's receipt
 *       counter, strictly increasing, so receipts can be ordered and replays detected.
 * </ul>
 */
public record InferenceReceipt(
    Bytes32 requestId,
    Bytes32 modelId,
    Bytes32 inputHash,
    Bytes32 outputHash,
    VerificationLevel level,
    Bytes32 evidenceHash,
    Address node,
    long timestamp,
    long sequence)
    implements Eip712Struct {

  public static final String TYPE =
      "Receipt(bytes32 requestId,bytes32 modelId,bytes32 inputHash,bytes32 outputHash,uint8 level,"
          + "bytes32 evidenceHash,address node,uint64 timestamp,uint64 sequence)";
  public static final Bytes32 TYPE_HASH = Keccak.hash(TYPE);

  @Override
  public Bytes32 structHash() {
    return new Words(TYPE_HASH)
        .add(requestId)
        .add(modelId)
        .add(inputHash)
        .add(outputHash)
        .add(level.code())
        .add(evidenceHash)
        .add(node)
        .add(timestamp)
        .add(sequence)
        .hash();
  }
}
