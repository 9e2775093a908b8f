/** The node's on-chain duties: assigned requests, result submission, finalization, keeping. */
package io.vouch.node.chain;
