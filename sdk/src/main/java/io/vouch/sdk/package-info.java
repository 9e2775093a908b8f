/**
 * The Java SDK: {@code VouchClient}, the planner, the direct path to nodes and local verification
 * of results. Depends on core, chain, hub, zk and tee; never on node or cli.
 */
package io.vouch.sdk;
