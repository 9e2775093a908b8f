package io.vouch.chain.tx;

import io.vouch.chain.NoKeyException;
import io.vouch.core.Address;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * Whom a typed client sends as: a key ({@code sender}), or nobody — a read-only client, whose views
 * come from the zero address and whose transactions throw {@link NoKeyException}. The one place the
 * typed clients (hub, registries) load their generated wrapper.
 */
public record ContractKey(Web3j web3j, Optional<TransactionSender> sender) {
  /** How a generated wrapper is loaded ({@code NodeRegistry::load} and the like). */
  @FunctionalInterface
  public interface Loader<W> {
    W load(String address, Web3j web3j, TransactionManager manager, ContractGasProvider gas);
  }

  /** The wrapper of the contract at {@code address}, sending with this key (or read-only). */
  public <W> W load(Address address, Loader<W> loader) {
    TransactionManager manager =
        sender.isPresent()
            ? sender.get()
            : new ReadonlyTransactionManager(web3j, Address.ZERO.toHex());
    return loader.load(address.toHex(), web3j, manager, GasLimits.DEFAULT);
  }

  /** The sending address, empty for a read-only client. */
  public Optional<Address> address() {
    return sender.map(TransactionSender::address);
  }

  /**
   * Refuses a transaction on a read-only client.
   *
   * @throws NoKeyException naming {@code contract} and what the transaction was for
   */
  public void require(String contract, String purpose) {
    if (sender.isEmpty()) {
      throw new NoKeyException(contract, purpose);
    }
  }
}
