package io.vouch.tee;

import java.time.Instant;
import java.util.Optional;

/**
 * The enclave's attestation source: on AWS Nitro the NSM device's {@code Attestation} request, in
 * development {@link io.vouch.tee.dev.DevEnclave#attest} (a method reference fits). Returns the
 * COSE_Sign1 attestation document.
 */
@FunctionalInterface
public interface EnclaveAttester {
  byte[] attest(
      Optional<byte[]> publicKey, Optional<byte[]> userData, Optional<byte[]> nonce, Instant time);
}
