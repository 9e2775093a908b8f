/**
 * Parsing and verifying AWS Nitro Enclaves attestation documents: COSE_Sign1 (ES384) over a CBOR
 * payload, a certificate path to a pinned root, checked at an explicit time with the JDK alone.
 * Trust anchors come only from configuration ({@link io.vouch.tee.nitro.TrustAnchors}).
 */
package io.vouch.tee.nitro;
