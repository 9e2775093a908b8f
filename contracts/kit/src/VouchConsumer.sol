// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IVouchInferenceHub, IVouchModelRegistry, IVouchNodeRegistry} from "./IVouchHub.sol";
import {VouchTensor} from "./VouchTensor.sol";

/// @title VouchConsumer — the base of a contract that asks Vouch's InferenceHub for inferences.
/// @notice Inherit it, pass the hub's address to its constructor, request with `_vouchRequest`
/// (your fee) or `_vouchRequestQuoted` (the fee read from the registries), and implement
/// `_onResult` and `_onError`. What the base does for you:
/// - checks at deployment that the address is an InferenceHub (it answers the hub's getters);
/// - checks every input is a canonical tensor or bundle before paying for it (VouchTensor.validate);
/// - accepts callbacks from the hub only (`NotHub`), and only for requests this contract made
///   (`NotOurRequest`): anyone can name any contract as the callback of their own request, so a
///   result the hub delivers is not necessarily an answer to a question you asked;
/// - acts on final results only: `_onResult(…, finalized = true)` once the challenge window is over
///   (VANILLA, ZKML) or at once (TEE). A request made with `fastDelivery` also gets the result when it
///   is submitted, with finalized = false — it can still be challenged — and again when final;
/// - turns a revert with data in `_onResult` (a VouchTensor error on a malformed output, your own
///   require) into a rejection: the request is marked Rejected, `VouchResultRejected` is emitted
///   and `_onRejected` is called, so a bad answer is recorded instead of lost. A revert without data
///   (out of gas, a bare `revert()`) fails the whole callback: the hub records `CallbackFailed` and
///   the request stays Pending. Give the callback enough gas (`_vouchOptions`).
/// Money: fees are paid from this contract's balance (forward msg.value, or hold funds). The hub
/// sends back the unused part of a fee when the request is final, and the whole fee when no node
/// answered (before calling `_onError`); both arrive through `receive()`, with 30,000 gas.
abstract contract VouchConsumer {
    enum RequestStatus {
        None,
        Pending,
        Delivered,
        Rejected,
        Failed
    }

    /// What the base remembers per request (one storage slot).
    struct VouchRequest {
        RequestStatus status;
        bool fastDelivery;
        uint96 fee; // msg.value sent to the hub: the most the request can cost, all of it back on failure
    }

    /// How a request is made; see `_vouchOptions` for the defaults.
    struct RequestOptions {
        uint8 level; // VANILLA 0, TEE 1, ZKML 2 (the model must allow it)
        uint64 timeoutSeconds; // how long the assigned node has (at most the hub's maxDeadlineSeconds)
        uint32 callbackGasLimit; // gas for your _onResult / _onError (at most the hub's maxCallbackGas)
        address preferredNode; // 0: the hub picks (stake-weighted among nodes the fee affords)
        bool fastDelivery; // also deliver the result unfinalized, when it is submitted
    }

    uint8 internal constant VANILLA = 0;
    uint8 internal constant TEE = 1;
    uint8 internal constant ZKML = 2;
    uint64 internal constant DEFAULT_TIMEOUT_SECONDS = 600;
    uint32 internal constant DEFAULT_CALLBACK_GAS = 200_000;

    IVouchInferenceHub public immutable hub;
    IVouchModelRegistry internal immutable vouchModels;
    IVouchNodeRegistry internal immutable vouchNodes;
    uint64 internal immutable hubMaxTimeoutSeconds;
    uint32 internal immutable hubMaxCallbackGas;

    mapping(uint256 => VouchRequest) private _vouchRequests;

    error NotAHub(address hub);
    error NotHub(address caller, address hub);
    error NotOurRequest(uint256 requestId);
    error RequestNotPending(uint256 requestId, RequestStatus status);
    error OnlySelf(address caller);
    error UnknownModel(bytes32 modelId);
    error LevelNotAllowed(bytes32 modelId, uint8 level, uint8 allowedLevels);
    error NoEligibleNode(bytes32 modelId, uint8 level);
    error InsufficientBalance(uint256 fee, uint256 balance);

    /// A final result that `_onResult` refused (reason: its revert data, e.g. a VouchTensor error).
    event VouchResultRejected(uint256 indexed requestId, bytes32 outputHash, bytes reason);

    /// @param hub_ the InferenceHub (`inferenceHub` of the deployment JSON, e.g. .vouch/devnet/deployment.json).
    constructor(address hub_) {
        uint64 maxTimeout = uint64(_hubWord(hub_, IVouchInferenceHub.maxDeadlineSeconds.selector, 64));
        uint32 maxGas = uint32(_hubWord(hub_, IVouchInferenceHub.maxCallbackGas.selector, 32));
        address models_ = address(uint160(_hubWord(hub_, IVouchInferenceHub.models.selector, 160)));
        address nodes_ = address(uint160(_hubWord(hub_, IVouchInferenceHub.nodes.selector, 160)));
        if (models_.code.length == 0 || nodes_.code.length == 0) revert NotAHub(hub_);
        hub = IVouchInferenceHub(hub_);
        vouchModels = IVouchModelRegistry(models_);
        vouchNodes = IVouchNodeRegistry(nodes_);
        hubMaxTimeoutSeconds = maxTimeout;
        hubMaxCallbackGas = maxGas;
    }

    // ====================================================================== hooks

    /// @notice A result for one of your requests: `output` is the canonical output tensor (or
    /// bundle) whose keccak256 the node signed as `outputHash`, empty if the node posted the hash
    /// only. Read it with VouchTensor. Called with finalized = true once, and before that with
    /// finalized = false for requests made with fastDelivery.
    function _onResult(uint256 requestId, bytes32 outputHash, bytes calldata output, bool finalized)
        internal
        virtual;

    /// @notice No node answered in time: the hub refunded the whole fee (`vouchRequest(id).fee`) to
    /// this contract before calling.
    function _onError(uint256 requestId, string calldata reason) internal virtual;

    /// @notice `_onResult` reverted with `reason` for this final result; the request is Rejected.
    function _onRejected(uint256 requestId, bytes32 outputHash, bytes memory reason) internal virtual {}

    /// @notice How `_vouchRequest(modelId, input, fee)` and `_vouchRequestQuoted` request: VANILLA,
    /// 600 s and 200,000 callback gas (each at most what the hub allows), any node, final results
    /// only. Override to change them.
    function _vouchOptions() internal view virtual returns (RequestOptions memory o) {
        o.level = VANILLA;
        o.timeoutSeconds = DEFAULT_TIMEOUT_SECONDS < hubMaxTimeoutSeconds ? DEFAULT_TIMEOUT_SECONDS : hubMaxTimeoutSeconds;
        o.callbackGasLimit = DEFAULT_CALLBACK_GAS < hubMaxCallbackGas ? DEFAULT_CALLBACK_GAS : hubMaxCallbackGas;
    }

    // ====================================================================== requesting

    /// @notice Requests with `fee` wei (the most it may cost; the unused part comes back when final).
    function _vouchRequest(bytes32 modelId, bytes memory input, uint256 fee) internal returns (uint256) {
        return _vouchRequest(modelId, input, fee, _vouchOptions());
    }

    /// @notice Requests with the fee `vouchQuote` reads from the registries (its upper bound: every
    /// eligible node affordable), paid from this contract's balance.
    function _vouchRequestQuoted(bytes32 modelId, bytes memory input) internal returns (uint256 requestId, uint256 fee) {
        RequestOptions memory o = _vouchOptions();
        (, fee) = vouchQuote(modelId, o.level);
        requestId = _vouchRequest(modelId, input, fee, o);
    }

    /// @notice Requests with explicit options. `input` must be a canonical tensor or bundle.
    function _vouchRequest(bytes32 modelId, bytes memory input, uint256 fee, RequestOptions memory o)
        internal
        returns (uint256 requestId)
    {
        VouchTensor.validate(input);
        if (fee > address(this).balance) revert InsufficientBalance(fee, address(this).balance);
        // The hub calls back only after request() has returned, so recording afterwards is safe.
        requestId = hub.request{value: fee}(
            modelId,
            input,
            keccak256(input),
            o.level,
            uint64(block.timestamp) + o.timeoutSeconds,
            o.preferredNode,
            address(this),
            o.callbackGasLimit,
            o.fastDelivery
        );
        _vouchRequests[requestId] =
            VouchRequest({status: RequestStatus.Pending, fastDelivery: o.fastDelivery, fee: uint96(fee)});
    }

    // ====================================================================== views

    /// @notice What a request of `modelId` at `level` costs now: minFee = the model's fee + the
    /// cheapest eligible node's price (the least the hub accepts), maxFee = the model's fee + the
    /// dearest one's (every eligible node affordable; the hub refunds what the assigned node does not
    /// charge). Node prices rise only after the NodeRegistry's priceIncreaseDelay.
    function vouchQuote(bytes32 modelId, uint8 level) public view returns (uint256 minFee, uint256 maxFee) {
        (bool exists,, uint8 levels, uint256 modelFee,) = vouchModels.termsOf(modelId);
        if (!exists) revert UnknownModel(modelId);
        if (level > ZKML || levels & (uint8(1) << level) == 0) revert LevelNotAllowed(modelId, level, levels);
        (,, uint256[] memory prices) = vouchNodes.candidates(modelId, level);
        if (prices.length == 0) revert NoEligibleNode(modelId, level);
        minFee = type(uint256).max;
        for (uint256 i; i < prices.length; ++i) {
            if (prices[i] < minFee) minFee = prices[i];
            if (prices[i] > maxFee) maxFee = prices[i];
        }
        return (modelFee + minFee, modelFee + maxFee);
    }

    /// @notice The model id the registries use: keccak256(abi.encode(name, version)).
    function vouchModelId(string memory name, uint32 version) public pure returns (bytes32) {
        return keccak256(abi.encode(name, version));
    }

    function vouchRequest(uint256 requestId) public view returns (VouchRequest memory) {
        return _vouchRequests[requestId];
    }

    /// @notice Reverts UnknownModel unless the ModelRegistry holds `modelId`.
    function _vouchRequireModel(bytes32 modelId) internal view {
        (bool exists,,,,) = vouchModels.termsOf(modelId);
        if (!exists) revert UnknownModel(modelId);
    }

    // ====================================================================== callbacks (hub only)

    function onInferenceResult(uint256 requestId, bytes32 outputHash, bytes calldata output, bool finalized)
        external
    {
        VouchRequest storage r = _pendingRequest(requestId);
        if (!finalized) {
            if (r.fastDelivery) _onResult(requestId, outputHash, output, false);
            return;
        }
        r.status = RequestStatus.Delivered;
        try this.vouchDeliver(requestId, outputHash, output) {}
        catch (bytes memory reason) {
            if (reason.length == 0) {
                // Out of gas (or a bare revert): fail the callback as a whole; the hub records
                // CallbackFailed and the request stays Pending.
                assembly ("memory-safe") {
                    revert(0, 0)
                }
            }
            r.status = RequestStatus.Rejected;
            emit VouchResultRejected(requestId, outputHash, reason);
            _onRejected(requestId, outputHash, reason);
        }
    }

    function onInferenceError(uint256 requestId, string calldata reason) external {
        VouchRequest storage r = _pendingRequest(requestId);
        r.status = RequestStatus.Failed;
        _onError(requestId, reason);
    }

    /// @dev Runs `_onResult` in its own call frame so that a revert in it can be caught; only this
    /// contract may call it.
    function vouchDeliver(uint256 requestId, bytes32 outputHash, bytes calldata output) external {
        if (msg.sender != address(this)) revert OnlySelf(msg.sender);
        _onResult(requestId, outputHash, output, true);
    }

    /// @notice Fee refunds and unused fees come back from the hub through here.
    receive() external payable virtual {}

    // ====================================================================== internals

    function _pendingRequest(uint256 requestId) private view returns (VouchRequest storage r) {
        if (msg.sender != address(hub)) revert NotHub(msg.sender, address(hub));
        r = _vouchRequests[requestId];
        RequestStatus s = r.status;
        if (s == RequestStatus.None) revert NotOurRequest(requestId);
        if (s != RequestStatus.Pending) revert RequestNotPending(requestId, s);
    }

    /// @dev One word from a getter of the would-be hub, which must answer exactly 32 bytes that fit
    /// in `bits` bits; anything else (not a contract, no such function) is NotAHub.
    function _hubWord(address hub_, bytes4 selector, uint256 bits) private view returns (uint256 v) {
        if (hub_.code.length == 0) revert NotAHub(hub_);
        (bool ok, bytes memory ret) = hub_.staticcall(abi.encodeWithSelector(selector));
        if (!ok || ret.length != 32) revert NotAHub(hub_);
        v = abi.decode(ret, (uint256));
        if (v >> bits != 0) revert NotAHub(hub_);
    }
}
