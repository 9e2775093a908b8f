/**
 * Programs that use Vouch as an application does, through the SDK ({@code io.vouch.sdk}) only:
 * {@link io.vouch.examples.QuickStart} connects to a devnet, pushes a model, runs it at every level
 * the devnet serves and verifies each result. Depends on sdk (and onnx and zk, which the SDK
 * brings, to prepare a model for publishing); never on node or cli. See examples/README.md.
 */
package io.vouch.examples;
