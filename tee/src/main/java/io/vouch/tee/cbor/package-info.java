/**
 * A minimal, in-house CBOR (RFC 8949) decoder and deterministic encoder, sized for AWS Nitro
 * attestation documents and COSE_Sign1. The decoder records each item's exact byte range so that
 * signatures are checked over the bytes as received. Depends on nothing but the JDK.
 */
package io.vouch.tee.cbor;
