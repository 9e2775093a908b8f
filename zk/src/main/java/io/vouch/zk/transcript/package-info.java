/**
 * The Fiat–Shamir transcript (SHA-256, domain separated by protocol and message labels) that turns
 * the interactive protocols of this module into non-interactive proofs.
 */
package io.vouch.zk.transcript;
