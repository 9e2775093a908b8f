/**
 * The direct path: a {@link io.vouch.sdk.direct.NodeTransport} to a node's HTTP API ({@link
 * io.vouch.sdk.direct.NodeClient}, over the package's blocking HTTP/1.1 client {@link
 * io.vouch.sdk.direct.Http1Client}, binary tensors by default) and {@link
 * io.vouch.sdk.direct.DirectInference}, which plans, falls back across nodes and verifies locally
 * before returning.
 */
package io.vouch.sdk.direct;
