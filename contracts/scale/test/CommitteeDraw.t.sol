// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// NodeRegistry.drawCommittee against its NatSpec: seats land in proportion to the draw weight (stake
// up to drawWeightCap), committees are distinct and never hold an excluded address, a seat that
// misses 16 times is drawn by the tree (a pool where all but one validator is excluded), and the
// dense list follows joins, top-ups, departures and slashes.
import {NodeRegistry} from "vouch-contracts/NodeRegistry.sol";

interface DrawVm {
    function addr(uint256 privateKey) external pure returns (address);
    function deal(address account, uint256 balance) external;
    function prank(address sender) external;
}

contract CommitteeDrawTest {
    DrawVm private constant vm = DrawVm(address(uint160(uint256(keccak256("hevm cheat code")))));
    uint8 private constant ROLE_VALIDATOR = 2;

    NodeRegistry private nodes;

    function _check(bool ok, string memory what) private pure {
        require(ok, what);
    }

    function _deploy() private {
        nodes = new NodeRegistry(1 ether, 86_400, true, 7 days, 60);
    }

    function _validator(uint256 i, uint256 stake) private returns (address a) {
        a = vm.addr(0xD0000 + i);
        vm.deal(a, stake + 1 ether);
        vm.prank(a);
        nodes.register{value: stake}(ROLE_VALIDATOR, "http://v", 0, 0, new bytes32[](0));
    }

    function _seed(uint256 i) private pure returns (bytes32) {
        return keccak256(abi.encode("committee-draw-test", i));
    }

    /// Stakes 1, 1, 2, 2 and 5 ether weigh 1, 1, 2, 2 and 2 (the cap): 4,000 single seats land on
    /// each within 4 standard deviations of weight / 8.
    function test_seatsLandInProportionToTheCappedStake() public {
        _deploy();
        uint256[5] memory stakes = [uint256(1 ether), 1 ether, 2 ether, 2 ether, 5 ether];
        address[5] memory who;
        for (uint256 i; i < 5; ++i) {
            who[i] = _validator(i, stakes[i]);
        }
        _check(nodes.drawWeightCap() == 2 ether, "the cap is twice the minimum stake");
        (, uint256 w) = nodes.validatorRange(who[4]);
        _check(w == 2 ether, "stake above the cap adds no weight");
        uint256 n = 4_000;
        uint256[5] memory hits;
        for (uint256 s; s < n; ++s) {
            (address[] memory m,) = nodes.drawCommittee(_seed(s), 1, new address[](0));
            for (uint256 i; i < 5; ++i) {
                if (m[0] == who[i]) hits[i]++;
            }
        }
        uint256 total;
        for (uint256 i; i < 5; ++i) {
            uint256 weight = i < 2 ? 1 : 2;
            uint256 expected = n * weight / 8; // 500 or 1,000
            // sd = sqrt(n p (1 - p)): 20.9 at p = 1/8, 27.4 at p = 1/4; 4 sd ≤ 110
            uint256 diff = hits[i] > expected ? hits[i] - expected : expected - hits[i];
            _check(diff <= 110, "a seat's frequency is its weight's share");
            total += hits[i];
        }
        _check(total == n, "every draw seats a validator");
    }

    /// 12 validators, 3 excluded, committees of 5: always 5 distinct members, none excluded, over
    /// 300 seeds.
    function test_committeesAreDistinctAndNeverHoldAnExcludedAddress() public {
        _deploy();
        address[] memory all = new address[](12);
        for (uint256 i; i < 12; ++i) {
            all[i] = _validator(i, 1 ether + (i % 3) * 0.5 ether);
        }
        address[] memory exclude = new address[](4);
        exclude[0] = all[0];
        exclude[1] = all[5];
        exclude[2] = all[11];
        exclude[3] = address(0xBEEF); // not a validator: excluded all the same, nothing to cut
        for (uint256 s; s < 300; ++s) {
            (address[] memory m, uint256[] memory w) = nodes.drawCommittee(_seed(s), 5, exclude);
            _check(m.length == 5, "a full committee");
            for (uint256 i; i < 5; ++i) {
                _check(nodes.isActiveValidator(m[i]), "a member is an active validator");
                _check(w[i] == nodes.stakeOf(m[i]), "its weight is its stake (under the cap)");
                for (uint256 j; j < exclude.length; ++j) {
                    _check(m[i] != exclude[j], "never an excluded address");
                }
                for (uint256 j; j < i; ++j) {
                    _check(m[i] != m[j], "distinct members");
                }
            }
        }
    }

    /// 20 validators and 19 excluded: a seat's tries hit the one left 1 time in 20, so most seats
    /// miss 16 times and the tree draws them — the committee is that validator every time, and a
    /// committee of 3 asked of a pool with one other has one member.
    function test_aSeatThatMissesEveryTryIsDrawnByTheTree() public {
        _deploy();
        address[] memory all = new address[](20);
        for (uint256 i; i < 20; ++i) {
            all[i] = _validator(i, 1 ether + i * 0.05 ether);
        }
        address[] memory exclude = new address[](19);
        for (uint256 i; i < 19; ++i) {
            exclude[i] = all[i + 1];
        }
        for (uint256 s; s < 50; ++s) {
            (address[] memory m,) = nodes.drawCommittee(_seed(s), 3, exclude);
            _check(m.length == 1 && m[0] == all[0], "the one validator left, by tries or by the tree");
        }
    }

    /// The dense list holds exactly the active validators at their capped weight: a departure swaps
    /// the last entry into its place, a slash below the minimum removes, a top-up raises the weight
    /// to the cap and no further.
    function test_theListFollowsJoinsTopUpsAndDepartures() public {
        _deploy();
        address a = _validator(1, 1 ether);
        address b = _validator(2, 1.5 ether);
        address c = _validator(3, 1 ether);
        _check(nodes.validatorCount() == 3, "three entries");
        _check(nodes.drawCeiling() == 1.5 ether, "the ceiling is the largest weight held");
        vm.prank(a);
        nodes.requestUnbond();
        _check(nodes.validatorCount() == 2, "a leaver's entry is gone");
        (address first, uint256 w0) = nodes.validatorAt(0);
        (address second, uint256 w1) = nodes.validatorAt(1);
        _check(first == c && w0 == 1 ether, "the last entry moved into the leaver's place");
        _check(second == b && w1 == 1.5 ether, "the others stay");
        vm.deal(b, 10 ether);
        vm.prank(b);
        nodes.addStake{value: 5 ether}();
        (, w1) = nodes.validatorAt(1);
        _check(w1 == 2 ether, "a top-up counts up to the cap");
        _check(nodes.drawCeiling() == 2 ether, "and raises the ceiling with it");
        (address[] memory m,) = nodes.drawCommittee(_seed(1), 3, new address[](0));
        _check(m.length == 2, "only the active validators sit");
    }
}
