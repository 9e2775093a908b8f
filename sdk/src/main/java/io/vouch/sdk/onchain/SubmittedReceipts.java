package io.vouch.sdk.onchain;

import io.vouch.core.Bytes32;
import io.vouch.core.Hex;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.error.ErrorCode;
import io.vouch.sdk.VouchClientException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.Web3j;

/**
 * The receipt a node signed for an on-chain request, read back from the calldata of its {@code
 * submitResult} transaction: the hub rebuilds the receipt from the request and those arguments, so
 * the client can rebuild it the same way and check it as it checks a direct result (a TEE result's
 * enclave signature and attestation document, for instance).
 */
public final class SubmittedReceipts {
  static final String SUBMIT_RESULT =
      "submitResult(uint256,bytes32,bytes,bytes32,uint64,uint64,bytes)";
  private static final byte[] SELECTOR = Arrays.copyOf(Keccak.hash(SUBMIT_RESULT).toArray(), 4);

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final List<TypeReference<Type>> ARGUMENTS =
      (List)
          List.of(
              new TypeReference<Uint256>() {},
              new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>() {},
              new TypeReference<DynamicBytes>() {},
              new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>() {},
              new TypeReference<Uint64>() {},
              new TypeReference<Uint64>() {},
              new TypeReference<DynamicBytes>() {});

  private SubmittedReceipts() {}

  /**
   * The signed receipt of {@code result}, as the hub checked it.
   *
   * @throws VouchClientException VERIFICATION_FAILED when the submit transaction is not a direct
   *     {@code submitResult} call for this request
   */
  public static SignedReceipt read(Web3j web3j, OnChainRequest request, OnChainResult result) {
    return read(
        web3j,
        result.submitTransaction(),
        request.requestId(),
        request.modelId(),
        request.input().hash(),
        request.level(),
        result.node());
  }

  /** The signed receipt the submit transaction {@code tx} of the hub's record {@code r} carried. */
  public static SignedReceipt read(Web3j web3j, RequestRecord r, String tx) {
    return read(web3j, tx, r.requestId(), r.modelId(), r.inputHash(), r.level(), r.node());
  }

  private static SignedReceipt read(
      Web3j web3j,
      String tx,
      BigInteger requestId,
      Bytes32 modelId,
      Bytes32 inputHash,
      io.vouch.core.VerificationLevel level,
      io.vouch.core.Address node) {
    String input;
    try {
      input =
          web3j
              .ethGetTransactionByHash(tx)
              .send()
              .getTransaction()
              .orElseThrow(() -> unreadable(tx, "the node does not know the transaction"))
              .getInput();
    } catch (IOException e) {
      throw new VouchClientException(
          ErrorCode.CHAIN_ERROR, "cannot read transaction " + tx + ": " + e.getMessage(), e);
    }
    byte[] data = Hex.decode(input);
    if (data.length < 4 || !Arrays.equals(Arrays.copyOf(data, 4), SELECTOR)) {
      throw unreadable(tx, "it is not a direct " + SUBMIT_RESULT + " call");
    }
    List<Type> args = FunctionReturnDecoder.decode(Hex.encode(data).substring(8), ARGUMENTS);
    if (args.size() != ARGUMENTS.size()
        || !((BigInteger) args.get(0).getValue()).equals(requestId)) {
      throw unreadable(tx, "its arguments are not a result for request #" + requestId);
    }
    InferenceReceipt receipt =
        new InferenceReceipt(
            Bytes32.fromUint(requestId),
            modelId,
            inputHash,
            Bytes32.wrap((byte[]) args.get(1).getValue()),
            level,
            Bytes32.wrap((byte[]) args.get(3).getValue()),
            node,
            ((BigInteger) args.get(4).getValue()).longValueExact(),
            ((BigInteger) args.get(5).getValue()).longValueExact());
    try {
      return new SignedReceipt(receipt, Signature.of((byte[]) args.get(6).getValue()));
    } catch (IllegalArgumentException e) {
      throw unreadable(tx, e.getMessage());
    }
  }

  private static VouchClientException unreadable(String tx, String why) {
    return new VouchClientException(
        ErrorCode.VERIFICATION_FAILED,
        "cannot read the node's receipt from its submit transaction " + tx + ": " + why);
  }
}
