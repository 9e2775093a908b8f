package io.vouch.bench.tee;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.bench.direct.BenchModel;
import io.vouch.bench.direct.LoopbackNode;
import io.vouch.core.VerificationLevel;
import io.vouch.core.eip712.SignedReceipt;
import org.junit.jupiter.api.Test;

/**
 * Runs each TEE benchmark method once and checks what it returns, so a broken one fails the build.
 */
class TeeReceiptCostRunOnceTest {
  @Test
  void bothLevelsSignTheSameResultWithTheirOwnKeyAndTheAttestationCheckPasses() {
    TeeReceiptCost bench = new TeeReceiptCost();
    TeeReceiptCost.Node node = new TeeReceiptCost.Node();
    node.model = BenchModel.MNIST_MLP;
    node.start();

    SignedReceipt vanilla = bench.vanillaReceipt(node);
    SignedReceipt tee = bench.teeReceipt(node);

    assertThat(vanilla.receipt().level()).isEqualTo(VerificationLevel.VANILLA);
    assertThat(vanilla.signer(LoopbackNode.DOMAIN)).isEqualTo(LoopbackNode.NODE_KEY.address());
    assertThat(tee.receipt().level()).isEqualTo(VerificationLevel.TEE);
    assertThat(tee.receipt().outputHash()).isEqualTo(vanilla.receipt().outputHash());
    assertThat(tee.signer(LoopbackNode.DOMAIN)).isEqualTo(node.enclave.address());
    assertThat(bench.signerRecovery(node)).isEqualTo(node.enclave.address());
    assertThat(bench.teeAttestationCheck(node).isValid()).isTrue();
  }
}
