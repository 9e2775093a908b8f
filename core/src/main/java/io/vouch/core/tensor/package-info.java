/** Tensors and their one canonical byte encoding, hashed with keccak256. */
package io.vouch.core.tensor;
