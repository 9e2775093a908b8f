/**
 * JMH benchmarks of the direct request path (SDK → node over HTTP → signed receipt → SDK), each
 * figure read as a ratio against {@link io.vouch.bench.direct.OnnxRuntimeBaseline}, ONNX Runtime
 * alone, measured in the same run. Run them with {@code bench/run-direct.sh}; the build never runs
 * them (a sanity test calls each setup and benchmark method once). Depends on anything below it;
 * nothing depends on it.
 */
package io.vouch.bench.direct;
