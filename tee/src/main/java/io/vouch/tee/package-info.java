/**
 * The TEE level: AWS Nitro attestation documents ({@code nitro}), the policy that decides which
 * enclaves are acceptable ({@code policy}), a small CBOR codec ({@code cbor}) and the
 * development-only enclave simulator ({@code dev}). Depends on {@code core} only; see README.md.
 */
package io.vouch.tee;
