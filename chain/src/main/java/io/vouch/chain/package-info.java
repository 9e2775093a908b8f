/**
 * Vouch's link to an EVM chain: the local anvil process, deployment of the contracts, a transaction
 * sender with local signing and decoded reverts, an event watcher, and the typed clients of the
 * contracts ({@code hub}, {@code registry}, {@code court}, {@code desk}; {@link
 * io.vouch.chain.VouchContracts} bundles those of one deployment). The generated wrappers in {@code
 * io.vouch.chain.contracts} are used inside this module only. Depends on {@code core} and the
 * compiled {@code contracts} only.
 */
package io.vouch.chain;
