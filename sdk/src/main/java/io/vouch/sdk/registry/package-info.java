/**
 * Reading the NodeRegistry: the candidate nodes for a model and level (what the planner ranks), and
 * whether a receipt's signer is a registered node with stake at risk (what the verifier asks).
 */
package io.vouch.sdk.registry;
