package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The target shape, MLP 784-128-10, with random weights. */
class Mnist784Test {
  @Test
  void proofOfTheTargetShapeVerifiesAndStaysUnder200Kilobytes() {
    ZkModel model = ZkModel.register(RandomModels.mlp(784, 784, 128, 10));
    byte[] x = RandomModels.input(1, 784);
    byte[] request = RandomModels.requestId(1);
    ProvedInference proved = ZkProver.prove(model, request, x);
    byte[] bytes = proved.proof().toBytes();
    assertThat(bytes.length).isLessThanOrEqualTo(200_000);
    assertThat(ZkVerifier.isValid(model.verifyingKey(), request, x, proved.logits(), bytes))
        .isTrue();
  }
}
