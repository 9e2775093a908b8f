// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title The parts of Vouch's InferenceHub, ModelRegistry and NodeRegistry that a consumer uses.
/// @notice Declared here so that the kit compiles on its own (copy `contracts/kit/src` into any
/// project). They mirror `contracts/src`; the Java test `ConsumerKitInterfaceTest` fails when a
/// function here no longer matches the deployed contracts' ABI. contracts/README.md documents each.
interface IVouchInferenceHub {
    /// @notice Escrows msg.value as the maximum fee and assigns a node; the hub calls `callback`
    /// (IVouchConsumer) with at most `callbackGasLimit` gas once the result is final.
    function request(
        bytes32 modelId,
        bytes calldata input,
        bytes32 inputHash,
        uint8 level,
        uint64 deadline,
        address preferredNode,
        address callback,
        uint32 callbackGasLimit,
        bool fastDelivery
    ) external payable returns (uint256 requestId);

    /// @notice None 0, Assigned 1, Submitted 2, Finalized 3, Refunded 4.
    function statusOf(uint256 requestId) external view returns (uint8);

    function models() external view returns (address);

    function nodes() external view returns (address);

    function maxDeadlineSeconds() external view returns (uint64);

    function maxCallbackGas() external view returns (uint32);
}

interface IVouchModelRegistry {
    /// @notice What the hub charges for a model: its owner's fee and the levels it allows (bit 1 << level).
    function termsOf(bytes32 modelId)
        external
        view
        returns (bool exists, address owner, uint8 levels, uint256 fee, uint32 challengeWindow);
}

interface IVouchNodeRegistry {
    /// @notice The nodes the hub may assign a request of this model and level, with their stakes and
    /// the prices they charge now (an announced increase applies only after the registry's delay).
    function candidates(bytes32 modelId, uint8 level)
        external
        view
        returns (address[] memory addrs, uint256[] memory stakes, uint256[] memory prices);
}
