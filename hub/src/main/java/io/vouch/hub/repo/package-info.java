/**
 * Model repositories: name and owner, immutable versions, files (path → blob CID, size) and a
 * manifest per version stored as a content-addressed blob. Depends on the content store only.
 */
package io.vouch.hub.repo;
