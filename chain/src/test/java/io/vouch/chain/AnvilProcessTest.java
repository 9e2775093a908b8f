package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.crypto.Secp256k1;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class AnvilProcessTest {
  @Test
  void startsOnAFreePortAnswersJsonRpcAndStopsOnClose() throws Exception {
    AnvilProcess anvil = AnvilProcess.start(AnvilProcess.Options.defaults().withChainId(4242));
    try (anvil) {
      assertThat(anvil.rpcUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
      assertThat(anvil.chainId()).isEqualTo(4242);
      assertThat(anvil.devKeys()).hasSize(10);
    }
    assertThat(anvil.isAlive()).isFalse();
  }

  @Test
  void twoNodesRunSideBySideOnDifferentPorts() {
    try (AnvilProcess a = AnvilProcess.start();
        AnvilProcess b = AnvilProcess.start()) {
      assertThat(a.rpcUrl()).isNotEqualTo(b.rpcUrl());
    }
  }

  @Test
  void theDevKeysItPrintedAreFunded() throws Exception {
    try (AnvilProcess anvil = AnvilProcess.start()) {
      var key = Secp256k1.KeyPair.fromPrivateKey(anvil.devKeys().get(9));
      TransactionSender sender = TransactionSender.create(anvil.web3j(), key);
      BigInteger before =
          anvil
              .web3j()
              .ethGetBalance(
                  key.address().toHex(), org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
              .send()
              .getBalance();
      assertThat(before).isPositive();
      var other = Secp256k1.KeyPair.fromPrivateKey(anvil.devKeys().get(8)).address();
      sender.transfer(other, BigInteger.TEN);
      sender.transfer(other, BigInteger.TEN); // the sender tracked the nonce itself
      assertThat(
              anvil
                  .web3j()
                  .ethGetTransactionCount(
                      key.address().toHex(),
                      org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
                  .send()
                  .getTransactionCount())
          .isEqualTo(BigInteger.TWO);
    }
  }
}
