/**
 * Arithmetic for the proof system: the Goldilocks field on primitive longs, its quadratic extension
 * K = F[X]/(X^2 − 7), the NTT over 2-adic roots of unity, and multilinear extensions.
 *
 * <p>Nothing here allocates per field operation: elements are longs, vectors are flat arrays, and
 * K-vectors are interleaved pairs of longs.
 */
package io.vouch.zk.field;
