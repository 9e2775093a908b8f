package io.vouch.node.chain;

import io.vouch.chain.ChainException;
import io.vouch.chain.ChainHead;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.events.HubEvent;
import io.vouch.chain.events.HubEventWatcher;
import io.vouch.chain.hub.HubRequest;
import io.vouch.chain.hub.InferenceHubClient;
import io.vouch.chain.hub.Keeper;
import io.vouch.chain.hub.KeeperMove;
import io.vouch.chain.hub.RequestStatus;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.error.VouchException;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.TensorFormatException;
import io.vouch.infra.service.Scheduler;
import io.vouch.infra.service.Service;
import io.vouch.node.inference.InferenceExecutor;
import io.vouch.node.inference.InferenceRequest;
import io.vouch.node.inference.InferenceResult;
import io.vouch.node.journal.Journal;
import io.vouch.node.journal.JournalEntry;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference role on chain: watches the hub, executes requests assigned to this node, submits
 * results, finalizes its own results when their challenge window ends, and, as a keeper, moves on
 * requests whose node missed the deadline (reassign or refund). Every step is journaled before it
 * is acted on, and a restart re-checks the chain before resuming, so work is neither lost nor
 * submitted twice.
 */
public final class OnChainWorker extends Service {
  private static final Logger LOG = LoggerFactory.getLogger(OnChainWorker.class);

  private final TransactionSender sender;
  private final VouchDeployment deployment;
  private final InferenceExecutor executor;
  private final Journal journal;
  private final Clock clock;
  private final Duration pollInterval;
  private final InferenceHubClient hub;
  private final Keeper keeper;
  private final Address me;

  /** Inputs of requests seen on chain, until they are settled. */
  private final Map<BigInteger, HubEvent.InferenceRequested> requested = new ConcurrentHashMap<>();

  /** Requests assigned to any node, with their deadline: the keeper's watch list. */
  private final Map<BigInteger, Long> deadlines = new ConcurrentHashMap<>();

  /** This node's submitted results and when they can be finalized. */
  private final Map<BigInteger, Long> finalizable = new ConcurrentHashMap<>();

  /** TEE assignments held while the enclave key awaits its committee (logged once each). */
  private final java.util.Set<BigInteger> waitingForEnclave = ConcurrentHashMap.newKeySet();

  private HubEventWatcher watcher;
  private final Scheduler scheduler;
  private Scheduler.Repeating loop;

  public OnChainWorker(
      TransactionSender sender,
      VouchDeployment deployment,
      InferenceExecutor executor,
      Journal journal,
      Clock clock,
      Duration pollInterval,
      Scheduler scheduler) {
    this.scheduler = scheduler;
    this.sender = sender;
    this.deployment = deployment;
    this.executor = executor;
    this.journal = journal;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.hub = new InferenceHubClient(sender, deployment);
    this.keeper = hub.keeper();
    this.me = sender.address();
  }

  @Override
  protected void doStart() {
    long from = Math.max(journal.checkpoint() + 1, deployment.deployedAtBlock());
    watcher = new HubEventWatcher(sender.web3j(), deployment.inferenceHub(), from);
    resumeFromJournal();
    loop = scheduler.repeat("vouch-onchain-" + me, Duration.ZERO, pollInterval, this::tick);
    LOG.info("watching hub {} from block {}", deployment.inferenceHub(), from);
  }

  @Override
  protected void doStop() {
    loop.cancel(false);
    watcher.close();
  }

  /** One round: new events, then due finalizations and expired deadlines. */
  void tick() {
    try {
      List<HubEvent> events = watcher.poll();
      for (HubEvent e : events) {
        handle(e);
      }
      long handledUpTo = watcher.nextBlock() - 1;
      if (handledUpTo > journal.checkpoint()) {
        journal.append(new JournalEntry.Checkpoint(handledUpTo));
      }
      // A submission that failed in transport (RPC down, dropped transaction) is retried here, not
      // only after a restart: the request would otherwise wait for its deadline and be refunded.
      retryPending();
      long now = chainNow();
      finalizeDue(now);
      moveOnExpired(now);
    } catch (RuntimeException e) {
      // The loop must survive a flaky RPC endpoint; the next tick retries from the checkpoint.
      LOG.warn("on-chain round failed, retrying: {}", e.getMessage());
    }
  }

  private void handle(HubEvent event) {
    switch (event) {
      case HubEvent.InferenceRequested r -> requested.put(r.requestId(), r);
      case HubEvent.RequestAssigned a -> {
        deadlines.put(a.requestId(), a.deadline());
        if (a.node().equals(me)) {
          accept(a);
        }
      }
      case HubEvent.ResultSubmitted s -> {
        deadlines.remove(s.requestId());
        if (s.node().equals(me)) {
          finalizable.put(s.requestId(), s.finalizableAt());
        }
      }
      case HubEvent.RequestFinalized f -> settled(f.requestId(), "finalized");
      case HubEvent.RequestRefunded r -> settled(r.requestId(), "refunded");
      default -> {}
    }
  }

  private void accept(HubEvent.RequestAssigned a) {
    Journal.RequestState known = journal.request(a.requestId());
    if (known != null && known.attempt() == a.attempt()) {
      return; // replayed event: already accepted (and maybe submitted) this attempt
    }
    HubEvent.InferenceRequested r = requested.get(a.requestId());
    if (r == null) {
      r = findRequested(a.requestId());
    }
    journal.append(
        new JournalEntry.Accepted(
            a.requestId(), a.attempt(), a.deadline(), r.modelId(), r.level(), r.input()));
    executeAndSubmit(journal.request(a.requestId()));
  }

  private void executeAndSubmit(Journal.RequestState req) {
    NamedTensors input;
    try {
      // one tensor's encoding, or the bundle of a model's several named inputs
      input = NamedTensors.decode(req.input(), InferenceRequest.SOLE);
    } catch (TensorFormatException e) {
      // Nothing valid to run: leave it to time out, so the requester is refunded.
      LOG.warn("request {} carries a malformed input tensor: {}", req.requestId(), e.getMessage());
      journal.append(new JournalEntry.Closed(req.requestId(), "malformed input"));
      return;
    }
    InferenceResult result;
    try {
      result =
          executor.execute(
              new InferenceRequest(
                  req.modelId().toHex(),
                  input,
                  VerificationLevel.fromCode(req.level()),
                  Bytes32.fromUint(req.requestId())));
    } catch (VouchException e) {
      var awaited = executor.enclaveAwaiting();
      if (VerificationLevel.fromCode(req.level()).runsInEnclave() && awaited.isPresent()) {
        // stays pending: retried every round until the key is approved or the deadline passes
        if (waitingForEnclave.add(req.requestId())) {
          LOG.info("request {}: {}", req.requestId(), awaited.get());
        }
        return;
      }
      LOG.warn("request {} cannot be executed here: {}", req.requestId(), e.getMessage());
      journal.append(new JournalEntry.Closed(req.requestId(), "not executable: " + e.code()));
      return;
    }
    InferenceHubClient.Submission submission;
    try {
      submission = hub.submitResult(req.requestId(), result.receipt(), result.outputs());
    } catch (RuntimeException e) {
      // Transport failure: stays pending in the journal; the next round retries it.
      throw new ChainException("submitting request " + req.requestId() + ": " + e.getMessage(), e);
    }
    switch (submission) {
      case InferenceHubClient.Submission.Submitted s -> {
        journal.append(
            new JournalEntry.Submitted(req.requestId(), req.attempt(), s.transactionHash()));
        LOG.info("request {} submitted in {}", req.requestId(), s.transactionHash());
        if (result.evidence().settledOnSubmission()) {
          // The hub checked this evidence inside submitResult and settled: no window to finalize.
          settled(req.requestId(), "settled on submission (" + result.evidence().level() + ")");
        }
      }
      case InferenceHubClient.Submission.Refused r -> {
        LOG.warn("request {} submission refused: {}", req.requestId(), r.revert().getMessage());
        journal.append(new JournalEntry.Closed(req.requestId(), "refused: " + r.errorName()));
      }
    }
  }

  /**
   * After a restart: finish what was accepted but not submitted, and track what awaits finality.
   */
  private void resumeFromJournal() {
    retryPending();
    for (Journal.RequestState req : journal.awaitingFinalization()) {
      finalizable.put(req.requestId(), 0L); // finalizeDue asks the chain whether it is time
    }
  }

  /** Accepted but not submitted: submit now if the chain still wants it from us, else close it. */
  private void retryPending() {
    for (Journal.RequestState req : journal.pending()) {
      try {
        HubRequest onChain = hub.getRequest(req.requestId());
        boolean stillMine = onChain.node().equals(me) && onChain.attempts() == req.attempt();
        if (onChain.status() == RequestStatus.ASSIGNED && stillMine) {
          LOG.info("resuming request {} from the journal", req.requestId());
          executeAndSubmit(req);
        } else if (onChain.status() == RequestStatus.SUBMITTED && stillMine) {
          // Our transaction landed before the crash let us journal it.
          journal.append(new JournalEntry.Submitted(req.requestId(), req.attempt(), "(recovered)"));
        } else {
          journal.append(new JournalEntry.Closed(req.requestId(), "no longer assigned"));
        }
      } catch (Exception e) {
        throw new ChainException("resuming request " + req.requestId() + ": " + e.getMessage(), e);
      }
    }
  }

  private void finalizeDue(long now) {
    for (Map.Entry<BigInteger, Long> e : finalizable.entrySet()) {
      if (e.getValue() > now) {
        continue;
      }
      try {
        switch (keeper.finalizeResult(e.getKey())) {
          case KeeperMove.Finalized f -> settled(e.getKey(), "finalized");
          case KeeperMove.TooEarly t -> finalizable.put(e.getKey(), t.dueAt());
          case KeeperMove.NothingToDo n -> settled(e.getKey(), "settled by someone else");
          case KeeperMove.VerificationPending p ->
              LOG.warn("finalize {} refused: {}", e.getKey(), p.reason());
          default -> {} // reassigned or refunded: not what finalize does
        }
      } catch (ContractRevertException r) {
        LOG.warn("finalize {} refused: {}", e.getKey(), r.getMessage());
      } catch (Exception ex) {
        LOG.warn("finalize {} failed, will retry: {}", e.getKey(), ex.getMessage());
      }
    }
  }

  private void moveOnExpired(long now) {
    for (Map.Entry<BigInteger, Long> e : deadlines.entrySet()) {
      if (e.getValue() >= now) {
        continue;
      }
      deadlines.remove(e.getKey());
      try {
        switch (keeper.reassignOrRefund(e.getKey())) {
          case KeeperMove.Reassigned r ->
              LOG.info("request {} missed its deadline: reassigned to {}", e.getKey(), r.node());
          case KeeperMove.Refunded r ->
              LOG.info("request {} missed its deadline: refunded", e.getKey());
          case KeeperMove.TooEarly t ->
              deadlines.put(e.getKey(), e.getValue() + 1); // our clock ran ahead of the chain's
          default -> {} // moved by someone else, or settled: nothing left to watch
        }
      } catch (ContractRevertException r) {
        // refused for a reason of its own: nothing this node can do about the request
      } catch (Exception ex) {
        deadlines.put(e.getKey(), e.getValue());
        LOG.warn("reassignOrRefund {} failed, will retry: {}", e.getKey(), ex.getMessage());
      }
    }
  }

  private void settled(BigInteger requestId, String how) {
    requested.remove(requestId);
    deadlines.remove(requestId);
    finalizable.remove(requestId);
    Journal.RequestState mine = journal.request(requestId);
    if (mine != null && !mine.closed()) {
      journal.append(new JournalEntry.Closed(requestId, how));
    }
  }

  /** The InferenceRequested event of an old request (reassigned to us after our checkpoint). */
  private HubEvent.InferenceRequested findRequested(BigInteger requestId) {
    try (HubEventWatcher scan =
        new HubEventWatcher(
            sender.web3j(), deployment.inferenceHub(), deployment.deployedAtBlock())) {
      long head = ChainHead.number(sender.web3j());
      while (scan.nextBlock() <= head) {
        for (HubEvent e : scan.poll()) {
          if (e instanceof HubEvent.InferenceRequested r && r.requestId().equals(requestId)) {
            return r;
          }
        }
      }
    }
    throw new ChainException("no InferenceRequested event for request " + requestId);
  }

  /** The later of the chain's latest block time and this machine's clock, in seconds. */
  private long chainNow() {
    long wall = clock.instant().getEpochSecond();
    try {
      return Math.max(wall, hub.chainTime());
    } catch (ChainException e) {
      return wall;
    }
  }
}
