package io.vouch.chain.tx;

import io.vouch.chain.ChainException;
import java.util.concurrent.Callable;

/**
 * Runs one call of a generated wrapper ({@code ….send()}) for the typed clients: a {@link
 * ChainException} (a {@link ContractRevertException} too) passes through, anything else (an I/O
 * failure, web3j's own exceptions) becomes a {@link ChainException} that names what was being done.
 */
public final class ChainCall {
  private ChainCall() {}

  public static <T> T run(String what, Callable<T> call) {
    try {
      return call.call();
    } catch (ChainException e) {
      throw e;
    } catch (Exception e) {
      // web3j wraps some failures of its own calls: surface a revert underneath.
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        if (c instanceof ContractRevertException revert) {
          throw revert;
        }
      }
      throw new ChainException(what + " failed: " + e.getMessage(), e);
    }
  }
}
