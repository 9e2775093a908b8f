/**
 * LogUp lookups: the fixed tables (bytes, sign, clamp; each ≤ 2^10 rows) and the fractional-sum GKR
 * that proves Σ 1/(α − f_i) over the looked-up values equals the table side Σ m_j/(α − t_j), which
 * the verifier computes itself from multiplicities sent in the clear.
 */
package io.vouch.zk.lookup;
