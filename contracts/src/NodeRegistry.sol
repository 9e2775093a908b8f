// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title NodeRegistry — who may execute and validate Vouch inferences, and what they put at stake.
/// @notice A node registers with a stake (msg.value), its roles, endpoint, verification levels, price
/// per request and the models it serves (an empty list means every model). Only the InferenceHub may
/// slash. Leaving takes two steps so that stake stays slashable while results can still be challenged:
/// requestUnbond() makes the node ineligible at once, withdraw() pays the stake after unbondingDelay.
contract NodeRegistry {
    uint8 public constant ROLE_INFERENCE = 1;
    uint8 public constant ROLE_VALIDATOR = 2;
    uint8 private constant ALL_ROLES = 3;
    /// Bit mask of the three levels VANILLA (bit 0), TEE (bit 1), ZKML (bit 2).
    uint8 private constant ALL_LEVELS = 7;

    struct NodeInfo {
        bool registered;
        uint8 roles;
        uint8 levels;
        uint64 unbondingSince; // 0 while bonded
        uint256 stake;
        uint256 price; // wei per request
        string endpoint;
        bytes32[] models; // empty: serves every model
    }

    uint256 public immutable minStake;
    uint64 public immutable unbondingDelay;
    address private immutable deployer;
    address public hub;

    mapping(address => NodeInfo) private nodes;
    mapping(address => mapping(bytes32 => bool)) private serves;
    address[] private nodeList;
    mapping(address => bool) private listed;

    error StakeTooLow(uint256 required, uint256 offered);
    error AlreadyRegistered(address node);
    error NotRegistered(address node);
    error InvalidRoles(uint8 roles);
    error InvalidLevels(uint8 levels);
    error EmptyEndpoint();
    error NodeIsUnbonding(address node, uint64 since);
    error NotUnbonding(address node);
    error UnbondingNotFinished(address node, uint64 availableAt);
    error NotHub(address caller, address hub);
    error HubAlreadySet(address hub);
    error NotDeployer(address caller, address deployer);
    error ZeroAddress();
    error ZeroAmount();
    error NodeIndexOutOfRange(uint256 index, uint256 count);
    error TransferFailed(address to, uint256 amount);

    event NodeRegistered(
        address indexed node, uint8 roles, string endpoint, uint8 levels, uint256 price, uint256 stake, bytes32[] models
    );
    event CapabilitiesUpdated(address indexed node, string endpoint, uint8 levels, uint256 price, bytes32[] models);
    event StakeAdded(address indexed node, uint256 amount, uint256 stake);
    event UnbondRequested(address indexed node, uint64 availableAt);
    event Withdrawn(address indexed node, uint256 amount);
    event Slashed(address indexed node, uint256 amount, address indexed beneficiary, uint256 remainingStake);
    event HubSet(address hub);

    constructor(uint256 minStake_, uint64 unbondingDelay_) {
        minStake = minStake_;
        unbondingDelay = unbondingDelay_;
        deployer = msg.sender;
    }

    /// @notice Wires the hub, once; only the hub can slash.
    function setHub(address hub_) external {
        if (msg.sender != deployer) revert NotDeployer(msg.sender, deployer);
        if (hub != address(0)) revert HubAlreadySet(hub);
        if (hub_ == address(0)) revert ZeroAddress();
        hub = hub_;
        emit HubSet(hub_);
    }

    function register(uint8 roles, string calldata endpoint, uint8 levels, uint256 pricePerRequest, bytes32[] calldata models)
        external
        payable
    {
        NodeInfo storage n = nodes[msg.sender];
        if (n.registered) revert AlreadyRegistered(msg.sender);
        if (msg.value < minStake) revert StakeTooLow(minStake, msg.value);
        _checkCapabilities(roles, endpoint, levels);
        n.registered = true;
        n.roles = roles;
        n.stake = msg.value;
        n.unbondingSince = 0;
        _setCapabilities(msg.sender, n, endpoint, levels, pricePerRequest, models);
        if (!listed[msg.sender]) {
            listed[msg.sender] = true;
            nodeList.push(msg.sender);
        }
        emit NodeRegistered(msg.sender, roles, endpoint, levels, pricePerRequest, msg.value, models);
    }

    function updateCapabilities(string calldata endpoint, uint8 levels, uint256 price, bytes32[] calldata models) external {
        NodeInfo storage n = _registered(msg.sender);
        _checkCapabilities(n.roles, endpoint, levels);
        _setCapabilities(msg.sender, n, endpoint, levels, price, models);
        emit CapabilitiesUpdated(msg.sender, endpoint, levels, price, models);
    }

    function addStake() external payable {
        NodeInfo storage n = _registered(msg.sender);
        if (msg.value == 0) revert ZeroAmount();
        if (n.unbondingSince != 0) revert NodeIsUnbonding(msg.sender, n.unbondingSince);
        n.stake += msg.value;
        emit StakeAdded(msg.sender, msg.value, n.stake);
    }

    /// @notice Stops new assignments at once; the stake stays slashable until withdraw().
    function requestUnbond() external {
        NodeInfo storage n = _registered(msg.sender);
        if (n.unbondingSince != 0) revert NodeIsUnbonding(msg.sender, n.unbondingSince);
        n.unbondingSince = uint64(block.timestamp);
        emit UnbondRequested(msg.sender, uint64(block.timestamp) + unbondingDelay);
    }

    function withdraw() external {
        NodeInfo storage n = _registered(msg.sender);
        if (n.unbondingSince == 0) revert NotUnbonding(msg.sender);
        uint64 availableAt = n.unbondingSince + unbondingDelay;
        if (block.timestamp < availableAt) revert UnbondingNotFinished(msg.sender, availableAt);
        uint256 amount = n.stake;
        _clearModels(msg.sender, n);
        delete nodes[msg.sender];
        emit Withdrawn(msg.sender, amount);
        _send(msg.sender, amount);
    }

    /// @notice Takes up to `amount` of a node's stake and pays it to `beneficiary`. Only the hub.
    function slash(address node, uint256 amount, address beneficiary) external returns (uint256 slashed) {
        if (msg.sender != hub || hub == address(0)) revert NotHub(msg.sender, hub);
        if (beneficiary == address(0)) revert ZeroAddress();
        NodeInfo storage n = _registered(node);
        slashed = amount < n.stake ? amount : n.stake;
        n.stake -= slashed;
        emit Slashed(node, slashed, beneficiary, n.stake);
        _send(beneficiary, slashed);
    }

    // ---- views ----

    function nodeInfo(address node) external view returns (NodeInfo memory) {
        return nodes[node];
    }

    function isRegistered(address node) external view returns (bool) {
        return nodes[node].registered;
    }

    function stakeOf(address node) external view returns (uint256) {
        return nodes[node].stake;
    }

    function priceOf(address node) external view returns (uint256) {
        return nodes[node].price;
    }

    function isEligible(address node, bytes32 modelId, uint8 level) public view returns (bool) {
        NodeInfo storage n = nodes[node];
        return n.registered && n.unbondingSince == 0 && (n.roles & ROLE_INFERENCE) != 0 && level < 3
            && (n.levels & (uint8(1) << level)) != 0 && n.stake >= minStake
            && (n.models.length == 0 || serves[node][modelId]);
    }

    function eligibleNodes(bytes32 modelId, uint8 level) external view returns (address[] memory result) {
        (result,,) = candidates(modelId, level);
    }

    /// @notice Eligible nodes with their stakes and prices, in registration order: the hub's input
    /// for stake-weighted assignment, in one call.
    function candidates(bytes32 modelId, uint8 level)
        public
        view
        returns (address[] memory addrs, uint256[] memory stakes, uint256[] memory prices)
    {
        uint256 total = nodeList.length;
        uint256 count;
        for (uint256 i; i < total; ++i) {
            if (isEligible(nodeList[i], modelId, level)) ++count;
        }
        addrs = new address[](count);
        stakes = new uint256[](count);
        prices = new uint256[](count);
        uint256 k;
        for (uint256 i; i < total && k < count; ++i) {
            address a = nodeList[i];
            if (isEligible(a, modelId, level)) {
                addrs[k] = a;
                stakes[k] = nodes[a].stake;
                prices[k] = nodes[a].price;
                ++k;
            }
        }
    }

    /// @notice Every address that ever registered (withdrawn ones included; see nodeInfo().registered).
    function nodeCount() external view returns (uint256) {
        return nodeList.length;
    }

    function nodeAt(uint256 index) external view returns (address) {
        if (index >= nodeList.length) revert NodeIndexOutOfRange(index, nodeList.length);
        return nodeList[index];
    }

    // ---- internals ----

    function _registered(address node) private view returns (NodeInfo storage n) {
        n = nodes[node];
        if (!n.registered) revert NotRegistered(node);
    }

    function _checkCapabilities(uint8 roles, string calldata endpoint, uint8 levels) private pure {
        if (roles == 0 || roles & ~ALL_ROLES != 0) revert InvalidRoles(roles);
        if (levels & ~ALL_LEVELS != 0 || ((roles & ROLE_INFERENCE) != 0 && levels == 0)) revert InvalidLevels(levels);
        if (bytes(endpoint).length == 0) revert EmptyEndpoint();
    }

    function _setCapabilities(
        address node,
        NodeInfo storage n,
        string calldata endpoint,
        uint8 levels,
        uint256 price,
        bytes32[] calldata models
    ) private {
        _clearModels(node, n);
        n.endpoint = endpoint;
        n.levels = levels;
        n.price = price;
        for (uint256 i; i < models.length; ++i) {
            serves[node][models[i]] = true;
            n.models.push(models[i]);
        }
    }

    function _clearModels(address node, NodeInfo storage n) private {
        bytes32[] storage old = n.models;
        for (uint256 i; i < old.length; ++i) {
            delete serves[node][old[i]];
        }
        delete n.models;
    }

    function _send(address to, uint256 amount) private {
        if (amount == 0) return;
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }
}
