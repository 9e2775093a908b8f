/**
 * Vouch's shared vocabulary: ids ({@link io.vouch.core.Bytes32}, {@link io.vouch.core.Address}),
 * verification levels and requirements. Subpackages: tensors and their canonical encoding, keccak
 * and secp256k1, EIP-712 statements, errors. Depends on nothing of ours.
 */
package io.vouch.core;
