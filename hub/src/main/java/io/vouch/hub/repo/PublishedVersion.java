package io.vouch.hub.repo;

import io.vouch.hub.cid.Cid;

/** A version as stored: its manifest and the CID of the manifest's canonical JSON. */
public record PublishedVersion(Cid manifestCid, Manifest manifest) {}
