package io.vouch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.onnx.writer.Mlp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SoftmaxMlpTrainerTest {
  private static final TrainingConfig SMALL = new TrainingConfig(8, 30, 4, 0.01, 0, 99);

  /** Class c is marked by feature c; the other active features are noise shared by all classes. */
  private static List<int[]> examples(int[] targets, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<int[]> active = new ArrayList<>();
    for (int i = 0; i < targets.length; i++) {
      targets[i] = i % 3;
      active.add(new int[] {targets[i], 3 + random.nextInt(5), 8 + random.nextInt(4)});
    }
    return active;
  }

  private static int predict(Mlp mlp, int[] active) {
    float[] x = new float[12];
    for (int i : active) {
      x[i] = 1f;
    }
    float[] logits = mlp.forward(x);
    int best = 0;
    for (int c = 1; c < logits.length; c++) {
      if (logits[c] > logits[best]) {
        best = c;
      }
    }
    return best;
  }

  @Test
  void learnsASeparableProblemPerfectly() {
    int[] targets = new int[60];
    List<int[]> active = examples(targets, 1);
    Mlp mlp = new SoftmaxMlpTrainer(12, 3, SMALL).train(active, targets);
    int[] testTargets = new int[30];
    List<int[]> test = examples(testTargets, 2);
    for (int i = 0; i < test.size(); i++) {
      assertThat(predict(mlp, test.get(i))).isEqualTo(testTargets[i]);
    }
  }

  @Test
  void exportsAGemmReluGemmShapedNetwork() {
    int[] targets = new int[9];
    Mlp mlp = new SoftmaxMlpTrainer(12, 3, SMALL).train(examples(targets, 1), targets);
    assertThat(mlp.inputSize()).isEqualTo(12);
    assertThat(mlp.layers().get(0).outputs()).isEqualTo(8);
    assertThat(mlp.outputSize()).isEqualTo(3);
  }

  @Test
  void theSameSeedGivesIdenticalWeights() {
    int[] targets = new int[30];
    List<int[]> active = examples(targets, 1);
    assertThat(new SoftmaxMlpTrainer(12, 3, SMALL).train(active, targets))
        .isEqualTo(new SoftmaxMlpTrainer(12, 3, SMALL).train(active, targets));
  }

  @Test
  void anotherSeedGivesOtherWeights() {
    int[] targets = new int[30];
    List<int[]> active = examples(targets, 1);
    TrainingConfig otherSeed = new TrainingConfig(8, 30, 4, 0.01, 0, 100);
    assertThat(new SoftmaxMlpTrainer(12, 3, SMALL).train(active, targets))
        .isNotEqualTo(new SoftmaxMlpTrainer(12, 3, otherSeed).train(active, targets));
  }
}
