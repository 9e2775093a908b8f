// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// The packed 4-ary sortition tree against a plain list: after any sequence of joins, weight changes
// and departures, the total is the sum of the weights, every member's range is where the draws land,
// and the ranges tile [0, total) in slot order.
import {SortitionPools} from "vouch-contracts/SortitionPools.sol";

contract PoolHarness {
    using SortitionPools for SortitionPools.Pool;

    SortitionPools.Pool private pool;

    function set(address m, uint256 w) external {
        pool.set(m, w);
    }

    function total() external view returns (uint256) {
        return pool.total;
    }

    function size() external view returns (uint256) {
        return pool.size;
    }

    function slots() external view returns (uint256) {
        return pool.slots();
    }

    function memberAt(uint256 slot) external view returns (address) {
        return pool.memberAt(slot);
    }

    function rangeOf(address m) external view returns (uint256, uint256) {
        return pool.rangeOf(m);
    }

    function weightOf(address m) external view returns (uint256) {
        return pool.weightOf(m);
    }

    function draw(uint256 t) external view returns (address) {
        return pool.draw(t);
    }

    function drawWithRange(uint256 t) external view returns (address, uint256, uint256) {
        return pool.drawWithRange(t);
    }
}

contract SortitionPoolsTest {
    uint256 private constant GWEI = 1 gwei;

    function _check(bool ok, string memory what) private pure {
        require(ok, what);
    }

    /// Seeded random operations over 40 addresses (forge runs this with random seeds).
    function testFuzz_theTreeAgreesWithAList(uint256 seed) public {
        PoolHarness h = new PoolHarness();
        uint256[40] memory weights; // in gwei, the reference
        for (uint256 step; step < 120; ++step) {
            seed = uint256(keccak256(abi.encode(seed, step)));
            uint256 who = seed % 40;
            uint256 kind = (seed >> 8) % 4;
            // a quarter of the moves remove; weights up to 1,000 ETH plus sub-gwei dust
            uint256 w = kind == 0 ? 0 : ((seed >> 16) % 1_000_000_000_000) * GWEI + ((seed >> 64) % GWEI);
            h.set(address(uint160(who + 1)), w);
            weights[who] = w / GWEI;
        }
        uint256 sum;
        uint256 members;
        for (uint256 i; i < 40; ++i) {
            sum += weights[i];
            if (weights[i] != 0) ++members;
            _check(h.weightOf(address(uint160(i + 1))) == weights[i] * GWEI, "weightOf");
        }
        _check(h.total() == sum * GWEI, "total is the sum of whole-gwei weights");
        _check(h.size() == members, "size counts members with weight");
        // the ranges, in slot order, tile [0, total) and the draws land in them
        uint256 next;
        for (uint256 slot = 1; slot <= h.slots(); ++slot) {
            address m = h.memberAt(slot);
            if (m == address(0)) continue;
            (uint256 start, uint256 weight) = h.rangeOf(m);
            _check(start == next, "ranges are contiguous in slot order");
            _check(weight == weights[uint160(m) - 1] * GWEI, "range weight");
            _check(h.draw(start) == m, "the first ticket of a range draws its member");
            _check(h.draw(start + weight - 1) == m, "the last ticket of a range draws its member");
            (address d, uint256 s, uint256 w) = h.drawWithRange(start + weight / 2);
            _check(d == m && s == start && w == weight, "drawWithRange returns the range");
            next = start + weight;
        }
        _check(next == h.total(), "the ranges cover the total");
    }

    function test_aTicketAtTheTotalIsRefused() public {
        PoolHarness h = new PoolHarness();
        h.set(address(1), 1 ether);
        try h.draw(1 ether) {
            revert("drew past the total");
        } catch (bytes memory reason) {
            _check(
                keccak256(reason)
                    == keccak256(abi.encodeWithSelector(SortitionPools.TicketOutOfRange.selector, 1 ether, 1 ether)),
                "TicketOutOfRange"
            );
        }
    }

    /// A subtree's sum is a 64-bit count of gwei: a weight past it, or one whose subtree's sum would
    /// pass it, is refused, not wrapped into a small weight that would skew every draw.
    function test_aWeightPastTheTreesFieldIsRefusedNotWrapped() public {
        PoolHarness h = new PoolHarness();
        for (uint256 i = 1; i <= 5; ++i) {
            h.set(address(uint160(i)), 1 ether); // five members: a second level sums the first four
        }
        uint256 max = uint256(type(uint64).max) * GWEI;
        try h.set(address(1), max) {
            revert("a subtree sum past 2^64 - 1 gwei was accepted");
        } catch (bytes memory reason) {
            _check(bytes4(reason) == SortitionPools.PoolWeightOverflow.selector, "PoolWeightOverflow (sum)");
        }
        try h.set(address(6), max + GWEI) {
            revert("a weight past 2^64 - 1 gwei was accepted");
        } catch (bytes memory reason) {
            _check(bytes4(reason) == SortitionPools.PoolWeightOverflow.selector, "PoolWeightOverflow (leaf)");
        }
        _check(h.total() == 5 ether && h.weightOf(address(1)) == 1 ether, "the pool is as before the refusals");
        h.set(address(5), max - 4 ether); // alone in its subtree, the largest weight fits
        _check(h.draw(h.total() - 1) == address(5), "and draws");
    }

    function test_theTreeGrowsPastFourToTheDepthAndKeepsItsSums() public {
        PoolHarness h = new PoolHarness();
        for (uint256 i = 1; i <= 70; ++i) {
            h.set(address(uint160(i)), i * 1 ether);
        }
        _check(h.total() == 70 * 71 / 2 * 1 ether, "sum of 1..70 ether");
        (uint256 start, uint256 weight) = h.rangeOf(address(uint160(65)));
        _check(start == 64 * 65 / 2 * 1 ether && weight == 65 ether, "range of the 65th member, past 4^3 slots");
        _check(h.draw(start) == address(uint160(65)), "draws it");
    }
}
