// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {SortitionPools} from "./SortitionPools.sol";
import {IKeyApprovalCourt} from "./IKeyApprovalCourt.sol";

/// @title NodeRegistry — who may execute and validate Vouch inferences, and what they put at stake.
/// @notice A node registers with a stake (msg.value), its roles, endpoint, verification levels, price
/// per request and the models it serves (an empty list serves none). Only the InferenceHub and the
/// VerificationCourt may slash: the hub a node whose result a committee found invalid, the court a
/// validator whose verdict the committee's quorum contradicted. A price increase takes effect priceIncreaseDelay seconds after it is announced (decreases
/// at once), so a node cannot raise its price between seeing a request and the request's assignment,
/// nor between a client reading the price and paying it. Leaving takes two steps so that stake stays slashable while results can still be challenged:
/// requestUnbond() makes the node ineligible at once, withdraw() pays the stake after unbondingDelay.
///
/// TEE level: governance keeps an allow-list of enclave measurements (measurement id =
/// SHA-384(PCR0 ‖ PCR1 ‖ PCR2), 48 bytes, keyed on chain by its keccak256). A registered node binds
/// enclave signing keys (secp256k1 addresses) to an allowed measurement with the attestation document
/// that proves the binding; the document itself travels in calldata and in the EnclaveKeyRegistered
/// event so that anyone can fetch and re-verify it off chain (the chain does not verify Nitro
/// documents: validators do). A registered key is pending: registering opens a KeyApproval case in
/// the VerificationCourt (the registration pays its committee's fee), whose committee verifies the
/// document under the deployment's anchors; the key becomes active only on a VALID quorum (the
/// block is recorded: approvedAtBlock), is rejected for good on an INVALID one (the court slashes
/// the node), and stays inactive without a quorum (the node may register it again). Revoking a
/// measurement bumps its epoch, which retires every key registered under it at once. Whether
/// development-root (simulator) attestations are acceptable is a property of the deployment only
/// (developmentAttestationAllowed, immutable), which validators read: a registration declares
/// nothing about its root.
/// A key registers only with a proof of possession: the enclave key signs the EIP-712 statement
/// EnclaveKeyBinding(node, enclaveKey) in this registry's domain {Vouch, 1, chainid, this}, so a
/// registration cannot be copied by another node, replayed on another chain or registry, or made
/// for an address whose key the node does not hold. A key lives only as long as the registration of
/// the node that bound it: a node that withdraws retires its keys, and registering again does not
/// revive them (keys remember the node's registration number).
contract NodeRegistry {
    using SortitionPools for SortitionPools.Pool;

    uint8 public constant ROLE_INFERENCE = 1;
    uint8 public constant ROLE_VALIDATOR = 2;
    uint8 private constant ALL_ROLES = 3;
    /// Bit mask of the three levels VANILLA (bit 0), TEE (bit 1), ZKML (bit 2).
    uint8 private constant ALL_LEVELS = 7;
    /// The most models one node may list: what a node's own pool updates loop over is bounded.
    uint256 public constant MAX_MODELS_PER_NODE = 32;
    bytes32 private constant VALIDATOR_POOL = keccak256("vouch.pool.validators");

    struct NodeInfo {
        bool registered;
        uint8 roles;
        uint8 levels;
        uint64 unbondingSince; // 0 while bonded
        uint256 stake;
        uint256 price; // wei per request now (nodeInfo returns it with any due increase applied)
        uint256 pendingPrice; // an announced increase (0 with pendingPriceAt 0: none)
        uint64 pendingPriceAt; // when pendingPrice takes effect
        string endpoint;
        bytes32[] models; // what it has loaded; empty: serves nothing yet
    }

    /// Where a key's committee approval stands (recordKeyApproval).
    enum KeyStatus {
        None, // never registered
        Pending, // registered; its KeyApproval case is open
        Approved, // a committee's quorum found the document valid: the key may sign (isActiveEnclaveKey)
        Rejected, // a committee's quorum found it invalid: never usable again
        NotApproved // no quorum (or no committee) before the case closed: inactive, may register again
    }

    /// An enclave signing key bound to a node (see registerEnclaveKey).
    struct EnclaveKey {
        address node; // the operator that registered it; address(0): never registered
        uint32 measurementEpoch; // the measurement's epoch at registration
        uint64 docTime; // attestation document time, seconds
        uint64 expiry; // seconds; the key signs nothing after this
        bool revoked; // by its operator
        uint32 nodeRegistration; // the node's registration number (registrationOf) at binding
        KeyStatus status; // committee approval of this registration
        uint64 approvedAtBlock; // the block of the approving quorum (0 unless Approved)
        bytes32 measurementId; // keccak256 of the 48-byte measurement id
        bytes32 attestationDocHash; // keccak256 of the attestation document
        uint256 approvalCase; // the court's KeyApproval case of this registration
    }

    /// allowed: on the allow-list now. epoch: bumped by every revocation; keys of older epochs are dead.
    struct MeasurementStatus {
        bool allowed;
        uint32 epoch;
    }

    uint256 public immutable minStake;
    /// A validator's weight in committee draws: its stake, counted up to drawWeightCap = 2 ×
    /// minStake (what is staked above it still backs slashing). The cap is what keeps a draw's cost
    /// flat in the number of validators: drawCommittee picks an entry of the dense validator list
    /// uniformly and keeps it with probability weight / ceiling, where the ceiling is the largest
    /// weight the list ever held (at most the cap, so at least 1/2 for every active validator): a
    /// seat costs one to two reads whatever the pool's size.
    uint256 public immutable drawWeightCap;
    /// Tries of that rejection sampling per seat before the seat is drawn by the pool's tree instead
    /// (both give each remaining validator a chance proportional to its weight).
    uint256 public constant DRAW_TRIES = 16;
    uint64 public immutable unbondingDelay;
    /// Seconds between announcing a higher price (updateCapabilities) and charging it.
    uint64 public immutable priceIncreaseDelay;
    address private immutable deployer;
    address public hub;
    /// The VerificationCourt: draws committees from the validators' pool (drawCommittee) and slashes
    /// validators whose verdict a quorum contradicted. Set once by the deployer (setCourt).
    address public court;
    /// Whether keys attested under a development (simulator) root may register: true on a devnet only.
    bool public immutable developmentAttestationAllowed;
    /// Longest an enclave key may live past its attestation document's time, seconds.
    uint64 public immutable maxAttestationTtl;
    /// Tolerated difference between a document's time and the block time (document dated "ahead").
    uint64 public constant MAX_ATTESTATION_CLOCK_SKEW = 300;
    /// Oldest an attestation document may be at its registration's block time, seconds: the KeyApproval
    /// committee refuses an older one, and one whose nonce is not a block of this chain at most this old.
    uint64 public constant MAX_ATTESTATION_AGE = 600;
    uint256 public constant MEASUREMENT_LENGTH = 48;
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    /// The proof of possession an enclave key signs to be bound to `node` (registerEnclaveKey).
    bytes32 public constant ENCLAVE_KEY_BINDING_TYPEHASH = keccak256("EnclaveKeyBinding(address node,address enclaveKey)");
    /// secp256k1 n / 2: signatures with a larger s are malleable and refused.
    uint256 private constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    uint256 private immutable deployChainId;
    bytes32 private immutable deployDomainSeparator;
    /// Who maintains the measurement allow-list (the deployer at first).
    address public governance;

    mapping(address => NodeInfo) private nodes;
    mapping(address => mapping(bytes32 => bool)) private serves;
    address[] private nodeList;
    mapping(address => bool) private listed;
    mapping(bytes32 => MeasurementStatus) private measurements;
    mapping(address => EnclaveKey) private enclaveKeys;
    /// Stake-weighted sortition pools: one per (model, level) of the inference nodes eligible for it,
    /// one of the validators. Assignment and committee draws read O(log n) slots of one pool and never
    /// loop over the registered nodes; a node that unbonds leaves every pool it was in.
    mapping(bytes32 => SortitionPools.Pool) private pools;
    /// The validators' pool again as a dense list, for committee draws in O(1) reads per seat:
    /// uint160(validator) | weight in gwei << 160. A validator that leaves the pool swaps the last
    /// entry into its place.
    mapping(uint256 => uint256) private validatorEntries;
    /// The dense list's length | the largest weight it ever held, in gwei, << 128 (one slot: a draw
    /// reads both).
    uint256 private validatorListMeta;
    /// validator => its index in validatorEntries + 1 (0: not in the pool).
    mapping(address => uint256) private validatorEntryOf;
    /// How many times each address has registered (1 after the first register()); never reset, so
    /// enclave keys bound in an earlier registration stay dead after a withdraw and a new register.
    mapping(address => uint32) public registrationOf;

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
    error CourtAlreadySet(address court);
    error NotDeployer(address caller, address deployer);
    error ZeroAddress();
    error ZeroAmount();
    error NodeIndexOutOfRange(uint256 index, uint256 count);
    error TooManyModels(uint256 count, uint256 maximum);
    error TransferFailed(address to, uint256 amount);
    // enclave keys
    error NotGovernance(address caller, address governance);
    error InvalidMeasurementLength(uint256 length);
    error MeasurementNotAllowed(bytes32 measurementId);
    error NotCourt(address caller, address court);
    error CourtNotSet();
    error WrongApprovalFee(uint256 offered, uint256 required);
    error EnclaveKeyIsRejected(address enclaveKey);
    error EmptyAttestationDocument();
    error AttestationDocHashMismatch(bytes32 declared, bytes32 actual);
    error AttestationFromFuture(uint64 docTime, uint64 now_);
    error EnclaveKeyExpired(uint64 expiry, uint64 now_);
    error AttestationTtlTooLong(uint64 expiry, uint64 latestAllowed);
    error EnclaveKeyTaken(address enclaveKey, address node);
    error EnclaveKeyIsRevoked(address enclaveKey);
    error NotEnclaveKeyOwner(address enclaveKey, address node, address caller);
    error InvalidEnclaveKeyProof(address enclaveKey, address recovered);
    error InvalidSignatureLength(uint256 length);
    error InvalidSignatureV(uint8 v);
    error MalleableSignature();

    event NodeRegistered(
        address indexed node, uint8 roles, string endpoint, uint8 levels, uint256 price, uint256 stake, bytes32[] models
    );
    /// price: what the node charges now (an increase is announced separately by PriceIncreaseScheduled).
    event CapabilitiesUpdated(address indexed node, string endpoint, uint8 levels, uint256 price, bytes32[] models);
    event PriceIncreaseScheduled(address indexed node, uint256 currentPrice, uint256 newPrice, uint64 effectiveAt);
    event StakeAdded(address indexed node, uint256 amount, uint256 stake);
    event UnbondRequested(address indexed node, uint64 availableAt);
    event Withdrawn(address indexed node, uint256 amount);
    event Slashed(address indexed node, uint256 amount, address indexed beneficiary, uint256 remainingStake);
    event HubSet(address hub);
    event CourtSet(address court);
    event GovernanceTransferred(address indexed previous, address indexed next);
    event MeasurementAllowed(bytes32 indexed measurementId, bytes measurement, uint32 epoch);
    event MeasurementRevoked(bytes32 indexed measurementId, bytes measurement, uint32 newEpoch);
    /// attestationDoc: the document as the enclave emitted it (COSE_Sign1 bytes), and keyProof the
    /// key's proof of possession, for the approving committee and anyone re-verifying.
    /// approvalCase: the court's KeyApproval case that decides whether the key becomes active.
    event EnclaveKeyRegistered(
        address indexed node,
        address indexed enclaveKey,
        bytes32 indexed measurementId,
        bytes32 attestationDocHash,
        uint64 docTime,
        uint64 expiry,
        uint256 approvalCase,
        bytes attestationDoc,
        bytes keyProof
    );
    /// The court decided a key's approval case: Approved (at `blockNumber`), Rejected or NotApproved.
    event EnclaveKeyDecided(
        address indexed node, address indexed enclaveKey, uint256 indexed approvalCase, KeyStatus status, uint64 blockNumber
    );
    event EnclaveKeyRevoked(address indexed node, address indexed enclaveKey);

    /// @param developmentAttestationAllowed_ true on a devnet only: validators may approve keys attested
    /// by the simulator's development root (they read this flag; a registration declares no root).
    /// @param maxAttestationTtl_ the longest an enclave key may live past its document's time, seconds.
    /// @param priceIncreaseDelay_ seconds before an announced price increase is charged.
    constructor(
        uint256 minStake_,
        uint64 unbondingDelay_,
        bool developmentAttestationAllowed_,
        uint64 maxAttestationTtl_,
        uint64 priceIncreaseDelay_
    ) {
        minStake = minStake_;
        drawWeightCap = minStake_ == 0 ? type(uint96).max : 2 * minStake_;
        unbondingDelay = unbondingDelay_;
        priceIncreaseDelay = priceIncreaseDelay_;
        deployer = msg.sender;
        governance = msg.sender;
        developmentAttestationAllowed = developmentAttestationAllowed_;
        maxAttestationTtl = maxAttestationTtl_;
        deployChainId = block.chainid;
        deployDomainSeparator = _buildDomainSeparator();
    }

    /// @notice Wires the hub, once; only the hub can slash.
    function setHub(address hub_) external {
        if (msg.sender != deployer) revert NotDeployer(msg.sender, deployer);
        if (hub != address(0)) revert HubAlreadySet(hub);
        if (hub_ == address(0)) revert ZeroAddress();
        hub = hub_;
        emit HubSet(hub_);
    }

    /// @notice Wires the VerificationCourt, once, by the deployer: it may then slash (validators whose
    /// verdict a quorum contradicted).
    function setCourt(address court_) external {
        if (msg.sender != deployer) revert NotDeployer(msg.sender, deployer);
        if (court != address(0)) revert CourtAlreadySet(court);
        if (court_ == address(0)) revert ZeroAddress();
        court = court_;
        emit CourtSet(court_);
    }

    /// @notice Registers msg.sender with msg.value as stake (at least minStake). roles: bit 0
    /// inference, bit 1 validator; levels: bit mask 1 << level; models: the model ids it serves.
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
        n.price = pricePerRequest; // a new registration's price was never quoted: no delay
        n.pendingPrice = 0;
        n.pendingPriceAt = 0;
        registrationOf[msg.sender] += 1;
        _setCapabilities(msg.sender, n, endpoint, levels, pricePerRequest, models);
        _syncPools(msg.sender, n, n.stake);
        if (!listed[msg.sender]) {
            listed[msg.sender] = true;
            nodeList.push(msg.sender);
        }
        emit NodeRegistered(msg.sender, roles, endpoint, levels, pricePerRequest, msg.value, models);
    }

    /// @notice Changes what the node offers. A lower or equal price applies at once (and cancels an
    /// announced increase); a higher one is announced and charged from priceIncreaseDelay seconds on.
    function updateCapabilities(string calldata endpoint, uint8 levels, uint256 price, bytes32[] calldata models) external {
        NodeInfo storage n = _registered(msg.sender);
        _checkCapabilities(n.roles, endpoint, levels);
        _syncPools(msg.sender, n, 0); // leave the pools of the old models and levels
        _setCapabilities(msg.sender, n, endpoint, levels, price, models);
        if (n.unbondingSince == 0) _syncPools(msg.sender, n, n.stake);
        emit CapabilitiesUpdated(msg.sender, endpoint, levels, n.price, models);
    }

    function addStake() external payable {
        NodeInfo storage n = _registered(msg.sender);
        if (msg.value == 0) revert ZeroAmount();
        if (n.unbondingSince != 0) revert NodeIsUnbonding(msg.sender, n.unbondingSince);
        n.stake += msg.value;
        _syncPools(msg.sender, n, n.stake);
        emit StakeAdded(msg.sender, msg.value, n.stake);
    }

    /// @notice Stops new assignments at once; the stake stays slashable until withdraw().
    function requestUnbond() external {
        NodeInfo storage n = _registered(msg.sender);
        if (n.unbondingSince != 0) revert NodeIsUnbonding(msg.sender, n.unbondingSince);
        n.unbondingSince = uint64(block.timestamp);
        _syncPools(msg.sender, n, 0);
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

    /// @notice Takes up to `amount` of a node's stake and pays it to `beneficiary`. Only the hub and
    /// the court (NotHub otherwise). A node that has withdrawn has nothing left: 0, no revert, so
    /// that a verdict on its old result still settles. The node's weight in the validators' pool
    /// follows its stake at once (O(log n)); its weight in the model pools stays until
    /// refreshPools (draws there skip a node under minStake).
    function slash(address node, uint256 amount, address beneficiary) external returns (uint256 slashed) {
        if (msg.sender != hub && msg.sender != court) revert NotHub(msg.sender, hub);
        if (beneficiary == address(0)) revert ZeroAddress();
        NodeInfo storage n = nodes[node];
        if (!n.registered) return 0;
        slashed = amount < n.stake ? amount : n.stake;
        n.stake -= slashed;
        if ((n.roles & ROLE_VALIDATOR) != 0) {
            bool bonded = n.unbondingSince == 0 && n.stake >= minStake;
            _setValidatorWeight(node, bonded ? n.stake : 0);
        }
        emit Slashed(node, slashed, beneficiary, n.stake);
        _send(beneficiary, slashed);
    }

    /// @notice Brings `node`'s weight in every pool it belongs to in line with its stake (anyone may
    /// call). slash() stays O(1) and leaves pool weights as they were; a draw that lands on a node
    /// no longer eligible (stake under minStake) is skipped by the hub, and this call removes it.
    function refreshPools(address node) external {
        NodeInfo storage n = nodes[node];
        bool bonded = n.registered && n.unbondingSince == 0 && n.stake >= minStake;
        _syncPools(node, n, bonded ? n.stake : 0);
    }

    // ---- enclave keys (TEE level) ----

    modifier onlyGovernance() {
        if (msg.sender != governance) revert NotGovernance(msg.sender, governance);
        _;
    }

    function transferGovernance(address next) external onlyGovernance {
        if (next == address(0)) revert ZeroAddress();
        emit GovernanceTransferred(governance, next);
        governance = next;
    }

    /// @notice Puts a measurement id (SHA-384(PCR0 ‖ PCR1 ‖ PCR2), 48 bytes) on the allow-list.
    /// Keys revoked with an earlier revocation of the same measurement stay revoked.
    function allowMeasurement(bytes calldata measurement) external onlyGovernance {
        bytes32 id = _measurementId(measurement);
        MeasurementStatus storage m = measurements[id];
        m.allowed = true;
        emit MeasurementAllowed(id, measurement, m.epoch);
    }

    /// @notice Takes a measurement off the allow-list and retires every key registered under it (O(1):
    /// the epoch moves on and keys remember the epoch they were registered in).
    function revokeMeasurement(bytes calldata measurement) external onlyGovernance {
        bytes32 id = _measurementId(measurement);
        MeasurementStatus storage m = measurements[id];
        if (!m.allowed) revert MeasurementNotAllowed(id);
        m.allowed = false;
        m.epoch += 1;
        emit MeasurementRevoked(id, measurement, m.epoch);
    }

    /// @notice A registered node binds an enclave signing key to an allowed measurement, in its current
    /// registration (registrationOf): the key dies when the node withdraws, and stays dead after a new
    /// register() unless registered again (with a fresh document and proof). The key starts Pending:
    /// this opens its KeyApproval case in the court (msg.value = the court's keyApprovalFee() pays the
    /// committee), and only a VALID quorum makes it active. Registering a key again (renewal, a new
    /// manifest, or after NotApproved) opens a new case and makes it Pending until that case is
    /// decided; an earlier case still open no longer decides anything. A Rejected key never registers again.
    /// @param enclaveKey the address of the enclave's secp256k1 key (what ecrecover returns)
    /// @param measurement the 48-byte measurement id the document attests
    /// @param attestationDocHash keccak256(attestationDoc): what receipts of this key carry as evidenceHash
    /// @param docTime the document's timestamp in seconds
    /// @param expiry when the key stops signing, at most docTime + maxAttestationTtl
    /// @param attestationDoc the attestation document (COSE_Sign1), emitted for off-chain re-verification
    /// @param keyProof proof of possession: the enclave key's signature (65 bytes r ‖ s ‖ v, low s) over
    /// EnclaveKeyBinding(msg.sender, enclaveKey) in this registry's EIP-712 domain (enclaveKeyBindingDigest)
    /// @dev The chain checks only what it can check cheaply (including the proof of possession);
    /// the KeyApproval committee verifies the document (root allowed by this deployment, signature,
    /// public_key = the key, measurement, time) from the event.
    function registerEnclaveKey(
        address enclaveKey,
        bytes calldata measurement,
        bytes32 attestationDocHash,
        uint64 docTime,
        uint64 expiry,
        bytes calldata attestationDoc,
        bytes calldata keyProof
    ) external payable {
        _registered(msg.sender);
        if (enclaveKey == address(0)) revert ZeroAddress();
        _checkKeyProof(enclaveKey, keyProof);
        bytes32 id = _measurementId(measurement);
        MeasurementStatus storage m = measurements[id];
        if (!m.allowed) revert MeasurementNotAllowed(id);
        _checkDocument(attestationDocHash, attestationDoc);
        _checkLifetime(docTime, expiry);
        uint256 caseId = _bindKey(enclaveKey, id, m.epoch, docTime, expiry, attestationDocHash);
        emit EnclaveKeyRegistered(
            msg.sender, enclaveKey, id, attestationDocHash, docTime, expiry, caseId, attestationDoc, keyProof
        );
    }

    /// @dev Binds the key to msg.sender as Pending and opens its KeyApproval case with msg.value.
    function _bindKey(address enclaveKey, bytes32 id, uint32 epoch, uint64 docTime, uint64 expiry, bytes32 docHash)
        private
        returns (uint256 caseId)
    {
        EnclaveKey storage k = enclaveKeys[enclaveKey];
        if (k.node != address(0) && k.node != msg.sender) revert EnclaveKeyTaken(enclaveKey, k.node);
        if (k.revoked) revert EnclaveKeyIsRevoked(enclaveKey);
        if (k.status == KeyStatus.Rejected) revert EnclaveKeyIsRejected(enclaveKey);
        address court_ = court;
        if (court_ == address(0)) revert CourtNotSet();
        uint256 fee = IKeyApprovalCourt(court_).keyApprovalFee();
        if (msg.value != fee) revert WrongApprovalFee(msg.value, fee);
        k.node = msg.sender;
        k.measurementEpoch = epoch;
        k.docTime = docTime;
        k.expiry = expiry;
        k.nodeRegistration = registrationOf[msg.sender];
        k.status = KeyStatus.Pending;
        k.approvedAtBlock = 0;
        k.measurementId = id;
        k.attestationDocHash = docHash;
        // the court is the deployer's, set once: it does not call back into this registration
        caseId = IKeyApprovalCourt(court_).openKeyApproval{value: msg.value}(msg.sender, enclaveKey, docHash);
        k.approvalCase = caseId;
    }

    /// @notice The court records the outcome of a key's KeyApproval case: Approved (active from this
    /// block on), Rejected (for good) or NotApproved (no quorum: inactive, may register again). Only
    /// the court (NotCourt). An outcome of a case that is no longer the key's latest registration,
    /// or of a key no longer pending, changes nothing.
    function recordKeyApproval(address enclaveKey, uint256 caseId, KeyStatus outcome) external {
        if (msg.sender != court) revert NotCourt(msg.sender, court);
        EnclaveKey storage k = enclaveKeys[enclaveKey];
        if (k.approvalCase != caseId || k.status != KeyStatus.Pending || outcome < KeyStatus.Approved) return;
        k.status = outcome;
        if (outcome == KeyStatus.Approved) k.approvedAtBlock = uint64(block.number);
        emit EnclaveKeyDecided(k.node, enclaveKey, caseId, outcome, uint64(block.number));
    }

    /// @notice The key's operator retires it for good (e.g. the enclave was shut down or compromised).
    function revokeEnclaveKey(address enclaveKey) external {
        EnclaveKey storage k = enclaveKeys[enclaveKey];
        if (k.node != msg.sender) revert NotEnclaveKeyOwner(enclaveKey, k.node, msg.sender);
        k.revoked = true;
        emit EnclaveKeyRevoked(msg.sender, enclaveKey);
    }

    function enclaveKeyInfo(address enclaveKey) external view returns (EnclaveKey memory) {
        return enclaveKeys[enclaveKey];
    }

    /// @notice Whether `enclaveKey` may sign TEE receipts for `node` now: approved by a committee
    /// (its latest registration), bound by that node in its current registration (the node has not
    /// withdrawn since), not revoked, not expired, and its measurement still allowed in the epoch it
    /// was registered in.
    function isActiveEnclaveKey(address node, address enclaveKey) external view returns (bool) {
        EnclaveKey storage k = enclaveKeys[enclaveKey];
        if (k.node != node || node == address(0) || k.revoked || block.timestamp >= k.expiry) return false;
        if (k.status != KeyStatus.Approved) return false;
        if (!nodes[node].registered || k.nodeRegistration != registrationOf[node]) return false;
        MeasurementStatus storage m = measurements[k.measurementId];
        return m.allowed && m.epoch == k.measurementEpoch;
    }

    /// @notice The EIP-712 digest an enclave key signs to prove possession when `node` registers it.
    function enclaveKeyBindingDigest(address node, address enclaveKey) public view returns (bytes32) {
        bytes32 structHash = keccak256(abi.encode(ENCLAVE_KEY_BINDING_TYPEHASH, node, enclaveKey));
        return keccak256(abi.encodePacked(hex"1901", domainSeparator(), structHash));
    }

    /// @notice This registry's EIP-712 domain separator: {name "Vouch", version "1", chainid, this}.
    function domainSeparator() public view returns (bytes32) {
        return block.chainid == deployChainId ? deployDomainSeparator : _buildDomainSeparator();
    }

    /// @notice (allowed now, epoch) of a 48-byte measurement id.
    function measurementStatus(bytes calldata measurement) external view returns (bool allowed, uint32 epoch) {
        MeasurementStatus storage m = measurements[_measurementId(measurement)];
        return (m.allowed, m.epoch);
    }

    // ---- views ----

    /// @notice The node's record; `price` is what it charges now, `pendingPrice`/`pendingPriceAt` an
    /// increase announced and not yet due.
    function nodeInfo(address node) external view returns (NodeInfo memory info) {
        NodeInfo storage n = nodes[node];
        info = n;
        info.price = _priceNow(n);
        if (n.pendingPriceAt != 0 && block.timestamp >= n.pendingPriceAt) {
            info.pendingPrice = 0;
            info.pendingPriceAt = 0;
        }
    }

    function isRegistered(address node) external view returns (bool) {
        return nodes[node].registered;
    }

    function stakeOf(address node) external view returns (uint256) {
        return nodes[node].stake;
    }

    /// @notice What the node charges per request now (an announced increase counts once due).
    function priceOf(address node) external view returns (uint256) {
        return _priceNow(nodes[node]);
    }

    /// @notice The price now, and an announced increase with the time it takes effect (0, 0: none).
    function priceSchedule(address node) external view returns (uint256 current, uint256 next, uint64 effectiveAt) {
        NodeInfo storage n = nodes[node];
        current = _priceNow(n);
        if (n.pendingPriceAt != 0 && block.timestamp < n.pendingPriceAt) {
            (next, effectiveAt) = (n.pendingPrice, n.pendingPriceAt);
        }
    }

    function isEligible(address node, bytes32 modelId, uint8 level) public view returns (bool) {
        NodeInfo storage n = nodes[node];
        return n.registered && n.unbondingSince == 0 && (n.roles & ROLE_INFERENCE) != 0 && level < 3
            && (n.levels & (uint8(1) << level)) != 0 && n.stake >= minStake
            && serves[node][modelId];
    }

    function eligibleNodes(bytes32 modelId, uint8 level) external view returns (address[] memory result) {
        (result,,) = candidates(modelId, level);
    }

    /// @notice Eligible nodes with their stakes and prices, from the pool of (`modelId`, `level`): a
    /// view for clients (it visits the pool's slots, not every registered node); the hub itself
    /// draws from the pool.
    function candidates(bytes32 modelId, uint8 level)
        public
        view
        returns (address[] memory addrs, uint256[] memory stakes, uint256[] memory prices)
    {
        SortitionPools.Pool storage p = pools[_poolId(modelId, level)];
        uint256 slots = p.slots();
        uint256 count;
        for (uint256 i = 1; i <= slots; ++i) {
            address a = p.memberAt(i);
            if (a != address(0) && isEligible(a, modelId, level)) ++count;
        }
        addrs = new address[](count);
        stakes = new uint256[](count);
        prices = new uint256[](count);
        uint256 k;
        for (uint256 i = 1; i <= slots && k < count; ++i) {
            address a = p.memberAt(i);
            if (a != address(0) && isEligible(a, modelId, level)) {
                addrs[k] = a;
                stakes[k] = nodes[a].stake;
                prices[k] = _priceNow(nodes[a]);
                ++k;
            }
        }
    }

    /// @notice The total stake of the pool of nodes eligible for (`modelId`, `level`).
    function poolTotal(bytes32 modelId, uint8 level) external view returns (uint256) {
        return pools[_poolId(modelId, level)].total;
    }

    /// @notice How many nodes are in the pool of (`modelId`, `level`), and its slot count (members
    /// plus free slots).
    function poolSize(bytes32 modelId, uint8 level) external view returns (uint256 members, uint256 slots) {
        SortitionPools.Pool storage p = pools[_poolId(modelId, level)];
        return (p.size, p.slots());
    }

    /// @notice The node of the (`modelId`, `level`) pool whose stake interval holds `ticket`
    /// (0 ≤ ticket < poolTotal): a stake-weighted draw in O(log n) reads. The node may have fallen
    /// out of eligibility since its weight was set (a slash): callers check isEligible.
    function drawNode(bytes32 modelId, uint8 level, uint256 ticket) external view returns (address) {
        return pools[_poolId(modelId, level)].draw(ticket);
    }

    /// @notice The node in `slot` (1-based) of the (`modelId`, `level`) pool; address(0) if free.
    function poolMemberAt(bytes32 modelId, uint8 level, uint256 slot) external view returns (address) {
        return pools[_poolId(modelId, level)].memberAt(slot);
    }

    /// @notice Whether `node` may sit on a committee now: registered, bonded, in the validator role,
    /// with at least minStake.
    function isActiveValidator(address node) public view returns (bool) {
        NodeInfo storage n = nodes[node];
        return n.registered && n.unbondingSince == 0 && (n.roles & ROLE_VALIDATOR) != 0 && n.stake >= minStake;
    }

    /// @notice How many validators are in the validators' pool (with a positive weight).
    function validatorPoolSize() external view returns (uint256) {
        return pools[VALIDATOR_POOL].size;
    }

    /// @notice Up to `size` distinct validators drawn in proportion to their draw weight (stake up to drawWeightCap)
    /// without replacement, never one of `exclude`. Seat i: try t = 0, 1, … < DRAW_TRIES: with r =
    /// keccak256(abi.encode(seed, i, t)), the entry validatorAt(uint128(r) mod validatorCount()) is
    /// taken when it is neither excluded nor drawn already and (r >> 128) mod drawCeiling() (in gwei)
    /// is below its weight (in gwei) — each remaining validator with probability proportional to its
    /// weight. After DRAW_TRIES misses, the seat is drawn by the pool's tree instead: ticket
    /// keccak256(abi.encode(seed, i)) mod the weight still in play, mapped past the ticket intervals
    /// of the excluded and of those already drawn. The committee has `size` members whenever the
    /// pool has that many besides the excluded; with each its weight. The validators' pool holds
    /// exactly the active validators (isActiveValidator) — register, addStake, updateCapabilities,
    /// requestUnbond and slash keep it so. About 2 reads per seat whatever the number of
    /// validators (every weight is at least half the cap); the tree's O(log n) only after 16 misses.
    function drawCommittee(bytes32 seed, uint256 size, address[] calldata exclude)
        external
        view
        returns (address[] memory members, uint256[] memory stakes)
    {
        uint256 meta = validatorListMeta;
        uint256 count = uint128(meta);
        uint256 ceiling = meta >> 128;
        uint256 eligible = count; // validators neither excluded nor drawn yet
        for (uint256 i; i < exclude.length; ++i) {
            address x = exclude[i];
            if (x != address(0) && validatorEntryOf[x] != 0 && !_listed(exclude, i, x)) --eligible;
        }
        members = new address[](size);
        stakes = new uint256[](size);
        uint256 found;
        for (; found < size && eligible != 0; ++found) {
            (address a, uint256 weight) = _drawByRejection(seed, found, count, ceiling, exclude, members);
            if (a == address(0)) (a, weight) = _drawByTree(pools[VALIDATOR_POOL], seed, found, exclude, members);
            members[found] = a;
            stakes[found] = weight;
            --eligible;
        }
        assembly ("memory-safe") {
            mstore(members, found)
            mstore(stakes, found)
        }
    }

    /// @dev Rejection sampling over the dense list (drawCommittee); (0, 0) after DRAW_TRIES misses.
    function _drawByRejection(
        bytes32 seed,
        uint256 seat,
        uint256 count,
        uint256 ceiling,
        address[] calldata exclude,
        address[] memory drawn
    ) private view returns (address, uint256) {
        for (uint256 t; t < DRAW_TRIES; ++t) {
            uint256 r = uint256(keccak256(abi.encode(seed, seat, t)));
            uint256 entry = validatorEntries[uint128(r) % count];
            address a = address(uint160(entry));
            uint256 units = entry >> 160;
            if ((r >> 128) % ceiling >= units) continue;
            if (_listed(exclude, exclude.length, a) || _drawn(drawn, seat, a)) continue;
            return (a, units * SortitionPools.UNIT);
        }
        return (address(0), 0);
    }

    /// @dev The tree's draw for seat `seat`: the intervals of the excluded and of the first `seat`
    /// members are cut out of [0, total) and the ticket mapped past them.
    function _drawByTree(
        SortitionPools.Pool storage p,
        bytes32 seed,
        uint256 seat,
        address[] calldata exclude,
        address[] memory drawn
    ) private view returns (address a, uint256 weight) {
        Cut memory cut = Cut(new uint256[](exclude.length + seat), new uint256[](exclude.length + seat), 0, p.total);
        for (uint256 i; i < exclude.length; ++i) {
            address x = exclude[i];
            if (x == address(0) || _listed(exclude, i, x)) continue;
            (uint256 start, uint256 w) = p.rangeOf(x);
            _cutOut(cut, start, w);
        }
        for (uint256 i; i < seat; ++i) {
            (uint256 start, uint256 w) = p.rangeOf(drawn[i]);
            _cutOut(cut, start, w);
        }
        uint256 t = uint256(keccak256(abi.encode(seed, seat))) % cut.remaining;
        for (uint256 j; j < cut.n && t >= cut.starts[j]; ++j) {
            t += cut.weights[j];
        }
        (a,, weight) = p.drawWithRange(t);
    }

    /// @notice How many validators the dense list holds (validatorPoolSize; drawCommittee's count).
    function validatorCount() external view returns (uint256) {
        return uint128(validatorListMeta);
    }

    /// @notice The largest draw weight the validators' list ever held, in wei (at most
    /// drawWeightCap): drawCommittee keeps an entry with probability weight / drawCeiling().
    function drawCeiling() external view returns (uint256) {
        return (validatorListMeta >> 128) * SortitionPools.UNIT;
    }

    /// @notice The dense list's entry `index`: a validator and its draw weight in wei (drawCommittee).
    function validatorAt(uint256 index) external view returns (address validator, uint256 weight) {
        uint256 count = uint128(validatorListMeta);
        if (index >= count) revert NodeIndexOutOfRange(index, count);
        uint256 entry = validatorEntries[index];
        return (address(uint160(entry)), (entry >> 160) * SortitionPools.UNIT);
    }

    /// @notice `node`'s ticket interval in the validators' pool: tickets [start, start + weight)
    /// draw it (weight 0: not in the pool). What a client needs to replay drawCommittee.
    function validatorRange(address node) external view returns (uint256 start, uint256 weight) {
        return pools[VALIDATOR_POOL].rangeOf(node);
    }

    /// @dev Ticket intervals cut out of a draw, sorted by start, and the stake still in play.
    struct Cut {
        uint256[] starts;
        uint256[] weights;
        uint256 n;
        uint256 remaining;
    }

    function _cutOut(Cut memory cut, uint256 start, uint256 weight) private pure {
        if (weight == 0) return;
        uint256 i = cut.n;
        while (i != 0 && cut.starts[i - 1] > start) {
            cut.starts[i] = cut.starts[i - 1];
            cut.weights[i] = cut.weights[i - 1];
            --i;
        }
        cut.starts[i] = start;
        cut.weights[i] = weight;
        cut.n += 1;
        cut.remaining -= weight;
    }

    function _drawn(address[] memory list, uint256 n, address a) private pure returns (bool) {
        for (uint256 i; i < n; ++i) {
            if (list[i] == a) return true;
        }
        return false;
    }

    function _listed(address[] calldata list, uint256 n, address a) private pure returns (bool) {
        for (uint256 i; i < n; ++i) {
            if (list[i] == a) return true;
        }
        return false;
    }

    /// @notice The total stake of the validators' pool.
    function validatorPoolTotal() external view returns (uint256) {
        return pools[VALIDATOR_POOL].total;
    }

    /// @notice A stake-weighted draw from the validators' pool (0 ≤ ticket < validatorPoolTotal).
    function drawValidator(uint256 ticket) external view returns (address) {
        return pools[VALIDATOR_POOL].draw(ticket);
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

    function _measurementId(bytes calldata measurement) private pure returns (bytes32) {
        if (measurement.length != MEASUREMENT_LENGTH) revert InvalidMeasurementLength(measurement.length);
        return keccak256(measurement);
    }

    function _checkDocument(bytes32 declared, bytes calldata doc) private pure {
        if (doc.length == 0) revert EmptyAttestationDocument();
        bytes32 actual = keccak256(doc);
        if (actual != declared) revert AttestationDocHashMismatch(declared, actual);
    }

    /// @dev The enclave key itself signed EnclaveKeyBinding(msg.sender, enclaveKey) here: 65 bytes
    /// r ‖ s ‖ v, v in {27, 28}, s in the lower half (as the hub checks receipts).
    function _checkKeyProof(address enclaveKey, bytes calldata signature) private view {
        if (signature.length != 65) revert InvalidSignatureLength(signature.length);
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v != 27 && v != 28) revert InvalidSignatureV(v);
        if (uint256(s) > HALF_ORDER) revert MalleableSignature();
        address recovered = ecrecover(enclaveKeyBindingDigest(msg.sender, enclaveKey), v, r, s);
        if (recovered != enclaveKey) revert InvalidEnclaveKeyProof(enclaveKey, recovered);
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256("Vouch"), keccak256("1"), block.chainid, address(this)));
    }

    function _checkLifetime(uint64 docTime, uint64 expiry) private view {
        uint64 now_ = uint64(block.timestamp);
        if (docTime > now_ + MAX_ATTESTATION_CLOCK_SKEW) revert AttestationFromFuture(docTime, now_);
        if (expiry <= now_) revert EnclaveKeyExpired(expiry, now_);
        uint64 latest = docTime + maxAttestationTtl;
        if (expiry > latest) revert AttestationTtlTooLong(expiry, latest);
    }

    function _registered(address node) private view returns (NodeInfo storage n) {
        n = nodes[node];
        if (!n.registered) revert NotRegistered(node);
    }

    function _checkCapabilities(uint8 roles, string calldata endpoint, uint8 levels) private pure {
        if (roles == 0 || roles & ~ALL_ROLES != 0) revert InvalidRoles(roles);
        if (levels & ~ALL_LEVELS != 0 || ((roles & ROLE_INFERENCE) != 0 && levels == 0)) revert InvalidLevels(levels);
        if (bytes(endpoint).length == 0) revert EmptyEndpoint();
    }

    function _poolId(bytes32 modelId, uint8 level) private pure returns (bytes32) {
        return keccak256(abi.encode(modelId, level));
    }

    /// @dev Sets `node`'s weight to `weight` in every pool its roles, models and levels put it in
    /// (0: leaves them). Loops over the node's own models (at most MAX_MODELS_PER_NODE), never over
    /// other nodes.
    function _syncPools(address node, NodeInfo storage n, uint256 weight) private {
        if (weight != 0 && n.stake < minStake) weight = 0;
        if ((n.roles & ROLE_INFERENCE) != 0) {
            bytes32[] storage ms = n.models;
            for (uint256 i; i < ms.length; ++i) {
                for (uint8 level; level < 3; ++level) {
                    if ((n.levels & (uint8(1) << level)) != 0) pools[_poolId(ms[i], level)].set(node, weight);
                }
            }
        }
        if ((n.roles & ROLE_VALIDATOR) != 0) _setValidatorWeight(node, weight);
    }

    /// @dev A validator's draw weight (its stake up to drawWeightCap; 0 leaves) in the pool's tree and
    /// in the dense list, kept equal.
    function _setValidatorWeight(address node, uint256 stake) private {
        uint256 weight = stake < drawWeightCap ? stake : drawWeightCap;
        SortitionPools.Pool storage p = pools[VALIDATOR_POOL];
        p.set(node, weight);
        uint256 units = p.weightOf(node) / SortitionPools.UNIT;
        uint256 index = validatorEntryOf[node];
        uint256 meta = validatorListMeta;
        uint256 count = uint128(meta);
        uint256 ceiling = meta >> 128;
        if (units != 0) {
            uint256 entry = uint256(uint160(node)) | (units << 160);
            if (index == 0) {
                validatorEntries[count] = entry;
                validatorEntryOf[node] = ++count;
            } else {
                validatorEntries[index - 1] = entry;
            }
            if (units > ceiling) ceiling = units;
        } else if (index != 0) {
            uint256 last = validatorEntries[--count];
            validatorEntries[index - 1] = last;
            validatorEntryOf[address(uint160(last))] = index;
            delete validatorEntries[count];
            delete validatorEntryOf[node];
        } else {
            return;
        }
        validatorListMeta = count | (ceiling << 128);
    }

    function _setCapabilities(
        address node,
        NodeInfo storage n,
        string calldata endpoint,
        uint8 levels,
        uint256 price,
        bytes32[] calldata models
    ) private {
        if (models.length > MAX_MODELS_PER_NODE) revert TooManyModels(models.length, MAX_MODELS_PER_NODE);
        _clearModels(node, n);
        n.endpoint = endpoint;
        n.levels = levels;
        _setPrice(node, n, price);
        for (uint256 i; i < models.length; ++i) {
            serves[node][models[i]] = true;
            n.models.push(models[i]);
        }
    }

    /// @dev Lower or equal: at once. Higher: announced, due after priceIncreaseDelay. Announcing the
    /// increase already pending keeps its time (a node republishes its capabilities whenever its
    /// models change); another higher price restarts the delay.
    function _setPrice(address node, NodeInfo storage n, uint256 price) private {
        uint256 current = _priceNow(n);
        if (n.pendingPriceAt != 0 && block.timestamp < n.pendingPriceAt && price == n.pendingPrice) {
            n.price = current;
            return;
        }
        if (price <= current) {
            n.price = price;
            n.pendingPrice = 0;
            n.pendingPriceAt = 0;
            return;
        }
        uint64 effectiveAt = uint64(block.timestamp) + priceIncreaseDelay;
        n.price = current;
        n.pendingPrice = price;
        n.pendingPriceAt = effectiveAt;
        emit PriceIncreaseScheduled(node, current, price, effectiveAt);
    }

    function _priceNow(NodeInfo storage n) private view returns (uint256) {
        uint64 due = n.pendingPriceAt;
        return due != 0 && block.timestamp >= due ? n.pendingPrice : n.price;
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
