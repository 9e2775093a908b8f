package io.vouch.chain.events;

import io.vouch.chain.ChainException;
import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.events.HubEvent.Position;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Reads the InferenceHub's events by polling {@code eth_getLogs} from a block onward, in block
 * ranges of bounded size, optionally staying {@code confirmations} blocks behind the head (reorg
 * safety on real chains; 0 on a devnet). Polling, not subscriptions, because it works over plain
 * HTTP against any node and resumes from {@link #nextBlock()} after a restart.
 */
public final class HubEventWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HubEventWatcher.class);
  private static final long MAX_RANGE = 2_000;

  private final Web3j web3j;
  private final Address hub;
  private final int confirmations;
  private final Map<String, Function<Log, HubEvent>> decoders = new HashMap<>();
  private long nextBlock; // guarded by this
  private ScheduledExecutorService poller;

  public HubEventWatcher(Web3j web3j, Address hub, long fromBlock) {
    this(web3j, hub, fromBlock, 0);
  }

  public HubEventWatcher(Web3j web3j, Address hub, long fromBlock, int confirmations) {
    this.web3j = web3j;
    this.hub = hub;
    this.nextBlock = fromBlock;
    this.confirmations = confirmations;
    register(InferenceHub.INFERENCEREQUESTED_EVENT, HubEventWatcher::inferenceRequested);
    register(InferenceHub.REQUESTASSIGNED_EVENT, HubEventWatcher::requestAssigned);
    register(InferenceHub.RESULTSUBMITTED_EVENT, HubEventWatcher::resultSubmitted);
    register(InferenceHub.REQUESTFINALIZED_EVENT, HubEventWatcher::requestFinalized);
    register(InferenceHub.REQUESTREFUNDED_EVENT, HubEventWatcher::requestRefunded);
    register(InferenceHub.CALLBACKDELIVERED_EVENT, HubEventWatcher::callbackDelivered);
    register(InferenceHub.CALLBACKFAILED_EVENT, HubEventWatcher::callbackFailed);
    register(InferenceHub.FUNDSRELEASED_EVENT, HubEventWatcher::fundsReleased);
    register(InferenceHub.PAYOUTDEFERRED_EVENT, HubEventWatcher::payoutDeferred);
    register(InferenceHub.DEPOSITED_EVENT, HubEventWatcher::deposited);
    register(InferenceHub.CHANNELFUNDED_EVENT, HubEventWatcher::channelFunded);
    register(InferenceHub.UNLOCKREQUESTED_EVENT, HubEventWatcher::unlockRequested);
    register(InferenceHub.CHANNELUNLOCKED_EVENT, HubEventWatcher::channelUnlocked);
    register(InferenceHub.DEPOSITWITHDRAWN_EVENT, HubEventWatcher::depositWithdrawn);
    register(InferenceHub.VOUCHERREDEEMED_EVENT, HubEventWatcher::voucherRedeemed);
    register(InferenceHub.RECEIPTROOTPOSTED_EVENT, HubEventWatcher::receiptRootPosted);
  }

  private void register(Event event, Function<Log, HubEvent> decoder) {
    decoders.put(EventEncoder.encode(event).toLowerCase(Locale.ROOT), decoder);
  }

  /** The first block the next {@link #poll()} reads. */
  public synchronized long nextBlock() {
    return nextBlock;
  }

  /**
   * Reads the events of the blocks that arrived since the last poll (up to the head minus the
   * confirmations, at most a bounded range per call), in chain order.
   */
  public synchronized List<HubEvent> poll() {
    long head;
    try {
      head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact() - confirmations;
    } catch (IOException e) {
      throw new ChainException("eth_blockNumber failed: " + e.getMessage(), e);
    }
    if (head < nextBlock) {
      return List.of();
    }
    long to = Math.min(head, nextBlock + MAX_RANGE - 1);
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(nextBlock)),
            DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
            hub.toHex());
    EthLog logs;
    try {
      logs = web3j.ethGetLogs(filter).send();
    } catch (IOException e) {
      throw new ChainException("eth_getLogs failed: " + e.getMessage(), e);
    }
    if (logs.hasError()) {
      throw new ChainException(
          "eth_getLogs [" + nextBlock + ", " + to + "] failed: " + logs.getError().getMessage());
    }
    List<HubEvent> events = new ArrayList<>();
    for (EthLog.LogResult<?> result : logs.getLogs()) {
      Log log = (Log) result.get();
      if (log.getTopics().isEmpty()) {
        continue;
      }
      Function<Log, HubEvent> decoder =
          decoders.get(log.getTopics().getFirst().toLowerCase(Locale.ROOT));
      if (decoder != null) {
        events.add(decoder.apply(log));
      }
    }
    nextBlock = to + 1;
    return events;
  }

  /**
   * The events of one on-chain request (requested, assigned, submitted, finalized, refunded,
   * callbacks: those that index the request id), from {@link #nextBlock()} to the head, in chain
   * order; reads in bounded block ranges filtered by the request id, and leaves the cursor where it
   * was.
   */
  public List<HubEvent> requestEvents(BigInteger requestId) {
    long head;
    try {
      head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact() - confirmations;
    } catch (IOException e) {
      throw new ChainException("eth_blockNumber failed: " + e.getMessage(), e);
    }
    String idTopic = String.format("0x%064x", requestId);
    List<HubEvent> events = new ArrayList<>();
    for (long from = nextBlock(); from <= head; from += MAX_RANGE) {
      long to = Math.min(head, from + MAX_RANGE - 1);
      EthFilter filter =
          new EthFilter(
              DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
              DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
              hub.toHex());
      filter.addOptionalTopics(
          List.of(
                  InferenceHub.INFERENCEREQUESTED_EVENT,
                  InferenceHub.REQUESTASSIGNED_EVENT,
                  InferenceHub.RESULTSUBMITTED_EVENT,
                  InferenceHub.REQUESTFINALIZED_EVENT,
                  InferenceHub.REQUESTREFUNDED_EVENT,
                  InferenceHub.CALLBACKDELIVERED_EVENT,
                  InferenceHub.CALLBACKFAILED_EVENT)
              .stream()
              .map(EventEncoder::encode)
              .toArray(String[]::new));
      filter.addSingleTopic(idTopic);
      EthLog logs;
      try {
        logs = web3j.ethGetLogs(filter).send();
      } catch (IOException e) {
        throw new ChainException("eth_getLogs failed: " + e.getMessage(), e);
      }
      if (logs.hasError()) {
        throw new ChainException(
            "eth_getLogs [" + from + ", " + to + "] failed: " + logs.getError().getMessage());
      }
      for (EthLog.LogResult<?> result : logs.getLogs()) {
        Log log = (Log) result.get();
        Function<Log, HubEvent> decoder =
            log.getTopics().isEmpty()
                ? null
                : decoders.get(log.getTopics().getFirst().toLowerCase(Locale.ROOT));
        if (decoder != null) {
          events.add(decoder.apply(log));
        }
      }
    }
    return events;
  }

  /** Polls every {@code interval} on a daemon thread and hands each event to {@code listener}. */
  public synchronized void start(Duration interval, Consumer<HubEvent> listener) {
    if (poller != null) {
      throw new IllegalStateException("this watcher is already running");
    }
    poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("hub-events-" + hub).unstarted(r));
    poller.scheduleWithFixedDelay(
        () -> {
          try {
            poll().forEach(listener);
          } catch (RuntimeException e) {
            // A node hiccup must not end the watch: the cursor did not move, the next poll retries.
            LOG.warn("polling hub events from block {} failed: {}", nextBlock(), e.getMessage());
          }
        },
        0,
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
  }

  // ---- decoders (the generated wrapper does the ABI work; these convert to core types)

  private static Position at(Log log) {
    return new Position(
        log.getBlockNumber().longValueExact(),
        log.getLogIndex().longValueExact(),
        log.getTransactionHash());
  }

  private static Address addr(String hex) {
    return Address.fromHex(hex);
  }

  private static HubEvent inferenceRequested(Log log) {
    var e = InferenceHub.getInferenceRequestedEventFromLog(log);
    return new HubEvent.InferenceRequested(
        at(log),
        e.requestId,
        addr(e.requester),
        Bytes32.wrap(e.modelId),
        e.level.intValueExact(),
        e.maxFee,
        Bytes32.wrap(e.inputHash),
        e.input);
  }

  private static HubEvent requestAssigned(Log log) {
    var e = InferenceHub.getRequestAssignedEventFromLog(log);
    return new HubEvent.RequestAssigned(
        at(log), e.requestId, addr(e.node), e.deadline.longValueExact(), e.attempt.intValueExact());
  }

  private static HubEvent resultSubmitted(Log log) {
    var e = InferenceHub.getResultSubmittedEventFromLog(log);
    return new HubEvent.ResultSubmitted(
        at(log),
        e.requestId,
        addr(e.node),
        Bytes32.wrap(e.outputHash),
        Bytes32.wrap(e.evidenceHash),
        e.output,
        e.finalizableAt.longValueExact());
  }

  private static HubEvent requestFinalized(Log log) {
    var e = InferenceHub.getRequestFinalizedEventFromLog(log);
    return new HubEvent.RequestFinalized(
        at(log),
        e.requestId,
        addr(e.node),
        Bytes32.wrap(e.outputHash),
        e.nodePaid,
        e.modelFee,
        e.refund);
  }

  private static HubEvent requestRefunded(Log log) {
    var e = InferenceHub.getRequestRefundedEventFromLog(log);
    return new HubEvent.RequestRefunded(
        at(log), e.requestId, addr(e.requester), e.amount, e.reason);
  }

  private static HubEvent callbackDelivered(Log log) {
    var e = InferenceHub.getCallbackDeliveredEventFromLog(log);
    return new HubEvent.CallbackDelivered(at(log), e.requestId, addr(e.callback), e.finalized);
  }

  private static HubEvent callbackFailed(Log log) {
    var e = InferenceHub.getCallbackFailedEventFromLog(log);
    return new HubEvent.CallbackFailed(at(log), e.requestId, addr(e.callback), e.finalized);
  }

  private static HubEvent fundsReleased(Log log) {
    var e = InferenceHub.getFundsReleasedEventFromLog(log);
    return new HubEvent.FundsReleased(at(log), addr(e.to), e.amount, e.kind.intValueExact(), e.ref);
  }

  private static HubEvent payoutDeferred(Log log) {
    var e = InferenceHub.getPayoutDeferredEventFromLog(log);
    return new HubEvent.PayoutDeferred(
        at(log), addr(e.to), e.amount, e.kind.intValueExact(), e.ref);
  }

  private static HubEvent deposited(Log log) {
    var e = InferenceHub.getDepositedEventFromLog(log);
    return new HubEvent.Deposited(at(log), addr(e.payer), e.amount, e.balance);
  }

  private static HubEvent channelFunded(Log log) {
    var e = InferenceHub.getChannelFundedEventFromLog(log);
    return new HubEvent.ChannelFunded(
        at(log), addr(e.payer), addr(e.node), e.amount, e.channelBalance);
  }

  private static HubEvent unlockRequested(Log log) {
    var e = InferenceHub.getUnlockRequestedEventFromLog(log);
    return new HubEvent.UnlockRequested(
        at(log), addr(e.payer), addr(e.node), e.amount, e.unlockAt.longValueExact());
  }

  private static HubEvent channelUnlocked(Log log) {
    var e = InferenceHub.getChannelUnlockedEventFromLog(log);
    return new HubEvent.ChannelUnlocked(
        at(log), addr(e.payer), addr(e.node), e.amount, e.channelBalance);
  }

  private static HubEvent depositWithdrawn(Log log) {
    var e = InferenceHub.getDepositWithdrawnEventFromLog(log);
    return new HubEvent.DepositWithdrawn(at(log), addr(e.payer), e.amount, e.balance);
  }

  private static HubEvent voucherRedeemed(Log log) {
    var e = InferenceHub.getVoucherRedeemedEventFromLog(log);
    return new HubEvent.VoucherRedeemed(
        at(log), addr(e.payer), addr(e.node), e.cumulativeAmount, e.paid, e.shortfall);
  }

  private static HubEvent receiptRootPosted(Log log) {
    var e = InferenceHub.getReceiptRootPostedEventFromLog(log);
    return new HubEvent.ReceiptRootPosted(
        at(log), e.batchId, addr(e.node), Bytes32.wrap(e.root), e.count.intValueExact());
  }
}
