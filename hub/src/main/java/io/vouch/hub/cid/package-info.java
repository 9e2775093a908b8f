/**
 * Content identifiers written in-house: CIDv1, codec raw, multihash sha2-256, multibase base32
 * lower case ({@code "bafkrei..."}), with the unsigned varint and base32 they are made of. Depends
 * on nothing but the JDK.
 */
package io.vouch.hub.cid;
