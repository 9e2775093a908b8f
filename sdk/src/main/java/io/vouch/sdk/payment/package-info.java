/**
 * Paying for direct-path inferences: a deposit in the InferenceHub and cumulative EIP-712 vouchers
 * signed against it, one running total per node (see the SDK README, "Voucher protocol").
 */
package io.vouch.sdk.payment;
