package io.vouch.chain;

/**
 * Something went wrong talking to the chain: the node is unreachable, a transaction was not mined
 * in time, or a contract refused it (see {@link io.vouch.chain.tx.ContractRevertException}).
 */
public class ChainException extends RuntimeException {
  public ChainException(String message) {
    super(message);
  }

  public ChainException(String message, Throwable cause) {
    super(message, cause);
  }
}
