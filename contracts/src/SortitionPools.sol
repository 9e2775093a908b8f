// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title SortitionPools — stake-weighted sets with O(log n) updates and draws.
/// @notice A pool holds members with weights in a Fenwick (binary indexed) tree: setting a member's
/// weight and drawing a member with probability weight / total each read or write O(log n) slots,
/// whatever the number of members. A member whose weight drops to 0 leaves the pool; its slot is
/// reused by the next member that joins, so the tree grows only with the largest number of members
/// the pool ever had at once.
library SortitionPools {
    struct Pool {
        uint256[] tree; // 1-based Fenwick tree over the weights; tree[0] is unused
        address[] members; // members[i] holds slot i; address(0): free (members[0] unused)
        mapping(address => uint256) slotOf; // 0: not a member
        mapping(address => uint256) weightOf;
        uint256[] freeSlots;
        uint256 total;
        uint256 size; // members with a positive weight
    }

    error TicketOutOfRange(uint256 ticket, uint256 total);

    /// @notice Sets `member`'s weight; 0 removes it.
    function set(Pool storage p, address member, uint256 weight) internal {
        uint256 slot = p.slotOf[member];
        uint256 old = p.weightOf[member];
        if (slot == 0) {
            if (weight == 0) return;
            slot = _takeSlot(p, member, weight);
            p.slotOf[member] = slot;
            p.weightOf[member] = weight;
            p.total += weight;
            p.size += 1;
            return;
        }
        if (weight == old) return;
        if (weight > old) {
            _add(p, slot, weight - old);
            p.total += weight - old;
        } else {
            _sub(p, slot, old - weight);
            p.total -= old - weight;
        }
        if (weight == 0) {
            p.members[slot] = address(0);
            p.freeSlots.push(slot);
            delete p.slotOf[member];
            delete p.weightOf[member];
            p.size -= 1;
        } else {
            p.weightOf[member] = weight;
        }
    }

    /// @notice The member whose weight interval holds `ticket` (0 ≤ ticket < total): a draw with
    /// probability weight / total when the ticket is uniform.
    function draw(Pool storage p, uint256 ticket) internal view returns (address) {
        (uint256 pos,) = _descend(p, ticket);
        return p.members[pos + 1];
    }

    /// @notice Like draw, also returning the member's ticket interval [start, start + weight) (start:
    /// the sum of the weights in the slots before it).
    function drawWithRange(Pool storage p, uint256 ticket)
        internal
        view
        returns (address member, uint256 start, uint256 weight)
    {
        (uint256 pos, uint256 rest) = _descend(p, ticket);
        member = p.members[pos + 1];
        return (member, ticket - rest, p.weightOf[member]);
    }

    /// @dev Fenwick descent: the last slot `pos` whose prefix sum is ≤ ticket, and ticket minus that
    /// prefix (the offset inside slot pos + 1).
    function _descend(Pool storage p, uint256 ticket) private view returns (uint256 pos, uint256 rest) {
        if (ticket >= p.total) revert TicketOutOfRange(ticket, p.total);
        uint256 n = p.tree.length == 0 ? 0 : p.tree.length - 1;
        rest = ticket;
        uint256 step = 1;
        while (step << 1 <= n) step <<= 1;
        for (; step != 0; step >>= 1) {
            uint256 next = pos + step;
            if (next <= n) {
                uint256 v = p.tree[next];
                if (v <= rest) {
                    pos = next;
                    rest -= v;
                }
            }
        }
    }

    /// @notice A member's ticket interval [start, start + weight); (0, 0) for a non-member. O(log n).
    function rangeOf(Pool storage p, address member) internal view returns (uint256 start, uint256 weight) {
        uint256 slot = p.slotOf[member];
        if (slot == 0) return (0, 0);
        return (_prefix(p, slot - 1), p.weightOf[member]);
    }

    function weightOf(Pool storage p, address member) internal view returns (uint256) {
        return p.weightOf[member];
    }

    /// @notice Slot count (members and free slots): what a full scan of the pool visits.
    function slots(Pool storage p) internal view returns (uint256) {
        return p.members.length == 0 ? 0 : p.members.length - 1;
    }

    /// @notice The member in `slot` (1-based), address(0) for a free slot.
    function memberAt(Pool storage p, uint256 slot) internal view returns (address) {
        return p.members[slot];
    }

    function _takeSlot(Pool storage p, address member, uint256 weight) private returns (uint256 slot) {
        uint256 free = p.freeSlots.length;
        if (free != 0) {
            slot = p.freeSlots[free - 1];
            p.freeSlots.pop();
            p.members[slot] = member;
            _add(p, slot, weight);
            return slot;
        }
        if (p.tree.length == 0) {
            p.tree.push(0);
            p.members.push(address(0));
        }
        slot = p.tree.length;
        // tree[slot] covers (slot - lowbit(slot), slot]: its own weight plus the slots below it
        uint256 low = slot & (~slot + 1);
        p.tree.push(weight + _prefix(p, slot - 1) - _prefix(p, slot - low));
        p.members.push(member);
    }

    function _prefix(Pool storage p, uint256 i) private view returns (uint256 sum) {
        while (i != 0) {
            sum += p.tree[i];
            i &= i - 1;
        }
    }

    function _add(Pool storage p, uint256 i, uint256 delta) private {
        uint256 n = p.tree.length;
        while (i < n) {
            p.tree[i] += delta;
            i += i & (~i + 1);
        }
    }

    function _sub(Pool storage p, uint256 i, uint256 delta) private {
        uint256 n = p.tree.length;
        while (i < n) {
            p.tree[i] -= delta;
            i += i & (~i + 1);
        }
    }
}
