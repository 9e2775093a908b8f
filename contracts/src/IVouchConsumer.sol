// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IVouchConsumer — what a contract implements to receive inference results from the hub.
/// @notice The hub calls these with the gas limit the requester chose, inside try/catch semantics:
/// a callback that reverts or runs out of gas is recorded (event CallbackFailed) and settlement goes
/// on. Check msg.sender == hub. Act only on finalized == true unless you asked for fast delivery and
/// accept that an unfinalized result may still be challenged.
interface IVouchConsumer {
    /// @param output the canonical tensor bytes (keccak256(output) == outputHash), or empty when the
    /// node only posted the hash.
    function onInferenceResult(uint256 requestId, bytes32 outputHash, bytes calldata output, bool finalized)
        external;

    /// @notice The request was refunded (no node delivered in time); the fee is back with the requester.
    function onInferenceError(uint256 requestId, string calldata reason) external;
}
