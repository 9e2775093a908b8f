/**
 * Models: push an ONNX file to the hub and publish it on the ModelRegistry; list and show what is
 * published. The chain is the source of truth (the hub holds the bytes under their CID).
 */
package io.vouch.sdk.models;
