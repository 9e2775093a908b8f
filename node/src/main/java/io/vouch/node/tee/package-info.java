/**
 * The node's TEE level: its enclave key, the attestation that binds it, and its registration in the
 * NodeRegistry. Only the development simulator exists so far ({@link
 * io.vouch.node.tee.TeeProfile}).
 */
package io.vouch.node.tee;
