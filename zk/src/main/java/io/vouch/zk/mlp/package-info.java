/**
 * Proofs of quantized MLP inference: {@link io.vouch.zk.mlp.ZkModel} (registration, weight
 * commitments, model id), {@link io.vouch.zk.mlp.ZkProver}, {@link io.vouch.zk.mlp.ZkVerifier} and
 * the versioned binary {@link io.vouch.zk.mlp.ZkProof}. v1 is sound (≥ 100 bits, see zk/README.md)
 * but NOT zero-knowledge.
 */
package io.vouch.zk.mlp;
