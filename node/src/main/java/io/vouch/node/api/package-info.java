/**
 * The node's HTTP API ({@link io.vouch.node.api.NodeHttpApi}, contract in {@code openapi.json}) on
 * the package's own small HTTP/1.1 server ({@link io.vouch.node.api.Http1Server}: one platform
 * thread per connection, responses in one write): the only place an HTTP server is used. {@code
 * POST /v1/infer} speaks JSON and a binary form ({@code application/vnd.vouch.tensor}: canonical
 * tensor bytes in the body, the other fields in {@code Vouch-*} headers).
 */
package io.vouch.node.api;
