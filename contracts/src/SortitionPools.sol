// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title SortitionPools — stake-weighted sets with O(log n) updates and draws.
/// @notice A pool holds members with weights in a 4-ary sum tree whose nodes are packed words: one
/// storage slot holds the sums of four subtrees as 64-bit numbers of gwei. Setting a member's weight
/// writes one word per level and a draw reads one word per level, log4(n) levels whatever the number
/// of members (7 at 10,000) — half the slots a binary tree reads, which is what a draw pays for
/// (each cold slot costs 2,100 gas). Weights are kept in whole gwei: the wei below a gwei do not
/// count (a stake of 1 ETH + 5 wei weighs 1 ETH), and every figure the pool returns (total, ranges,
/// weights) is in wei, a multiple of 1 gwei. A member whose weight drops to 0 leaves the pool; its
/// slot is reused by the next member that joins, so the tree grows only with the largest number of
/// members the pool ever had at once.
library SortitionPools {
    /// What one unit of weight is worth in wei.
    uint256 internal constant UNIT = 1 gwei;
    uint256 private constant FIELD = 64;
    uint256 private constant MASK = type(uint64).max;

    struct Pool {
        mapping(uint256 => uint256) words; // (level << 128 | index) => 4 packed subtree sums, in UNIT
        address[] members; // members[i] holds slot i; address(0): free (members[0] unused)
        mapping(address => uint256) slotOf; // 0: not a member
        uint256[] freeSlots;
        uint256 total; // in wei, a multiple of UNIT
        uint256 size; // members with a positive weight
        uint256 depth; // levels of words: room for 4 ** depth slots
    }

    error TicketOutOfRange(uint256 ticket, uint256 total);
    /// A subtree's weight would pass 2^64 − 1 gwei (about 18 billion ether).
    error PoolWeightOverflow(uint256 weight);

    /// @notice Sets `member`'s weight (wei; counted in whole gwei); 0 removes it.
    function set(Pool storage p, address member, uint256 weight) internal {
        uint256 units = weight / UNIT;
        uint256 slot = p.slotOf[member];
        if (slot == 0) {
            if (units == 0) return;
            slot = _takeSlot(p, member);
            p.slotOf[member] = slot;
            _update(p, slot - 1, units, true);
            p.total += units * UNIT;
            p.size += 1;
            return;
        }
        uint256 old = _leaf(p, slot - 1);
        if (units == old) return;
        if (units > old) {
            _update(p, slot - 1, units - old, true);
            p.total += (units - old) * UNIT;
        } else {
            _update(p, slot - 1, old - units, false);
            p.total -= (old - units) * UNIT;
        }
        if (units == 0) {
            p.members[slot] = address(0);
            p.freeSlots.push(slot);
            delete p.slotOf[member];
            p.size -= 1;
        }
    }

    /// @notice The member whose weight interval holds `ticket` (0 ≤ ticket < total): a draw with
    /// probability weight / total when the ticket is uniform.
    function draw(Pool storage p, uint256 ticket) internal view returns (address) {
        (uint256 leaf,,) = _descend(p, ticket);
        return p.members[leaf + 1];
    }

    /// @notice Like draw, also returning the member's ticket interval [start, start + weight) (start:
    /// the sum of the weights in the slots before it).
    function drawWithRange(Pool storage p, uint256 ticket)
        internal
        view
        returns (address member, uint256 start, uint256 weight)
    {
        (uint256 leaf, uint256 offset, uint256 units) = _descend(p, ticket);
        return (p.members[leaf + 1], (ticket / UNIT - offset) * UNIT, units * UNIT);
    }

    /// @dev From the root down: at each level the child whose subtree holds the ticket. Returns the
    /// leaf, the ticket's offset inside it and the leaf's weight, in UNIT.
    function _descend(Pool storage p, uint256 ticket)
        private
        view
        returns (uint256 index, uint256 rest, uint256 units)
    {
        if (ticket >= p.total) revert TicketOutOfRange(ticket, p.total);
        rest = ticket / UNIT;
        for (uint256 level = p.depth; level != 0;) {
            --level;
            uint256 word = p.words[(level << 128) | index];
            uint256 child;
            // rest < the word's sum: if none of the first three children holds it, the fourth does
            for (; child < 3; ++child) {
                units = (word >> (child * FIELD)) & MASK;
                if (rest < units) break;
                rest -= units;
            }
            if (child == 3) units = word >> (3 * FIELD);
            index = (index << 2) | child;
        }
    }

    /// @notice A member's ticket interval [start, start + weight); (0, 0) for a non-member. O(log n).
    function rangeOf(Pool storage p, address member) internal view returns (uint256 start, uint256 weight) {
        uint256 slot = p.slotOf[member];
        if (slot == 0) return (0, 0);
        uint256 leaf = slot - 1;
        uint256 depth = p.depth;
        for (uint256 level; level < depth; ++level) {
            uint256 word = p.words[(level << 128) | (leaf >> (2 * (level + 1)))];
            uint256 child = (leaf >> (2 * level)) & 3;
            if (level == 0) weight = (word >> (child * FIELD)) & MASK;
            for (uint256 c; c < child; ++c) {
                start += (word >> (c * FIELD)) & MASK;
            }
        }
        return (start * UNIT, weight * UNIT);
    }

    /// @notice A member's weight in wei (a multiple of 1 gwei); 0 for a non-member.
    function weightOf(Pool storage p, address member) internal view returns (uint256) {
        uint256 slot = p.slotOf[member];
        return slot == 0 ? 0 : _leaf(p, slot - 1) * UNIT;
    }

    /// @notice Slot count (members and free slots): what a full scan of the pool visits.
    function slots(Pool storage p) internal view returns (uint256) {
        return p.members.length == 0 ? 0 : p.members.length - 1;
    }

    /// @notice The member in `slot` (1-based), address(0) for a free slot.
    function memberAt(Pool storage p, uint256 slot) internal view returns (address) {
        return p.members[slot];
    }

    function _leaf(Pool storage p, uint256 leaf) private view returns (uint256) {
        return (p.words[leaf >> 2] >> ((leaf & 3) * FIELD)) & MASK;
    }

    function _takeSlot(Pool storage p, address member) private returns (uint256 slot) {
        uint256 free = p.freeSlots.length;
        if (free != 0) {
            slot = p.freeSlots[free - 1];
            p.freeSlots.pop();
            p.members[slot] = member;
            return slot;
        }
        if (p.members.length == 0) p.members.push(address(0));
        slot = p.members.length;
        p.members.push(member);
        // a new top level when the slots outgrow the tree: its first child is the old root
        uint256 depth = p.depth;
        while (depth == 0 || slot > 4 ** depth) {
            if (depth != 0) p.words[depth << 128] = p.total / UNIT;
            ++depth;
        }
        p.depth = depth;
    }

    /// @dev Adds (or subtracts) `delta` units on the path from `leaf` to the root.
    function _update(Pool storage p, uint256 leaf, uint256 delta, bool add) private {
        uint256 depth = p.depth;
        for (uint256 level; level < depth; ++level) {
            uint256 key = (level << 128) | (leaf >> (2 * (level + 1)));
            uint256 shift = ((leaf >> (2 * level)) & 3) * FIELD;
            uint256 word = p.words[key];
            uint256 field = (word >> shift) & MASK;
            uint256 next = add ? field + delta : field - delta;
            if (next > MASK) revert PoolWeightOverflow(next);
            p.words[key] = (word & ~(MASK << shift)) | (next << shift);
        }
    }
}
