/**
 * <b>DEVELOPMENT ONLY.</b> An enclave simulator that emits Nitro-format attestation documents under
 * a locally generated {@code DEV-ONLY} root, so the verification path runs without enclave
 * hardware. Documents from here carry no hardware guarantee; production trust anchors refuse them.
 * Uses BouncyCastle (bcpkix) to issue certificates; nothing outside this package needs it.
 */
package io.vouch.tee.dev;
