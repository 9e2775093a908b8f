/**
 * Evidence, one pair per verification level: an {@link io.vouch.evidence.EvidenceProducer} (node
 * side: runs the level's engine and signs) and an {@link io.vouch.evidence.EvidenceVerifier}
 * (validator and SDK side: decides whether a result's {@link io.vouch.evidence.Evidence} holds).
 * Both are sealed: VANILLA, TEE and ZKML. Adding a level means adding a pair here (and to {@link
 * io.vouch.evidence.EvidenceProducers#all}), not touching the node's request flow, its on-chain
 * worker or the SDK's paths. See the module's README.
 */
package io.vouch.evidence;
