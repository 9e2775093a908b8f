package io.vouch.bench.direct;

/**
 * Settings shared by the direct-path benchmarks. Annotation values must be compile-time constants,
 * so they live here rather than in a run configuration.
 */
public final class BenchmarkSettings {
  private BenchmarkSettings() {}

  /**
   * Arguments of the one forked JVM per benchmark: ONNX Runtime's native library needs native
   * access on JDK 22+, and the node's INFO line on start would interleave with JMH's output.
   */
  public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

  public static final String QUIET_NODE_LOG = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn";

  /** Concurrent clients in the throughput benchmarks (two per core on the 2-core reference box). */
  public static final int CONCURRENT_CLIENTS = 4;

  public static final int WARMUP_ITERATIONS = 3;
  public static final int MEASUREMENT_ITERATIONS = 5;
  public static final int ITERATION_SECONDS = 2;
}
