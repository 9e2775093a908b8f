/**
 * The model hub: a content-addressed store (CIDv1, sha2-256) with model repositories on top, served
 * between nodes over HTTP. Depends on core only (and on the JDK, Jackson and SLF4J); never on node,
 * sdk or cli.
 */
package io.vouch.hub;
