package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.benchmodels.ClassifierModel;
import io.vouch.benchmodels.ConvNets;
import io.vouch.benchmodels.SequenceModels;
import io.vouch.benchmodels.TokenClassifier;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.zk.exec.Parallel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The prover's large steps are cut into chunks that the caller and the helper thread pull from one
 * counter, so which core runs which chunk changes with every run. The proof must not: the models of
 * {@link ConvNetProofTest} and {@link SequenceModelsProofTest} give the same bytes proved on one
 * thread ({@link Parallel#onThisThread}) and on two, several times over, and the helper did take
 * part.
 */
class ThreadCountProofTest {
  private static final byte[] REQUEST = RandomModels.requestId(29);

  private static void sameProofOnOneAndTwoThreads(ZkModel zk, float[] input) {
    byte[] x = zk.quantizeInput(input);
    byte[] oneThread =
        Parallel.onThisThread(() -> ZkProver.prove(zk, REQUEST, x).proof().toBytes());
    long helperChunks = Parallel.helperChunks();
    for (int run = 0; run < 4; run++) {
      ProvedInference proved = ZkProver.prove(zk, REQUEST, x);
      byte[] twoThreads = proved.proof().toBytes();
      assertThat(twoThreads).as("length of the proof of run %d", run).hasSize(oneThread.length);
      assertThat(Arrays.mismatch(twoThreads, oneThread))
          .as("first byte where run %d on two threads differs from the one-thread proof", run)
          .isEqualTo(-1);
      ZkVerifier.verify(zk.verifyingKey(), REQUEST, x, proved.logits(), twoThreads);
    }
    if (Parallel.hasHelper()) {
      assertThat(Parallel.helperChunks())
          .as("chunks the helper ran during the two-thread proofs")
          .isGreaterThan(helperChunks);
    }
  }

  private static void sameProofOnOneAndTwoThreads(ClassifierModel m) {
    ZkModel zk = ZkCompiler.compile(OnnxModelFile.parse(m.onnx()), m.inputs(1, 128), 0.99).model();
    sameProofOnOneAndTwoThreads(zk, m.inputs(9, 1)[0]);
  }

  @Test
  void lenet5() {
    sameProofOnOneAndTwoThreads(ConvNets.lenet5(5));
  }

  @Test
  void cnn264k() {
    sameProofOnOneAndTwoThreads(ConvNets.cnn264k(5));
  }

  @Test
  void transformer() {
    TokenClassifier t = SequenceModels.transformerEncoder(7);
    ZkModel zk = ZkCompiler.compile(OnnxModelFile.parse(t.onnx()), t.inputs(1, 128), 0.99).model();
    sameProofOnOneAndTwoThreads(zk, t.inputs(3, 1)[0]);
  }

  @Test
  void keywordSpotter() {
    sameProofOnOneAndTwoThreads(SequenceModels.keywordSpotter(7));
  }
}
