package io.vouch.chain;

import io.vouch.core.Bytes32;
import java.io.IOException;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthBlock;

/**
 * The latest block as the contracts see it: its timestamp is the clock deadlines, challenge windows
 * and unbonding delays are checked against ("chain time").
 */
public final class ChainHead {
  private ChainHead() {}

  /** The latest block's timestamp, in seconds. */
  public static long time(Web3j web3j) {
    return latest(web3j).getTimestamp().longValueExact();
  }

  /** The latest block's hash. */
  public static Bytes32 hash(Web3j web3j) {
    return Bytes32.fromHex(latest(web3j).getHash());
  }

  /** The latest block's number. */
  public static long number(Web3j web3j) {
    try {
      return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    } catch (IOException e) {
      throw new ChainException("eth_blockNumber failed: " + e.getMessage(), e);
    }
  }

  private static EthBlock.Block latest(Web3j web3j) {
    try {
      EthBlock.Block b =
          web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock();
      if (b == null) {
        throw new ChainException("eth_getBlockByNumber(latest) returned no block");
      }
      return b;
    } catch (IOException e) {
      throw new ChainException("eth_getBlockByNumber failed: " + e.getMessage(), e);
    }
  }
}
