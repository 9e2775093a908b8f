// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {InferenceHub} from "../src/InferenceHub.sol";
import {IVouchConsumer} from "../src/IVouchConsumer.sol";

/// @title ScriptedConsumer — a test requester whose callbacks record, revert or burn all their gas,
/// and which can refuse ETH, to show that none of these blocks the hub's settlement.
contract ScriptedConsumer is IVouchConsumer {
    uint8 public constant RECORD = 0;
    uint8 public constant REVERT = 1;
    uint8 public constant BURN_GAS = 2;

    InferenceHub public immutable hub;
    uint8 public mode;
    bool public refuseEth;

    uint256 public resultCalls;
    uint256 public errorCalls;
    uint256 public lastRequestId;
    bytes32 public lastOutputHash;
    bytes public lastOutput;
    bool public lastFinalized;
    string public lastError;

    error Scripted();

    constructor(InferenceHub hub_) {
        hub = hub_;
    }

    function setMode(uint8 mode_, bool refuseEth_) external {
        mode = mode_;
        refuseEth = refuseEth_;
    }

    function request(bytes32 modelId, bytes calldata input, uint64 deadline, uint32 callbackGasLimit, bool fast)
        external
        payable
        returns (uint256)
    {
        return hub.request{value: msg.value}(
            modelId, input, keccak256(input), 0, deadline, address(0), address(this), callbackGasLimit, fast
        );
    }

    /// A request at `level` to `preferredNode` (the TEE tests need both).
    function requestAt(
        bytes32 modelId,
        bytes calldata input,
        uint8 level,
        uint64 deadline,
        address preferredNode,
        uint32 callbackGasLimit,
        bool fast
    ) external payable returns (uint256) {
        return hub.request{value: msg.value}(
            modelId, input, keccak256(input), level, deadline, preferredNode, address(this), callbackGasLimit, fast
        );
    }

    function onInferenceResult(uint256 requestId, bytes32 outputHash, bytes calldata output, bool finalized)
        external
    {
        _act();
        resultCalls += 1;
        lastRequestId = requestId;
        lastOutputHash = outputHash;
        lastOutput = output;
        lastFinalized = finalized;
    }

    function onInferenceError(uint256 requestId, string calldata reason) external {
        _act();
        errorCalls += 1;
        lastRequestId = requestId;
        lastError = reason;
    }

    function claimFromHub() external {
        hub.claim();
    }

    receive() external payable {
        if (refuseEth) revert Scripted();
    }

    function _act() private view {
        if (mode == REVERT) revert Scripted();
        if (mode == BURN_GAS) {
            uint256 x;
            while (gasleft() > 0) {
                x = uint256(keccak256(abi.encode(x)));
            }
        }
    }
}
