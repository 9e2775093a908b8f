/**
 * The ZKML prover library: pure-Java proofs that a committed integer (quantized) MLP maps an input
 * to an output.
 *
 * <p>Subpackages, bottom up: {@code field} (Goldilocks, its quadratic extension, NTT, multilinear
 * extensions), {@code transcript} (Fiat–Shamir), {@code sumcheck}, {@code commit} (Merkle trees,
 * Ligero), {@code lookup} (LogUp tables and the fractional-sum GKR) and {@code mlp} (model
 * registration, prover, verifier, proof format). Depends on {@code core} and on the integer model
 * of {@code onnx} ({@code io.vouch.onnx.quant}) only. v1 is sound but NOT zero-knowledge.
 */
package io.vouch.zk;
