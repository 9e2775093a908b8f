// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title What the NodeRegistry asks the VerificationCourt about enclave keys.
/// @notice Every enclave key registration opens a KeyApproval case: a committee of validators
/// verifies the attestation document off chain (anchors of the deployment, proof of possession,
/// the key and measurement it binds) and the court tells the registry the outcome
/// (NodeRegistry.recordKeyApproval).
interface IKeyApprovalCourt {
    /// @notice What a registration pays for its committee (msg.value of registerEnclaveKey):
    /// committeeSize × verdictFee, like a routed request's verification fee.
    function keyApprovalFee() external view returns (uint256);

    /// @notice Opens the KeyApproval case of `enclaveKey`, registered by `node` with the document
    /// whose keccak256 is `attestationDocHash`; msg.value is the fee. Only the NodeRegistry.
    /// @return caseId in the key cases' own id space (never a caseIdOf(requestId, attempt))
    function openKeyApproval(address node, address enclaveKey, bytes32 attestationDocHash)
        external
        payable
        returns (uint256 caseId);
}
