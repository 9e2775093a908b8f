/**
 * The node's HTTP API ({@link io.vouch.node.api.NodeHttpApi}, contract in {@code openapi.json}) on
 * {@code infra}'s HTTP/1.1 server ({@code io.vouch.infra.http.HttpServer}, Jetty 12 core): the
 * routes, the node's limits for that server (connections, deadlines, the byte budget for bodies)
 * and the body limit of {@code POST /v1/infer}, derived from the largest input of the models served
 * ({@link io.vouch.node.api.InferBodyLimit}). {@code POST /v1/infer} speaks JSON and a binary form
 * ({@code application/vnd.vouch.tensor}: canonical tensor bytes in the body, the other fields in
 * {@code Vouch-*} headers).
 */
package io.vouch.node.api;
