/** The node's write-ahead journal: what it accepted, submitted and settled, and how far it read. */
package io.vouch.node.journal;
