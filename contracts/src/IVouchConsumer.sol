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
    /// @param finalized how it was verified depends on the request's level: a ZKML or VANILLA result
    /// routed through the VerificationCourt was settled by a committee's quorum or its challenge
    /// window (the court's getCase(caseIdOf(requestId, attempt))); a TEE result is final at its
    /// submission because the hub checked that its receipt is signed by an enclave key active for the
    /// node, i.e. approved by a KeyApproval committee (NodeRegistry.enclaveKeyInfo(key): approvedAtBlock,
    /// approvalCase). The hub does not store which key signed: the SDK's OnChainVerification and
    /// `vouch request show` recover it from the submit transaction and name the key, the block and the
    /// committee.
    function onInferenceResult(uint256 requestId, bytes32 outputHash, bytes calldata output, bool finalized)
        external;

    /// @notice The request was refunded (no node delivered in time); the fee is back with the requester.
    function onInferenceError(uint256 requestId, string calldata reason) external;
}
