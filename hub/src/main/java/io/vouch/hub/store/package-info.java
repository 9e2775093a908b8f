/**
 * The content store: blobs addressed by their {@link io.vouch.hub.cid.Cid}, on disk ({@link
 * io.vouch.hub.store.FileContentStore}) or in memory for tests ({@link
 * io.vouch.hub.store.InMemoryContentStore}). Every read is hash-checked.
 */
package io.vouch.hub.store;
