// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {NodeRegistry} from "./NodeRegistry.sol";
import {ModelRegistry} from "./ModelRegistry.sol";
import {InferenceHub} from "./InferenceHub.sol";
import {IVerificationCourt} from "./IVerificationCourt.sol";
import {IKeyApprovalCourt} from "./IKeyApprovalCourt.sol";

/// @title VerificationCourt — committees of staked validators that judge inference results.
/// @notice Every submission of a request the hub routes here opens a case, identified by
/// caseIdOf(requestId, attempt). A ZKML case needs a committee at once; a VANILLA case first goes
/// through an audit lottery with the model's audit rate, and a result the lottery did not select
/// can still be challenged by a staked validator with a bond until its window ends.
///
/// Randomness the node cannot predict when it submits: a case is seeded by the hash of the block
/// after the one that opened it (seedBlock = opening block + 1). draw(caseId) — anyone, from block
/// seedBlock + 1 on — resolves the lottery and draws the committee: up to committeeSize distinct
/// active validators, stake-weighted without replacement from the NodeRegistry's validators' pool,
/// never the node that executed nor its challenger (fewer only when the pool has fewer others). A seed older than 256 blocks is gone: the case re-arms on the next block, and a lottery
/// nobody resolved in time counts as selected (stalling never saves a node from its audit).
///
/// The committee is not stored: the case keeps one digest of it (committeeDigest: the subject, the
/// members, their stakes, the deadline), and CommitteeDrawn announces it in full; every vote,
/// relayed verdict and expiry passes it back (WrongCommittee when it does not match). That keeps a
/// draw from writing any new storage slot.
///
/// Members vote VALID or INVALID until the round's deadline, by their own transaction (vote) or by
/// an EIP-712 Verdict that anyone relays (submitVerdict; domain {Vouch, 1, chainid, this court}).
/// The first side to hold quorumBps of the committee's stake decides at once:
/// - VALID: the hub settles the request (node, model owner, and the members who voted VALID their
///   verdictFee from the requester's escrow; the rest refunded); for a challenge, the bond pays
///   those members and the rest of it goes to the node.
/// - INVALID: the hub slashes slashAmount of the node's stake into this court and sends the whole
///   escrow to another node (or back to the requester); the stake goes to the members who voted
///   INVALID, half of it to the challenger (who also gets the bond back) if there is one.
/// Members who voted against the quorum lose dissentSlash of their stake to the members who voted
/// with it. Members who had not voted are not paid. A round that ends without quorum (expire) is
/// redrawn with a fresh seed, without the silent members of its rounds, up to maxRounds; then — or as soon as a
/// draw seats fewer members than a quorum's count of a full committee — the case is released: a ZKML request is refunded, a VANILLA result finalizes by its window (a challenger
/// gets its bond back). contracts/README.md states the economics.
///
/// Enclave keys (TEE): every NodeRegistry.registerEnclaveKey opens a KeyApproval case (its own id
/// space: KEY_CASES | n << 8, never a caseIdOf(requestId, attempt), whose request ids fit 64 bits),
/// paid by the registering node with keyApprovalFee() = committeeSize × verdictFee, and drawn like
/// any case from the hash of the block after the registration, never with the node on its
/// committee. The members verify the attestation document off chain and vote on the subject
/// (bytes32(uint160(enclaveKey)), attestationDocHash). VALID: the key becomes active
/// (NodeRegistry.recordKeyApproval, approval block recorded). INVALID: the key is rejected for good
/// and the node loses slashAmount to the members who voted INVALID. Either way each member with the
/// quorum earns verdictFee from the fee, the rest goes back to the node. No quorum: the whole fee
/// goes back and the key stays inactive (it may be registered again).
/// @dev Books: address(this).balance == totalBonds + totalOwed + totalKeyFees. ETH enters as challenge
/// bonds (Challenged), key approval fees (openKeyApproval) and slashed stake (StakeSlashed, from the
/// NodeRegistry) and leaves as Paid; what a
/// recipient refuses waits in owedTo for claim(). State changes come before every external call.
contract VerificationCourt is IVerificationCourt, IKeyApprovalCourt {
    enum Kind {
        Zkml,
        Audit,
        Challenge,
        KeyApproval // an enclave key's attestation (NodeRegistry.registerEnclaveKey)
    }

    enum State {
        None,
        Lottery, // VANILLA: the audit lottery is not resolved yet
        NotSelected, // VANILLA: not drawn for audit; finalizes by its window unless challenged
        AwaitingDraw, // a committee is to be drawn (draw)
        Voting, // a committee is voting until its deadline
        Valid, // a quorum said VALID: the request is settled
        Invalid, // a quorum said INVALID: the node is slashed, the request reassigned or refunded
        Released // no quorum in maxRounds (or too few validators to draw for a quorum): ZKML refunded, VANILLA by its window
    }

    /// Why ETH left the court (event Paid) or was set aside (PayoutDeferred).
    enum Payout {
        SlashReward, // a share of slashed stake, to members who voted with the quorum
        ChallengeReward, // the challenger's half of the node's slashed stake
        BondReturned, // the challenger's bond back (challenge upheld, or no quorum)
        BondVerdictFee, // a frivolous challenge's bond pays the committee that rejected it
        BondForfeit, // the rest of a frivolous challenge's bond, to the node it accused
        OwedClaim,
        KeyApprovalFee, // a key approval's verdict fee, to a member who voted with the quorum
        KeyFeeRefund // what the committee did not earn of a key approval's fee, back to the node
    }

    // A draw writes no new slot: it rewrites slot 0 and slot 1, both written when the case opened
    // (a fresh slot costs 22k gas; the three seats and the round's record once cost 88k of a draw's
    // 169k). The committee is committed to, not stored.
    struct Case {
        // slot 0 (open; draw; votes)
        address node; // the node whose result is judged
        uint40 blockNumber; // before the draw: the seed block (whose hash seeds the lottery or
        // draw); from the draw on: the draw's block (where its CommitteeDrawn event is)
        Kind kind;
        State state;
        uint16 auditRateBps; // VANILLA: the model's audit rate at opening
        uint8 round; // 0, 1, … < maxRounds
        uint8 votedMask; // bit i: seat i voted
        uint8 validMask; // bit i: seat i voted VALID
        // slot 1 (open; draw; expire)
        // before the draw: keccak256(abi.encode(outputHash, evidenceHash)) of the submission (the
        // subject); from the draw on: committeeDigest of the round's Committee (subject, members,
        // stakes, deadline), which whoever votes, relays or expires passes in full (CommitteeDrawn
        // announced it)
        bytes32 seal;
        // slot 3 (challenge)
        address challenger;
        uint96 bond;
    }

    /// A round's committee as CommitteeDrawn announced it: the subject it judges (keccak256 of the
    /// submission's outputHash and evidenceHash), members in seat order, their stakes at the draw,
    /// the voting deadline. Passed with every vote, relayed verdict and expiry, checked against the
    /// case's seal (WrongCommittee).
    struct Committee {
        bytes32 subject;
        address[] members;
        uint256[] stakes;
        uint64 deadline;
    }

    /// A signed verdict, relayed by anyone (submitVerdict).
    struct Verdict {
        uint256 caseId;
        uint256 requestId;
        bytes32 outputHash;
        bytes32 evidenceHash;
        bool valid;
        uint8 round;
    }

    /// Everything about a case, for clients and explorers (getCase).
    struct CaseView {
        uint256 requestId;
        uint8 attempt;
        address node;
        Kind kind;
        State state;
        uint16 auditRateBps;
        bool lotteryResolved; // whether auditSelected is known (from the seed block's hash)
        bool auditSelected;
        uint64 seedBlock;
        uint8 round;
        bytes32 committee; // committeeDigest of this round's committee (0 before its draw)
        uint64 drawBlock; // the block whose CommitteeDrawn event lists it (0 before the draw)
        uint8 votedMask; // bit i: the member in seat i voted
        uint8 validMask; // bit i: it voted VALID
        uint16 quorumBps;
        address challenger;
        uint256 bond;
    }

    /// Deployment parameters (constructor).
    struct Config {
        uint8 committeeSize; // K: members per committee, 1..MAX_COMMITTEE (8)
        uint16 quorumBps; // share of the committee's stake that decides, 5001..10000
        uint8 maxRounds; // committees drawn for one case before it is released, ≥ 1
        uint16 minValidators; // validators in the pool from which requests are routed here, ≥ 1
        uint32 verdictWindow; // seconds a committee has to reach quorum
        uint128 verdictFee; // wei a member who votes with the quorum earns
        uint128 challengeBond; // wei a challenger puts up, ≥ committeeSize × verdictFee
        uint128 slashAmount; // stake taken from a node whose result a quorum finds INVALID
        uint128 dissentSlash; // stake taken from a member who voted against the quorum
    }

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 public constant VERDICT_TYPEHASH = keccak256(
        "Verdict(uint256 caseId,uint256 requestId,bytes32 outputHash,bytes32 evidenceHash,bool valid,uint8 round)"
    );
    /// Domain tag of the audit lottery's ticket (auditTicket).
    bytes32 public constant AUDIT_TAG = keccak256("vouch.audit");
    uint256 private constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    uint256 public constant BPS = 10_000;
    /// Seats of a committee at most (its votes are two 8-bit masks in the case's first slot).
    uint256 public constant MAX_COMMITTEE = 8;
    /// Gas forwarded with a payout (as the hub's).
    uint256 public constant PAYOUT_GAS = 30_000;
    uint8 private constant LEVEL_ZKML = 2;
    /// Bit that marks a KeyApproval case id: KEY_CASES | n << 8 (n = 1, 2, …), apart from every
    /// request case caseIdOf(requestId, attempt) (the hub's request ids fit 64 bits).
    uint256 public constant KEY_CASES = 1 << 255;

    NodeRegistry public immutable nodes;
    ModelRegistry public immutable models;
    InferenceHub public immutable hub;
    uint8 public immutable committeeSize;
    uint16 public immutable quorumBps;
    uint8 public immutable maxRounds;
    uint16 public immutable minValidators;
    uint32 public immutable verdictWindow;
    uint128 public immutable verdictFee;
    uint128 public immutable challengeBond;
    uint128 public immutable slashAmount;
    uint128 public immutable dissentSlash;
    uint256 private immutable deployChainId;
    bytes32 private immutable deployDomainSeparator;

    mapping(uint256 => Case) private cases;
    /// caseId => the members of its expired rounds who did not vote: never drawn again for it.
    mapping(uint256 => address[]) private silentOf;
    mapping(address => uint256) public owedTo;
    uint256 public totalBonds;
    uint256 public totalOwed;
    /// Key approval fees held for cases not yet closed (keyApprovalFee() each).
    uint256 public totalKeyFees;
    /// KeyApproval cases opened so far.
    uint256 public keyCaseCount;
    /// KeyApproval case => the enclave key it judges.
    mapping(uint256 => address) private keyOfCase;

    error InvalidConfig(string what);
    error UnbondingDelayTooShort(uint64 unbondingDelay, uint256 required);
    error NotHub(address caller);
    error NotRegistry(address caller);
    error CaseExists(uint256 caseId);
    error NothingToDraw(uint256 caseId, State state);
    error SeedNotReady(uint256 caseId, uint64 seedBlock, uint64 blockNumber);
    error NotVoting(uint256 caseId, State state);
    error VotingClosed(uint256 caseId, uint64 deadline);
    error VotingOpen(uint256 caseId, uint64 deadline);
    error StaleRound(uint256 caseId, uint8 round, uint8 currentRound);
    error NotOnCommittee(uint256 caseId, uint8 round, address signer);
    error WrongCommittee(uint256 caseId, uint8 round);
    error AlreadyVoted(uint256 caseId, address member);
    error VerdictMismatch(uint256 caseId, uint256 requestId);
    error VerdictSubjectMismatch(uint256 caseId, bytes32 outputHash, bytes32 evidenceHash);
    error NotChallengeable(uint256 caseId, State state);
    error SelectedForAudit(uint256 caseId);
    error ChallengeWindowClosed(uint256 caseId, uint64 windowEnd);
    error WrongBond(uint256 offered, uint256 required);
    error NotAValidator(address challenger);
    error InvalidSignatureLength(uint256 length);
    error InvalidSignatureV(uint8 v);
    error MalleableSignature();
    error NothingOwed(address account);
    error TransferFailed(address to, uint256 amount);
    error WrongFee(uint256 offered, uint256 required);

    event CaseOpened(
        uint256 indexed caseId, uint256 indexed requestId, address indexed node, Kind kind, State state, uint64 seedBlock
    );
    event AuditLottery(uint256 indexed caseId, bool selected, uint16 auditRateBps, bool expired);
    event SeedRearmed(uint256 indexed caseId, uint64 seedBlock);
    /// A round's committee (the Committee that votes and expiries pass): subject, members in seat
    /// order, their stakes, the deadline.
    event CommitteeDrawn(
        uint256 indexed caseId, uint8 round, bytes32 subject, address[] members, uint256[] stakes, uint64 deadline
    );
    event VerdictCast(uint256 indexed caseId, uint8 round, address indexed member, bool valid, bool relayed);
    event CaseDecided(
        uint256 indexed caseId,
        uint256 indexed requestId,
        bool valid,
        uint256 validStake,
        uint256 invalidStake,
        uint256 committeeStake
    );
    event RoundExpired(uint256 indexed caseId, uint8 round, bool redraw);
    event CaseReleased(uint256 indexed caseId, uint256 indexed requestId, string reason);
    /// A KeyApproval case opened (with CaseOpened): `fee` came in from the registering node.
    event KeyApprovalOpened(
        uint256 indexed caseId, address indexed node, address indexed enclaveKey, bytes32 attestationDocHash, uint256 fee
    );
    event Challenged(uint256 indexed caseId, uint256 indexed requestId, address indexed challenger, uint256 bond);
    /// Stake the NodeRegistry paid into the court: `from` is the slashed node or validator.
    event StakeSlashed(uint256 indexed caseId, address indexed from, uint256 amount);
    event Paid(address indexed to, uint256 amount, Payout kind, uint256 indexed caseId);
    event PayoutDeferred(address indexed to, uint256 amount, Payout kind, uint256 indexed caseId);

    /// @dev Refuses a configuration out of range (InvalidConfig) and a NodeRegistry whose
    /// unbondingDelay does not cover a request's whole life with its verification:
    /// maxAttempts × maxDeadlineSeconds + challenge window + maxRounds × verdictWindow.
    constructor(NodeRegistry nodes_, ModelRegistry models_, InferenceHub hub_, Config memory c) {
        if (c.committeeSize == 0 || c.committeeSize > MAX_COMMITTEE) revert InvalidConfig("committeeSize");
        if (c.quorumBps <= BPS / 2 || c.quorumBps > BPS) revert InvalidConfig("quorumBps");
        if (c.maxRounds == 0) revert InvalidConfig("maxRounds");
        if (c.minValidators == 0) revert InvalidConfig("minValidators");
        if (c.verdictWindow == 0) revert InvalidConfig("verdictWindow");
        if (c.challengeBond < uint256(c.committeeSize) * c.verdictFee) revert InvalidConfig("challengeBond");
        uint256 required = uint256(hub_.maxAttempts()) * hub_.maxDeadlineSeconds() + models_.defaultChallengeWindow()
            + uint256(c.maxRounds) * c.verdictWindow;
        if (nodes_.unbondingDelay() < required) revert UnbondingDelayTooShort(nodes_.unbondingDelay(), required);
        nodes = nodes_;
        models = models_;
        hub = hub_;
        committeeSize = c.committeeSize;
        quorumBps = c.quorumBps;
        maxRounds = c.maxRounds;
        minValidators = c.minValidators;
        verdictWindow = c.verdictWindow;
        verdictFee = c.verdictFee;
        challengeBond = c.challengeBond;
        slashAmount = c.slashAmount;
        dissentSlash = c.dissentSlash;
        deployChainId = block.chainid;
        deployDomainSeparator = _buildDomainSeparator();
    }

    /// @notice Slashed stake arrives from the NodeRegistry only.
    receive() external payable {
        if (msg.sender != address(nodes)) revert NotRegistry(msg.sender);
    }

    // =============================================================== the hub's side

    /// @inheritdoc IVerificationCourt
    function inSession() external view returns (bool) {
        return nodes.validatorPoolSize() >= minValidators;
    }

    /// @inheritdoc IVerificationCourt
    function verificationFee() external view returns (uint256) {
        return uint256(committeeSize) * verdictFee;
    }

    /// @inheritdoc IVerificationCourt
    /// @dev Only the hub. ZKML: the case awaits its committee. VANILLA: the case awaits its lottery
    /// (an audit rate of 0 is never selected, 10,000 always).
    function open(
        uint256 requestId,
        uint8 attempt,
        address node,
        uint8 level,
        bytes32 modelId,
        bytes32 outputHash,
        bytes32 evidenceHash
    ) external {
        if (msg.sender != address(hub)) revert NotHub(msg.sender);
        uint256 caseId = caseIdOf(requestId, attempt);
        Case storage c = cases[caseId];
        if (c.state != State.None) revert CaseExists(caseId);
        c.node = node;
        c.blockNumber = uint40(block.number + 1);
        c.seal = keccak256(abi.encode(outputHash, evidenceHash));
        if (level == LEVEL_ZKML) {
            c.kind = Kind.Zkml;
            c.state = State.AwaitingDraw;
        } else {
            (uint16 rate,) = models.auditTermsOf(modelId);
            c.kind = Kind.Audit;
            c.auditRateBps = rate;
            c.state = rate == 0 ? State.NotSelected : rate >= BPS ? State.AwaitingDraw : State.Lottery;
        }
        emit CaseOpened(caseId, requestId, node, c.kind, c.state, uint64(block.number + 1));
    }

    /// @inheritdoc IVerificationCourt
    function clears(uint256 requestId, uint8 attempt) external view returns (bool) {
        uint256 caseId = caseIdOf(requestId, attempt);
        Case storage c = cases[caseId];
        State s = c.state;
        if (s == State.NotSelected || s == State.Released) return true;
        if (s != State.Lottery || block.number <= c.blockNumber) return false;
        bytes32 h = blockhash(c.blockNumber);
        return h != 0 && !auditSelected(h, caseId, c.auditRateBps);
    }

    // =============================================================== the registry's side

    /// @inheritdoc IKeyApprovalCourt
    function keyApprovalFee() public view returns (uint256) {
        return uint256(committeeSize) * verdictFee;
    }

    /// @inheritdoc IKeyApprovalCourt
    /// @dev Only the NodeRegistry (NotRegistry), with exactly keyApprovalFee() (WrongFee). The case
    /// awaits its committee from the block after this one, like a ZKML case.
    function openKeyApproval(address node, address enclaveKey, bytes32 attestationDocHash)
        external
        payable
        returns (uint256 caseId)
    {
        if (msg.sender != address(nodes)) revert NotRegistry(msg.sender);
        uint256 fee = keyApprovalFee();
        if (msg.value != fee) revert WrongFee(msg.value, fee);
        caseId = KEY_CASES | (++keyCaseCount << 8);
        Case storage c = cases[caseId];
        c.node = node;
        c.blockNumber = uint40(block.number + 1);
        c.seal = keccak256(abi.encode(keySubject(enclaveKey), attestationDocHash));
        c.kind = Kind.KeyApproval;
        c.state = State.AwaitingDraw;
        keyOfCase[caseId] = enclaveKey;
        totalKeyFees += fee;
        emit CaseOpened(caseId, caseId >> 8, node, Kind.KeyApproval, State.AwaitingDraw, uint64(block.number + 1));
        emit KeyApprovalOpened(caseId, node, enclaveKey, attestationDocHash, fee);
    }

    // =============================================================== keepers

    /// @notice Resolves a VANILLA case's audit lottery and draws the committee of a case that needs
    /// one, from the hash of its seed block; anyone may call, from block seedBlock + 1 on
    /// (SeedNotReady before: in the block of the submission and the next one nobody knows the seed).
    /// A seed block more than 256 blocks old has no hash any more: the case re-arms on the next
    /// block (SeedRearmed) and an unresolved lottery counts as selected. A draw that finds no
    /// active validator releases the case.
    function draw(uint256 caseId) external {
        Case storage c = cases[caseId];
        State s = c.state;
        if (s != State.Lottery && s != State.AwaitingDraw) revert NothingToDraw(caseId, s);
        uint64 seedBlock = c.blockNumber;
        if (block.number <= seedBlock) revert SeedNotReady(caseId, seedBlock, uint64(block.number));
        bytes32 h = blockhash(seedBlock);
        if (h == 0) {
            if (s == State.Lottery) {
                c.state = State.AwaitingDraw;
                emit AuditLottery(caseId, true, c.auditRateBps, true);
            }
            c.blockNumber = uint40(block.number + 1);
            emit SeedRearmed(caseId, uint64(block.number + 1));
            return;
        }
        if (s == State.Lottery) {
            bool selected = auditSelected(h, caseId, c.auditRateBps);
            emit AuditLottery(caseId, selected, c.auditRateBps, false);
            if (!selected) {
                c.state = State.NotSelected;
                return;
            }
        }
        _drawCommittee(caseId, c, h);
    }

    /// @notice Ends a round whose deadline passed without quorum; anyone may call. Redraws (from the
    /// hash of the next block, without the members who did not vote) while rounds remain, else
    /// releases the case: a ZKML request is refunded, a VANILLA result finalizes by its window and a
    /// challenger gets its bond back. Members of the expired round are not paid.
    /// `committee`: this round's, as CommitteeDrawn announced it (WrongCommittee otherwise).
    function expire(uint256 caseId, Committee calldata committee) external {
        Case storage c = cases[caseId];
        if (c.state != State.Voting) revert NotVoting(caseId, c.state);
        _checkCommittee(caseId, c, committee);
        if (block.timestamp <= committee.deadline) revert VotingOpen(caseId, committee.deadline);
        uint8 round = c.round;
        bool redraw = round + 1 < maxRounds;
        emit RoundExpired(caseId, round, redraw);
        if (redraw) {
            for (uint256 i; i < committee.members.length; ++i) {
                if (c.votedMask & (1 << i) == 0) silentOf[caseId].push(committee.members[i]);
            }
            c.round = round + 1;
            c.state = State.AwaitingDraw;
            c.blockNumber = uint40(block.number + 1);
            c.seal = committee.subject; // what the next draw commits to again
        } else {
            c.seal = committee.subject;
            _release(caseId, c, "no verification quorum");
        }
    }

    // =============================================================== challenges

    /// @notice A staked validator (not the node) challenges a VANILLA result that the lottery did
    /// not select, before its window ends, with exactly challengeBond: a committee is drawn from the
    /// hash of the next block. Upheld (INVALID): the bond comes back with half of the node's
    /// slashed stake. Rejected (VALID): the bond pays the committee its verdict fees and the rest
    /// goes to the node. No quorum: the bond comes back.
    function challenge(uint256 caseId) external payable {
        Case storage c = cases[caseId];
        State s = c.state;
        if (c.kind != Kind.Audit || (s != State.Lottery && s != State.NotSelected)) revert NotChallengeable(caseId, s);
        if (s == State.Lottery && block.number > c.blockNumber) {
            bytes32 h = blockhash(c.blockNumber);
            if (h == 0 || auditSelected(h, caseId, c.auditRateBps)) revert SelectedForAudit(caseId);
        }
        uint256 requestId = caseId >> 8;
        (InferenceHub.Status status, uint8 attempts, uint64 windowEnd) = hub.submissionOf(requestId);
        if (status != InferenceHub.Status.Submitted || attempts != uint8(caseId)) revert NotChallengeable(caseId, s);
        if (block.timestamp >= windowEnd) revert ChallengeWindowClosed(caseId, windowEnd);
        if (msg.value != challengeBond) revert WrongBond(msg.value, challengeBond);
        if (msg.sender == c.node || !nodes.isActiveValidator(msg.sender)) revert NotAValidator(msg.sender);
        c.kind = Kind.Challenge;
        c.state = State.AwaitingDraw;
        c.blockNumber = uint40(block.number + 1);
        c.challenger = msg.sender;
        c.bond = uint96(msg.value);
        totalBonds += msg.value;
        emit Challenged(caseId, requestId, msg.sender, msg.value);
    }

    // =============================================================== verdicts

    /// @notice A member of the case's current committee votes in its own transaction; `committee` is
    /// this round's, as CommitteeDrawn announced it (WrongCommittee otherwise).
    function vote(uint256 caseId, uint8 round, bool valid, Committee calldata committee) external {
        _cast(caseId, msg.sender, round, valid, false, committee);
    }

    /// @notice Anyone relays a member's EIP-712 Verdict: signed in this court's domain (another chain
    /// or contract recovers another address), low-s, by a member of the case's current round
    /// (NotOnCommittee, StaleRound), about this submission (VerdictMismatch, VerdictSubjectMismatch),
    /// once (AlreadyVoted); `committee` is the round's, as CommitteeDrawn announced it.
    function submitVerdict(Verdict calldata v, bytes calldata signature, Committee calldata committee) external {
        if (v.requestId != v.caseId >> 8) revert VerdictMismatch(v.caseId, v.requestId);
        _checkCommittee(v.caseId, cases[v.caseId], committee);
        if (keccak256(abi.encode(v.outputHash, v.evidenceHash)) != committee.subject) {
            revert VerdictSubjectMismatch(v.caseId, v.outputHash, v.evidenceHash);
        }
        address signer = _recover(verdictDigest(v), signature);
        _cast(v.caseId, signer, v.round, v.valid, true, committee);
    }

    function _cast(uint256 caseId, address voter, uint8 round, bool valid, bool relayed, Committee calldata committee)
        private
    {
        Case storage c = cases[caseId];
        if (c.state != State.Voting) revert NotVoting(caseId, c.state);
        if (round != c.round) revert StaleRound(caseId, round, c.round);
        _checkCommittee(caseId, c, committee);
        if (block.timestamp > committee.deadline) revert VotingClosed(caseId, committee.deadline);
        uint256 size = committee.members.length;
        uint256 seat = MAX_COMMITTEE;
        for (uint256 i; i < size; ++i) {
            if (committee.members[i] == voter) {
                seat = i;
                break;
            }
        }
        if (voter == address(0) || seat == MAX_COMMITTEE) revert NotOnCommittee(caseId, round, voter);
        uint8 bit = uint8(1 << seat);
        if (c.votedMask & bit != 0) revert AlreadyVoted(caseId, voter);
        c.votedMask |= bit;
        if (valid) c.validMask |= bit;
        emit VerdictCast(caseId, round, voter, valid, relayed);

        (uint256 validStake, uint256 invalidStake, uint256 committeeStake) = _tally(c, committee);
        uint256 needed = uint256(quorumBps) * committeeStake;
        if (validStake != 0 && validStake * BPS >= needed) {
            _decide(caseId, c, true, [validStake, invalidStake, committeeStake], committee);
        } else if (invalidStake != 0 && invalidStake * BPS >= needed) {
            _decide(caseId, c, false, [validStake, invalidStake, committeeStake], committee);
        }
    }

    /// @dev `committee` is the one the case's current round committed to.
    function _checkCommittee(uint256 caseId, Case storage c, Committee calldata committee) private view {
        State s = c.state;
        if (s != State.Voting && s != State.Valid && s != State.Invalid) revert NotVoting(caseId, s);
        if (committee.members.length != committee.stakes.length || c.seal != committeeDigest(committee)) {
            revert WrongCommittee(caseId, c.round);
        }
    }

    // =============================================================== outcomes

    /// @dev Who voted with and against the quorum, and the stake taken from the latter.
    struct Decision {
        uint256 caseId;
        uint256 requestId;
        uint8 attempt;
        address[] majority;
        uint256 pot; // slashed stake to share
    }

    function _decide(
        uint256 caseId,
        Case storage c,
        bool valid,
        uint256[3] memory tally, // valid, invalid, the committee's stake
        Committee calldata committee
    ) private {
        c.state = valid ? State.Valid : State.Invalid;
        emit CaseDecided(caseId, caseId >> 8, valid, tally[0], tally[1], tally[2]);
        (address[] memory majority, address[] memory dissent) = _sides(c, valid, committee);
        Decision memory d = Decision(caseId, caseId >> 8, uint8(caseId), majority, 0);
        if (valid) _upheld(d, c);
        else _overturned(d, c);
        for (uint256 i; i < dissent.length; ++i) {
            d.pot += _slash(caseId, dissent[i], dissentSlash);
        }
        _share(d, Payout.SlashReward);
    }

    /// @dev The members who voted `valid` (with the quorum) and those who voted against it.
    function _sides(Case storage c, bool valid, Committee calldata committee)
        private
        view
        returns (address[] memory majority, address[] memory dissent)
    {
        uint256 size = committee.members.length;
        majority = new address[](size);
        dissent = new address[](size);
        uint256 nMajority;
        uint256 nDissent;
        for (uint256 i; i < size; ++i) {
            uint8 bit = uint8(1 << i);
            if (c.votedMask & bit == 0) continue;
            address m = committee.members[i];
            if ((c.validMask & bit != 0) == valid) majority[nMajority++] = m;
            else dissent[nDissent++] = m;
        }
        assembly ("memory-safe") {
            mstore(majority, nMajority)
            mstore(dissent, nDissent)
        }
    }

    /// @dev VALID: the hub settles; a frivolous challenge's bond pays the committee, rest to the node.
    function _upheld(Decision memory d, Case storage c) private {
        if (c.kind == Kind.KeyApproval) {
            _closeKeyCase(d.caseId, c, d.majority, NodeRegistry.KeyStatus.Approved);
            return;
        }
        if (c.kind != Kind.Challenge) {
            hub.settleVerified(d.requestId, d.attempt, d.majority, verdictFee);
            return;
        }
        hub.settleVerified(d.requestId, d.attempt, new address[](0), 0);
        uint256 bond = c.bond;
        c.bond = 0;
        totalBonds -= bond;
        uint256 n = d.majority.length;
        uint256 each = bond / n < verdictFee ? bond / n : verdictFee;
        for (uint256 i; i < n; ++i) {
            _pay(d.majority[i], each, Payout.BondVerdictFee, d.caseId);
        }
        _pay(c.node, bond - each * n, Payout.BondForfeit, d.caseId);
    }

    /// @dev INVALID: the hub slashes the node into this court and reassigns or refunds the request
    /// (the requester first); a challenger gets its bond back and half of the node's stake.
    function _overturned(Decision memory d, Case storage c) private {
        if (c.kind == Kind.KeyApproval) {
            // an attestation a quorum found invalid is a lie about an enclave: slashed like a result
            _closeKeyCase(d.caseId, c, d.majority, NodeRegistry.KeyStatus.Rejected);
            d.pot += _slash(d.caseId, c.node, slashAmount);
            return;
        }
        uint256 slashed =
            hub.rejectResult(d.requestId, d.attempt, slashAmount, true, "the verification committee found the result invalid");
        if (slashed != 0) emit StakeSlashed(d.caseId, c.node, slashed);
        if (c.kind != Kind.Challenge) {
            d.pot += slashed;
            return;
        }
        uint256 bond = c.bond;
        c.bond = 0;
        totalBonds -= bond;
        uint256 half = slashed / 2;
        d.pot += slashed - half;
        _pay(c.challenger, bond, Payout.BondReturned, d.caseId);
        _pay(c.challenger, half, Payout.ChallengeReward, d.caseId);
    }

    /// @dev No quorum in maxRounds, or too few validators to draw for a quorum.
    function _release(uint256 caseId, Case storage c, string memory reason) private {
        c.state = State.Released;
        emit CaseReleased(caseId, caseId >> 8, reason);
        if (c.kind == Kind.KeyApproval) {
            _closeKeyCase(caseId, c, new address[](0), NodeRegistry.KeyStatus.NotApproved);
        } else if (c.kind == Kind.Zkml) {
            hub.rejectResult(caseId >> 8, uint8(caseId), 0, false, reason);
        } else if (c.kind == Kind.Challenge) {
            uint256 bond = c.bond;
            c.bond = 0;
            totalBonds -= bond;
            _pay(c.challenger, bond, Payout.BondReturned, caseId);
        }
    }

    /// @dev A key case closes: its fee pays each member of `paid` its verdict fee and the rest goes
    /// back to the node; the registry records the outcome.
    function _closeKeyCase(uint256 caseId, Case storage c, address[] memory paid, NodeRegistry.KeyStatus outcome)
        private
    {
        uint256 fee = keyApprovalFee();
        totalKeyFees -= fee;
        nodes.recordKeyApproval(keyOfCase[caseId], caseId, outcome);
        for (uint256 i; i < paid.length; ++i) {
            _pay(paid[i], verdictFee, Payout.KeyApprovalFee, caseId);
        }
        _pay(c.node, fee - verdictFee * paid.length, Payout.KeyFeeRefund, caseId);
    }

    /// @dev Equal shares of d.pot to the majority; the remainder of the division to the first.
    function _share(Decision memory d, Payout kind) private {
        uint256 n = d.majority.length;
        if (d.pot == 0 || n == 0) return;
        uint256 each = d.pot / n;
        for (uint256 i; i < n; ++i) {
            _pay(d.majority[i], i == 0 ? d.pot - each * (n - 1) : each, kind, d.caseId);
        }
    }

    function _slash(uint256 caseId, address who, uint256 amount) private returns (uint256 got) {
        if (amount == 0) return 0;
        got = nodes.slash(who, amount, address(this));
        if (got != 0) emit StakeSlashed(caseId, who, got);
    }

    function _drawCommittee(uint256 caseId, Case storage c, bytes32 h) private {
        uint8 round = c.round;
        // Never the node nor its challenger; nor members of earlier rounds who did not vote.
        address[] memory exclude;
        if (round == 0) {
            exclude = new address[](2);
        } else {
            address[] storage silent = silentOf[caseId];
            exclude = new address[](silent.length + 2);
            for (uint256 i; i < silent.length; ++i) {
                exclude[i + 2] = silent[i];
            }
        }
        exclude[0] = c.node;
        exclude[1] = c.challenger;
        (address[] memory members, uint256[] memory stakes) =
            nodes.drawCommittee(committeeSeed(h, caseId, round), committeeSize, exclude);
        // Fewer members than a quorum of a full committee (⌈K × quorumBps / BPS⌉: 2 of 3) is no
        // committee: one member left by a redraw (the silent ones are out) would decide alone.
        // Release instead, as when none is left.
        if (members.length * BPS < uint256(committeeSize) * quorumBps) {
            _release(caseId, c, members.length == 0 ? "no validator could be drawn" : "too few validators to reach a quorum");
            return;
        }
        uint64 deadline = uint64(block.timestamp) + verdictWindow;
        bytes32 subject = c.seal;
        c.seal = keccak256(abi.encode(subject, members, stakes, deadline));
        c.blockNumber = uint40(block.number);
        c.votedMask = 0;
        c.validMask = 0;
        c.state = State.Voting;
        emit CommitteeDrawn(caseId, round, subject, members, stakes, deadline);
    }

    /// @dev The stake that voted VALID, INVALID, and the committee's whole stake.
    function _tally(Case storage c, Committee calldata committee)
        private
        view
        returns (uint256 validStake, uint256 invalidStake, uint256 committeeStake)
    {
        uint8 voted = c.votedMask;
        uint8 validMask = c.validMask;
        for (uint256 i; i < committee.stakes.length; ++i) {
            uint256 stake = committee.stakes[i];
            committeeStake += stake;
            uint8 bit = uint8(1 << i);
            if (voted & bit == 0) continue;
            if (validMask & bit != 0) validStake += stake;
            else invalidStake += stake;
        }
    }

    // =============================================================== payouts

    /// @notice Takes a payout whose push failed.
    function claim() external {
        uint256 amount = owedTo[msg.sender];
        if (amount == 0) revert NothingOwed(msg.sender);
        owedTo[msg.sender] = 0;
        totalOwed -= amount;
        emit Paid(msg.sender, amount, Payout.OwedClaim, 0);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed(msg.sender, amount);
    }

    /// @dev Pushes with a gas stipend; a refused payout waits in owedTo.
    function _pay(address to, uint256 amount, Payout kind, uint256 caseId) private {
        if (amount == 0) return;
        bool ok;
        assembly ("memory-safe") {
            ok := call(PAYOUT_GAS, to, amount, 0, 0, 0, 0)
        }
        if (ok) {
            emit Paid(to, amount, kind, caseId);
        } else {
            owedTo[to] += amount;
            totalOwed += amount;
            emit PayoutDeferred(to, amount, kind, caseId);
        }
    }

    // =============================================================== views

    /// @notice The case of the `attempt`-th assignment of hub request `requestId`.
    function caseIdOf(uint256 requestId, uint8 attempt) public pure returns (uint256) {
        return (requestId << 8) | attempt;
    }

    /// @notice Whether `caseId` is a KeyApproval case (KEY_CASES bit) rather than a request's.
    function isKeyCase(uint256 caseId) public pure returns (bool) {
        return caseId & KEY_CASES != 0;
    }

    /// @notice The enclave key a KeyApproval case judges (address(0) for any other case).
    function enclaveKeyOf(uint256 caseId) external view returns (address) {
        return keyOfCase[caseId];
    }

    /// @notice The outputHash of a KeyApproval verdict: the enclave key's address as a word,
    /// bytes32(uint256(uint160(enclaveKey))); its evidenceHash is the attestation document's hash.
    function keySubject(address enclaveKey) public pure returns (bytes32) {
        return bytes32(uint256(uint160(enclaveKey)));
    }

    /// @notice The audit lottery's ticket in [0, 10,000): keccak256(abi.encode(seedHash, caseId,
    /// AUDIT_TAG)) mod 10,000. A result is selected when its ticket is below the audit rate.
    function auditTicket(bytes32 seedHash, uint256 caseId) public pure returns (uint256) {
        return uint256(keccak256(abi.encode(seedHash, caseId, AUDIT_TAG))) % BPS;
    }

    /// @notice Whether the lottery seeded by `seedHash` selects case `caseId` at `rateBps`.
    function auditSelected(bytes32 seedHash, uint256 caseId, uint16 rateBps) public pure returns (bool) {
        return auditTicket(seedHash, caseId) < rateBps;
    }

    /// @notice The seed of a committee draw: keccak256(abi.encode(seedHash, caseId, round)); the i-th
    /// ticket is keccak256(abi.encode(seed, i)) mod validatorPoolTotal (NodeRegistry.drawCommittee).
    function committeeSeed(bytes32 seedHash, uint256 caseId, uint8 round) public pure returns (bytes32) {
        return keccak256(abi.encode(seedHash, caseId, uint256(round)));
    }

    /// @notice The commitment a round stores instead of its committee (the case's seal from the draw
    /// on): keccak256(abi.encode(subject, members, stakes, deadline)), as CommitteeDrawn announced them.
    function committeeDigest(Committee calldata committee) public pure returns (bytes32) {
        return keccak256(abi.encode(committee.subject, committee.members, committee.stakes, committee.deadline));
    }

    /// @notice How the submission of (requestId, attempt) is being or was verified: kind, state,
    /// the lottery, the round with its committee's digest, the block of the CommitteeDrawn event that
    /// lists the members (their stakes and the deadline) and who of them voted how, the quorum, a
    /// challenge. The committee itself is not stored (that is what keeps a draw cheap): read it from
    /// that event.
    function getCase(uint256 caseId) external view returns (CaseView memory v) {
        Case storage c = cases[caseId];
        v.requestId = caseId >> 8;
        v.attempt = uint8(caseId);
        v.node = c.node;
        v.kind = c.kind;
        v.state = c.state;
        v.auditRateBps = c.auditRateBps;
        bool drawn = c.state == State.Voting || c.state == State.Valid || c.state == State.Invalid;
        v.seedBlock = drawn ? 0 : c.blockNumber;
        v.round = c.round;
        v.committee = drawn ? c.seal : bytes32(0);
        v.drawBlock = drawn ? c.blockNumber : 0;
        v.votedMask = c.votedMask;
        v.validMask = c.validMask;
        v.quorumBps = quorumBps;
        v.challenger = c.challenger;
        v.bond = c.bond;
        if (c.kind == Kind.Challenge) {
            v.lotteryResolved = true; // a challenge replaced the lottery: no audit
        } else if (c.kind == Kind.Audit && c.state != State.Lottery) {
            v.lotteryResolved = true;
            v.auditSelected = c.state != State.NotSelected;
        } else if (c.kind == Kind.Audit && block.number > c.blockNumber) {
            bytes32 h = blockhash(c.blockNumber);
            v.lotteryResolved = true; // a lottery past its seed's 256 blocks counts as selected
            v.auditSelected = h == 0 || auditSelected(h, caseId, c.auditRateBps);
        }
    }

    /// @notice The EIP-712 digest a member signs for `v`.
    function verdictDigest(Verdict calldata v) public view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(VERDICT_TYPEHASH, v.caseId, v.requestId, v.outputHash, v.evidenceHash, v.valid, v.round)
        );
        return keccak256(abi.encodePacked(hex"1901", domainSeparator(), structHash));
    }

    /// @notice This court's EIP-712 domain separator: {name "Vouch", version "1", chainid, this}.
    function domainSeparator() public view returns (bytes32) {
        return block.chainid == deployChainId ? deployDomainSeparator : _buildDomainSeparator();
    }

    /// @notice What the court must hold: challenge bonds + payouts waiting to be claimed + the fees
    /// of open key approvals.
    function heldBalance() public view returns (uint256) {
        return totalBonds + totalOwed + totalKeyFees;
    }

    /// @notice True when the ETH balance equals what the books say is held.
    function isBalanced() external view returns (bool) {
        return address(this).balance == heldBalance();
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256("Vouch"), keccak256("1"), block.chainid, address(this)));
    }

    /// @dev ecrecover with 65 bytes r ‖ s ‖ v, v in {27, 28}, low s; address(0) for no key.
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
