package io.vouch.core.eip712;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;

/**
 * The EIP-712 domain of every Vouch statement: name "Vouch", version "1", the chain id and the
 * verifying contract, so that a signature is valid on one chain and one deployment only. The
 * verifying contract is the InferenceHub for receipts and vouchers, the NodeRegistry for {@link
 * EnclaveKeyBinding}.
 */
public record Eip712Domain(String name, String version, long chainId, Address verifyingContract) {
  public static final String NAME = "Vouch";
  public static final String VERSION = "1";
  private static final Bytes32 TYPE_HASH =
      Keccak.hash(
          "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

  public static Eip712Domain of(long chainId, Address verifyingContract) {
    return new Eip712Domain(NAME, VERSION, chainId, verifyingContract);
  }

  public Bytes32 separator() {
    return new Eip712Struct.Words(TYPE_HASH)
        .add(Keccak.hash(name))
        .add(Keccak.hash(version))
        .add(chainId)
        .add(verifyingContract)
        .hash();
  }
}
