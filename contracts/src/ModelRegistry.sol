// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title ModelRegistry — published model versions, immutable once published.
/// @notice A model id is keccak256(abi.encode(name, version)). The first publisher of a name owns it;
/// only the owner publishes later versions; a published version never changes. Each version carries
/// the content id of its ONNX file, the schema hash, the ZK commitment (zero when not ZK-enabled), the
/// allowed verification levels (bit mask 1 << level), the fee paid to the owner per on-chain request
/// and the challenge window its VANILLA results wait out (the registry's default at publication).
/// Verification terms, also fixed at publication so that nodes know them before they execute: the
/// audit rate (the chance, in basis points, that a VANILLA result is drawn for re-execution by a
/// committee) and the tolerance rule the committee compares with (see DEFAULT_TOLERANCE).
contract ModelRegistry {
    uint8 private constant ALL_LEVELS = 7;
    uint16 public constant MAX_AUDIT_RATE_BPS = 10_000;
    /// Tolerance rule, a bytes32 that the chain stores and validators interpret: byte 0 is the rule,
    /// 0x00 = EXACT (the canonical output bytes must be equal: integer engines, ZK-enabled models),
    /// 0x01 = ARGMAX_AND_MAX_ABS (the same argmax, ties to the lowest index, and every element
    /// within ε: max |Δ| ≤ ε), with ε in bytes 1..4 as an IEEE-754 float32, big-endian; the other
    /// bytes are zero. The default, ARGMAX_AND_MAX_ABS with ε = 1e-4 (0x38d1b717), absorbs ONNX
    /// Runtime's last-bit differences across CPUs.
    bytes32 public constant DEFAULT_TOLERANCE = bytes32(hex"0138d1b717");

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
        uint16 auditRateBps; // chance in basis points that a VANILLA result is audited
        bytes32 tolerance; // how an audit compares outputs (DEFAULT_TOLERANCE explains the encoding)
    }

    /// The terms of a new version beside its name, version and content id.
    struct Terms {
        bytes32 schemaHash;
        bytes32 zkModelId;
        uint8 levels;
        uint256 fee;
        uint16 auditRateBps;
        bytes32 tolerance;
    }

    /// Seconds a VANILLA result of a newly published model waits before it can finalize. Every version
    /// records exactly this window, so it is also the longest window of any model: the InferenceHub's
    /// constructor relies on it (unbondingDelay >= maxAttempts * maxDeadlineSeconds + this window). A
    /// future per-model window must be capped at this value.
    uint32 public immutable defaultChallengeWindow;
    /// The audit rate of a version published without one (the 7-argument publish).
    uint16 public immutable defaultAuditRateBps;

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
    error AuditRateTooHigh(uint16 auditRateBps, uint16 maximum);

    event ModelPublished(bytes32 indexed modelId, string name, uint32 version, string cid, address owner);

    /// @param defaultAuditRateBps_ the audit rate of versions published without one, ≤ 10,000.
    constructor(uint32 defaultChallengeWindow_, uint16 defaultAuditRateBps_) {
        if (defaultAuditRateBps_ > MAX_AUDIT_RATE_BPS) revert AuditRateTooHigh(defaultAuditRateBps_, MAX_AUDIT_RATE_BPS);
        defaultChallengeWindow = defaultChallengeWindow_;
        defaultAuditRateBps = defaultAuditRateBps_;
    }

    /// @notice Publishes a version with the registry's default audit rate and DEFAULT_TOLERANCE.
    /// The first publisher of a name owns it; later versions only by the owner; versions are immutable.
    function publish(
        string calldata name,
        uint32 version,
        string calldata cid,
        bytes32 schemaHash,
        bytes32 zkModelId,
        uint8 levels,
        uint256 fee
    ) external returns (bytes32 modelId) {
        return _publish(
            name, version, cid, Terms(schemaHash, zkModelId, levels, fee, defaultAuditRateBps, DEFAULT_TOLERANCE)
        );
    }

    /// @notice Publishes a version with its own audit rate (basis points, ≤ 10,000; 0: never audited,
    /// only challenges protect its VANILLA results) and tolerance rule (DEFAULT_TOLERANCE explains
    /// the encoding; the chain does not interpret it).
    function publish(
        string calldata name,
        uint32 version,
        string calldata cid,
        bytes32 schemaHash,
        bytes32 zkModelId,
        uint8 levels,
        uint256 fee,
        uint16 auditRateBps,
        bytes32 tolerance
    ) external returns (bytes32 modelId) {
        return _publish(name, version, cid, Terms(schemaHash, zkModelId, levels, fee, auditRateBps, tolerance));
    }

    function _publish(string calldata name, uint32 version, string calldata cid, Terms memory t)
        private
        returns (bytes32 modelId)
    {
        if (bytes(name).length == 0) revert EmptyName();
        if (version == 0) revert VersionMustBePositive();
        if (bytes(cid).length == 0) revert EmptyCid();
        if (t.levels == 0 || t.levels & ~ALL_LEVELS != 0) revert InvalidLevels(t.levels);
        if (t.auditRateBps > MAX_AUDIT_RATE_BPS) revert AuditRateTooHigh(t.auditRateBps, MAX_AUDIT_RATE_BPS);
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
            schemaHash: t.schemaHash,
            zkModelId: t.zkModelId,
            levels: t.levels,
            fee: t.fee,
            challengeWindow: defaultChallengeWindow,
            publishedAt: uint64(block.timestamp),
            exists: true,
            auditRateBps: t.auditRateBps,
            tolerance: t.tolerance
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

    /// @notice What the court needs for a VANILLA result: its audit rate (basis points) and tolerance
    /// rule (0, 0 for an unknown id).
    function auditTermsOf(bytes32 modelId) external view returns (uint16 auditRateBps, bytes32 tolerance) {
        Model storage m = models[modelId];
        return (m.auditRateBps, m.tolerance);
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
