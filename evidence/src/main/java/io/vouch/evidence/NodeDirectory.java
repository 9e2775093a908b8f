package io.vouch.evidence;

import io.vouch.core.Address;

/** Answers whether an address is a registered node with stake (the on-chain NodeRegistry). */
@FunctionalInterface
public interface NodeDirectory {
  boolean isRegisteredNode(Address node);
}
