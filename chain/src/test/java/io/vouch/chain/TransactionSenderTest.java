package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import java.math.BigInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The sender's fees on a quiet chain, where the recent blocks hold only its own transactions: what
 * it pays must not climb with every transaction it sends (it once priced by {@code eth_gasPrice}
 * plus a margin, and the node's suggestion followed the tips just paid: ×10 every ten transactions,
 * until a node on a long-running devnet could no longer pay for its submissions).
 */
class TransactionSenderTest {
  static AnvilProcess anvil;

  @BeforeAll
  static void start() {
    anvil = AnvilProcess.start();
  }

  @AfterAll
  static void stop() {
    anvil.close();
  }

  static TransactionSender sender() {
    return TransactionSender.create(anvil.web3j(), anvil.devKeys().get(1));
  }

  static BigInteger paid(TransactionReceipt r) {
    return new BigInteger(r.getEffectiveGasPrice().substring(2), 16);
  }

  @Test
  void aSenderAloneOnTheChainPaysAboutTheSameForItsLastTransactionAsForItsFirst() {
    // A fresh sender per transaction, as every `vouch` command is a new process: each reads the
    // chain's fees anew (a long-lived sender does so every second).
    Address to = Address.fromHex("0x00000000000000000000000000000000000000f1");
    BigInteger first = paid(sender().transfer(to, BigInteger.ONE));
    BigInteger last = first;
    for (int i = 0; i < 60; i++) {
      last = paid(sender().transfer(to, BigInteger.ONE));
    }
    assertThat(last)
        .as("price paid by the 61st transaction vs the first (%s)", first)
        .isLessThanOrEqualTo(first.shiftLeft(1));
  }
}
