// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {VouchConsumer} from "../src/VouchConsumer.sol";
import {VouchTensor} from "../src/VouchTensor.sol";

/// @title VoiceActivityConsumer — a recurrent model with several inputs, its state kept on chain.
/// @notice For models shaped like the voice-activity detectors users bring (Silero VAD's names):
/// three inputs `input` float32 [1, frameLength] (one audio frame), `state` float32
/// [2, 1, stateWidth] (what the model carries from frame to frame) and `sr` int64 scalar (the sample
/// rate), two outputs `output` (the speech probability, float32) and `stateN` (the next state, same
/// shape as `state`). Each `step(frame)` sends the frame with the state the last answer left, as one
/// bundle of named tensors (VouchTensor.encodeBundle); the callback reads both outputs by name,
/// keeps `stateN` as the next state and records the probability. One step is in flight at a time:
/// the next frame needs the state this one returns. A refused or failed step leaves the state as it
/// was; its fee (when refunded) goes back to the asker through `withdrawRefund`. Unused fee
/// remainders stay with the contract for its operator (`withdrawSurplus`).
/// Gas: the callback copies the state into storage (one slot per 32 bytes); give it
/// `callbackGas` (constructor) to match the model's state. A large state (Silero's [2, 1, 128]:
/// some 700,000 gas, above a devnet hub's maxCallbackGas of 500,000) is better kept as a hash,
/// emitted in an event and sent back by the asker with the next frame (README, "A model with
/// several inputs").
contract VoiceActivityConsumer is VouchConsumer {
    using VouchTensor for VouchTensor.Tensor;

    bytes32 public immutable modelId;
    uint256 public immutable frameLength;
    uint256 public immutable stateWidth;
    int64 public immutable sampleRate;
    uint32 private immutable callbackGas;
    address public immutable operator;

    /// The `state` input of the next step: the canonical float32 [2, 1, stateWidth] tensor (zeros at
    /// first, then each answer's `stateN`).
    bytes public state;
    /// The request of the step in flight, 0 when none is.
    uint256 public pendingStep;
    /// Answered steps, and the last one's speech probability (float32 bits; see `probability`).
    uint256 public steps;
    uint32 public lastOutputBits;

    mapping(uint256 => address) public askerOf;
    mapping(address => uint256) public refundOf;
    uint256 public refundsOwed;

    error StepInFlight(uint256 requestId);
    error FrameLengthMismatch(uint256 expected, uint256 actual);
    error StateShapeMismatch();
    error NotOperator(address caller);
    error NothingToRefund(address asker);
    error TransferFailed(address to, uint256 amount);

    event Stepped(uint256 indexed requestId, uint256 step, uint32 outputBits, bytes32 outputHash);
    event StepFailed(uint256 indexed requestId, bytes reason);

    /// @param hub_ the InferenceHub (`inferenceHub` in .vouch/devnet/deployment.json)
    /// @param modelName, modelVersion the model, as published (`vouch model list`)
    /// @param frameLength_, stateWidth_ the last dimension of `input` and of `state`
    /// @param sampleRate_ the `sr` input, e.g. 16000
    /// @param callbackGas_ gas for the callback (0: the kit's default, 200,000)
    constructor(
        address hub_,
        string memory modelName,
        uint32 modelVersion,
        uint256 frameLength_,
        uint256 stateWidth_,
        int64 sampleRate_,
        uint32 callbackGas_
    ) VouchConsumer(hub_) {
        modelId = vouchModelId(modelName, modelVersion);
        _vouchRequireModel(modelId);
        frameLength = frameLength_;
        stateWidth = stateWidth_;
        sampleRate = sampleRate_;
        callbackGas = callbackGas_;
        operator = msg.sender;
        state = VouchTensor.encodeFloat32(VouchTensor.dims(2, 1, stateWidth_), new uint32[](2 * stateWidth_));
    }

    /// @notice What to send with `step`: the model's fee plus the highest price of an eligible node.
    function fee() external view returns (uint256 maxFee) {
        (, maxFee) = vouchQuote(modelId, VANILLA);
    }

    /// @notice Sends one frame (float32 bit patterns, `frameLength` of them) with the current state;
    /// msg.value is the most it may cost.
    function step(uint32[] calldata frame) external payable returns (uint256 requestId) {
        if (pendingStep != 0) revert StepInFlight(pendingStep);
        if (frame.length != frameLength) revert FrameLengthMismatch(frameLength, frame.length);
        requestId = _vouchRequest(modelId, stepInput(frame), msg.value);
        pendingStep = requestId;
        askerOf[requestId] = msg.sender;
    }

    /// @notice The bundle `step(frame)` sends now: {input, sr, state}, sorted by name.
    function stepInput(uint32[] calldata frame) public view returns (bytes memory) {
        string[] memory names = new string[](3);
        bytes[] memory tensors = new bytes[](3);
        names[0] = "input";
        tensors[0] = VouchTensor.encodeFloat32(VouchTensor.dims(1, frame.length), frame);
        names[1] = "state";
        tensors[1] = state;
        int64[] memory sr = new int64[](1);
        sr[0] = sampleRate;
        names[2] = "sr";
        tensors[2] = VouchTensor.encodeInt64(VouchTensor.dims(), sr);
        return VouchTensor.encodeBundle(names, tensors);
    }

    /// @notice The last speech probability × 10^decimals, toward zero (e.g. 6 decimals: millionths).
    function probability(uint256 decimals) external view returns (int256) {
        return VouchTensor.float32ToFixed(lastOutputBits, decimals);
    }

    function withdrawRefund() external {
        uint256 amount = refundOf[msg.sender];
        if (amount == 0) revert NothingToRefund(msg.sender);
        refundOf[msg.sender] = 0;
        refundsOwed -= amount;
        _send(msg.sender, amount);
    }

    function withdrawSurplus(address to) external {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        _send(to, address(this).balance - refundsOwed);
    }

    function _vouchOptions() internal view override returns (RequestOptions memory o) {
        o = super._vouchOptions();
        if (callbackGas != 0) o.callbackGasLimit = callbackGas < hubMaxCallbackGas ? callbackGas : hubMaxCallbackGas;
    }

    /// A final answer: both outputs read by name from the output bundle. A malformed bundle, a
    /// missing output or a state of another shape reverts, and the base records the step as Rejected.
    function _onResult(uint256 requestId, bytes32 outputHash, bytes calldata output, bool) internal override {
        VouchTensor.Tensor memory probabilityOut = VouchTensor.named(output, "output");
        VouchTensor.Tensor memory next = VouchTensor.named(output, "stateN");
        if (next.rank != 3 || next.dim(0) != 2 || next.dim(1) != 1 || next.dim(2) != stateWidth) {
            revert StateShapeMismatch();
        }
        uint32 bits = probabilityOut.float32BitsAt(0);
        next.float32BitsAt(0); // checks the dtype: the next state must be float32, as the first
        state = next.toBytes();
        lastOutputBits = bits;
        steps += 1;
        pendingStep = 0;
        emit Stepped(requestId, steps, bits, outputHash);
    }

    /// The answer was refused (see _onResult): the state stays, the next frame may be sent.
    function _onRejected(uint256 requestId, bytes32, bytes memory reason) internal override {
        pendingStep = 0;
        emit StepFailed(requestId, reason);
    }

    /// No node answered: the hub refunded the whole fee to this contract; it is the asker's.
    function _onError(uint256 requestId, string calldata reason) internal override {
        pendingStep = 0;
        uint256 refund = vouchRequest(requestId).fee;
        refundOf[askerOf[requestId]] += refund;
        refundsOwed += refund;
        emit StepFailed(requestId, bytes(reason));
    }

    function _send(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }
}
