/**
 * What the TEE level adds per result against VANILLA, on the same model in the same run: the
 * node-side receipt (staked-key signature vs enclave-key signature) and the client-side checks.
 */
package io.vouch.bench.tee;
