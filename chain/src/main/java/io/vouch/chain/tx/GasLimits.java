package io.vouch.chain.tx;

import java.math.BigInteger;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * The gas limit every wrapper call sends with: explicit, because {@code eth_estimateGas} can badly
 * underestimate calls whose path depends on the gas they get (the hub's bounded callbacks). The gas
 * price is decided by {@link TransactionSender}, not here.
 */
public record GasLimits(long limit) implements ContractGasProvider {
  /** Enough for any Vouch call, including a finalize whose callback burns its maximum. */
  public static final GasLimits DEFAULT = new GasLimits(3_000_000);

  public GasLimits {
    if (limit < 21_000) {
      throw new IllegalArgumentException("a gas limit below 21000 cannot pay for any transaction");
    }
  }

  @Override
  public BigInteger getGasPrice() {
    return BigInteger.ZERO;
  }

  @Override
  public BigInteger getGasLimit(Transaction transaction) {
    return BigInteger.valueOf(limit);
  }

  @Override
  public BigInteger getGasLimit() {
    return BigInteger.valueOf(limit);
  }
}
