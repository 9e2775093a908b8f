package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One deployment's typed clients as one account reaches them. */
class VouchContractsTest extends DevChainTest {
  @Test
  void aClientWithAKeySendsFromItsAddress() {
    VouchContracts c = VouchContracts.connect(anvil.web3j(), deployment, Optional.of(key(payer)));

    assertThat(c.self()).contains(payer.address());
    assertThat(c.hasKey()).isTrue();
    c.hub().deposit(ETH);
    assertThat(c.hub().depositOf(payer.address())).isEqualTo(ETH);
    assertThat(c.modelRegistry().terms(modelId)).isPresent();
    assertThat(c.nodeRegistry().isRegistered(node1.address())).isTrue();
    assertThat(c.chainTime()).isPositive();
  }

  @Test
  void aClientWithoutAKeyReadsButCannotSend() {
    VouchContracts c = VouchContracts.connect(anvil.web3j(), deployment, Optional.empty());

    assertThat(c.self()).isEmpty();
    assertThat(c.hasKey()).isFalse();
    assertThat(c.hub().maxAttempts()).isEqualTo(PARAMETERS.maxAttempts());
    assertThatThrownBy(() -> c.hub().deposit(ETH)).isInstanceOf(NoKeyException.class);
  }

  @Test
  void aDeploymentOfAnotherChainIsRefusedWithTheFix() {
    VouchDeployment elsewhere =
        new VouchDeployment(
            1,
            deployment.nodeRegistry(),
            deployment.modelRegistry(),
            deployment.inferenceHub(),
            deployment.deployedAtBlock());

    assertThatThrownBy(() -> VouchContracts.connect(anvil.web3j(), elsewhere, Optional.empty()))
        .isInstanceOf(ChainException.class)
        .hasMessageContaining("serves chain 31337 but the deployment is on chain 1");
  }
}
