/**
 * The on-chain path: a request sent to the InferenceHub with its fee escrowed, and the wait for its
 * result by reading the hub's events, up to the finality the caller asked for.
 */
package io.vouch.sdk.onchain;
