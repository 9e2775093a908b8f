// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IVerificationCourt — what the InferenceHub asks the VerificationCourt.
/// @notice The hub routes a request through the court when the court is in session at request time
/// (validators registered): it then reserves verificationFee() from the requester's escrow, opens a
/// case at each submission, and finalizes a VANILLA result by its window only when the court clears
/// it. See VerificationCourt for the rules.
interface IVerificationCourt {
    /// @notice Whether new requests are routed through the court (enough validators registered).
    function inSession() external view returns (bool);

    /// @notice What a routed request reserves for its committee: committee size × verdict fee.
    function verificationFee() external view returns (uint256);

    /// @notice The hub reports a submission of a routed request (VANILLA or ZKML).
    function open(
        uint256 requestId,
        uint8 attempt,
        address node,
        uint8 level,
        bytes32 modelId,
        bytes32 outputHash,
        bytes32 evidenceHash
    ) external;

    /// @notice Whether the submitted VANILLA result of (`requestId`, `attempt`) may finalize by its
    /// window: not selected for audit, no challenge pending, or its case released without quorum.
    function clears(uint256 requestId, uint8 attempt) external view returns (bool);
}
