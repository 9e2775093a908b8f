/**
 * Sending transactions: local signing, explicit gas limits, nonce management, receipt waiting, and
 * reverts decoded into {@link io.vouch.chain.tx.ContractRevertException} (custom error name and
 * arguments).
 */
package io.vouch.chain.tx;
