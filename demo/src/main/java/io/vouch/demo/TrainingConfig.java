package io.vouch.demo;

/**
 * Hyper-parameters of {@link SoftmaxMlpTrainer}. The defaults reach the demo's accuracy target in
 * well under a second of training.
 *
 * @param hiddenUnits width of the single ReLU hidden layer
 * @param epochs passes over the training set
 * @param batchSize examples per Adam step
 * @param learningRate Adam step size
 * @param weightDecay L2 penalty on weights (not biases), added to the gradient
 * @param seed seeds weight initialization and the per-epoch shuffles
 */
public record TrainingConfig(
    int hiddenUnits,
    int epochs,
    int batchSize,
    double learningRate,
    double weightDecay,
    long seed) {
  public static final TrainingConfig DEFAULT =
      new TrainingConfig(64, 40, 16, 0.005, 1e-4, 20261124L);

  public TrainingConfig {
    if (hiddenUnits < 1 || epochs < 1 || batchSize < 1) {
      throw new IllegalArgumentException("hiddenUnits, epochs and batchSize must be positive");
    }
    if (!(learningRate > 0) || weightDecay < 0) {
      throw new IllegalArgumentException(
          "learningRate must be positive and weightDecay non-negative");
    }
  }
}
