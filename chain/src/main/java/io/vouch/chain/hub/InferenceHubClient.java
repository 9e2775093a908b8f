package io.vouch.chain.hub;

import io.vouch.chain.ChainException;
import io.vouch.chain.ChainHead;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.settlement.ReceiptInclusion;
import io.vouch.chain.tx.ChainCall;
import io.vouch.chain.tx.ContractKey;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.tensor.NamedTensors;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The InferenceHub in the project's types: requests as {@link HubRequest} with a {@link
 * RequestStatus}, results submitted as a {@link SignedReceipt} over {@link NamedTensors}, payment
 * channels, vouchers and receipt batches as records, and refusals recognised by selector ({@link
 * HubError}, {@link Submission.Refused}). The keeper's moves (finalize, reassign or refund) are in
 * {@link Keeper}. Nodes, the SDK and the CLI reach the hub only through this class.
 *
 * <p>A client made without a key ({@link #readOnly}) reads; its transactions throw a {@link
 * io.vouch.chain.NoKeyException}. A view or transaction that fails in transport throws a {@link
 * ChainException}; a contract's refusal, a {@link ContractRevertException}, unless the method
 * returns the refusal as a typed outcome.
 */
public final class InferenceHubClient {
  private final ContractKey key;
  private final VouchDeployment deployment;
  private final InferenceHub hub;

  /** A client that reads and sends transactions from {@code sender}'s key. */
  public InferenceHubClient(TransactionSender sender, VouchDeployment deployment) {
    this(sender.web3j(), deployment, Optional.of(sender));
  }

  private InferenceHubClient(
      Web3j web3j, VouchDeployment deployment, Optional<TransactionSender> sender) {
    this.key = new ContractKey(web3j, sender);
    this.deployment = deployment;
    this.hub = key.load(deployment.inferenceHub(), InferenceHub::load);
  }

  /** A client that only reads (views from the zero address). */
  public static InferenceHubClient readOnly(Web3j web3j, VouchDeployment deployment) {
    return new InferenceHubClient(web3j, deployment, Optional.empty());
  }

  /** With {@code sender}'s key when there is one, read-only otherwise. */
  public static InferenceHubClient of(
      Web3j web3j, VouchDeployment deployment, Optional<TransactionSender> sender) {
    return new InferenceHubClient(web3j, deployment, sender);
  }

  public Address address() {
    return deployment.inferenceHub();
  }

  public VouchDeployment deployment() {
    return deployment;
  }

  /** The account this client sends from, when it has a key. */
  public Optional<Address> self() {
    return key.address();
  }

  /** The keeper's moves through this client. */
  public Keeper keeper() {
    return new Keeper(this);
  }

  /** Asks the hub whether receipts are in posted batches. */
  public ReceiptInclusion inclusion() {
    return new ReceiptInclusion(hub);
  }

  /** The latest block's timestamp: the clock the hub checks deadlines and windows against. */
  public long chainTime() {
    return ChainHead.time(key.web3j());
  }

  // ------------------------------------------------------------------ views

  /** The hub's record of {@code requestId}; status {@link RequestStatus#NONE} when unknown. */
  public HubRequest getRequest(BigInteger requestId) {
    InferenceHub.Request r = view("getRequest", () -> hub.getRequest(requestId).send());
    RequestStatus status = RequestStatus.of(r.status.intValueExact());
    return new HubRequest(
        requestId,
        status,
        Address.fromHex(r.requester),
        r.deadline.longValueExact(),
        VerificationLevel.fromCode(r.level.intValueExact()),
        r.attempts.intValueExact(),
        Boolean.TRUE.equals(r.fastDelivery),
        Address.fromHex(r.node),
        r.submittedAt.longValueExact(),
        r.callbackGasLimit.longValueExact(),
        Address.fromHex(r.callback),
        r.challengeWindow.longValueExact(),
        r.timeout.longValueExact(),
        Boolean.TRUE.equals(r.viaCourt),
        Address.fromHex(r.modelOwner),
        r.maxFee,
        r.nodePrice,
        r.modelFee,
        Bytes32.wrap(r.modelId),
        Bytes32.wrap(r.inputHash),
        Bytes32.wrap(r.outputHash));
  }

  public RequestStatus statusOf(BigInteger requestId) {
    return RequestStatus.of(view("statusOf", () -> hub.statusOf(requestId).send()).intValueExact());
  }

  /** How many nodes a request may be assigned to before it is refunded. */
  public int maxAttempts() {
    return view("maxAttempts", () -> hub.maxAttempts().send()).intValueExact();
  }

  /** How long a payer waits between asking channel funds back and taking them. */
  public Duration channelUnlockDelay() {
    return Duration.ofSeconds(
        view("channelUnlockDelay", () -> hub.channelUnlockDelay().send()).longValueExact());
  }

  /**
   * A payer's channel to one node ({@code channelOf}).
   *
   * @param balance what the node can still redeem
   * @param unlocking the part of the balance the payer asked back (0: none)
   * @param unlockAt chain time from which the payer may take it (0: no unlock pending)
   * @param redeemed what the node redeemed from this payer so far
   */
  public record Channel(
      BigInteger balance, BigInteger unlocking, long unlockAt, BigInteger redeemed) {}

  public Channel channelOf(Address payer, Address node) {
    var t = view("channelOf", () -> hub.channelOf(payer.toHex(), node.toHex()).send());
    return new Channel(
        t.component1(), t.component2(), t.component3().longValueExact(), t.component4());
  }

  /** The payer's free deposit: funds no node can redeem until they are locked into a channel. */
  public BigInteger depositOf(Address payer) {
    return view("depositOf", () -> hub.depositOf(payer.toHex()).send());
  }

  /** What {@code node} has redeemed from {@code payer}'s vouchers so far. */
  public BigInteger redeemedOf(Address payer, Address node) {
    return view("redeemedOf", () -> hub.redeemedOf(payer.toHex(), node.toHex()).send());
  }

  /** A posted receipt batch: the Merkle root a node committed to, with its receipt count. */
  public record Batch(long batchId, Bytes32 root, Address node, int count, long postedAt) {}

  public long batchCount() {
    return view("batchCount", () -> hub.batchCount().send()).longValueExact();
  }

  public Batch getBatch(long batchId) {
    InferenceHub.Batch b = view("getBatch", () -> hub.getBatch(BigInteger.valueOf(batchId)).send());
    return new Batch(
        batchId,
        Bytes32.wrap(b.root),
        Address.fromHex(b.node),
        b.count.intValueExact(),
        b.postedAt.longValueExact());
  }

  /**
   * The hub's books: what it holds for requests in flight, payers' deposits and channels, and
   * payouts waiting to be claimed; {@code balanced}: its ETH balance is exactly their sum.
   */
  public record Books(BigInteger escrowed, BigInteger deposits, BigInteger owed, boolean balanced) {
    public BigInteger held() {
      return escrowed.add(deposits).add(owed);
    }
  }

  public Books books() {
    return new Books(
        view("totalEscrowed", () -> hub.totalEscrowed().send()),
        view("totalDeposits", () -> hub.totalDeposits().send()),
        view("totalOwed", () -> hub.totalOwed().send()),
        Boolean.TRUE.equals(view("isBalanced", () -> hub.isBalanced().send())));
  }

  // ------------------------------------------------------------------ requester

  /**
   * An on-chain request: {@code input} (its canonical bytes, hashed here) for {@code modelId} at
   * {@code level}, by chain time {@code deadline}, escrowing {@code maxFeeWei}.
   *
   * @param preferredNode a node to assign when it is eligible
   * @param callback a contract the hub calls back with the result ({@code IVouchConsumer})
   * @param callbackGas gas the hub gives that callback
   * @param fastDelivery call back on submission too, before the result is final
   */
  public record NewRequest(
      Bytes32 modelId,
      NamedTensors input,
      VerificationLevel level,
      long deadline,
      Optional<Address> preferredNode,
      Optional<Address> callback,
      long callbackGas,
      boolean fastDelivery,
      BigInteger maxFeeWei) {}

  /**
   * What {@link #request} did: the hub's number for the request and the node it assigned, with its
   * deadline.
   */
  public record Requested(
      BigInteger requestId,
      Address node,
      long deadline,
      String transactionHash,
      long blockNumber) {}

  /**
   * Sends {@code r}.
   *
   * @throws ContractRevertException the hub refused it: {@link HubError#of} says why ({@code
   *     UnknownModel}, {@code LevelNotAllowed}, {@code FeeTooLow}, {@code NoEligibleNode}, …)
   */
  public Requested request(NewRequest r) {
    InferenceHub h = sending("send a request");
    byte[] bytes = r.input().canonicalBytes();
    TransactionReceipt receipt =
        tx(
            "request",
            () ->
                h.request(
                        r.modelId().toArray(),
                        bytes,
                        Keccak.hash(bytes).toArray(),
                        BigInteger.valueOf(r.level().code()),
                        BigInteger.valueOf(r.deadline()),
                        r.preferredNode().orElse(Address.ZERO).toHex(),
                        r.callback().orElse(Address.ZERO).toHex(),
                        BigInteger.valueOf(r.callbackGas()),
                        r.fastDelivery(),
                        r.maxFeeWei())
                    .send());
    var requested = InferenceHub.getInferenceRequestedEvents(receipt).getFirst();
    var assigned = InferenceHub.getRequestAssignedEvents(receipt).getFirst();
    return new Requested(
        requested.requestId,
        Address.fromHex(assigned.node),
        assigned.deadline.longValueExact(),
        receipt.getTransactionHash(),
        receipt.getBlockNumber().longValueExact());
  }

  // ------------------------------------------------------------------ node

  /** What the hub did with a submitted result. */
  public sealed interface Submission {
    /** Accepted (for TEE, also settled in the same transaction). */
    record Submitted(String transactionHash) implements Submission {}

    /**
     * Refused: the request is no longer this node's, the deadline passed, the signature or the
     * hashes do not check out, … ({@link #error()} says which).
     */
    record Refused(ContractRevertException revert) implements Submission {
      /** The hub's error, when it is one of the hub's own. */
      public Optional<HubError> error() {
        return HubError.of(revert);
      }

      /** The error's name as decoded, for logs and journals. */
      public String errorName() {
        return revert.errorName();
      }
    }
  }

  /**
   * The assigned node submits {@code output} with the receipt it signed over it: the hub rebuilds
   * the receipt from the request and these fields and checks the signer. A refusal comes back as
   * {@link Submission.Refused}; a transport failure throws a {@link ChainException} (retry).
   */
  public Submission submitResult(BigInteger requestId, SignedReceipt signed, NamedTensors output) {
    InferenceHub h = sending("submit a result");
    InferenceReceipt receipt = signed.receipt();
    try {
      TransactionReceipt r =
          tx(
              "submitResult",
              () ->
                  h.submitResult(
                          requestId,
                          receipt.outputHash().toArray(),
                          output.canonicalBytes(),
                          receipt.evidenceHash().toArray(),
                          BigInteger.valueOf(receipt.timestamp()),
                          BigInteger.valueOf(receipt.sequence()),
                          signed.signature().toArray())
                      .send());
      return new Submission.Submitted(r.getTransactionHash());
    } catch (ContractRevertException e) {
      return new Submission.Refused(e);
    }
  }

  /** A receipt root the hub accepted: its batch number. */
  public record PostedRoot(long batchId, Bytes32 root, int count, String transactionHash) {}

  /**
   * Commits this node to the receipts under {@code root}.
   *
   * @throws ContractRevertException {@link HubError#NOT_REGISTERED_NODE} for a node that is not
   *     registered, {@code ZeroRoot}, {@code EmptyBatch}
   */
  public PostedRoot postReceiptRoot(Bytes32 root, int count) {
    InferenceHub h = sending("post a receipt root");
    TransactionReceipt r =
        tx(
            "postReceiptRoot",
            () -> h.postReceiptRoot(root.toArray(), BigInteger.valueOf(count)).send());
    var events = InferenceHub.getReceiptRootPostedEvents(r);
    if (events.isEmpty()) {
      throw new ChainException(
          "postReceiptRoot " + r.getTransactionHash() + " emitted no ReceiptRootPosted");
    }
    return new PostedRoot(
        events.getFirst().batchId.longValueExact(), root, count, r.getTransactionHash());
  }

  /**
   * A redeemed voucher: what the hub paid this node, and what the voucher was worth beyond what the
   * channel held (redeemable with the same voucher once the channel is funded again).
   */
  public record Redemption(
      Address payer,
      BigInteger cumulativeAmount,
      BigInteger paid,
      BigInteger shortfall,
      String transactionHash) {}

  /**
   * Redeems {@code payer}'s cumulative voucher, signed with {@code signature}.
   *
   * @throws ContractRevertException the hub refused it ({@code VoucherAlreadyRedeemed}, {@code
   *     InsufficientChannel}, {@code InvalidVoucherSigner})
   */
  public Redemption redeemVoucher(Address payer, BigInteger cumulativeAmount, Signature signature) {
    InferenceHub h = sending("redeem a voucher");
    TransactionReceipt r =
        tx(
            "redeemVoucher",
            () -> h.redeemVoucher(payer.toHex(), cumulativeAmount, signature.toArray()).send());
    var e = InferenceHub.getVoucherRedeemedEvents(r).getFirst();
    return new Redemption(payer, cumulativeAmount, e.paid, e.shortfall, r.getTransactionHash());
  }

  // ------------------------------------------------------------------ payer

  /** Adds {@code wei} to this payer's free deposit; returns the transaction hash. */
  public String deposit(BigInteger wei) {
    InferenceHub h = sending("deposit");
    return tx("deposit", () -> h.deposit(wei).send()).getTransactionHash();
  }

  /** Takes {@code wei} of the free deposit back at once. */
  public String withdrawDeposit(BigInteger wei) {
    InferenceHub h = sending("withdraw a deposit");
    return tx("withdrawDeposit", () -> h.withdrawDeposit(wei).send()).getTransactionHash();
  }

  /** Locks {@code fromDeposit} of the free deposit into the channel to {@code node}. */
  public String fundChannel(Address node, BigInteger fromDeposit) {
    InferenceHub h = sending("fund a channel");
    return tx("fundChannel", () -> h.fundChannel(node.toHex(), fromDeposit, BigInteger.ZERO).send())
        .getTransactionHash();
  }

  /** Asks {@code wei} of the channel to {@code node} back (takes effect after the unlock delay). */
  public String requestUnlock(Address node, BigInteger wei) {
    InferenceHub h = sending("unlock a channel");
    return tx("requestUnlock", () -> h.requestUnlock(node.toHex(), wei).send())
        .getTransactionHash();
  }

  /** After the unlock delay, moves what was asked back into the free deposit. */
  public String unlockChannel(Address node) {
    InferenceHub h = sending("unlock a channel");
    return tx("unlockChannel", () -> h.unlockChannel(node.toHex()).send()).getTransactionHash();
  }

  // ------------------------------------------------------------------ keeper (see Keeper)

  TransactionReceipt finalizeTx(BigInteger requestId) {
    InferenceHub h = sending("finalize a request");
    return tx("finalize", () -> h.finalize(requestId).send());
  }

  TransactionReceipt reassignOrRefundTx(BigInteger requestId) {
    InferenceHub h = sending("reassign or refund a request");
    return tx("reassignOrRefund", () -> h.reassignOrRefund(requestId).send());
  }

  // ------------------------------------------------------------------ plumbing

  private InferenceHub sending(String purpose) {
    key.require("InferenceHub", purpose);
    return hub;
  }

  private static <T> T view(String function, Callable<T> call) {
    return ChainCall.run("InferenceHub." + function, call);
  }

  private static TransactionReceipt tx(String function, Callable<TransactionReceipt> call) {
    return ChainCall.run("InferenceHub." + function, call);
  }
}
