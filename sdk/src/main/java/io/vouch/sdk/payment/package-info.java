/**
 * Paying for direct-path inferences: a free deposit in the InferenceHub, a channel per node that
 * locks part of it for that node alone, and cumulative EIP-712 vouchers signed against the channel,
 * one running total per node (see the SDK README, "Voucher protocol").
 */
package io.vouch.sdk.payment;
