package io.vouch.chain.tx;

import io.vouch.chain.ChainException;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.Hex;
import io.vouch.core.crypto.Secp256k1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthGetCode;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;

/**
 * Sends transactions from one key: signed locally (the node never sees the key), with an explicit
 * gas limit (no {@code eth_estimateGas}, which underestimates calls that branch on gas), nonces
 * assigned here so that many transactions can be in flight, receipts awaited by polling, and
 * reverts decoded into a {@link ContractRevertException} that names the custom error and its
 * arguments.
 *
 * <p>Also a web3j {@link TransactionManager}, so the generated wrappers in {@code
 * io.vouch.chain.contracts} send through it; the gas price the wrappers pass is ignored (this
 * sender prices transactions itself).
 *
 * <p>Pricing: EIP-1559 transactions with a tip of {@code eth_maxPriorityFeePerGas} and a fee cap of
 * twice the latest base fee plus the tip, so that a base fee rising for a few blocks does not
 * strand a transaction, while what is paid is the base fee plus the tip. (Pricing by {@code
 * eth_gasPrice} with a margin, as this sender once did, ratchets: a node suggests a price from the
 * tips recently paid, so on a quiet chain, where the recent blocks hold only this sender's
 * transactions, every transaction raised the next suggestion by the margin — ×10 every ten
 * transactions — until the account could no longer pay.) A chain without a base fee gets legacy
 * transactions at {@code eth_gasPrice}.
 *
 * <p>Thread-safe: nonce assignment and sending are serialized; awaiting receipts is not.
 */
public final class TransactionSender extends TransactionManager {
  private static final Duration GAS_PRICE_TTL = Duration.ofSeconds(1);

  private final Web3j web3j;
  private final Credentials credentials;
  private final Address address;
  private final long chainId;
  private final RevertDecoder decoder;
  private final Duration receiptTimeout;
  private final Object sendLock = new Object();
  private long nextNonce = -1; // guarded by sendLock; -1: read from the chain on first use
  private Fees fees; // guarded by sendLock
  private long feesReadAt; // guarded by sendLock

  /** What a transaction offers: EIP-1559 tip and cap, or (no base fee on this chain) a price. */
  private record Fees(BigInteger tip, BigInteger cap, BigInteger legacyPrice) {
    boolean legacy() {
      return legacyPrice != null;
    }
  }

  private TransactionSender(
      Web3j web3j,
      Secp256k1.KeyPair key,
      long chainId,
      RevertDecoder decoder,
      Duration receiptTimeout) {
    super(web3j, key.address().toHex());
    this.web3j = web3j;
    this.credentials = Credentials.create(key.privateKey().toHex());
    this.address = key.address();
    this.chainId = chainId;
    this.decoder = decoder;
    this.receiptTimeout = receiptTimeout;
  }

  /** A sender for {@code privateKey} on the chain {@code web3j} talks to (its id is read once). */
  public static TransactionSender create(Web3j web3j, Bytes32 privateKey) {
    return create(web3j, Secp256k1.KeyPair.fromPrivateKey(privateKey));
  }

  public static TransactionSender create(Web3j web3j, Secp256k1.KeyPair key) {
    try {
      long chainId = web3j.ethChainId().send().getChainId().longValueExact();
      return new TransactionSender(
          web3j, key, chainId, RevertDecoder.forVouchContracts(), Duration.ofSeconds(60));
    } catch (IOException e) {
      throw new ChainException("cannot read the chain id: " + e.getMessage(), e);
    }
  }

  public Address address() {
    return address;
  }

  public long chainId() {
    return chainId;
  }

  public Web3j web3j() {
    return web3j;
  }

  public RevertDecoder revertDecoder() {
    return decoder;
  }

  // ------------------------------------------------------------------ direct API

  /** Sends and waits for the receipt; throws {@link ContractRevertException} when it reverted. */
  public TransactionReceipt send(Address to, byte[] data, BigInteger value, long gasLimit) {
    return awaitReceipt(submit(to, data, value, gasLimit));
  }

  /** Sends plain ETH (21,000 gas; a contract recipient needs {@link #send} with more gas). */
  public TransactionReceipt transfer(Address to, BigInteger wei) {
    return send(to, new byte[0], wei, 21_000);
  }

  /**
   * Signs and sends a transaction without waiting; returns its hash. {@code to == null} deploys.
   */
  public String submit(Address to, byte[] data, BigInteger value, long gasLimit) {
    String toHex = to == null ? "" : to.toHex();
    return submitHex(toHex, Hex.prefixed(data), value, BigInteger.valueOf(gasLimit));
  }

  private String submitHex(String to, String data, BigInteger value, BigInteger gasLimit) {
    synchronized (sendLock) {
      for (int attempt = 0; ; attempt++) {
        if (nextNonce < 0) {
          nextNonce = pendingNonce();
        }
        Fees f = currentFees();
        RawTransaction tx =
            f.legacy()
                ? RawTransaction.createTransaction(
                    BigInteger.valueOf(nextNonce), f.legacyPrice(), gasLimit, to, value, data)
                : RawTransaction.createTransaction(
                    chainId,
                    BigInteger.valueOf(nextNonce),
                    gasLimit,
                    to,
                    value,
                    data,
                    f.tip(),
                    f.cap());
        String signed = Hex.prefixed(TransactionEncoder.signMessage(tx, chainId, credentials));
        EthSendTransaction response;
        try {
          response = web3j.ethSendRawTransaction(signed).send();
        } catch (IOException e) {
          // The transaction may or may not have reached the node: re-read the nonce next time.
          nextNonce = -1;
          throw new ChainException("eth_sendRawTransaction failed: " + e.getMessage(), e);
        }
        if (!response.hasError()) {
          nextNonce++;
          return response.getTransactionHash();
        }
        String error = response.getError().getMessage();
        boolean nonceProblem = error.toLowerCase(Locale.ROOT).contains("nonce");
        if (nonceProblem && attempt == 0) {
          nextNonce = -1; // another process used this key: resynchronize once
          continue;
        }
        throw new ChainException(
            "the node rejected a transaction from "
                + address
                + " (nonce "
                + nextNonce
                + ", gas "
                + gasLimit
                + "): "
                + error
                + (error.contains("funds") ? " — fund the account first" : ""));
      }
    }
  }

  /**
   * Waits for the receipt of {@code txHash}; if the transaction reverted, replays it with {@code
   * eth_call} on the state it ran on and throws the decoded error.
   */
  public TransactionReceipt awaitReceipt(String txHash) {
    long deadline = System.nanoTime() + receiptTimeout.toNanos();
    long sleepMs = 5;
    while (true) {
      Optional<TransactionReceipt> receipt = receiptIfMined(txHash);
      if (receipt.isPresent()) {
        return receipt.get();
      }
      if (System.nanoTime() > deadline) {
        throw new ChainException(
            "transaction "
                + txHash
                + " was not mined within "
                + receiptTimeout
                + "; is the node mining (automine or --block-time)?");
      }
      try {
        Thread.sleep(sleepMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ChainException("interrupted while waiting for " + txHash, e);
      }
      sleepMs = Math.min(sleepMs * 2, 200);
    }
  }

  /**
   * The receipt of {@code txHash} if it is mined, without waiting: for a caller that sent with
   * {@link #submit} and looks again on the next block. Throws the decoded {@link
   * ContractRevertException} when the transaction reverted, as {@link #awaitReceipt} does.
   */
  public Optional<TransactionReceipt> receiptIfMined(String txHash) {
    Optional<TransactionReceipt> receipt;
    try {
      receipt = web3j.ethGetTransactionReceipt(txHash).send().getTransactionReceipt();
    } catch (IOException e) {
      throw new ChainException("cannot read the receipt of " + txHash + ": " + e.getMessage(), e);
    }
    if (receipt.isPresent() && !receipt.get().isStatusOK()) {
      throw revertOf(receipt.get());
    }
    return receipt;
  }

  /** {@code eth_call} from this sender's address at the latest block; reverts are decoded. */
  public String call(Address to, byte[] data) {
    return callAt(
        to.toHex(), Hex.prefixed(data), BigInteger.ZERO, null, DefaultBlockParameterName.LATEST);
  }

  /** An eth_call of {@code data} to {@code to} with {@code value} attached, at {@code block}. */
  public String callWithValue(
      String to, String data, BigInteger value, DefaultBlockParameter block) {
    return callAt(to, data, value, null, block);
  }

  private String callAt(
      String to, String data, BigInteger value, BigInteger gas, DefaultBlockParameter block) {
    Transaction tx =
        new Transaction(
            address.toHex(), null, null, gas, to == null || to.isEmpty() ? null : to, value, data);
    EthCall result;
    try {
      result = web3j.ethCall(tx, block).send();
    } catch (IOException e) {
      throw new ChainException("eth_call to " + to + " failed: " + e.getMessage(), e);
    }
    if (result.hasError() || result.isReverted()) {
      String revertData =
          result.hasError() && result.getError().getData() != null
              ? result.getError().getData().replace("\"", "")
              : "";
      throw new ContractRevertException(
          decoder.decode(revertData),
          to == null || to.isEmpty() ? "contract creation" : to,
          Optional.empty(),
          result.hasError() ? result.getError().getMessage() : "");
    }
    return result.getValue();
  }

  private ContractRevertException revertOf(TransactionReceipt r) {
    String target = r.getTo() == null ? "contract creation" : r.getTo();
    try {
      var tx =
          web3j
              .ethGetTransactionByHash(r.getTransactionHash())
              .send()
              .getTransaction()
              .orElseThrow();
      BigInteger parent = r.getBlockNumber().subtract(BigInteger.ONE).max(BigInteger.ZERO);
      callAt(
          tx.getTo(),
          tx.getInput(),
          tx.getValue(),
          tx.getGas(),
          DefaultBlockParameter.valueOf(parent));
    } catch (ContractRevertException replayed) {
      return new ContractRevertException(
          replayed.revert(),
          target,
          Optional.of(r.getTransactionHash()),
          "gas used " + r.getGasUsed());
    } catch (IOException | RuntimeException e) {
      // fall through: report what the receipt alone says
    }
    return new ContractRevertException(
        decoder.decode(r.getRevertReason()),
        target,
        Optional.of(r.getTransactionHash()),
        "gas used " + r.getGasUsed() + "; the replay did not revert: probably out of gas");
  }

  private long pendingNonce() {
    try {
      return web3j
          .ethGetTransactionCount(address.toHex(), DefaultBlockParameterName.PENDING)
          .send()
          .getTransactionCount()
          .longValueExact();
    } catch (IOException e) {
      throw new ChainException("cannot read the nonce of " + address + ": " + e.getMessage(), e);
    }
  }

  private Fees currentFees() {
    long now = System.nanoTime();
    if (fees == null || now - feesReadAt > GAS_PRICE_TTL.toNanos()) {
      try {
        BigInteger baseFee =
            web3j
                .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                .send()
                .getBlock()
                .getBaseFeePerGas();
        if (baseFee == null) {
          fees = new Fees(null, null, web3j.ethGasPrice().send().getGasPrice().max(BigInteger.ONE));
        } else {
          BigInteger tip = web3j.ethMaxPriorityFeePerGas().send().getMaxPriorityFeePerGas();
          fees = new Fees(tip, baseFee.shiftLeft(1).add(tip), null);
        }
        feesReadAt = now;
      } catch (IOException | RuntimeException e) {
        throw new ChainException("cannot read the chain's fees: " + e.getMessage(), e);
      }
    }
    return fees;
  }

  // ------------------------------------------------------------------ web3j TransactionManager

  @Override
  protected TransactionReceipt executeTransaction(
      BigInteger gasPrice,
      BigInteger gasLimit,
      String to,
      String data,
      BigInteger value,
      boolean constructor) {
    return awaitReceipt(submitHex(constructor ? "" : to, data, value, gasLimit));
  }

  @Override
  protected TransactionReceipt executeTransactionEIP1559(
      long chainId,
      BigInteger maxPriorityFeePerGas,
      BigInteger maxFeePerGas,
      BigInteger gasLimit,
      String to,
      String data,
      BigInteger value,
      boolean constructor) {
    return awaitReceipt(submitHex(constructor ? "" : to, data, value, gasLimit));
  }

  @Override
  public EthSendTransaction sendTransaction(
      BigInteger gasPrice,
      BigInteger gasLimit,
      String to,
      String data,
      BigInteger value,
      boolean constructor) {
    EthSendTransaction r = new EthSendTransaction();
    r.setResult(submitHex(constructor ? "" : to, data, value, gasLimit));
    return r;
  }

  @Override
  public EthSendTransaction sendEIP1559Transaction(
      long chainId,
      BigInteger maxPriorityFeePerGas,
      BigInteger maxFeePerGas,
      BigInteger gasLimit,
      String to,
      String data,
      BigInteger value,
      boolean constructor) {
    return sendTransaction(null, gasLimit, to, data, value, constructor);
  }

  @Override
  public String sendCall(String to, String data, DefaultBlockParameter block) {
    return callAt(to, data, BigInteger.ZERO, null, block);
  }

  @Override
  public EthGetCode getCode(String contractAddress, DefaultBlockParameter block) {
    try {
      return web3j.ethGetCode(contractAddress, block).send();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
