/**
 * The node's write-ahead journal: what it accepted, submitted and settled, and how far it read.
 *
 * <p>{@link io.vouch.node.journal.Journal} holds the entries; {@link
 * io.vouch.node.journal.ChecksummedLineFile} is the on-disk form it shares with the receipt log:
 * checksummed lines ({@code <crc32c> <payload>\n}), a torn final write cut off on open, damage in
 * the middle refused, files from before checksums read as before and rewritten. A journal belongs
 * to one chain and deployment (its first entry, {@link
 * io.vouch.node.journal.JournalEntry.Deployment}); {@link io.vouch.node.journal.Journal#bindTo}
 * refuses another one. It uses core's types and must not depend on the chain or HTTP parts of the
 * node.
 */
package io.vouch.node.journal;
