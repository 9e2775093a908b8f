package io.vouch.hub.repo;

/** A repository in a listing: name, owner, how many versions, the most recently pushed one. */
public record RepositorySummary(
    String name, String owner, int versionCount, String latestVersion) {}
