/** The node's HTTP API: the only place the HTTP server is used. */
package io.vouch.node.api;
