/**
 * EIP-712 statements Vouch signs: inference receipts and payment vouchers in the domain {name
 * "Vouch", version "1", chain id, hub address}, which Solidity's InferenceHub hashes the same way,
 * enclave key bindings (proof of possession) in the same domain with the NodeRegistry's address,
 * which the NodeRegistry checks, and committee verdicts ({@link io.vouch.core.eip712.Verdict}) with
 * the VerificationCourt's address, which the court checks.
 */
package io.vouch.core.eip712;
