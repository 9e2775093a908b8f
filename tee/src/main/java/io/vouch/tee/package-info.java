/**
 * The TEE level: AWS Nitro attestation documents ({@code nitro}), the policy that decides which
 * enclaves are acceptable ({@code policy}), a small CBOR codec ({@code cbor}), the development-only
 * enclave simulator ({@code dev}), and here TEE receipts: {@link io.vouch.tee.EnclaveSigner} signs
 * them with an attested secp256k1 enclave key, {@link io.vouch.tee.TeeReceiptVerifier} checks them
 * off chain. Depends on {@code core} only; see README.md.
 */
package io.vouch.tee;
