/**
 * Vouch's link to an EVM chain: the local anvil process, deployment of the contracts, a transaction
 * sender with local signing and decoded reverts, and an event watcher. Depends on {@code core} and
 * the compiled {@code contracts} only.
 */
package io.vouch.chain;
