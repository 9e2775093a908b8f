// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title ModelRegistry — published model versions, immutable once published.
/// @notice A model id is keccak256(abi.encode(name, version)). The first publisher of a name owns it;
/// only the owner publishes later versions; a published version never changes. Each version carries
/// the content id of its ONNX file, the schema hash, the ZK commitment (zero when not ZK-enabled), the
/// allowed verification levels (bit mask 1 << level), the fee paid to the owner per on-chain request
/// and the challenge window its VANILLA results wait out (the registry's default at publication).
contract ModelRegistry {
    uint8 private constant ALL_LEVELS = 7;

    struct Model {
        address owner;
        string name;
        uint32 version;
        string cid;
        bytes32 schemaHash;
        bytes32 zkModelId;
        uint8 levels;
        uint256 fee;
        uint32 challengeWindow;
        uint64 publishedAt;
        bool exists;
    }

    /// Seconds a VANILLA result of a newly published model waits before it can finalize. Every version
    /// records exactly this window, so it is also the longest window of any model: the InferenceHub's
    /// constructor relies on it (unbondingDelay >= maxAttempts * maxDeadlineSeconds + this window). A
    /// future per-model window must be capped at this value.
    uint32 public immutable defaultChallengeWindow;

    mapping(bytes32 => Model) private models;
    mapping(bytes32 => address) private nameOwners; // keccak256(name) => owner
    mapping(bytes32 => uint32) private latest; // keccak256(name) => highest version
    bytes32[] private modelIds;

    error EmptyName();
    error EmptyCid();
    error VersionMustBePositive();
    error InvalidLevels(uint8 levels);
    error VersionAlreadyPublished(bytes32 modelId, string name, uint32 version);
    error NotNameOwner(string name, address owner, address caller);
    error UnknownModel(bytes32 modelId);
    error ModelIndexOutOfRange(uint256 index, uint256 count);

    event ModelPublished(bytes32 indexed modelId, string name, uint32 version, string cid, address owner);

    constructor(uint32 defaultChallengeWindow_) {
        defaultChallengeWindow = defaultChallengeWindow_;
    }

    function publish(
        string calldata name,
        uint32 version,
        string calldata cid,
        bytes32 schemaHash,
        bytes32 zkModelId,
        uint8 levels,
        uint256 fee
    ) external returns (bytes32 modelId) {
        if (bytes(name).length == 0) revert EmptyName();
        if (version == 0) revert VersionMustBePositive();
        if (bytes(cid).length == 0) revert EmptyCid();
        if (levels == 0 || levels & ~ALL_LEVELS != 0) revert InvalidLevels(levels);
        bytes32 nameHash = keccak256(bytes(name));
        address owner = nameOwners[nameHash];
        if (owner == address(0)) {
            nameOwners[nameHash] = msg.sender;
        } else if (owner != msg.sender) {
            revert NotNameOwner(name, owner, msg.sender);
        }
        modelId = modelIdOf(name, version);
        if (models[modelId].exists) revert VersionAlreadyPublished(modelId, name, version);
        models[modelId] = Model({
            owner: msg.sender,
            name: name,
            version: version,
            cid: cid,
            schemaHash: schemaHash,
            zkModelId: zkModelId,
            levels: levels,
            fee: fee,
            challengeWindow: defaultChallengeWindow,
            publishedAt: uint64(block.timestamp),
            exists: true
        });
        if (version > latest[nameHash]) latest[nameHash] = version;
        modelIds.push(modelId);
        emit ModelPublished(modelId, name, version, cid, msg.sender);
    }

    function modelIdOf(string calldata name, uint32 version) public pure returns (bytes32) {
        return keccak256(abi.encode(name, version));
    }

    /// @notice The whole record; `exists` is false (and every field zero) for an unknown id.
    function getModel(bytes32 modelId) external view returns (Model memory) {
        return models[modelId];
    }

    /// @notice What the hub needs to settle a request, without copying the strings.
    function termsOf(bytes32 modelId)
        external
        view
        returns (bool exists, address owner, uint8 levels, uint256 fee, uint32 challengeWindow)
    {
        Model storage m = models[modelId];
        return (m.exists, m.owner, m.levels, m.fee, m.challengeWindow);
    }

    /// @notice The highest published version of `name`, 0 if none.
    function latestVersion(string calldata name) external view returns (uint32) {
        return latest[keccak256(bytes(name))];
    }

    function ownerOfName(string calldata name) external view returns (address) {
        return nameOwners[keccak256(bytes(name))];
    }

    function modelCount() external view returns (uint256) {
        return modelIds.length;
    }

    function modelAt(uint256 index) external view returns (bytes32) {
        if (index >= modelIds.length) revert ModelIndexOutOfRange(index, modelIds.length);
        return modelIds[index];
    }
}
