package io.vouch.sdk.direct;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.VouchClientException;
import io.vouch.sdk.models.PublishedModel;
import io.vouch.sdk.payment.InsufficientDepositException;
import io.vouch.sdk.payment.PaymentChannel;
import io.vouch.sdk.payment.SignedVoucher;
import io.vouch.sdk.plan.InferencePlan;
import io.vouch.sdk.plan.LatencyTracker;
import io.vouch.sdk.plan.NodeCandidate;
import io.vouch.sdk.plan.Planner;
import io.vouch.sdk.registry.NodeRegistryView;
import io.vouch.sdk.verify.ResultVerifier;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The direct path for one request: plan (level and ranked nodes from the registry), call the nodes
 * in order until one answers, verify the answer locally, return it.
 *
 * <p>Which failures move on to the next node: the node is unreachable or timed out ({@code
 * NODE_UNAVAILABLE}), or it answered that it cannot serve this model or level or failed inside
 * ({@code UNKNOWN_MODEL}, {@code UNSUPPORTED_LEVEL}, {@code INTERNAL}) — another node may well
 * serve it. The caller's own mistakes ({@code BAD_INPUT}, {@code PAYLOAD_TOO_LARGE}) stop at once:
 * every node would refuse them. A result that fails verification also stops at once: a node that
 * signs a wrong or foreign receipt is a security event the caller must see, not an outage to route
 * around.
 *
 * <p>Payment: a node that charges answers {@code PAYMENT_REQUIRED} with the price it asks and the
 * voucher total it says it holds from this payer. The client believes neither. Every voucher adds
 * at most the node's price in the on-chain registry, read when the request pays (a price the node
 * asked earlier is remembered, but a decrease since counts at once), and at most this request's
 * {@code maxFeeWei}; a node that asks more is skipped. It continues from a held total above its own
 * book only when the node shows the payer's signature on that voucher ({@link
 * PaymentChannel#resume}). With a {@link PaymentChannel} (a client key and a deposit) it signs a
 * voucher for the agreed price and retries that node while the retry can succeed: the first refusal
 * of a request without a voucher names the price, a later one may prove a higher held voucher or
 * follow a channel the client re-reads; a refusal that changes nothing moves on to the next node. A
 * voucher the node refused, or that was sent to a node that then failed, is taken back ({@link
 * PaymentChannel#refused}): a node that holds it after all proves so on the next request. Without a
 * channel, or if the node still refuses, the client moves on to the next node.
 */
public final class DirectInference {
  private static final Set<ErrorCode> TRY_NEXT =
      EnumSet.of(
          ErrorCode.NODE_UNAVAILABLE,
          ErrorCode.UNKNOWN_MODEL,
          ErrorCode.UNSUPPORTED_LEVEL,
          ErrorCode.INTERNAL);

  private final NodeRegistryView registry;
  private final Planner planner;
  private final LatencyTracker latency;
  private final NodeTransport transport;
  private final ResultVerifier verifier;
  private final Optional<PaymentChannel> payments;
  private final SecureRandom random = new SecureRandom();

  /** Nodes known to charge, with the price per request they asked for. */
  private final Map<Address, BigInteger> prices = new ConcurrentHashMap<>();

  public DirectInference(
      NodeRegistryView registry,
      LatencyTracker latency,
      NodeTransport transport,
      ResultVerifier verifier) {
    this(registry, latency, transport, verifier, Optional.empty());
  }

  public DirectInference(
      NodeRegistryView registry,
      LatencyTracker latency,
      NodeTransport transport,
      ResultVerifier verifier,
      Optional<PaymentChannel> payments) {
    this(registry, new Planner(latency), latency, transport, verifier, payments);
  }

  public DirectInference(
      NodeRegistryView registry,
      Planner planner,
      LatencyTracker latency,
      NodeTransport transport,
      ResultVerifier verifier,
      Optional<PaymentChannel> payments) {
    this.payments = payments;
    this.registry = registry;
    this.planner = planner;
    this.latency = latency;
    this.transport = transport;
    this.verifier = verifier;
  }

  public InferenceOutcome run(PublishedModel model, NamedTensors input, Requirements req) {
    return run(plan(model, req), input);
  }

  /** The level and the nodes {@link #run(InferencePlan, NamedTensors)} would use, and why. */
  public InferencePlan plan(PublishedModel model, Requirements req) {
    List<VerificationLevel> wanted = new ArrayList<>();
    for (VerificationLevel l : VerificationLevel.values()) {
      if (l.atLeast(req.minLevel()) && model.allows(l)) {
        wanted.add(l);
      }
    }
    List<NodeCandidate> candidates = registry.candidates(model.modelId(), wanted);
    return new InferencePlan(
        model, req, planner.plan(req, model.levels(), model.feeWei(), candidates));
  }

  /** Runs a plan: its nodes in order until one answers, the answer verified. */
  public InferenceOutcome run(InferencePlan planned, NamedTensors input) {
    PublishedModel model = planned.model();
    Requirements req = planned.requirements();
    Planner.Plan plan = planned.route();
    Bytes32 requestId = newRequestId();
    List<String> failures = new ArrayList<>();
    InsufficientDepositException unpaid = null;
    int unpaidNodes = 0;
    for (NodeCandidate node : plan.nodes()) {
      long t0 = System.nanoTime();
      InferenceOutcome answer;
      try {
        answer = inferPaying(node, model, input, plan.level(), requestId, req);
      } catch (InsufficientDepositException e) {
        // This node's channel cannot take another voucher and the free deposit cannot top it up
        // (it went to another node's channel): a node whose channel still holds enough is as good.
        unpaid = unpaid == null ? e : unpaid;
        unpaidNodes++;
        failures.add(node.address() + " at " + node.endpoint() + ": " + e.getMessage());
        continue;
      } catch (PaymentRequiredException e) {
        failures.add(
            node.address()
                + " at "
                + node.endpoint()
                + ": "
                + e.getMessage()
                + (payments.isEmpty()
                    ? " (to pay, give VouchConfig a key and deposit with payments().deposit)"
                    : ""));
        continue;
      } catch (VouchClientException e) {
        latency.failure(node.address());
        if (!TRY_NEXT.contains(e.code())) {
          throw e;
        }
        failures.add(node.address() + " at " + node.endpoint() + ": " + e.getMessage());
        continue;
      }
      latency.success(node.address(), Duration.ofNanos(System.nanoTime() - t0));
      InferenceOutcome verified = verifier.verify(answer, requestId, model.modelId());
      if (verified.level() != plan.level()) {
        throw new VouchClientException(
            ErrorCode.VERIFICATION_FAILED,
            "asked node "
                + node.address()
                + " for a "
                + plan.level()
                + " result but it answered at "
                + verified.level());
      }
      if (!verified.node().equals(node.address())) {
        throw new VouchClientException(
            ErrorCode.VERIFICATION_FAILED,
            "asked node "
                + node.address()
                + " at "
                + node.endpoint()
                + " but the receipt is signed by "
                + verified.node()
                + "; the endpoint does not belong to the node registered for it");
      }
      return verified;
    }
    if (unpaid != null && unpaidNodes == failures.size()) {
      // Every node failed for want of deposit: that is the caller's to fix, not a retry's.
      throw unpaid;
    }
    throw new VouchClientException(
        ErrorCode.NODE_UNAVAILABLE,
        "no node answered for "
            + model.ref()
            + " at "
            + plan.level()
            + " ("
            + failures.size()
            + " tried): "
            + String.join("; ", failures)
            + ". Try again later or lower the requirements to widen the choice of nodes.");
  }

  /**
   * One node's answer, paying with vouchers when it charges and the client can pay. Every voucher
   * adds at most the node's registered price now (read once per request, before the first voucher:
   * a node that lowered its price since it last asked is paid the lower one) and at most this
   * request's fee limit.
   */
  private InferenceOutcome inferPaying(
      NodeCandidate node,
      PublishedModel model,
      NamedTensors input,
      VerificationLevel level,
      Bytes32 requestId,
      Requirements req) {
    BigInteger registeredNow = null;
    for (int attempt = 0; ; attempt++) {
      Optional<SignedVoucher> voucher = Optional.empty();
      BigInteger asked = prices.get(node.address());
      BigInteger price = null;
      if (payments.isPresent() && asked != null && asked.signum() > 0) {
        if (registeredNow == null) {
          registeredNow = registry.priceNow(node.address());
        }
        price = payable(node, req, asked, registeredNow);
        if (price.signum() > 0) {
          voucher = Optional.of(payments.get().voucherFor(node.address(), price));
        }
      }
      BigInteger added = price;
      try {
        return transport.infer(
            node.endpoint(),
            model.modelId().toHex(),
            input,
            level,
            requestId,
            req.maxLatency(),
            voucher);
      } catch (PaymentRequiredException e) {
        voucher.ifPresent(v -> payments.get().refused(v, added));
        if (payments.isEmpty() || attempt >= 2 || !e.node().equals(node.address())) {
          throw e;
        }
        if (registeredNow == null) {
          registeredNow = registry.priceNow(node.address());
        }
        BigInteger agreed = agreedPrice(node, req, e, registeredNow);
        boolean retry = added == null || !agreed.equals(added);
        prices.put(node.address(), agreed);
        PaymentChannel pay = payments.get();
        if (e.heldVoucher().isPresent()) {
          var held = e.heldVoucher().get();
          retry |= pay.resume(node.address(), held.cumulativeAmount(), held.signature());
        }
        if (!retry && voucher.isPresent()) {
          retry = pay.refresh(node.address());
        }
        if (!retry) {
          throw e;
        }
      } catch (RuntimeException e) {
        voucher.ifPresent(v -> payments.get().refused(v, added));
        throw e;
      }
    }
  }

  /**
   * What a voucher to {@code node} adds for this request: the price it asked before, unless its
   * registered price is lower now; never above the request's fee limit (another node may be within
   * it: the caller moves on).
   */
  private static BigInteger payable(
      NodeCandidate node, Requirements req, BigInteger asked, BigInteger registeredNow) {
    BigInteger price = asked.min(registeredNow);
    if (price.compareTo(req.maxFeeWei()) > 0) {
      throw new PaymentRequiredException(
          "node "
              + node.address()
              + " at "
              + node.endpoint()
              + " charges "
              + price
              + " wei per request, above this request's fee limit of "
              + req.maxFeeWei()
              + " wei; raise maxFeeWei or let a cheaper node serve it",
          price,
          BigInteger.ZERO,
          Optional.empty(),
          node.address());
    }
    return price;
  }

  /**
   * What the client pays {@code node} per request: the price the node asks, at most its price in
   * the on-chain registry now and never above the caller's fee limit. A node asking for more is
   * refused.
   */
  private static BigInteger agreedPrice(
      NodeCandidate node, Requirements req, PaymentRequiredException e, BigInteger registered) {
    if (e.priceWei().compareTo(registered) > 0) {
      throw new PaymentRequiredException(
          "node "
              + node.address()
              + " at "
              + node.endpoint()
              + " asks "
              + e.priceWei()
              + " wei per request but its registered price is "
              + registered
              + " wei; the client never pays more than the registered price",
          e.priceWei(),
          e.heldCumulative(),
          e.heldVoucher(),
          e.node());
    }
    BigInteger agreed = e.priceWei();
    if (agreed.compareTo(req.maxFeeWei()) > 0) {
      throw new PaymentRequiredException(
          "node "
              + node.address()
              + " asks "
              + agreed
              + " wei per request, above the fee limit of "
              + req.maxFeeWei()
              + " wei",
          e.priceWei(),
          e.heldCumulative(),
          e.heldVoucher(),
          e.node());
    }
    return agreed;
  }

  /** Direct requests are named by the client: random, so that receipts never collide. */
  private Bytes32 newRequestId() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Bytes32.wrap(b);
  }
}
