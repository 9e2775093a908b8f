/**
 * web3j wrappers of the Vouch contracts, generated at build time from contracts/compile.mjs's
 * artifacts (target/generated-sources/web3j): never edit or copy them by hand.
 */
package io.vouch.chain.contracts;
