/**
 * The Vouch node daemon: the inference role (HTTP API, model execution, signed receipts, chain
 * watcher, journal). Depends on every library module; never on sdk or cli.
 */
package io.vouch.node;
