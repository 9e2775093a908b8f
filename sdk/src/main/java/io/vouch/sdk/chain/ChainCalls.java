package io.vouch.sdk.chain;

import io.vouch.chain.ChainException;
import io.vouch.chain.NoKeyException;
import io.vouch.chain.VouchContracts;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.error.ErrorCode;
import io.vouch.sdk.VouchClientException;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.web3j.protocol.Web3j;

/**
 * How the SDK talks to chain's typed clients ({@link VouchContracts}): failures become {@link
 * VouchClientException}s that say what was being done and what to do (a transaction asked of a
 * client without a key: BAD_INPUT, give VouchConfig a key); a contract's refusal passes through as
 * {@link ContractRevertException} for the caller to translate.
 */
public final class ChainCalls {
  private ChainCalls() {}

  /**
   * Connects to {@code deployment}, with {@code key} when given.
   *
   * @throws VouchClientException CHAIN_ERROR when the endpoint is unreachable or serves another
   *     chain than the deployment's
   */
  public static VouchContracts connect(
      Web3j web3j, VouchDeployment deployment, Optional<Secp256k1.KeyPair> key) {
    try {
      return VouchContracts.connect(web3j, deployment, key);
    } catch (ChainException e) {
      throw new VouchClientException(ErrorCode.CHAIN_ERROR, e.getMessage(), e);
    }
  }

  /** Refuses, with the fix, when the client has no key to send {@code purpose}'s transaction. */
  public static void requireKey(VouchContracts contracts, String purpose) {
    if (!contracts.hasKey()) {
      throw noKey(purpose);
    }
  }

  private static VouchClientException noKey(String purpose) {
    return new VouchClientException(
        ErrorCode.BAD_INPUT,
        "this client has no key, so it cannot "
            + purpose
            + "; give VouchConfig a key (the account that pays)");
  }

  /**
   * Runs one chain call; a revert passes through as {@link ContractRevertException} for the caller
   * to translate, any other failure becomes a CHAIN_ERROR that names what was being done.
   */
  public static <T> T call(String what, Callable<T> c) {
    try {
      return c.call();
    } catch (ContractRevertException | VouchClientException e) {
      throw e;
    } catch (NoKeyException e) {
      throw noKey(e.purpose());
    } catch (ChainException | IOException e) {
      throw new VouchClientException(
          ErrorCode.CHAIN_ERROR,
          what + " failed: " + e.getMessage() + " (is the RPC endpoint up and synced?)",
          e);
    } catch (Exception e) {
      throw new VouchClientException(ErrorCode.CHAIN_ERROR, what + " failed: " + e.getMessage(), e);
    }
  }
}
