// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {InferenceHub} from "./InferenceHub.sol";
import {IVouchConsumer} from "./IVouchConsumer.sol";

/// @title SupportDesk — an on-chain customer-support desk that routes tickets by a model's intent.
/// @notice A customer opens a ticket with the featurized text (the canonical input tensor that the
/// SDK's featurizer computed off chain) and pays the inference fee. The desk asks the hub's demo
/// model for the intent and, once the result is final, files the ticket into the queue of that
/// intent (queue i = output class i).
///
/// How the desk reads the intent: the node returns the model's output as the canonical tensor bytes
/// (dtype u8, rank u8, dims u32 LE, data LE), the same bytes whose keccak256 is the receipt's
/// outputHash, so nothing beside the signed receipt has to be trusted. The desk takes the argmax of
/// the logits itself. float32 logits are compared through their bit patterns mapped to an unsigned
/// total order (negative: all bits flipped; positive: sign bit set), which orders every finite float
/// like its value; int32 logits (a quantized model) are compared by flipping the sign bit. Ties go
/// to the lowest index, as in Java's Tensor.argmax (so -0.0 ties with +0.0). A NaN, another dtype,
/// a malformed tensor or a class without a queue makes the ticket Unroutable (the node has been
/// paid: the answer was valid but useless to the desk).
///
/// Money: the customer pays msg.value as the request's maximum fee. The hub sends the unused part
/// back to the desk, which keeps it for its operator; when a request fails (no node answered in
/// time), the hub refunds the whole fee to the desk and the desk owes it to the customer, who takes
/// it with withdrawRefund().
contract SupportDesk is IVouchConsumer {
    enum TicketStatus {
        None,
        Pending,
        Routed,
        Unroutable,
        Failed
    }

    struct Ticket {
        address customer;
        TicketStatus status;
        uint8 queue;
        uint256 requestId;
        uint256 paid;
    }

    uint8 private constant DTYPE_FLOAT32 = 1;
    uint8 private constant DTYPE_INT32 = 5;
    uint8 private constant VANILLA = 0;
    /// Gas the hub gives our callback: decoding a few dozen logits and two SSTOREs fit easily.
    uint32 public constant CALLBACK_GAS = 150_000;
    uint256 public constant MAX_CLASSES = 256;

    InferenceHub public immutable hub;
    bytes32 public immutable modelId;
    uint64 public immutable responseSeconds;
    address public immutable operator;

    string[] private queueNames;
    Ticket[] private tickets;
    mapping(uint256 => uint256) private ticketOfRequest; // hub request id => ticket id + 1
    mapping(address => uint256) public refundOf;
    uint256 public totalRefundsOwed;

    error NotHub(address caller);
    error NotOperator(address caller);
    error NoQueues();
    error TooManyQueues(uint256 count, uint256 maximum);
    error UnknownTicket(uint256 ticketId);
    error UnknownRequest(uint256 requestId);
    error NothingToRefund(address customer);
    error TransferFailed(address to, uint256 amount);

    event TicketOpened(uint256 indexed ticketId, address indexed customer, uint256 indexed requestId, uint256 paid);
    event TicketRouted(uint256 indexed ticketId, uint8 queue, string queueName, bytes32 outputHash);
    event TicketUnroutable(uint256 indexed ticketId, bytes32 outputHash, string reason);
    event TicketFailed(uint256 indexed ticketId, string reason, uint256 refund);
    event RefundWithdrawn(address indexed customer, uint256 amount);
    event SurplusWithdrawn(address indexed to, uint256 amount);

    constructor(InferenceHub hub_, bytes32 modelId_, uint64 responseSeconds_, string[] memory queues) {
        if (queues.length == 0) revert NoQueues();
        if (queues.length > MAX_CLASSES) revert TooManyQueues(queues.length, MAX_CLASSES);
        hub = hub_;
        modelId = modelId_;
        responseSeconds = responseSeconds_;
        operator = msg.sender;
        for (uint256 i; i < queues.length; ++i) {
            queueNames.push(queues[i]);
        }
    }

    /// @notice Opens a ticket; msg.value is the most the customer pays for the inference.
    /// @param features the canonical tensor of the featurized ticket text.
    function openTicket(bytes calldata features) external payable returns (uint256 ticketId) {
        ticketId = tickets.length;
        tickets.push(Ticket({customer: msg.sender, status: TicketStatus.Pending, queue: 0, requestId: 0, paid: msg.value}));
        // The hub calls back into this contract only after request() has returned (the node has to
        // answer first), so recording the request id afterwards is safe.
        uint256 requestId = hub.request{value: msg.value}(
            modelId,
            features,
            keccak256(features),
            VANILLA,
            uint64(block.timestamp) + responseSeconds,
            address(0),
            address(this),
            CALLBACK_GAS,
            false
        );
        tickets[ticketId].requestId = requestId;
        ticketOfRequest[requestId] = ticketId + 1;
        emit TicketOpened(ticketId, msg.sender, requestId, msg.value);
    }

    function onInferenceResult(uint256 requestId, bytes32 outputHash, bytes calldata output, bool finalized)
        external
    {
        if (msg.sender != address(hub)) revert NotHub(msg.sender);
        if (!finalized) return; // a desk never routes on a result that can still be challenged
        uint256 ticketId = _ticketOf(requestId);
        Ticket storage t = tickets[ticketId];
        if (t.status != TicketStatus.Pending) return;
        (bool ok, uint256 intent, string memory problem) = argmax(output);
        if (ok && intent >= queueNames.length) {
            ok = false;
            problem = "the model returned a class without a queue";
        }
        if (!ok) {
            t.status = TicketStatus.Unroutable;
            emit TicketUnroutable(ticketId, outputHash, problem);
            return;
        }
        t.status = TicketStatus.Routed;
        t.queue = uint8(intent);
        emit TicketRouted(ticketId, uint8(intent), queueNames[intent], outputHash);
    }

    function onInferenceError(uint256 requestId, string calldata reason) external {
        if (msg.sender != address(hub)) revert NotHub(msg.sender);
        uint256 ticketId = _ticketOf(requestId);
        Ticket storage t = tickets[ticketId];
        if (t.status != TicketStatus.Pending) return;
        t.status = TicketStatus.Failed;
        // The hub has already refunded the whole fee to this contract (before calling back).
        refundOf[t.customer] += t.paid;
        totalRefundsOwed += t.paid;
        emit TicketFailed(ticketId, reason, t.paid);
    }

    function withdrawRefund() external {
        uint256 amount = refundOf[msg.sender];
        if (amount == 0) revert NothingToRefund(msg.sender);
        refundOf[msg.sender] = 0;
        totalRefundsOwed -= amount;
        emit RefundWithdrawn(msg.sender, amount);
        _send(msg.sender, amount);
    }

    /// @notice The operator takes what the hub sent back beyond the refunds owed to customers.
    function withdrawSurplus(address to) external {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        uint256 amount = address(this).balance - totalRefundsOwed;
        emit SurplusWithdrawn(to, amount);
        _send(to, amount);
    }

    /// @notice Fee refunds and unused fees come back from the hub only.
    receive() external payable {
        if (msg.sender != address(hub)) revert NotHub(msg.sender);
    }

    // ---- views ----

    function ticket(uint256 ticketId) external view returns (Ticket memory) {
        if (ticketId >= tickets.length) revert UnknownTicket(ticketId);
        return tickets[ticketId];
    }

    function ticketCount() external view returns (uint256) {
        return tickets.length;
    }

    function queueName(uint256 index) external view returns (string memory) {
        return queueNames[index];
    }

    function queueCount() external view returns (uint256) {
        return queueNames.length;
    }

    /// @notice The index of the largest logit of a canonical float32 or int32 tensor.
    /// @return ok false with a reason when the bytes are not such a tensor or hold a NaN.
    function argmax(bytes calldata tensor) public pure returns (bool ok, uint256 index, string memory problem) {
        if (tensor.length < 2) return (false, 0, "output is not a canonical tensor");
        uint8 dtype = uint8(tensor[0]);
        if (dtype != DTYPE_FLOAT32 && dtype != DTYPE_INT32) return (false, 0, "logits must be float32 or int32");
        uint256 rank = uint8(tensor[1]);
        uint256 offset = 2 + 4 * rank;
        if (tensor.length < offset) return (false, 0, "output is not a canonical tensor");
        uint256 count = 1;
        for (uint256 d; d < rank; ++d) {
            count *= _u32le(tensor, 2 + 4 * d);
            if (count > MAX_CLASSES) return (false, 0, "too many logits");
        }
        if (count == 0 || tensor.length != offset + 4 * count) return (false, 0, "output is not a canonical tensor");
        uint256 best;
        for (uint256 i; i < count; ++i) {
            uint32 bits = _u32le(tensor, offset + 4 * i);
            uint32 key;
            if (dtype == DTYPE_FLOAT32) {
                if (bits & 0x7fffffff > 0x7f800000) return (false, 0, "logit is NaN");
                if (bits == 0x80000000) bits = 0; // -0.0 equals +0.0, as in Java: a tie
                key = bits & 0x80000000 != 0 ? ~bits : bits | 0x80000000;
            } else {
                key = bits ^ 0x80000000;
            }
            if (i == 0 || key > best) {
                best = key;
                index = i;
            }
        }
        return (true, index, "");
    }

    function _u32le(bytes calldata b, uint256 pos) private pure returns (uint32) {
        return uint32(uint8(b[pos])) | (uint32(uint8(b[pos + 1])) << 8) | (uint32(uint8(b[pos + 2])) << 16)
            | (uint32(uint8(b[pos + 3])) << 24);
    }

    function _ticketOf(uint256 requestId) private view returns (uint256) {
        uint256 stored = ticketOfRequest[requestId];
        if (stored == 0) revert UnknownRequest(requestId);
        return stored - 1;
    }

    function _send(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }
}
