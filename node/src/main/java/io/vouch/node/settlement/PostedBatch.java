package io.vouch.node.settlement;

import io.vouch.core.Bytes32;

/** A receipt root this node posted: the hub's batch id, the root, how many receipts, the tx. */
public record PostedBatch(long batchId, Bytes32 root, int count, String txHash) {}
