/**
 * How the SDK reaches one Vouch deployment through chain's typed clients ({@code
 * io.vouch.chain.VouchContracts}): the translation of failed chain calls into {@code
 * VouchClientException}s that say what to do, and the refusal of transactions by a client without a
 * key.
 */
package io.vouch.sdk.chain;
