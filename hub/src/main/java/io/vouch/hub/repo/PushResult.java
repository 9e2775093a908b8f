package io.vouch.hub.repo;

/**
 * The outcome of a push: the version, and whether this push created it ({@code false}: the same
 * content was already published, the push was a no-op).
 */
public record PushResult(PublishedVersion version, boolean created) {}
