package io.vouch.sdk;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.evidence.NodeDirectory;
import io.vouch.sdk.models.ModelsApi;
import io.vouch.sdk.onchain.Finality;
import io.vouch.sdk.onchain.OnChainOptions;
import io.vouch.sdk.onchain.OnChainRequest;
import io.vouch.sdk.onchain.OnChainResult;
import io.vouch.sdk.onchain.OnChainVerification;
import io.vouch.sdk.onchain.RequestRecord;
import io.vouch.sdk.onchain.Settled;
import io.vouch.sdk.payment.PaymentChannel;
import io.vouch.sdk.plan.InferencePlan;
import io.vouch.sdk.plan.NodeCandidate;
import io.vouch.sdk.registry.NodeOffer;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The Vouch SDK: publish models, run verified inferences (directly against nodes, or through the
 * InferenceHub contract), pay for them, and check results obtained elsewhere.
 *
 * <pre>{@code
 * try (VouchClient vouch = VouchClient.connect(VouchConfig.of(rpc, deployment).withKey(key))) {
 *   InferenceOutcome r = vouch.infer("intent@1", input, Requirements.defaults());
 *   r.output(); // verified: hashes, ids, domain, signature of a staked node
 * }
 * }</pre>
 *
 * <p>Thread-safe. Every failure is a {@link VouchClientException} (or one of its subclasses in this
 * package) whose {@code code()} says what kind and whose message says what to do.
 */
public interface VouchClient extends AutoCloseable {

  /** Connects to the chain (checking its id against the deployment) and the hubs. */
  static VouchClient connect(VouchConfig config) {
    return DefaultVouchClient.connect(config, null);
  }

  /**
   * As {@link #connect(VouchConfig)}, reaching nodes through {@code transport} (inferences and
   * proof fetches; web3j's {@code Web3j.build(service)} pattern). The client closes it on close.
   */
  static VouchClient connect(VouchConfig config, io.vouch.sdk.direct.NodeTransport transport) {
    return DefaultVouchClient.connect(
        config, java.util.Objects.requireNonNull(transport, "transport"));
  }

  /** Push, list and show models. */
  ModelsApi models();

  /** The eligible nodes for a model (name@version, 0x id, or name) at one level, unranked. */
  List<NodeCandidate> candidates(String modelRef, VerificationLevel level);

  /** Whether an address is a registered node with its stake at risk, read from the chain. */
  NodeDirectory nodeDirectory();

  /**
   * What the nodes serving a model offer: for each node eligible at a level the model allows, those
   * levels, its price per request now and any announced increase, its stake and endpoint. Read from
   * the NodeRegistry, not cached.
   */
  List<NodeOffer> offers(String modelRef);

  /**
   * What {@link #infer(String, NamedTensors, Requirements)} would do, without doing it: the level
   * and the nodes in the order they would be tried, and why (the planner's rules: {@link
   * io.vouch.sdk.plan.Planner}). Run it with {@link #infer(InferencePlan, NamedTensors)}.
   *
   * @throws VouchClientException UNSUPPORTED_LEVEL when the model allows no level as strong as
   *     asked, NO_ELIGIBLE_NODE when no node meets the requirements (the message says why per
   *     level)
   */
  InferencePlan plan(String modelRef, Requirements requirements);

  /**
   * Runs a plan from {@link #plan}: its nodes in order until one answers (fallback as for {@link
   * #infer(String, NamedTensors, Requirements)}), the answer verified locally.
   */
  InferenceOutcome infer(InferencePlan plan, NamedTensors inputs);

  /**
   * Runs {@code modelRef} on {@code input} on the direct path: plans a level and ranked nodes from
   * the registry, tries them in order (falling back when a node is down), and returns the first
   * answer after verifying it locally.
   *
   * @throws VouchClientException NO_ELIGIBLE_NODE when no node meets the requirements (the message
   *     lists why for each level), NODE_UNAVAILABLE when none answered, VERIFICATION_FAILED when an
   *     answer did not verify
   */
  default InferenceOutcome infer(String modelRef, Tensor input, Requirements requirements) {
    return infer(modelRef, NamedTensors.lone(input), requirements);
  }

  /**
   * Runs a model on its inputs by name (a model with several inputs: each by the name the model
   * declares; {@code vouch model show REF} lists them), otherwise as {@link #infer(String, Tensor,
   * Requirements)}. The outcome carries every output by name.
   */
  InferenceOutcome infer(String modelRef, NamedTensors inputs, Requirements requirements);

  /** {@link #infer} on the client's executor. */
  default CompletableFuture<InferenceOutcome> inferAsync(
      String modelRef, Tensor input, Requirements requirements) {
    return inferAsync(modelRef, NamedTensors.lone(input), requirements);
  }

  /** {@link #infer(String, NamedTensors, Requirements)} on the client's executor. */
  CompletableFuture<InferenceOutcome> inferAsync(
      String modelRef, NamedTensors inputs, Requirements requirements);

  /**
   * Checks a result obtained elsewhere: it must be signed in this deployment's domain by a
   * registered, staked node (TEE: by an active enclave key of that node, whose attestation document
   * verifies as {@code VouchConfig.teeTrust} says), over the tensors it carries, for a published
   * model that allows its level.
   */
  InferenceOutcome verify(InferenceOutcome outcome);

  /**
   * Checks an on-chain result obtained elsewhere (e.g. printed by {@code vouch infer --on-chain
   * --json}) against the hub's record of its request: model, level, input hash, node and output
   * hash must match what the hub accepted.
   *
   * @return how final the result is on chain
   * @throws VouchClientException VERIFICATION_FAILED when it does not match or has no result
   */
  Finality verifyOnChain(
      BigInteger requestId,
      Bytes32 modelId,
      VerificationLevel level,
      NamedTensors inputs,
      NamedTensors outputs,
      Address node);

  /** {@link #verifyOnChain} for a model with one input and one output. */
  default Finality verifyOnChain(
      BigInteger requestId,
      Bytes32 modelId,
      VerificationLevel level,
      Tensor input,
      Tensor output,
      Address node) {
    return verifyOnChain(
        requestId, modelId, level, NamedTensors.lone(input), NamedTensors.lone(output), node);
  }

  /** The payer's deposit and voucher book (needs a key). */
  PaymentChannel payments();

  /** Sends an on-chain request with {@code options.maxFeeWei()} escrowed (needs a key). */
  default OnChainRequest inferOnChain(String modelRef, Tensor input, OnChainOptions options) {
    return inferOnChain(modelRef, NamedTensors.lone(input), options);
  }

  /**
   * Sends an on-chain request for a model's inputs by name: the input bytes on chain are their
   * bundle encoding ({@link NamedTensors#canonicalBytes()}; one tensor's own encoding for a model
   * that takes one).
   */
  OnChainRequest inferOnChain(String modelRef, NamedTensors inputs, OnChainOptions options);

  /**
   * Waits for an on-chain result: until it is submitted when the request asked for fast delivery,
   * else until it is finalized.
   *
   * @throws RequestRefundedException when the hub refunded the request
   */
  default OnChainResult awaitResult(OnChainRequest request, Duration timeout) {
    return awaitResult(
        request, request.fastDelivery() ? Finality.SUBMITTED : Finality.FINALIZED, timeout);
  }

  /**
   * Waits until the request reaches at least {@code finality}. A ZKML result's proof and a TEE
   * result's enclave receipt are then checked by this client ({@link
   * OnChainResult#proofVerification()}), and how the chain verified it is read ({@link
   * OnChainResult#verification()}: the committee's verdicts and quorum, the audit lottery).
   *
   * @throws VouchClientException VERIFICATION_FAILED when that check fails
   */
  OnChainResult awaitResult(OnChainRequest request, Finality finality, Duration timeout);

  /**
   * Moves an on-chain request on as a keeper would: finalizes it after its challenge window, or
   * reassigns/refunds it after its deadline. Returns what happened.
   */
  String settle(OnChainRequest request);

  /**
   * The hub's record of on-chain request {@code requestId}, as anyone can read it: state, assigned
   * node, deadline, fees, output hash, finality and the transactions that moved it.
   *
   * @throws VouchClientException BAD_INPUT when the hub has no such request
   */
  RequestRecord request(BigInteger requestId);

  /**
   * How on-chain request {@code requestId}'s result was verified on chain: the VerificationCourt's
   * case of each submission (audit lottery, committee, verdicts cast, quorum, state), or that the
   * request was not routed through the court. Reads only; no key needed.
   *
   * @throws VouchClientException BAD_INPUT when the hub has no such request
   */
  OnChainVerification verification(BigInteger requestId);

  /**
   * {@link #settle(OnChainRequest)} for a request known by its id: finalizes a submitted result
   * after its challenge window, reassigns or (when no node or attempt is left) refunds an assigned
   * request after its deadline; does nothing to a settled one. Needs a key (it sends the
   * transaction; anyone may).
   *
   * @throws VouchClientException TOO_EARLY before the deadline or the end of the window (the
   *     message says when)
   */
  Settled settle(BigInteger requestId);

  /** The client's address, when it has a key. */
  Optional<Address> address();

  /** Stops the async executor and the HTTP clients; the chain connection is shut down. */
  @Override
  void close();
}
