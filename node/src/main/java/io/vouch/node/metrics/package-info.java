/** Prometheus-format metrics of the node. */
package io.vouch.node.metrics;
