package io.vouch.hub.repo;

import java.util.List;
import java.util.Map;

/**
 * What a publisher sends to create a version: who owns the repository, the version name (a number
 * such as {@code 3} or {@code 1.2.0}, or a tag such as {@code int8-2025}), the files (their blobs
 * already pushed) and optional free-form string metadata.
 */
public record VersionDraft(
    String owner, String version, List<ManifestFile> files, Map<String, String> metadata) {}
