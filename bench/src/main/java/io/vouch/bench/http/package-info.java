/**
 * The HTTP load test of issue 9 ({@link io.vouch.bench.http.HttpLoadTest}, driven by {@code
 * bench/run-http-load.sh}): one node in its own JVM, started as a user starts it ({@code vouch node
 * run}, direct path only, a fixed heap), attacked over loopback by raw sockets that hold
 * connections open ({@link io.vouch.bench.http.Attack}), while well-behaved clients ({@link
 * io.vouch.bench.http.Probe}) keep calling {@code GET /health} and {@code POST /v1/infer}. Reports
 * the node's resident memory from {@code /proc/<pid>/status} and the share of calls answered. Not a
 * JMH benchmark: it measures survival and memory, and no test asserts a time or a share.
 */
package io.vouch.bench.http;
