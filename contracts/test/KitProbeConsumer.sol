// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {VouchConsumer} from "../kit/src/VouchConsumer.sol";
import {VouchTensor} from "../kit/src/VouchTensor.sol";

/// @title KitProbeConsumer — a VouchConsumer whose hooks record every call, for the Java tests of
/// the base contract (never shipped): fast delivery, a hook that reverts with or without data, the
/// quoted fee paid from the contract's balance, and a new request opened from inside the callback.
contract KitProbeConsumer is VouchConsumer {
    uint8 public constant RECORD = 0;
    uint8 public constant REVERT_WITH_REASON = 1;
    uint8 public constant BURN_GAS = 2;
    uint8 public constant ASK_AGAIN = 3; // opens a new request (quoted fee) from _onResult

    bytes32 public immutable modelId;
    uint8 public mode;
    bool public fastDelivery;
    uint32 public callbackGas;

    uint256 public results;
    uint256 public unfinalizedResults;
    uint256 public errors;
    uint256 public rejections;
    uint256 public lastRequestId;
    bytes32 public lastOutputHash;
    bytes public lastOutput;
    string public lastError;
    bytes public lastRejection;
    uint256 public followUpRequestId;

    error Refused(uint256 requestId);

    constructor(address hub_, bytes32 modelId_) VouchConsumer(hub_) {
        modelId = modelId_;
        callbackGas = DEFAULT_CALLBACK_GAS;
    }

    function configure(uint8 mode_, bool fastDelivery_, uint32 callbackGas_) external {
        (mode, fastDelivery, callbackGas) = (mode_, fastDelivery_, callbackGas_);
    }

    function request(bytes calldata input) external payable returns (uint256) {
        return _vouchRequest(modelId, input, msg.value);
    }

    function requestQuoted(bytes calldata input) external returns (uint256 requestId, uint256 fee) {
        return _vouchRequestQuoted(modelId, input);
    }

    function quote() external view returns (uint256 minFee, uint256 maxFee) {
        return vouchQuote(modelId, VANILLA);
    }

    function _vouchOptions() internal view override returns (RequestOptions memory o) {
        o = super._vouchOptions();
        o.fastDelivery = fastDelivery;
        o.callbackGasLimit = callbackGas;
    }

    function _onResult(uint256 requestId, bytes32 outputHash, bytes calldata output, bool finalized)
        internal
        override
    {
        if (!finalized) {
            unfinalizedResults += 1;
            return;
        }
        if (mode == REVERT_WITH_REASON) revert Refused(requestId);
        if (mode == BURN_GAS) {
            uint256 x;
            while (gasleft() > 0) {
                x = uint256(keccak256(abi.encode(x)));
            }
        }
        results += 1;
        lastRequestId = requestId;
        lastOutputHash = outputHash;
        lastOutput = output;
        if (mode == ASK_AGAIN) {
            mode = RECORD;
            (followUpRequestId,) = _vouchRequestQuoted(modelId, output.length != 0 ? output : bytes(hex"0100"));
        }
    }

    function _onError(uint256 requestId, string calldata reason) internal override {
        errors += 1;
        lastRequestId = requestId;
        lastError = reason;
    }

    function _onRejected(uint256 requestId, bytes32, bytes memory reason) internal override {
        rejections += 1;
        lastRequestId = requestId;
        lastRejection = reason;
    }
}
