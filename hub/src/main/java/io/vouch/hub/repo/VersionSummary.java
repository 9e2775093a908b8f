package io.vouch.hub.repo;

import io.vouch.hub.cid.Cid;

/** A version in a listing, in push order. */
public record VersionSummary(String version, Cid manifestCid) {}
