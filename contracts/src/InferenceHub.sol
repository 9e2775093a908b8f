// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {NodeRegistry} from "./NodeRegistry.sol";
import {ModelRegistry} from "./ModelRegistry.sol";
import {IVouchConsumer} from "./IVouchConsumer.sol";
import {IVerificationCourt} from "./IVerificationCourt.sol";

/// @title InferenceHub — requests, assignment, results, settlement and the direct path's vouchers.
/// @notice On-chain path: request() escrows the fee and assigns a node; the node submitResult()s a
/// receipt signed with its staked key (EIP-712, domain {Vouch, 1, chainid, this}); after the model's
/// challenge window anyone may finalize(), which pays the node its price and the model owner its fee,
/// refunds the rest and calls the requester's callback with finalized = true. A request whose node
/// missed the deadline is reassigned (bounded attempts) or refunded with an error callback.
/// TEE level (1): the receipt must be signed by an enclave key that the NodeRegistry holds active for
/// the assigned node (registered by it, unexpired, not revoked, measurement still allowed); such a
/// result is final at once — submitResult settles it in the same transaction, with no challenge window.
/// Verification: when a VerificationCourt is wired (setCourt) and in session at request time (it has
/// validators), a VANILLA or ZKML request is routed through it: the escrow must also cover the
/// court's verificationFee(), each submission opens a case there, a ZKML result is settled only by a
/// committee's VALID quorum (settleVerified, which also pays the validators who voted with it), a
/// VANILLA result finalizes by its window only once the court clears it (not drawn for audit, no
/// challenge pending), and an INVALID quorum makes the court call rejectResult: the node is slashed
/// and the request goes to another node or is refunded in full. Without a court in session the hub
/// behaves as before it had one (README: what such a deployment guarantees).
/// Direct path: a payer deposit()s, then locks funds into a channel per node (fundChannel); that node
/// alone redeems cumulative vouchers signed by the payer against its channel, so every voucher a node
/// accepted within its channel's locked balance stays redeemable. Funds leave a channel only through
/// a delayed unlock that the node can see (requestUnlock, then unlockChannel after
/// channelUnlockDelay); unlocked and never-locked deposits are withdrawn at once. Nodes post Merkle
/// roots of the receipts they served. contracts/README.md states the safety argument.
/// Leaving: a node that withdrew from the NodeRegistry can no longer submit results, and the
/// constructor requires unbondingDelay >= maxAttempts * maxDeadlineSeconds + the challenge window, so
/// a node's stake stays slashable for as long as any result of its can still be challenged.
/// @dev Reentrancy: every external call (payouts, callbacks) comes after all state changes of the
/// call (checks-effects-interactions) and payouts forward a fixed gas stipend. Callbacks are not
/// under a lock on purpose, so that a consumer may open a new request from its callback.
/// Accounting: address(this).balance == totalEscrowed + totalDeposits + totalOwed at all times.
contract InferenceHub {
    enum Status {
        None,
        Assigned,
        Submitted,
        Finalized,
        Refunded
    }

    /// Why ETH left the hub (event FundsReleased) or was set aside for the recipient to claim.
    enum Payout {
        NodeFee,
        ModelFee,
        Refund,
        Voucher,
        DepositWithdrawal,
        OwedClaim,
        VerificationFee
    }

    /// A request as getRequest returns it (the ABI's view; storage holds a Record).
    struct Request {
        address requester;
        uint64 deadline;
        Status status;
        uint8 level;
        uint8 attempts;
        bool fastDelivery;
        address node;
        uint64 submittedAt;
        uint32 callbackGasLimit;
        address callback;
        uint32 challengeWindow;
        uint32 timeout; // seconds a node gets; a reassigned node gets the same
        bool viaCourt; // routed through the court: its escrow reserves verificationFee
        address modelOwner;
        uint96 maxFee;
        uint128 nodePrice;
        uint128 modelFee;
        bytes32 modelId;
        bytes32 inputHash;
        bytes32 outputHash;
    }

    /// A request as stored: four packed slots and the hashes. The model's owner and fee are not
    /// copied: a published model version never changes, so they are read from the ModelRegistry when
    /// needed (getRequest returns them in Request).
    struct Record {
        // slot 0
        address requester;
        uint64 deadline;
        Status status;
        uint8 level;
        uint8 attempts;
        bool fastDelivery;
        // slot 1
        address node;
        uint64 submittedAt;
        uint32 callbackGasLimit;
        // slot 2
        address callback;
        uint32 challengeWindow;
        uint32 timeout; // seconds a node gets; a reassigned node gets the same
        bool viaCourt; // routed through the court: its escrow reserves verificationFee
        // slot 3
        uint96 maxFee;
        uint96 nodePrice; // ≤ maxFee
        bytes32 modelId;
        bytes32 inputHash;
        bytes32 outputHash;
    }


    /// A payer's funds locked for one node: only that node can take them (redeemVoucher), and the
    /// payer gets them back only through an unlock the node sees coming.
    struct Channel {
        uint128 balance; // what the node can still redeem
        uint128 unlocking; // the part of balance the payer asked back (0: none)
        uint64 unlockAt; // when the unlock may be executed (0: none pending)
    }

    struct Batch {
        bytes32 root;
        address node;
        uint32 count;
        uint64 postedAt;
    }

    /// The EIP-712 Receipt's fields, for verifyReceiptInclusionByFields.
    struct Receipt {
        bytes32 requestId;
        bytes32 modelId;
        bytes32 inputHash;
        bytes32 outputHash;
        uint8 level;
        bytes32 evidenceHash;
        address node;
        uint64 timestamp;
        uint64 sequence;
    }

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 public constant RECEIPT_TYPEHASH = keccak256(
        "Receipt(bytes32 requestId,bytes32 modelId,bytes32 inputHash,bytes32 outputHash,uint8 level,bytes32 evidenceHash,address node,uint64 timestamp,uint64 sequence)"
    );
    bytes32 public constant VOUCHER_TYPEHASH = keccak256("Voucher(address payer,address node,uint256 cumulativeAmount)");
    /// secp256k1 n / 2: signatures with a larger s are malleable and refused.
    uint256 private constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    /// Gas forwarded with a payout: enough for a contract's receive() to log, not to do real work.
    uint256 public constant PAYOUT_GAS = 30_000;
    /// Gas kept back around a callback for the rest of settlement.
    uint256 private constant CALLBACK_RESERVE = 20_000;
    uint256 private constant MAX_FEE = type(uint96).max;
    uint8 public constant LEVEL_TEE = 1;
    uint8 public constant LEVEL_ZKML = 2;
    /// ResultSubmitted.finalizableAt of a result only a quorum can settle: 2^63 − 1 (fits a signed
    /// 64-bit integer, so clients read it as "never" without overflow).
    uint64 public constant NEVER = uint64(type(uint64).max >> 1);
    /// Stake-weighted draws from a model's pool before assignment gives up on luck (see _choose).
    uint256 public constant MAX_DRAWS = 8;
    /// A pool of at most this many slots is scanned after the draws, so small pools never miss.
    uint256 public constant SCAN_LIMIT = 32;
    /// Receipt Merkle tree: a leaf is keccak256(0x00 ‖ node ‖ receiptDigest), an inner node
    /// keccak256(0x01 ‖ min(a, b) ‖ max(a, b)); the tags keep the two apart.
    bytes1 private constant MERKLE_LEAF_TAG = 0x00;
    bytes1 private constant MERKLE_NODE_TAG = 0x01;

    NodeRegistry public immutable nodes;
    ModelRegistry public immutable models;
    uint64 public immutable maxDeadlineSeconds;
    uint32 public immutable maxCallbackGas;
    uint8 public immutable maxAttempts;
    /// Seconds between requestUnlock and unlockChannel: the node's time to redeem what it accepted.
    uint64 public immutable channelUnlockDelay;
    uint256 private immutable deployChainId;
    bytes32 private immutable deployDomainSeparator;
    address private immutable deployer;

    /// The VerificationCourt (setCourt, once) and what a request routed through it reserves.
    address public court;
    uint96 public verificationFee;

    // one slot, written by every request (requestCount() and totalEscrowed() read them)
    uint64 private requestCounter;
    uint192 private escrowed; // ≤ the ether in existence
    mapping(uint256 => Record) private requests;
    mapping(uint256 => bytes) private outputs; // kept only when a callback needs them at finalize
    mapping(uint256 => mapping(address => bool)) private tried;

    mapping(address => uint256) public depositOf; // a payer's funds not locked for any node
    mapping(address => mapping(address => Channel)) private channels; // payer => node
    mapping(address => mapping(address => uint256)) public redeemedOf; // payer => node => wei paid
    mapping(address => uint256) public owedTo;
    Batch[] private batches;

    uint256 public totalDeposits; // free deposits and channel balances together
    uint256 public totalOwed;

    // request()
    error UnknownModel(bytes32 modelId);
    error LevelNotAllowed(bytes32 modelId, uint8 level, uint8 allowedLevels);
    error DeadlinePassed(uint64 deadline, uint64 now_);
    error DeadlineTooFar(uint64 deadline, uint64 latestAllowed);
    error InputHashMismatch(bytes32 declared, bytes32 actual);
    error CallbackGasTooHigh(uint32 requested, uint32 maximum);
    error CallbackNotContract(address callback);
    error FeeTooLow(uint256 required, uint256 offered);
    error FeeTooHigh(uint256 offered, uint256 maximum);
    error NoEligibleNode(bytes32 modelId, uint8 level);
    // results
    error UnknownRequest(uint256 requestId);
    error RequestNotAssigned(uint256 requestId, Status status);
    error ResultAlreadySubmitted(uint256 requestId);
    error NotAssignedNode(uint256 requestId, address assigned, address caller);
    error SubmissionAfterDeadline(uint256 requestId, uint64 deadline, uint64 now_);
    error OutputHashMismatch(bytes32 declared, bytes32 actual);
    error InvalidReceiptSigner(address expected, address recovered);
    error InactiveEnclaveKey(address node, address signer);
    error RequestNotSubmitted(uint256 requestId, Status status);
    error ChallengeWindowOpen(uint256 requestId, uint64 finalizableAt);
    error DeadlineNotReached(uint256 requestId, uint64 deadline);
    error InsufficientGasForCallback(uint256 available, uint256 needed);
    error AssignedNodeLeft(uint256 requestId, address node);
    error VerificationPending(uint256 requestId);
    error NotCourt(address caller, address court);
    error CourtAlreadySet(address court);
    error NotDeployer(address caller);
    error VerificationFeeExceeded(uint256 requested, uint256 reserved);
    // deployment
    error UnbondingDelayTooShort(
        uint64 unbondingDelay, uint256 required, uint8 maxAttempts, uint64 maxDeadlineSeconds, uint32 challengeWindow
    );
    // signatures
    error InvalidSignatureLength(uint256 length);
    error InvalidSignatureV(uint8 v);
    error MalleableSignature();
    // direct path
    error ZeroAmount();
    error InsufficientDeposit(address payer, uint256 available, uint256 requested);
    error InsufficientChannel(address payer, address node, uint256 available, uint256 requested);
    error NoUnlockPending(address payer, address node);
    error UnlockNotDue(address payer, address node, uint64 unlockAt);
    error AmountTooLarge(uint256 amount);
    error InvalidVoucherSigner(address payer, address recovered);
    error VoucherAlreadyRedeemed(address payer, address node, uint256 cumulativeAmount, uint256 alreadyRedeemed);
    error NotRegisteredNode(address node);
    error EmptyBatch();
    error ZeroRoot();
    error UnknownBatch(uint256 batchId, uint256 batchCount);
    error NothingOwed(address account);
    error TransferFailed(address to, uint256 amount);

    event InferenceRequested(
        uint256 indexed requestId,
        address indexed requester,
        bytes32 indexed modelId,
        uint8 level,
        uint256 maxFee,
        bytes32 inputHash,
        bytes input
    );
    event RequestAssigned(uint256 indexed requestId, address indexed node, uint64 deadline, uint8 attempt);
    event ResultSubmitted(
        uint256 indexed requestId,
        address indexed node,
        bytes32 outputHash,
        bytes32 evidenceHash,
        bytes output,
        uint64 finalizableAt
    );
    event RequestFinalized(
        uint256 indexed requestId, address indexed node, bytes32 outputHash, uint256 nodePaid, uint256 modelFee, uint256 refund
    );
    event RequestRefunded(uint256 indexed requestId, address indexed requester, uint256 amount, string reason);
    /// The court's committee found the result of `node` invalid (slashed: what its stake paid), or
    /// could not reach a quorum on it (slashed 0); the request is reassigned or refunded next.
    event ResultRejected(uint256 indexed requestId, address indexed node, uint256 slashed, string reason);
    event CourtSet(address court, uint256 verificationFee);
    event CallbackDelivered(uint256 indexed requestId, address indexed callback, bool finalized);
    event CallbackFailed(uint256 indexed requestId, address indexed callback, bool finalized);
    event FundsReleased(address indexed to, uint256 amount, Payout kind, uint256 indexed ref);
    event PayoutDeferred(address indexed to, uint256 amount, Payout kind, uint256 indexed ref);
    event Deposited(address indexed payer, uint256 amount, uint256 balance);
    event DepositWithdrawn(address indexed payer, uint256 amount, uint256 balance);
    event ChannelFunded(address indexed payer, address indexed node, uint256 amount, uint256 channelBalance);
    event UnlockRequested(address indexed payer, address indexed node, uint256 amount, uint64 unlockAt);
    event ChannelUnlocked(address indexed payer, address indexed node, uint256 amount, uint256 channelBalance);
    event VoucherRedeemed(
        address indexed payer, address indexed node, uint256 cumulativeAmount, uint256 paid, uint256 shortfall
    );
    event ReceiptRootPosted(uint256 indexed batchId, address indexed node, bytes32 root, uint32 count);

    /// @dev Refuses (UnbondingDelayTooShort) a NodeRegistry whose unbondingDelay is shorter than the
    /// longest a request can stay open plus the challenge window, maxAttempts * maxDeadlineSeconds +
    /// ModelRegistry.defaultChallengeWindow (every model's window): otherwise a node could withdraw its
    /// stake while a result of its can still be challenged.
    constructor(
        NodeRegistry nodes_,
        ModelRegistry models_,
        uint64 maxDeadlineSeconds_,
        uint32 maxCallbackGas_,
        uint8 maxAttempts_,
        uint64 channelUnlockDelay_
    ) {
        uint8 attempts = maxAttempts_ == 0 ? 1 : maxAttempts_;
        uint32 window = models_.defaultChallengeWindow();
        uint64 unbonding = nodes_.unbondingDelay();
        uint256 required = uint256(attempts) * maxDeadlineSeconds_ + window;
        if (unbonding < required || maxDeadlineSeconds_ > type(uint32).max) {
            revert UnbondingDelayTooShort(unbonding, required, attempts, maxDeadlineSeconds_, window);
        }
        nodes = nodes_;
        models = models_;
        maxDeadlineSeconds = maxDeadlineSeconds_;
        maxCallbackGas = maxCallbackGas_;
        maxAttempts = attempts;
        channelUnlockDelay = channelUnlockDelay_;
        deployChainId = block.chainid;
        deployDomainSeparator = _buildDomainSeparator();
        deployer = msg.sender;
    }

    /// @notice Wires the VerificationCourt, once, by the deployer, and records what a request routed
    /// through it reserves (the court's verificationFee, fixed at its deployment).
    function setCourt(address court_) external {
        if (msg.sender != deployer) revert NotDeployer(msg.sender);
        if (court != address(0)) revert CourtAlreadySet(court);
        uint256 fee = IVerificationCourt(court_).verificationFee();
        if (fee > MAX_FEE) revert FeeTooHigh(fee, MAX_FEE);
        court = court_;
        verificationFee = uint96(fee);
        emit CourtSet(court_, fee);
    }

    // =============================================================== on-chain requests

    /// @notice Escrows msg.value as the maximum fee and assigns a node. See the README for each revert.
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
    ) external payable returns (uint256 requestId) {
        _checkDeadline(deadline);
        if (input.length != 0 && keccak256(input) != inputHash) revert InputHashMismatch(inputHash, keccak256(input));
        if (callbackGasLimit > maxCallbackGas) revert CallbackGasTooHigh(callbackGasLimit, maxCallbackGas);
        if (callback != address(0) && callback.code.length == 0) revert CallbackNotContract(callback);
        if (msg.value > MAX_FEE) revert FeeTooHigh(msg.value, MAX_FEE);

        requestId = ++requestCounter;
        Record storage r = requests[requestId];
        uint256 modelFee = _setModelTerms(r, modelId, level);
        r.requester = msg.sender;
        r.fastDelivery = fastDelivery;
        r.callback = callback;
        r.callbackGasLimit = callbackGasLimit;
        r.timeout = uint32(deadline - block.timestamp);
        r.maxFee = uint96(msg.value);
        r.inputHash = inputHash;
        escrowed += uint192(msg.value); // msg.value ≤ MAX_FEE
        _announce(requestId, r, input);
        _assignOrRevert(requestId, r, preferredNode, deadline, modelFee);
    }

    function _announce(uint256 requestId, Record storage r, bytes calldata input) private {
        emit InferenceRequested(requestId, r.requester, r.modelId, r.level, r.maxFee, r.inputHash, input);
    }

    function _setModelTerms(Record storage r, bytes32 modelId, uint8 level) private returns (uint256 modelFee) {
        bool exists;
        uint8 levels;
        uint32 window;
        (exists,, levels, modelFee, window) = models.termsOf(modelId);
        if (!exists) revert UnknownModel(modelId);
        if (level > 2 || levels & (uint8(1) << level) == 0) revert LevelNotAllowed(modelId, level, levels);
        r.modelId = modelId;
        r.level = level;
        r.challengeWindow = window;
        address c = court;
        if (level != LEVEL_TEE && c != address(0) && IVerificationCourt(c).inSession()) r.viaCourt = true;
    }

    /// @dev What the fee must cover besides the node: the model fee, and the committee's fees when
    /// the request is routed through the court.
    function _reserved(Record storage r, uint256 modelFee) private view returns (uint256) {
        return r.viaCourt ? modelFee + verificationFee : modelFee;
    }

    function _assignOrRevert(uint256 requestId, Record storage r, address preferredNode, uint64 deadline, uint256 modelFee)
        private
    {
        (bool assigned, uint256 cheapest, bool any) = _assign(requestId, r, preferredNode, deadline, modelFee);
        if (!assigned) {
            if (!any) revert NoEligibleNode(r.modelId, r.level);
            revert FeeTooLow(_reserved(r, modelFee) + cheapest, r.maxFee);
        }
    }

    /// @notice The assigned node posts its result and the receipt it signed over it.
    /// @param output the canonical output tensor, or empty to post the hash only (then a consumer's
    /// callback receives empty output).
    function submitResult(
        uint256 requestId,
        bytes32 outputHash,
        bytes calldata output,
        bytes32 evidenceHash,
        uint64 timestamp,
        uint64 sequence,
        bytes calldata signature
    ) external {
        Record storage r = _existing(requestId);
        if (r.status != Status.Assigned) {
            if (r.status == Status.Submitted || r.status == Status.Finalized) revert ResultAlreadySubmitted(requestId);
            revert RequestNotAssigned(requestId, r.status);
        }
        if (msg.sender != r.node) revert NotAssignedNode(requestId, r.node, msg.sender);
        // A node that withdrew has no stake left to answer for the result.
        if (!nodes.isRegistered(msg.sender)) revert AssignedNodeLeft(requestId, msg.sender);
        if (block.timestamp > r.deadline) {
            revert SubmissionAfterDeadline(requestId, r.deadline, uint64(block.timestamp));
        }
        if (output.length != 0 && keccak256(output) != outputHash) {
            revert OutputHashMismatch(outputHash, keccak256(output));
        }
        _requireNodeSignature(requestId, r, outputHash, evidenceHash, timestamp, sequence, signature);

        r.status = Status.Submitted;
        r.submittedAt = uint64(block.timestamp);
        r.outputHash = outputHash;
        if (r.level == LEVEL_TEE) {
            // An active enclave key signed it: final now, nothing to wait for.
            emit ResultSubmitted(requestId, msg.sender, outputHash, evidenceHash, output, uint64(block.timestamp));
            _settle(requestId, r, output, new address[](0), 0);
            return;
        }
        _awaitVerification(requestId, r, evidenceHash, output);
    }

    /// @dev A VANILLA or ZKML result waits: for its window, and for the court when the request is
    /// routed there (a case opens; a routed ZKML result has no time at which it finalizes by itself,
    /// finalizableAt = NEVER: only a quorum settles it). Fast delivery calls back now.
    function _awaitVerification(uint256 requestId, Record storage r, bytes32 evidenceHash, bytes calldata output)
        private
    {
        if (r.callback != address(0) && output.length != 0) outputs[requestId] = output;
        uint64 finalizableAt = uint64(block.timestamp) + r.challengeWindow;
        if (r.viaCourt) {
            IVerificationCourt(court).open(requestId, r.attempts, r.node, r.level, r.modelId, r.outputHash, evidenceHash);
            if (r.level == LEVEL_ZKML) finalizableAt = NEVER;
        }
        emit ResultSubmitted(requestId, r.node, r.outputHash, evidenceHash, output, finalizableAt);
        if (r.fastDelivery) _deliverResult(requestId, r, output, false);
    }

    /// @dev Rebuilds the receipt from the request and checks its signer: the assigned node's staked key,
    /// or for TEE an enclave key active for that node (the receipt's `node` field is the node either way).
    function _requireNodeSignature(
        uint256 requestId,
        Record storage r,
        bytes32 outputHash,
        bytes32 evidenceHash,
        uint64 timestamp,
        uint64 sequence,
        bytes calldata signature
    ) private view {
        bytes32 structHash = keccak256(
            abi.encode(
                RECEIPT_TYPEHASH,
                bytes32(requestId),
                r.modelId,
                r.inputHash,
                outputHash,
                r.level,
                evidenceHash,
                r.node,
                timestamp,
                sequence
            )
        );
        address signer = _recover(_hashTyped(structHash), signature);
        if (r.level == LEVEL_TEE) {
            if (signer == address(0) || !nodes.isActiveEnclaveKey(r.node, signer)) {
                revert InactiveEnclaveKey(r.node, signer);
            }
        } else if (signer != r.node) {
            revert InvalidReceiptSigner(r.node, signer);
        }
    }

    function _deliverResult(uint256 requestId, Record storage r, bytes memory output, bool finalized) private {
        _callback(
            requestId,
            r.callback,
            r.callbackGasLimit,
            abi.encodeCall(IVouchConsumer.onInferenceResult, (requestId, r.outputHash, output, finalized)),
            finalized
        );
    }

    /// @notice Settles a submitted result once its challenge window is over. Anyone may call.
    function finalize(uint256 requestId) external {
        Record storage r = _existing(requestId);
        if (r.status != Status.Submitted) revert RequestNotSubmitted(requestId, r.status);
        uint64 finalizableAt = r.submittedAt + r.challengeWindow;
        if (block.timestamp < finalizableAt) revert ChallengeWindowOpen(requestId, finalizableAt);
        if (r.viaCourt && !IVerificationCourt(court).clears(requestId, r.attempts)) revert VerificationPending(requestId);
        bytes memory output = outputs[requestId];
        delete outputs[requestId];
        _settle(requestId, r, output, new address[](0), 0);
    }

    /// @dev Pays the node, the model owner and `validators` `feeEach` each, refunds the rest and calls
    /// back with finalized = true.
    function _settle(
        uint256 requestId,
        Record storage r,
        bytes memory output,
        address[] memory validators,
        uint256 feeEach
    ) private {
        r.status = Status.Finalized;
        uint256 maxFee = r.maxFee;
        uint256 nodePaid = r.nodePrice;
        (, address modelOwner,, uint256 modelFee,) = models.termsOf(r.modelId);
        uint256 refund = maxFee - nodePaid - modelFee - validators.length * feeEach;
        escrowed -= uint192(maxFee);
        emit RequestFinalized(requestId, r.node, r.outputHash, nodePaid, modelFee, refund);

        _pay(r.node, nodePaid, Payout.NodeFee, requestId);
        _pay(modelOwner, modelFee, Payout.ModelFee, requestId);
        for (uint256 i; i < validators.length; ++i) {
            _pay(validators[i], feeEach, Payout.VerificationFee, requestId);
        }
        _pay(r.requester, refund, Payout.Refund, requestId);
        _deliverResult(requestId, r, output, true);
    }

    /// @notice After the deadline of an assigned request: gives it to another eligible node (while
    /// attempts remain), else refunds the whole fee and calls the error callback. Anyone may call.
    function reassignOrRefund(uint256 requestId) external {
        Record storage r = _existing(requestId);
        if (r.status != Status.Assigned) revert RequestNotAssigned(requestId, r.status);
        if (block.timestamp <= r.deadline) revert DeadlineNotReached(requestId, r.deadline);
        _reassignOrRefund(requestId, r, true, "no node delivered a result before the deadline");
    }

    // =============================================================== the court's verdicts

    /// @notice The court: a committee's VALID quorum on the result of (`requestId`, `attempt`).
    /// Settles it at once: the node its price, the model owner its fee, each of `validators` (those
    /// who voted with the quorum) `feeEach` from the reserved verification fee, the rest back to
    /// the requester, then the callback with finalized = true.
    function settleVerified(uint256 requestId, uint8 attempt, address[] calldata validators, uint256 feeEach)
        external
    {
        Record storage r = _forCourt(requestId, attempt);
        uint256 fees = validators.length * feeEach;
        if (fees > verificationFee) revert VerificationFeeExceeded(fees, verificationFee);
        bytes memory output = outputs[requestId];
        delete outputs[requestId];
        _settle(requestId, r, output, validators, feeEach);
    }

    /// @notice The court: the result of (`requestId`, `attempt`) is rejected — found invalid by a
    /// quorum (`slashAmount` of the node's stake goes to the court for the validators and the
    /// challenger who caught it) or not verifiable (no quorum; `slashAmount` 0). The requester loses
    /// nothing: the escrow goes whole to another node when `reassign` and attempts remain, else
    /// back to the requester with the error callback (`reason`). Returns what the stake paid.
    function rejectResult(uint256 requestId, uint8 attempt, uint256 slashAmount, bool reassign, string calldata reason)
        external
        returns (uint256 slashed)
    {
        Record storage r = _forCourt(requestId, attempt);
        delete outputs[requestId];
        if (slashAmount != 0) slashed = nodes.slash(r.node, slashAmount, msg.sender);
        emit ResultRejected(requestId, r.node, slashed, reason);
        _reassignOrRefund(requestId, r, reassign, reason);
    }

    function _forCourt(uint256 requestId, uint8 attempt) private view returns (Record storage r) {
        if (msg.sender != court || msg.sender == address(0)) revert NotCourt(msg.sender, court);
        r = requests[requestId];
        if (r.status != Status.Submitted || r.attempts != attempt) revert RequestNotSubmitted(requestId, r.status);
    }

    /// @dev Gives the request to another eligible, untried node with the same timeout (when
    /// `reassign` and attempts remain), else refunds the whole fee with the error callback.
    function _reassignOrRefund(uint256 requestId, Record storage r, bool reassign, string memory reason) private {
        if (reassign && r.attempts < maxAttempts) {
            (,,, uint256 modelFee,) = models.termsOf(r.modelId);
            (bool assigned,,) = _assign(requestId, r, address(0), uint64(block.timestamp) + r.timeout, modelFee);
            if (assigned) return;
        }
        r.status = Status.Refunded;
        uint256 amount = r.maxFee;
        escrowed -= uint192(amount);
        emit RequestRefunded(requestId, r.requester, amount, reason);
        _pay(r.requester, amount, Payout.Refund, requestId);
        _callback(
            requestId,
            r.callback,
            r.callbackGasLimit,
            abi.encodeCall(IVouchConsumer.onInferenceError, (requestId, reason)),
            true
        );
    }

    /// @notice Takes a payout whose push failed (e.g. a contract that rejects ETH).
    function claim() external {
        uint256 amount = owedTo[msg.sender];
        if (amount == 0) revert NothingOwed(msg.sender);
        owedTo[msg.sender] = 0;
        totalOwed -= amount;
        emit FundsReleased(msg.sender, amount, Payout.OwedClaim, 0);
        _send(msg.sender, amount);
    }

    // =============================================================== direct path

    /// @notice Adds msg.value to the payer's free deposit: funds no node can redeem until the payer
    /// locks them into a channel (fundChannel); withdrawable at once (withdrawDeposit).
    function deposit() external payable {
        if (msg.value == 0) revert ZeroAmount();
        depositOf[msg.sender] += msg.value;
        totalDeposits += msg.value;
        emit Deposited(msg.sender, msg.value, depositOf[msg.sender]);
    }

    /// @notice Pays the payer back `amount` of its free deposit at once: no node counts on free funds.
    function withdrawDeposit(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint256 available = depositOf[msg.sender];
        if (amount > available) revert InsufficientDeposit(msg.sender, available, amount);
        depositOf[msg.sender] = available - amount;
        totalDeposits -= amount;
        emit DepositWithdrawn(msg.sender, amount, available - amount);
        emit FundsReleased(msg.sender, amount, Payout.DepositWithdrawal, 0);
        _send(msg.sender, amount);
    }

    /// @notice Locks msg.value plus `fromDeposit` of the payer's free deposit into its channel to
    /// `node`, a registered node: from now on only that node can take these funds, by redeeming the
    /// payer's vouchers, and the payer gets them back only through requestUnlock + unlockChannel.
    function fundChannel(address node, uint256 fromDeposit) external payable {
        if (!nodes.isRegistered(node)) revert NotRegisteredNode(node);
        uint256 amount = msg.value + fromDeposit;
        if (amount == 0) revert ZeroAmount();
        if (fromDeposit != 0) {
            uint256 free = depositOf[msg.sender];
            if (fromDeposit > free) revert InsufficientDeposit(msg.sender, free, fromDeposit);
            depositOf[msg.sender] = free - fromDeposit;
        }
        if (msg.value != 0) {
            totalDeposits += msg.value;
            emit Deposited(msg.sender, msg.value, depositOf[msg.sender]);
        }
        Channel storage c = channels[msg.sender][node];
        uint256 balance = uint256(c.balance) + amount;
        if (balance > type(uint128).max) revert AmountTooLarge(balance);
        c.balance = uint128(balance);
        emit ChannelFunded(msg.sender, node, amount, balance);
    }

    /// @notice Asks `amount` of the channel to `node` back, executable with unlockChannel after
    /// channelUnlockDelay. Only funds already in the channel can be asked back, and a new request
    /// replaces a pending one and restarts its delay. The node sees the request (event and
    /// channelOf) and stops counting `amount` as redeemable; it redeems what it accepted before.
    function requestUnlock(address node, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        Channel storage c = channels[msg.sender][node];
        if (amount > c.balance) revert InsufficientChannel(msg.sender, node, c.balance, amount);
        uint64 unlockAt = uint64(block.timestamp) + channelUnlockDelay;
        c.unlocking = uint128(amount);
        c.unlockAt = unlockAt;
        emit UnlockRequested(msg.sender, node, amount, unlockAt);
    }

    /// @notice After the delay, moves the asked amount (at most what the node left in the channel)
    /// back to the payer's free deposit.
    function unlockChannel(address node) external {
        Channel storage c = channels[msg.sender][node];
        uint64 unlockAt = c.unlockAt;
        if (unlockAt == 0) revert NoUnlockPending(msg.sender, node);
        if (block.timestamp < unlockAt) revert UnlockNotDue(msg.sender, node, unlockAt);
        uint256 amount = c.unlocking < c.balance ? c.unlocking : c.balance;
        c.balance -= uint128(amount);
        c.unlocking = 0;
        c.unlockAt = 0;
        depositOf[msg.sender] += amount;
        emit ChannelUnlocked(msg.sender, node, amount, c.balance);
    }

    /// @notice The node (msg.sender) redeems the payer's latest cumulative voucher: it is paid the
    /// difference to what it already received from this payer, at most what the payer's channel to
    /// this node holds. A shortfall stays redeemable with the same voucher once the channel is
    /// funded again.
    function redeemVoucher(address payer, uint256 cumulativeAmount, bytes calldata signature)
        external
        returns (uint256 paid)
    {
        bytes32 digest = _hashTyped(keccak256(abi.encode(VOUCHER_TYPEHASH, payer, msg.sender, cumulativeAmount)));
        address signer = _recover(digest, signature);
        if (signer != payer) revert InvalidVoucherSigner(payer, signer);
        uint256 already = redeemedOf[payer][msg.sender];
        if (cumulativeAmount <= already) {
            revert VoucherAlreadyRedeemed(payer, msg.sender, cumulativeAmount, already);
        }
        uint256 due = cumulativeAmount - already;
        Channel storage c = channels[payer][msg.sender];
        uint256 available = c.balance;
        paid = due < available ? due : available;
        if (paid == 0) revert InsufficientChannel(payer, msg.sender, available, due);
        redeemedOf[payer][msg.sender] = already + paid;
        c.balance = uint128(available - paid);
        totalDeposits -= paid;
        emit VoucherRedeemed(payer, msg.sender, cumulativeAmount, paid, due - paid);
        emit FundsReleased(msg.sender, paid, Payout.Voucher, 0);
        _send(msg.sender, paid);
    }

    /// @notice A registered node commits to the receipts it served off chain: `root` of the
    /// Merkle tree whose leaves are receiptLeaf(msg.sender, digest) of their EIP-712 digests and whose
    /// inner nodes hash their two children sorted, with a tag apart from the leaves' (an odd node is
    /// promoted unchanged). The posting node is in every leaf: the root proves receipts of this node.
    function postReceiptRoot(bytes32 root, uint32 count) external returns (uint256 batchId) {
        if (!nodes.isRegistered(msg.sender)) revert NotRegisteredNode(msg.sender);
        if (root == bytes32(0)) revert ZeroRoot();
        if (count == 0) revert EmptyBatch();
        batchId = batches.length;
        batches.push(Batch({root: root, node: msg.sender, count: count, postedAt: uint64(block.timestamp)}));
        emit ReceiptRootPosted(batchId, msg.sender, root, count);
    }

    /// @notice Whether the batch's node committed to the receipt with EIP-712 digest `receiptDigest_`:
    /// the proof (siblings from the leaf up) leads from receiptLeaf(batch node, digest) to the root. It
    /// does not look inside the receipt; verifyReceiptInclusionByFields also checks the receipt's node.
    function verifyReceiptInclusion(uint256 batchId, bytes32 receiptDigest_, bytes32[] calldata proof)
        external
        view
        returns (bool)
    {
        Batch storage b = _batch(batchId);
        return _merkleRoot(receiptLeaf(b.node, receiptDigest_), proof) == b.root;
    }

    /// @notice Like verifyReceiptInclusion from the receipt's fields: the hub rebuilds the digest in its
    /// own domain, and the receipt must name the batch's node (false otherwise), so a node's batch
    /// never proves a receipt that another node signed.
    function verifyReceiptInclusionByFields(uint256 batchId, Receipt calldata receipt, bytes32[] calldata proof)
        external
        view
        returns (bool)
    {
        Batch storage b = _batch(batchId);
        if (receipt.node != b.node) return false;
        bytes32 digest = _hashTyped(keccak256(abi.encode(RECEIPT_TYPEHASH, receipt)));
        return _merkleRoot(receiptLeaf(b.node, digest), proof) == b.root;
    }

    /// @notice The leaf of a receipt in `node`'s batch: keccak256(0x00 ‖ node ‖ receiptDigest), 53 bytes.
    function receiptLeaf(address node, bytes32 receiptDigest_) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(MERKLE_LEAF_TAG, node, receiptDigest_));
    }

    // =============================================================== views

    /// @notice How many requests were opened (request ids are 1 … requestCount).
    function requestCount() external view returns (uint256) {
        return requestCounter;
    }

    /// @notice The fees held for open requests.
    function totalEscrowed() external view returns (uint256) {
        return escrowed;
    }

    /// @notice A request's status, its attempt and when its challenge window ends (submittedAt +
    /// challengeWindow; meaningful once Submitted): what the court checks before a challenge, without
    /// getRequest's call to the ModelRegistry.
    function submissionOf(uint256 requestId) external view returns (Status status, uint8 attempt, uint64 windowEnd) {
        Record storage r = requests[requestId];
        return (r.status, r.attempts, r.submittedAt + r.challengeWindow);
    }

    function getRequest(uint256 requestId) external view returns (Request memory v) {
        Record storage r = requests[requestId];
        (, address modelOwner,, uint256 modelFee,) = models.termsOf(r.modelId);
        v.requester = r.requester;
        v.deadline = r.deadline;
        v.status = r.status;
        v.level = r.level;
        v.attempts = r.attempts;
        v.fastDelivery = r.fastDelivery;
        v.node = r.node;
        v.submittedAt = r.submittedAt;
        v.callbackGasLimit = r.callbackGasLimit;
        v.callback = r.callback;
        v.challengeWindow = r.challengeWindow;
        v.timeout = r.timeout;
        v.viaCourt = r.viaCourt;
        v.modelOwner = r.status == Status.None ? address(0) : modelOwner;
        v.maxFee = r.maxFee;
        v.nodePrice = r.nodePrice;
        v.modelFee = r.status == Status.None ? 0 : uint128(modelFee);
        v.modelId = r.modelId;
        v.inputHash = r.inputHash;
        v.outputHash = r.outputHash;
    }

    function statusOf(uint256 requestId) external view returns (Status) {
        return requests[requestId].status;
    }

    /// @notice The payer's channel to `node` and what the node redeemed from the payer so far. A node
    /// accepts a voucher only while cumulativeAmount − redeemed ≤ balance − unlocking.
    function channelOf(address payer, address node)
        external
        view
        returns (uint256 balance, uint256 unlocking, uint64 unlockAt, uint256 redeemed)
    {
        Channel storage c = channels[payer][node];
        return (c.balance, c.unlocking, c.unlockAt, redeemedOf[payer][node]);
    }

    function storedOutput(uint256 requestId) external view returns (bytes memory) {
        return outputs[requestId];
    }

    function batchCount() external view returns (uint256) {
        return batches.length;
    }

    function getBatch(uint256 batchId) external view returns (Batch memory) {
        return _batch(batchId);
    }

    /// @notice What the hub must hold: escrowed fees + deposits + payouts waiting to be claimed.
    function heldBalance() public view returns (uint256) {
        return escrowed + totalDeposits + totalOwed;
    }

    /// @notice True when the ETH balance equals what the books say is held.
    function isBalanced() external view returns (bool) {
        return address(this).balance == heldBalance();
    }

    function domainSeparator() public view returns (bytes32) {
        return block.chainid == deployChainId ? deployDomainSeparator : _buildDomainSeparator();
    }

    function receiptDigest(
        bytes32 requestId,
        bytes32 modelId,
        bytes32 inputHash,
        bytes32 outputHash,
        uint8 level,
        bytes32 evidenceHash,
        address node,
        uint64 timestamp,
        uint64 sequence
    ) external view returns (bytes32) {
        return _hashTyped(
            keccak256(
                abi.encode(
                    RECEIPT_TYPEHASH, requestId, modelId, inputHash, outputHash, level, evidenceHash, node, timestamp, sequence
                )
            )
        );
    }

    function voucherDigest(address payer, address node, uint256 cumulativeAmount) external view returns (bytes32) {
        return _hashTyped(keccak256(abi.encode(VOUCHER_TYPEHASH, payer, node, cumulativeAmount)));
    }

    // =============================================================== internals

    function _batch(uint256 batchId) private view returns (Batch storage) {
        if (batchId >= batches.length) revert UnknownBatch(batchId, batches.length);
        return batches[batchId];
    }

    /// @dev Folds a proof: each step hashes 0x01 ‖ the smaller ‖ the larger of (node so far, sibling).
    function _merkleRoot(bytes32 leaf, bytes32[] calldata proof) private pure returns (bytes32 h) {
        h = leaf;
        for (uint256 i; i < proof.length; ++i) {
            bytes32 p = proof[i];
            h = h < p
                ? keccak256(abi.encodePacked(MERKLE_NODE_TAG, h, p))
                : keccak256(abi.encodePacked(MERKLE_NODE_TAG, p, h));
        }
    }

    function _existing(uint256 requestId) private view returns (Record storage r) {
        r = requests[requestId];
        if (r.status == Status.None) revert UnknownRequest(requestId);
    }

    function _checkDeadline(uint64 deadline) private view {
        if (deadline <= block.timestamp) revert DeadlinePassed(deadline, uint64(block.timestamp));
        uint64 latest = uint64(block.timestamp) + maxDeadlineSeconds;
        if (deadline > latest) revert DeadlineTooFar(deadline, latest);
    }

    /// @dev Picks `preferred` when it is eligible, affordable and untried, else draws stake-weighted
    /// from the NodeRegistry's pool of nodes eligible for the model and level (O(log n) reads per
    /// draw, whatever the number of registered nodes): up to MAX_DRAWS draws, skipping nodes already
    /// tried for this request, no longer eligible or priced above what the fee leaves. A pool of at
    /// most SCAN_LIMIT slots is then scanned, so that small pools never fail by bad luck. The seed
    /// (prevrandao, request id, attempt, draw) can be biased by a block proposer: assignment spreads
    /// load, it is not a security boundary — results are protected by receipts, verification and
    /// stake. `cheapest` is the lowest price among the nodes seen (all of them after a scan).
    function _assign(uint256 requestId, Record storage r, address preferred, uint64 deadline, uint256 modelFee)
        private
        returns (bool assigned, uint256 cheapest, bool any)
    {
        // A reassignment never goes back to a node that had its turn. The node of the first attempt
        // is recorded only now, when it is replaced: most requests are never reassigned, and a
        // first assignment saves the 22k gas of a new storage slot.
        if (r.node != address(0)) tried[requestId][r.node] = true;
        address chosen;
        uint256 price;
        (chosen, price, cheapest, any) = _choose(requestId, r, preferred, modelFee);
        if (chosen == address(0)) return (false, cheapest, any);
        r.node = chosen;
        r.nodePrice = uint96(price); // price ≤ the budget < maxFee < 2^96
        r.deadline = deadline;
        r.attempts += 1;
        r.status = Status.Assigned;
        emit RequestAssigned(requestId, chosen, deadline, r.attempts);
        return (true, cheapest, any);
    }

    /// @dev What a search for a node carries (a struct: the EVM stack is too small for it).
    struct Search {
        uint256 requestId;
        bytes32 modelId;
        uint8 level;
        bool canPayModel;
        uint256 budget;
        uint256 cheapest;
        bool any;
    }

    function _choose(uint256 requestId, Record storage r, address preferred, uint256 modelFee)
        private
        view
        returns (address chosen, uint256 price, uint256 cheapest, bool any)
    {
        uint256 reserved = _reserved(r, modelFee);
        Search memory q = Search({
            requestId: requestId,
            modelId: r.modelId,
            level: r.level,
            canPayModel: r.maxFee >= reserved,
            budget: r.maxFee >= reserved ? r.maxFee - reserved : 0,
            cheapest: type(uint256).max,
            any: false
        });
        if (preferred != address(0)) {
            (chosen, price) = _consider(q, preferred);
            if (chosen != address(0)) return (chosen, price, q.cheapest, true);
        }
        uint256 total = nodes.poolTotal(q.modelId, q.level);
        if (total != 0) {
            uint256 seed = uint256(keccak256(abi.encode(block.prevrandao, requestId, r.attempts)));
            for (uint256 k; k < MAX_DRAWS; ++k) {
                address a = nodes.drawNode(q.modelId, q.level, uint256(keccak256(abi.encode(seed, k))) % total);
                (chosen, price) = _consider(q, a);
                if (chosen != address(0)) return (chosen, price, q.cheapest, true);
            }
            (, uint256 slots) = nodes.poolSize(q.modelId, q.level);
            if (slots <= SCAN_LIMIT) {
                for (uint256 i = 1; i <= slots; ++i) {
                    address a = nodes.poolMemberAt(q.modelId, q.level, i);
                    if (a == address(0)) continue;
                    (chosen, price) = _consider(q, a);
                    if (chosen != address(0)) return (chosen, price, q.cheapest, true);
                }
            }
        }
        return (address(0), 0, q.any ? q.cheapest : 0, q.any);
    }

    /// @dev `a` with its price when it is untried, still eligible and affordable; else address(0),
    /// noting in `q` whether it was an untried eligible node and its price.
    function _consider(Search memory q, address a) private view returns (address, uint256) {
        if (tried[q.requestId][a] || !nodes.isEligible(a, q.modelId, q.level)) return (address(0), 0);
        uint256 p = nodes.priceOf(a);
        q.any = true;
        if (p < q.cheapest) q.cheapest = p;
        if (q.canPayModel && p <= q.budget) return (a, p);
        return (address(0), 0);
    }

    /// @dev Calls a consumer with exactly its gas limit, ignoring the result. The caller must pass
    /// enough gas for the callee to really get that limit (EIP-150 keeps back 1/64), otherwise a
    /// settler could starve a callback on purpose. No return data is copied (no return-data bomb).
    function _callback(uint256 requestId, address target, uint32 gasLimit, bytes memory data, bool finalized)
        private
    {
        if (target == address(0)) return;
        uint256 needed = (uint256(gasLimit) * 64) / 63 + CALLBACK_RESERVE;
        if (gasleft() < needed) revert InsufficientGasForCallback(gasleft(), needed);
        bool ok;
        assembly ("memory-safe") {
            ok := call(gasLimit, target, 0, add(data, 32), mload(data), 0, 0)
        }
        if (ok) emit CallbackDelivered(requestId, target, finalized);
        else emit CallbackFailed(requestId, target, finalized);
    }

    /// @dev Pushes a settlement payout with a gas stipend; if the recipient refuses it, the amount is
    /// set aside for claim() so that one recipient cannot block settlement for the others.
    function _pay(address to, uint256 amount, Payout kind, uint256 ref) private {
        if (amount == 0) return;
        bool ok;
        assembly ("memory-safe") {
            ok := call(PAYOUT_GAS, to, amount, 0, 0, 0, 0)
        }
        if (ok) {
            emit FundsReleased(to, amount, kind, ref);
        } else {
            owedTo[to] += amount;
            totalOwed += amount;
            emit PayoutDeferred(to, amount, kind, ref);
        }
    }

    /// @dev A payment to msg.sender in its own transaction: a refusal reverts that transaction only.
    function _send(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256("Vouch"), keccak256("1"), block.chainid, address(this)));
    }

    function _hashTyped(bytes32 structHash) private view returns (bytes32) {
        return keccak256(abi.encodePacked(hex"1901", domainSeparator(), structHash));
    }

    /// @dev ecrecover with the checks it lacks: 65 bytes r ‖ s ‖ v, v in {27, 28}, s in the lower half.
    /// Returns address(0) for a signature that recovers to no key.
    function _recover(bytes32 digest, bytes calldata signature) private pure returns (address) {
        if (signature.length != 65) revert InvalidSignatureLength(signature.length);
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v != 27 && v != 28) revert InvalidSignatureV(v);
        if (uint256(s) > HALF_ORDER) revert MalleableSignature();
        return ecrecover(digest, v, r, s);
    }
}
