package io.vouch.core.eip712;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.crypto.Signature;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;

/**
 * An EIP-712 struct made only of static fields (bytes32, address, uintN), which is all Vouch signs.
 * {@code hashStruct = keccak256(typeHash ‖ enc(field1) ‖ …)}; the digest that is signed is {@code
 * keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct)}.
 */
public interface Eip712Struct {
  /** The struct hash of EIP-712. */
  Bytes32 structHash();

  /** The digest a signer signs in {@code domain}. */
  default Bytes32 digest(Eip712Domain domain) {
    byte[] m = new byte[66];
    m[0] = 0x19;
    m[1] = 0x01;
    System.arraycopy(domain.separator().toArray(), 0, m, 2, 32);
    System.arraycopy(structHash().toArray(), 0, m, 34, 32);
    return Keccak.hash(m);
  }

  default Signature sign(Eip712Domain domain, Secp256k1.KeyPair key) {
    return key.sign(digest(domain));
  }

  /** Builds {@code typeHash ‖ words…} one 32-byte word at a time. */
  final class Words {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 12);

    public Words(Bytes32 typeHash) {
      add(typeHash);
    }

    public Words add(Bytes32 value) {
      out.writeBytes(value.toArray());
      return this;
    }

    public Words add(Address value) {
      out.writeBytes(new byte[12]);
      out.writeBytes(value.toArray());
      return this;
    }

    /** An unsigned integer field (uint8 … uint256); {@code value} must be non-negative. */
    public Words add(BigInteger value) {
      return add(Bytes32.fromUint(value));
    }

    public Words add(long unsignedValue) {
      if (unsignedValue < 0) {
        throw new IllegalArgumentException(
            "negative value for an unsigned field: " + unsignedValue);
      }
      return add(BigInteger.valueOf(unsignedValue));
    }

    public Bytes32 hash() {
      return Keccak.hash(out.toByteArray());
    }
  }
}
