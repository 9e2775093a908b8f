/**
 * The VerificationCourt for validators and keepers ({@link io.vouch.chain.court.CourtClient}):
 * cases and events in core types, draws and expiries, verdicts by transaction or relayed EIP-712
 * signature, and the validator's registration.
 */
package io.vouch.chain.court;
