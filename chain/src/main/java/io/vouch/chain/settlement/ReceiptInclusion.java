package io.vouch.chain.settlement;

import io.vouch.chain.ChainException;
import io.vouch.chain.contracts.InferenceHub;
import io.vouch.core.Bytes32;
import io.vouch.core.eip712.InferenceReceipt;
import java.math.BigInteger;
import java.util.List;

/**
 * Asks the hub whether a receipt is in a posted batch.
 *
 * <ul>
 *   <li>{@link #ofReceipt}: {@code verifyReceiptInclusionByFields}: the hub rebuilds the receipt's
 *       digest in its own domain and requires the receipt's {@code node} to be the batch's node —
 *       what a client holding the receipt should ask;
 *   <li>{@link #ofDigest}: {@code verifyReceiptInclusion}: only that the batch's node committed to
 *       this digest (the hub cannot see inside a digest).
 * </ul>
 */
public final class ReceiptInclusion {
  private final InferenceHub hub;

  public ReceiptInclusion(InferenceHub hub) {
    this.hub = hub;
  }

  /** Whether {@code receipt}, naming the batch's node, is in batch {@code batchId}. */
  public boolean ofReceipt(long batchId, InferenceReceipt receipt, List<Bytes32> proof) {
    return call(
        "verifyReceiptInclusionByFields",
        () ->
            hub.verifyReceiptInclusionByFields(
                    BigInteger.valueOf(batchId), toStruct(receipt), arrays(proof))
                .send());
  }

  /** Whether the node of batch {@code batchId} committed to {@code receiptDigest}. */
  public boolean ofDigest(long batchId, Bytes32 receiptDigest, List<Bytes32> proof) {
    return call(
        "verifyReceiptInclusion",
        () ->
            hub.verifyReceiptInclusion(
                    BigInteger.valueOf(batchId), receiptDigest.toArray(), arrays(proof))
                .send());
  }

  /** The receipt as the hub's {@code Receipt} struct (the EIP-712 fields, in order). */
  public static InferenceHub.Receipt toStruct(InferenceReceipt r) {
    return new InferenceHub.Receipt(
        r.requestId().toArray(),
        r.modelId().toArray(),
        r.inputHash().toArray(),
        r.outputHash().toArray(),
        BigInteger.valueOf(r.level().code()),
        r.evidenceHash().toArray(),
        r.node().toHex(),
        BigInteger.valueOf(r.timestamp()),
        BigInteger.valueOf(r.sequence()));
  }

  private static List<byte[]> arrays(List<Bytes32> proof) {
    return proof.stream().map(Bytes32::toArray).toList();
  }

  private interface Call {
    Boolean run() throws Exception;
  }

  private static boolean call(String what, Call call) {
    try {
      return Boolean.TRUE.equals(call.run());
    } catch (ChainException e) {
      throw e;
    } catch (Exception e) {
      throw new ChainException(what + " failed: " + e.getMessage(), e);
    }
  }
}
