package io.vouch.hub.repo;

import io.vouch.hub.cid.Cid;

/**
 * One file of a model version: where it sits in the version ({@code path}, e.g. {@code
 * model.onnx}), the blob that holds it and its size in bytes.
 */
public record ManifestFile(String path, Cid cid, long size) {}
