/**
 * Which genuine enclaves Vouch accepts: no debug mode, an allowed image measurement, the expected
 * nonce, freshness, and the binding of the enclave key and the {@link
 * io.vouch.tee.policy.EnclaveManifest} through {@code public_key} and {@code user_data}.
 */
package io.vouch.tee.policy;
