package io.vouch.sdk.onchain;

import io.vouch.chain.VouchContracts;
import io.vouch.chain.events.HubEvent;
import io.vouch.chain.events.HubEventWatcher;
import io.vouch.chain.hub.HubError;
import io.vouch.chain.hub.HubRequest;
import io.vouch.chain.hub.InferenceHubClient;
import io.vouch.chain.hub.KeeperMove;
import io.vouch.chain.hub.RequestStatus;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.TensorFormatException;
import io.vouch.sdk.RequestRefundedException;
import io.vouch.sdk.VouchClientException;
import io.vouch.sdk.chain.ChainCalls;
import io.vouch.sdk.models.PublishedModel;
import io.vouch.sdk.plan.NodeCandidate;
import io.vouch.sdk.registry.NodeRegistryView;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Sends requests to the InferenceHub and waits for their results by polling the hub's events. The
 * hub, not this class, is the judge of a result: it checked the assigned node's signature over the
 * receipt and the output hash when the node submitted; this class re-checks that the output bytes
 * hash to the submitted output hash and decodes them.
 */
public final class OnChainRequester {
  private final VouchContracts contracts;
  private final NodeRegistryView registry;
  private final Duration pollInterval;

  public OnChainRequester(
      VouchContracts contracts, NodeRegistryView registry, Duration pollInterval) {
    this.contracts = contracts;
    this.registry = registry;
    this.pollInterval = pollInterval;
  }

  public OnChainRequest send(PublishedModel model, NamedTensors input, OnChainOptions o) {
    ChainCalls.requireKey(contracts, "send an on-chain request");
    InferenceHubClient hub = contracts.hub();
    refuseEarly(model, o);
    long deadline = chainTime() + Math.max(1, o.deadline().toSeconds());
    InferenceHubClient.Requested requested;
    try {
      requested =
          ChainCalls.call(
              "requesting " + model.ref() + " on chain",
              () ->
                  hub.request(
                      new InferenceHubClient.NewRequest(
                          model.modelId(),
                          input,
                          o.level(),
                          deadline,
                          o.preferredNode(),
                          o.callback(),
                          o.callbackGas(),
                          o.fastDelivery(),
                          o.maxFeeWei())));
    } catch (ContractRevertException e) {
      throw translateRequestRevert(e, model);
    }
    return new OnChainRequest(
        requested.requestId(),
        model.modelId(),
        model.ref(),
        o.level(),
        input,
        o.maxFeeWei(),
        requested.node(),
        requested.deadline(),
        o.fastDelivery(),
        requested.transactionHash(),
        requested.blockNumber());
  }

  /** The checks the hub would revert on, made before paying gas for a reverting transaction. */
  private void refuseEarly(PublishedModel model, OnChainOptions o) {
    if (!model.allows(o.level())) {
      throw new VouchClientException(
          ErrorCode.UNSUPPORTED_LEVEL,
          "model " + model.ref() + " allows " + model.levels() + ", not " + o.level());
    }
    List<NodeCandidate> nodes = registry.candidates(model.modelId(), List.of(o.level()));
    Optional<BigInteger> cheapest =
        nodes.stream().map(NodeCandidate::priceWei).min(Comparator.naturalOrder());
    if (cheapest.isEmpty()) {
      throw new VouchClientException(
          ErrorCode.NO_ELIGIBLE_NODE,
          "no registered node serves " + model.ref() + " at " + o.level() + "; wait for one");
    }
    BigInteger required = cheapest.get().add(model.feeWei());
    if (o.maxFeeWei().compareTo(required) < 0) {
      throw new VouchClientException(
          ErrorCode.NO_ELIGIBLE_NODE,
          "a fee of "
              + o.maxFeeWei()
              + " wei does not cover "
              + model.ref()
              + ": the model fee plus the cheapest node come to "
              + required
              + " wei; raise maxFeeWei to at least "
              + required
              + " wei");
    }
  }

  private static VouchClientException translateRequestRevert(
      ContractRevertException e, PublishedModel model) {
    Optional<HubError> error = HubError.of(e);
    ErrorCode code =
        error
            .map(err ->
                switch (err) {
                  case UNKNOWN_MODEL -> ErrorCode.UNKNOWN_MODEL;
                  case LEVEL_NOT_ALLOWED -> ErrorCode.UNSUPPORTED_LEVEL;
                  case FEE_TOO_LOW, NO_ELIGIBLE_NODE -> ErrorCode.NO_ELIGIBLE_NODE;
                  case DEADLINE_PASSED,
                      DEADLINE_TOO_FAR,
                      INPUT_HASH_MISMATCH,
                      CALLBACK_GAS_TOO_HIGH,
                      CALLBACK_NOT_CONTRACT,
                      FEE_TOO_HIGH ->
                      ErrorCode.BAD_INPUT;
                  default -> ErrorCode.CHAIN_ERROR;
                })
            .orElse(ErrorCode.CHAIN_ERROR);
    String fix =
        error
            .map(err ->
                switch (err) {
                  case FEE_TOO_LOW ->
                      "; raise maxFeeWei to at least " + e.argument("required") + " wei";
                  case DEADLINE_TOO_FAR -> "; ask for a shorter deadline";
                  case NO_ELIGIBLE_NODE -> "; no node serves it at this level and price now";
                  default -> "";
                })
            .orElse("");
    return new VouchClientException(
        code, "the hub refused the request for " + model.ref() + ": " + e.getMessage() + fix, e);
  }

  /**
   * Waits until the request reaches {@code wanted} (a {@link Finality#FINALIZED} result is also
   * returned when {@link Finality#SUBMITTED} was asked for).
   *
   * @throws RequestRefundedException the hub refunded the request
   * @throws VouchClientException VERIFICATION_FAILED when the output on chain does not match its
   *     hash; NODE_UNAVAILABLE when {@code timeout} passed first (the message says where the
   *     request stands)
   */
  public OnChainResult await(OnChainRequest handle, Finality wanted, Duration timeout) {
    long giveUpAt = System.nanoTime() + timeout.toNanos();
    HubEvent.ResultSubmitted submitted = null;
    try (HubEventWatcher watcher =
        new HubEventWatcher(
            contracts.web3j(), contracts.deployment().inferenceHub(), handle.blockNumber())) {
      while (true) {
        List<HubEvent> events = ChainCalls.call("reading hub events", () -> watcher.poll());
        for (HubEvent e : events) {
          switch (e) {
            case HubEvent.ResultSubmitted s when s.requestId().equals(handle.requestId()) ->
                submitted = s;
            case HubEvent.RequestFinalized f when f.requestId().equals(handle.requestId()) -> {
              if (submitted == null) {
                throw new VouchClientException(
                    ErrorCode.CHAIN_ERROR,
                    "request " + handle.requestId() + " finalized without a ResultSubmitted event");
              }
              return result(handle, submitted, Finality.FINALIZED, Optional.of(f));
            }
            case HubEvent.RequestRefunded r when r.requestId().equals(handle.requestId()) ->
                throw new RequestRefundedException(
                    r.requestId(), r.amount(), r.reason(), r.position().transactionHash());
            default -> {}
          }
        }
        if (submitted != null && wanted == Finality.SUBMITTED) {
          return result(handle, submitted, Finality.SUBMITTED, Optional.empty());
        }
        if (System.nanoTime() > giveUpAt) {
          throw new VouchClientException(
              ErrorCode.NODE_UNAVAILABLE,
              "request "
                  + handle.requestId()
                  + " did not reach "
                  + wanted
                  + " within "
                  + timeout
                  + ": "
                  + whereItStands(handle, submitted)
                  + "; call awaitResult again, or settle(handle) once the deadline or the"
                  + " challenge window has passed");
        }
        sleep();
      }
    }
  }

  /**
   * Checks a result obtained elsewhere against the hub's record of request {@code requestId}: the
   * request must have a result (submitted or finalized), for this model and level, over this input,
   * by this node, with this output's hash. The hub checked the node's signature when it accepted
   * the result; the record is what it accepted.
   *
   * @return how final the result is
   * @throws VouchClientException VERIFICATION_FAILED naming the first thing that does not match
   */
  public Finality verify(
      BigInteger requestId,
      Bytes32 modelId,
      VerificationLevel level,
      NamedTensors input,
      NamedTensors output,
      Address node) {
    HubRequest r = readRequest(requestId);
    RequestStatus status = r.status();
    String where =
        "request " + requestId + " on InferenceHub " + contracts.deployment().inferenceHub();
    if (status == RequestStatus.NONE) {
      throw mismatch(where + " does not exist (another chain or deployment?)");
    }
    if (status == RequestStatus.ASSIGNED) {
      throw mismatch(where + " has no result yet: it is assigned to " + r.node());
    }
    if (status == RequestStatus.REFUNDED) {
      throw mismatch(where + " was refunded: it has no result");
    }
    check(where, "model id", r.modelId(), modelId);
    check(where, "level", r.level(), level);
    check(where, "input hash", r.inputHash(), input.hash());
    check(where, "node", r.node(), node);
    check(where, "output hash", r.outputHash(), output.hash());
    return status == RequestStatus.FINALIZED ? Finality.FINALIZED : Finality.SUBMITTED;
  }

  private static void check(String where, String what, Object onChain, Object claimed) {
    if (!onChain.equals(claimed)) {
      throw mismatch(
          "the "
              + what
              + " does not match "
              + where
              + ": the hub has "
              + onChain
              + ", the result says "
              + claimed);
    }
  }

  private static VouchClientException mismatch(String message) {
    return new VouchClientException(ErrorCode.VERIFICATION_FAILED, message);
  }

  private String whereItStands(OnChainRequest handle, HubEvent.ResultSubmitted submitted) {
    if (submitted != null) {
      return submitted.finalizableAt() == Long.MAX_VALUE
          ? "a result is submitted and settles when a committee of validators reaches its quorum"
              + " (no challenge window)"
          : "a result is submitted and can be finalized from chain time "
              + submitted.finalizableAt();
    }
    HubRequest r = readRequest(handle.requestId());
    return "assigned to " + r.node() + " with deadline " + r.deadline() + " (chain time)";
  }

  private OnChainResult result(
      OnChainRequest handle,
      HubEvent.ResultSubmitted s,
      Finality finality,
      Optional<HubEvent.RequestFinalized> finalized) {
    byte[] bytes = s.output();
    if (bytes == null || bytes.length == 0) {
      throw new VouchClientException(
          ErrorCode.VERIFICATION_FAILED,
          "node "
              + s.node()
              + " submitted only the output hash "
              + s.outputHash()
              + " for request "
              + handle.requestId()
              + ", not the output; there is nothing on chain to decode");
    }
    Bytes32 actual = Keccak.hash(bytes);
    if (!actual.equals(s.outputHash())) {
      throw new VouchClientException(
          ErrorCode.VERIFICATION_FAILED,
          "the output node "
              + s.node()
              + " put on chain hashes to "
              + actual
              + ", not to the submitted output hash "
              + s.outputHash());
    }
    NamedTensors output;
    try {
      output = NamedTensors.decode(bytes, NamedTensors.LONE);
    } catch (TensorFormatException e) {
      throw new VouchClientException(
          ErrorCode.VERIFICATION_FAILED,
          "the output on chain for request "
              + handle.requestId()
              + " is neither a canonical tensor nor a bundle of named tensors: "
              + e.getMessage(),
          e);
    }
    return new OnChainResult(
        handle.requestId(),
        handle.modelId(),
        output,
        s.outputHash(),
        s.node(),
        finality,
        s.finalizableAt(),
        handle.transactionHash(),
        s.position().transactionHash(),
        finalized.map(f -> f.position().transactionHash()),
        finalized.map(f -> new OnChainResult.Settlement(f.nodePaid(), f.modelFee(), f.refund())),
        s.evidenceHash(),
        Optional.empty(),
        Optional.empty());
  }

  /**
   * Moves a stuck request on, as any keeper may: finalizes a submitted result whose challenge
   * window has passed, or reassigns (or, after the last attempt, refunds) a request whose deadline
   * passed. Returns what it did ({@link Settled#action()}).
   */
  public String settle(OnChainRequest handle) {
    return settle(handle.requestId()).action();
  }

  /**
   * {@link #settle(OnChainRequest)} for a request known by its id alone.
   *
   * @throws VouchClientException TOO_EARLY when the deadline (assigned) or the challenge window
   *     (submitted) has not passed on chain yet, naming when it does; BAD_INPUT for an unknown id
   */
  public Settled settle(BigInteger requestId) {
    RequestRecord before = record(requestId);
    if (before.state() == RequestRecord.State.FINALIZED
        || before.state() == RequestRecord.State.REFUNDED) {
      return new Settled("none", Optional.empty(), before);
    }
    String what =
        before.state() == RequestRecord.State.SUBMITTED ? "finalizing" : "reassigning or refunding";
    KeeperMove move;
    try {
      move =
          ChainCalls.call(
              what + " request " + requestId, () -> contracts.hub().keeper().settle(requestId));
    } catch (ContractRevertException e) {
      throw refused(what, requestId, e.getMessage(), e);
    }
    return switch (move) {
      case KeeperMove.Finalized f ->
          new Settled("finalized", Optional.of(f.transactionHash()), record(requestId));
      case KeeperMove.Reassigned r ->
          new Settled("reassigned", Optional.of(r.transactionHash()), record(requestId));
      case KeeperMove.Refunded r ->
          new Settled("refunded", Optional.of(r.transactionHash()), record(requestId));
      case KeeperMove.TooEarly t -> throw tooEarly(before, t);
      // Another keeper (or the court) was first between our read and the transaction.
      case KeeperMove.NothingToDo n -> throw refused(what, requestId, n.reason(), null);
      case KeeperMove.VerificationPending p -> throw refused(what, requestId, p.reason(), null);
    };
  }

  /** The move is not due yet: when it is, in chain time, and why the hub waits. */
  private static VouchClientException tooEarly(RequestRecord before, KeeperMove.TooEarly t) {
    BigInteger requestId = before.requestId();
    if (before.state() == RequestRecord.State.SUBMITTED) {
      return tooEarly(
          "request "
              + requestId
              + " has a result whose challenge window is open until chain time "
              + t.dueAt(),
          t.dueAt() - before.chainTime(),
          "the result can still be challenged until then");
    }
    // The hub wants block.timestamp > deadline: due one second after it.
    return tooEarly(
        "request "
            + requestId
            + " is assigned to "
            + before.node()
            + " until its deadline, chain time "
            + (t.dueAt() - 1),
        t.dueAt() - before.chainTime(),
        "the node may still deliver");
  }

  private static VouchClientException tooEarly(String what, long seconds, String why) {
    return new VouchClientException(
        ErrorCode.TOO_EARLY,
        what + " (in " + seconds + " s of chain time): " + why + "; try again after that");
  }

  private static VouchClientException refused(
      String what, BigInteger requestId, String reason, Throwable cause) {
    return new VouchClientException(
        ErrorCode.CHAIN_ERROR,
        "the hub refused " + what + " request " + requestId + ": " + reason,
        cause);
  }

  /**
   * The hub's record of request {@code requestId}, with its events.
   *
   * @throws VouchClientException BAD_INPUT when the hub has no such request
   */
  public RequestRecord record(BigInteger requestId) {
    HubRequest r = readRequest(requestId);
    if (!r.exists()) {
      throw new VouchClientException(
          ErrorCode.BAD_INPUT,
          "no request "
              + requestId
              + " on InferenceHub "
              + contracts.deployment().inferenceHub()
              + " (another chain or deployment?); request ids are the numbers vouch infer"
              + " --on-chain prints");
    }
    int maxAttempts = ChainCalls.call("reading maxAttempts", () -> contracts.hub().maxAttempts());
    List<RequestRecord.Event> history = new ArrayList<>();
    try (HubEventWatcher watcher =
        new HubEventWatcher(
            contracts.web3j(),
            contracts.deployment().inferenceHub(),
            contracts.deployment().deployedAtBlock())) {
      for (HubEvent e :
          ChainCalls.call(
              "reading the events of request " + requestId,
              () -> watcher.requestEvents(requestId))) {
        history.add(event(e));
      }
    }
    return new RequestRecord(
        requestId,
        RequestRecord.State.valueOf(r.status().name()),
        r.requester(),
        r.modelId(),
        r.level(),
        r.node(),
        r.deadline(),
        r.attempts(),
        maxAttempts,
        r.maxFee(),
        r.nodePrice(),
        r.modelFee(),
        r.inputHash(),
        r.outputHash(),
        r.finalizableAt(),
        r.fastDelivery(),
        chainTime(),
        history);
  }

  private HubRequest readRequest(BigInteger requestId) {
    return ChainCalls.call(
        "reading request " + requestId, () -> contracts.hub().getRequest(requestId));
  }

  private long chainTime() {
    return ChainCalls.call("reading the latest block", contracts::chainTime);
  }

  private static RequestRecord.Event event(HubEvent e) {
    HubEvent.Position p = e.position();
    return switch (e) {
      case HubEvent.InferenceRequested x ->
          new RequestRecord.Event(
              "requested",
              p.blockNumber(),
              p.transactionHash(),
              "by " + x.requester() + ", " + x.maxFee() + " wei escrowed");
      case HubEvent.RequestAssigned x ->
          new RequestRecord.Event(
              "assigned",
              p.blockNumber(),
              p.transactionHash(),
              "to " + x.node() + ", deadline " + x.deadline() + ", attempt " + x.attempt());
      case HubEvent.ResultSubmitted x ->
          new RequestRecord.Event(
              "submitted",
              p.blockNumber(),
              p.transactionHash(),
              "by "
                  + x.node()
                  + ", output hash "
                  + x.outputHash()
                  + (x.finalizableAt() == Long.MAX_VALUE
                      ? ", final at a committee's quorum"
                      : ", finalizable from " + x.finalizableAt()));
      case HubEvent.RequestFinalized x ->
          new RequestRecord.Event(
              "finalized",
              p.blockNumber(),
              p.transactionHash(),
              "node paid "
                  + x.nodePaid()
                  + " wei, model fee "
                  + x.modelFee()
                  + " wei, refund "
                  + x.refund()
                  + " wei");
      case HubEvent.RequestRefunded x ->
          new RequestRecord.Event(
              "refunded",
              p.blockNumber(),
              p.transactionHash(),
              x.amount() + " wei to " + x.requester() + ": " + x.reason());
      case HubEvent.CallbackDelivered x ->
          new RequestRecord.Event(
              "callback delivered",
              p.blockNumber(),
              p.transactionHash(),
              "to " + x.callback() + (x.finalized() ? " (final)" : " (not final)"));
      case HubEvent.CallbackFailed x ->
          new RequestRecord.Event(
              "callback failed",
              p.blockNumber(),
              p.transactionHash(),
              "to " + x.callback() + (x.finalized() ? " (final)" : " (not final)"));
      default ->
          new RequestRecord.Event("other", p.blockNumber(), p.transactionHash(), e.toString());
    };
  }

  private void sleep() {
    try {
      Thread.sleep(pollInterval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VouchClientException(ErrorCode.INTERNAL, "interrupted while waiting", e);
    }
  }
}
