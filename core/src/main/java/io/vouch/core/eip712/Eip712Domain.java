package io.vouch.core.eip712;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;

/**
 * The EIP-712 domain of every Vouch statement: name "Vouch", version "1", the chain id and the
 * InferenceHub's address, so that a signature is valid on one chain and one deployment only.
 */
public record Eip712Domain(String name, String version, long chainId, Address verifyingContract) {
  public static final String NAME = "Vouch";
  public static final String VERSION = "1";
  private static final Bytes32 TYPE_HASH =
      Keccak.hash(
          "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

  public static Eip712Domain of(long chainId, Address hub) {
    return new Eip712Domain(NAME, VERSION, chainId, hub);
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
