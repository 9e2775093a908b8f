// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {VouchConsumer} from "../src/VouchConsumer.sol";
import {VouchTensor} from "../src/VouchTensor.sol";

/// @title ExampleConsumer — a classifier on chain, built from the Vouch consumer kit.
/// @notice Anyone asks a model for the class of an input and pays the fee with msg.value (see
/// `fee()`); once the result is final the contract records the argmax of the model's logits (float32
/// or int32; for a model with several outputs, the output named `outputName`). When no node answers,
/// the fee comes back and the asker takes it with `withdrawRefund()`; an answer that is not a usable
/// tensor is recorded as rejected (the node was paid for a valid, signed but useless answer). Unused
/// fee remainders stay with the contract for its operator (`withdrawSurplus`).
/// Copy it as the start of your own consumer: the parts that are yours are `ask` (what to send and
/// who pays) and `_onResult` / `_onError` (what to do with the answer).
contract ExampleConsumer is VouchConsumer {
    using VouchTensor for VouchTensor.Tensor;

    struct Question {
        address asker;
        uint32 label; // valid once vouchRequest(id).status == Delivered
    }

    bytes32 public immutable modelId;
    address public immutable operator;
    /// The output tensor to read when the model has several ("" for a model with one output).
    string public outputName;

    mapping(uint256 => Question) public questions;
    mapping(address => uint256) public refundOf;
    uint256 public refundsOwed;

    error NotOperator(address caller);
    error NothingToRefund(address asker);
    error TransferFailed(address to, uint256 amount);

    event Asked(uint256 indexed requestId, address indexed asker, uint256 fee);
    event Answered(uint256 indexed requestId, uint256 label, bytes32 outputHash);
    event Failed(uint256 indexed requestId, string reason, uint256 refund);

    /// @param hub_ the InferenceHub (`inferenceHub` in .vouch/devnet/deployment.json)
    /// @param modelName, modelVersion the model to ask, as published (`vouch model list`)
    /// @param outputName_ the output tensor holding the logits, or "" for a model with one output
    constructor(address hub_, string memory modelName, uint32 modelVersion, string memory outputName_)
        VouchConsumer(hub_)
    {
        modelId = vouchModelId(modelName, modelVersion);
        _vouchRequireModel(modelId);
        operator = msg.sender;
        outputName = outputName_;
    }

    /// @notice What to send with `ask`: the model's fee plus the highest price of an eligible node
    /// (what the assigned node does not charge stays with the contract, see withdrawSurplus).
    function fee() external view returns (uint256 maxFee) {
        (, maxFee) = vouchQuote(modelId, VANILLA);
    }

    /// @notice Asks for the class of `input`, the canonical input tensor (or bundle of named inputs)
    /// that e.g. the SDK's featurizer computed; msg.value is the most it may cost.
    function ask(bytes calldata input) external payable returns (uint256 requestId) {
        return _ask(input);
    }

    /// @notice Like `ask`, with the input built on chain: integer features as a float32 [1, n] tensor.
    function askFeatures(int256[] calldata features) external payable returns (uint256 requestId) {
        uint32[] memory bits = new uint32[](features.length);
        for (uint256 i; i < features.length; ++i) {
            bits[i] = VouchTensor.float32FromInt(features[i]);
        }
        return _ask(VouchTensor.encodeFloat32(VouchTensor.dims(1, features.length), bits));
    }

    /// @notice The answer to a question: its status (Pending, Delivered, Rejected, Failed) and, once
    /// Delivered, the class the model chose.
    function answer(uint256 requestId) external view returns (RequestStatus status, uint256 label) {
        return (vouchRequest(requestId).status, questions[requestId].label);
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

    function _ask(bytes memory input) private returns (uint256 requestId) {
        requestId = _vouchRequest(modelId, input, msg.value);
        questions[requestId] = Question({asker: msg.sender, label: 0});
        emit Asked(requestId, msg.sender, msg.value);
    }

    /// A final result: the logits' argmax. A malformed output, a NaN or another dtype reverts in
    /// VouchTensor, and the base records the request as Rejected with that error.
    function _onResult(uint256 requestId, bytes32 outputHash, bytes calldata output, bool) internal override {
        VouchTensor.Tensor memory logits =
            bytes(outputName).length == 0 ? VouchTensor.decode(output) : VouchTensor.named(output, outputName);
        uint256 label = logits.argmax();
        questions[requestId].label = uint32(label);
        emit Answered(requestId, label, outputHash);
    }

    /// No node answered: the hub has refunded the whole fee to this contract; it is the asker's.
    function _onError(uint256 requestId, string calldata reason) internal override {
        uint256 refund = vouchRequest(requestId).fee;
        refundOf[questions[requestId].asker] += refund;
        refundsOwed += refund;
        emit Failed(requestId, reason, refund);
    }

    function _send(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }
}
