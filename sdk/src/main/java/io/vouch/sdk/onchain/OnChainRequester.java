package io.vouch.sdk.onchain;

import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.events.HubEvent;
import io.vouch.chain.events.HubEventWatcher;
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
import io.vouch.sdk.chain.VouchContracts;
import io.vouch.sdk.models.PublishedModel;
import io.vouch.sdk.plan.NodeCandidate;
import io.vouch.sdk.registry.NodeRegistryView;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

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
    InferenceHub hub = contracts.hubAs("send an on-chain request");
    refuseEarly(model, o);
    byte[] bytes = input.canonicalBytes();
    long deadline = contracts.chainTime() + Math.max(1, o.deadline().toSeconds());
    TransactionReceipt receipt;
    try {
      receipt =
          VouchContracts.call(
              "requesting " + model.ref() + " on chain",
              () ->
                  hub.request(
                          model.modelId().toArray(),
                          bytes,
                          Keccak.hash(bytes).toArray(),
                          BigInteger.valueOf(o.level().code()),
                          BigInteger.valueOf(deadline),
                          o.preferredNode().orElse(Address.ZERO).toHex(),
                          o.callback().orElse(Address.ZERO).toHex(),
                          BigInteger.valueOf(o.callbackGas()),
                          o.fastDelivery(),
                          o.maxFeeWei())
                      .send());
    } catch (ContractRevertException e) {
      throw translateRequestRevert(e, model);
    }
    var requested = InferenceHub.getInferenceRequestedEvents(receipt).getFirst();
    var assigned = InferenceHub.getRequestAssignedEvents(receipt).getFirst();
    return new OnChainRequest(
        requested.requestId,
        model.modelId(),
        model.ref(),
        o.level(),
        input,
        o.maxFeeWei(),
        Address.fromHex(assigned.node),
        assigned.deadline.longValueExact(),
        o.fastDelivery(),
        receipt.getTransactionHash(),
        receipt.getBlockNumber().longValueExact());
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
    ErrorCode code =
        switch (e.errorName()) {
          case "UnknownModel" -> ErrorCode.UNKNOWN_MODEL;
          case "LevelNotAllowed" -> ErrorCode.UNSUPPORTED_LEVEL;
          case "FeeTooLow", "NoEligibleNode" -> ErrorCode.NO_ELIGIBLE_NODE;
          case "DeadlinePassed",
              "DeadlineTooFar",
              "InputHashMismatch",
              "CallbackGasTooHigh",
              "CallbackNotContract",
              "FeeTooHigh" ->
              ErrorCode.BAD_INPUT;
          default -> ErrorCode.CHAIN_ERROR;
        };
    String fix =
        switch (e.errorName()) {
          case "FeeTooLow" -> "; raise maxFeeWei to at least " + e.argument("required") + " wei";
          case "DeadlineTooFar" -> "; ask for a shorter deadline";
          case "NoEligibleNode" -> "; no node serves it at this level and price now";
          default -> "";
        };
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
        List<HubEvent> events = VouchContracts.call("reading hub events", () -> watcher.poll());
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
    InferenceHub.Request r =
        VouchContracts.call(
            "reading request " + requestId, () -> contracts.hubView().getRequest(requestId).send());
    int status = r.status.intValue();
    String where =
        "request " + requestId + " on InferenceHub " + contracts.deployment().inferenceHub();
    if (status == 0) {
      throw mismatch(where + " does not exist (another chain or deployment?)");
    }
    if (status == 1) {
      throw mismatch(where + " has no result yet: it is assigned to " + r.node);
    }
    if (status == 4) {
      throw mismatch(where + " was refunded: it has no result");
    }
    check(where, "model id", Bytes32.wrap(r.modelId), modelId);
    check(where, "level", VerificationLevel.fromCode(r.level.intValue()), level);
    check(where, "input hash", Bytes32.wrap(r.inputHash), input.hash());
    check(where, "node", Address.fromHex(r.node), node);
    check(where, "output hash", Bytes32.wrap(r.outputHash), output.hash());
    return status == 3 ? Finality.FINALIZED : Finality.SUBMITTED;
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
    InferenceHub.Request r =
        VouchContracts.call(
            "reading request " + handle.requestId(),
            () -> contracts.hubView().getRequest(handle.requestId()).send());
    return "assigned to " + r.node + " with deadline " + r.deadline + " (chain time)";
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
    return switch (before.state()) {
      case FINALIZED, REFUNDED -> new Settled("none", Optional.empty(), before);
      case SUBMITTED -> {
        if (before.chainTime() < before.finalizableAt()) {
          throw tooEarly(
              "request "
                  + requestId
                  + " has a result whose challenge window is open until chain time "
                  + before.finalizableAt(),
              before.finalizableAt() - before.chainTime(),
              "the result can still be challenged until then");
        }
        InferenceHub hub = contracts.hubAs("settle a request");
        TransactionReceipt r =
            keeperMove(requestId, "finalizing", () -> hub.finalize(requestId).send());
        yield new Settled("finalized", Optional.of(r.getTransactionHash()), record(requestId));
      }
      case ASSIGNED -> {
        // The hub wants block.timestamp > deadline; the next block's time is at least the latest.
        if (before.chainTime() <= before.deadline()) {
          throw tooEarly(
              "request "
                  + requestId
                  + " is assigned to "
                  + before.node()
                  + " until its deadline, chain time "
                  + before.deadline(),
              before.deadline() - before.chainTime() + 1,
              "the node may still deliver");
        }
        InferenceHub hub = contracts.hubAs("settle a request");
        TransactionReceipt r =
            keeperMove(
                requestId,
                "reassigning or refunding",
                () -> hub.reassignOrRefund(requestId).send());
        RequestRecord after = record(requestId);
        yield new Settled(
            after.state() == RequestRecord.State.REFUNDED ? "refunded" : "reassigned",
            Optional.of(r.getTransactionHash()),
            after);
      }
    };
  }

  private static VouchClientException tooEarly(String what, long seconds, String why) {
    return new VouchClientException(
        ErrorCode.TOO_EARLY,
        what + " (in " + seconds + " s of chain time): " + why + "; try again after that");
  }

  private static TransactionReceipt keeperMove(
      BigInteger requestId, String what, java.util.concurrent.Callable<TransactionReceipt> move) {
    try {
      return VouchContracts.call(what + " request " + requestId, move);
    } catch (ContractRevertException e) {
      // Chain time moved between our read and the transaction, or another keeper was first.
      throw new VouchClientException(
          switch (e.errorName()) {
            case "ChallengeWindowOpen", "DeadlineNotReached" -> ErrorCode.TOO_EARLY;
            default -> ErrorCode.CHAIN_ERROR;
          },
          "the hub refused " + what + " request " + requestId + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * The hub's record of request {@code requestId}, with its events.
   *
   * @throws VouchClientException BAD_INPUT when the hub has no such request
   */
  public RequestRecord record(BigInteger requestId) {
    InferenceHub.Request r =
        VouchContracts.call(
            "reading request " + requestId, () -> contracts.hubView().getRequest(requestId).send());
    int status = r.status.intValue();
    if (status == 0) {
      throw new VouchClientException(
          ErrorCode.BAD_INPUT,
          "no request "
              + requestId
              + " on InferenceHub "
              + contracts.deployment().inferenceHub()
              + " (another chain or deployment?); request ids are the numbers vouch infer"
              + " --on-chain prints");
    }
    int maxAttempts =
        VouchContracts.call("reading maxAttempts", () -> contracts.hubView().maxAttempts().send())
            .intValueExact();
    List<RequestRecord.Event> history = new ArrayList<>();
    try (HubEventWatcher watcher =
        new HubEventWatcher(
            contracts.web3j(),
            contracts.deployment().inferenceHub(),
            contracts.deployment().deployedAtBlock())) {
      for (HubEvent e :
          VouchContracts.call(
              "reading the events of request " + requestId,
              () -> watcher.requestEvents(requestId))) {
        history.add(event(e));
      }
    }
    long submittedAt = r.submittedAt.longValueExact();
    return new RequestRecord(
        requestId,
        RequestRecord.State.values()[status - 1],
        Address.fromHex(r.requester),
        Bytes32.wrap(r.modelId),
        VerificationLevel.fromCode(r.level.intValueExact()),
        Address.fromHex(r.node),
        r.deadline.longValueExact(),
        r.attempts.intValueExact(),
        maxAttempts,
        r.maxFee,
        r.nodePrice,
        r.modelFee,
        Bytes32.wrap(r.inputHash),
        Bytes32.wrap(r.outputHash),
        submittedAt == 0 ? 0 : submittedAt + r.challengeWindow.longValueExact(),
        Boolean.TRUE.equals(r.fastDelivery),
        contracts.chainTime(),
        history);
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
