package io.vouch.core.eip712;

import io.vouch.core.Address;
import io.vouch.core.crypto.InvalidSignatureException;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.crypto.Signature;

/** A receipt with its signature. */
public record SignedReceipt(InferenceReceipt receipt, Signature signature) {

  /** The address that signed this receipt in {@code domain}. */
  public Address signer(Eip712Domain domain) {
    return Secp256k1.recover(receipt.digest(domain), signature);
  }

  /**
   * Checks that {@code expectedSigner} signed this receipt in {@code domain}.
   *
   * @throws InvalidSignatureException naming the address that did sign, if any
   */
  public void requireSignedBy(Eip712Domain domain, Address expectedSigner) {
    Address actual = signer(domain);
    if (!actual.equals(expectedSigner)) {
      throw new InvalidSignatureException(
          "receipt is signed by "
              + actual
              + ", not by "
              + expectedSigner
              + " (wrong key, or signed for another chain or hub: domain chainId="
              + domain.chainId()
              + ", hub="
              + domain.verifyingContract()
              + ")");
    }
  }
}
