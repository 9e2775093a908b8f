/**
 * JMH benchmarks of the ZKML level ({@link io.vouch.bench.zk.ZkmlBenchmarks}: integer inference,
 * prove, verify on the models of {@link io.vouch.benchmodels.ZkBenchmarkModels}), the report that
 * divides prover and verifier by the integer inference measured in the same run ({@link
 * io.vouch.bench.zk.ZkmlReport}, with the bytes each allocates per operation), one trial of the
 * bisection for the free heap a proof needs ({@link io.vouch.bench.zk.ZkmlHeapProbe}, driven by
 * {@code bench/run-zkml-heap.sh}), and the Java half of the circom + snarkjs comparison ({@link
 * io.vouch.bench.zk.CircomExport}, driven by {@code bench/circom/run-compare.sh}).
 */
package io.vouch.bench.zk;
