/**
 * The sum-check protocol (prover and verifier) for sums of products of multilinear tables, with
 * round messages sent as evaluations.
 */
package io.vouch.zk.sumcheck;
