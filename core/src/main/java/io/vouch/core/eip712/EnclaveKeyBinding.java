package io.vouch.core.eip712;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;

/**
 * An enclave key's proof of possession: the enclave key signs that it may be bound to {@code node},
 * and {@code NodeRegistry.registerEnclaveKey} checks the signature with {@code ecrecover}.
 *
 * <pre>EnclaveKeyBinding(address node,address enclaveKey)</pre>
 *
 * Signed in the <em>NodeRegistry's</em> domain ({@link Eip712Domain#of(long, Address)} with the
 * registry's address), so the chain id and the registry are bound too: a registration copied by
 * another node, or replayed on another chain or registry, does not verify.
 */
public record EnclaveKeyBinding(Address node, Address enclaveKey) implements Eip712Struct {
  public static final String TYPE = "EnclaveKeyBinding(address node,address enclaveKey)";
  public static final Bytes32 TYPE_HASH = Keccak.hash(TYPE);

  @Override
  public Bytes32 structHash() {
    return new Words(TYPE_HASH).add(node).add(enclaveKey).hash();
  }
}
