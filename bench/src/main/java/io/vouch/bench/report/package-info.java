/**
 * Reads JMH's JSON result file and prints each benchmark as a ratio against the ONNX Runtime
 * baseline of the same run. Plain Java (Jackson is already on the classpath), so the run script
 * needs neither Python nor jq.
 */
package io.vouch.bench.report;
