/**
 * {@code vouch zk compile|prove|verify} and {@code vouch bench zkml}: the ZKML level from the
 * command line. {@link io.vouch.zk.mlp.ZkModelFile} (zk module) is the on-disk form of a quantized
 * model that {@code prove} and {@code verify} reload; {@link
 * io.vouch.benchmodels.ZkBenchmarkModels} are the models the quick in-process bench and the JMH
 * suite in {@code bench/} both measure.
 */
package io.vouch.cli.zk;
