package io.vouch.onnx;

/**
 * How an {@link OnnxRuntimeEngine} runs.
 *
 * @param intraOpThreads threads inside one operator (1 by default: results do not depend on how
 *     work is split, and nodes on small machines serve many requests in parallel instead)
 * @param interOpThreads threads across independent operators (1 by default: sequential execution)
 * @param maxInputElements largest element count accepted for any single input tensor
 * @param modelLimits limits applied when parsing the model
 */
public record EngineOptions(
    int intraOpThreads, int interOpThreads, long maxInputElements, ModelLimits modelLimits) {
  /** One intra-op and one inter-op thread, 16 Mi input elements, default model limits. */
  public static final EngineOptions DEFAULT =
      new EngineOptions(1, 1, 16L << 20, ModelLimits.DEFAULT);

  public EngineOptions {
    if (intraOpThreads < 1 || interOpThreads < 1) {
      throw new IllegalArgumentException(
          "thread counts must be at least 1, got intra-op "
              + intraOpThreads
              + " and inter-op "
              + interOpThreads);
    }
    if (maxInputElements < 1) {
      throw new IllegalArgumentException("maxInputElements must be positive");
    }
    java.util.Objects.requireNonNull(modelLimits, "modelLimits");
  }

  public EngineOptions withThreads(int intraOp, int interOp) {
    return new EngineOptions(intraOp, interOp, maxInputElements, modelLimits);
  }

  public EngineOptions withMaxInputElements(long max) {
    return new EngineOptions(intraOpThreads, interOpThreads, max, modelLimits);
  }

  public EngineOptions withModelLimits(ModelLimits limits) {
    return new EngineOptions(intraOpThreads, interOpThreads, maxInputElements, limits);
  }
}
