/**
 * EIP-712 statements Vouch signs: inference receipts and payment vouchers, in the domain {name
 * "Vouch", version "1", chain id, hub address}. Solidity's InferenceHub hashes the same types.
 */
package io.vouch.core.eip712;
