// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// A node that lies (issue 12, "measured"): the real contracts with the devnet's court (committees of
// 3 from 4 validators, quorum 2 of 3, 1 ETH slashed per invalid result), a VANILLA model audited at
// 10 %, 3 honest nodes and one liar that every request prefers and that posts a wrong output for
// 20 % of them. Validators vote as honest validators do: INVALID on a lie, VALID otherwise. Block
// hashes come from a seeded generator (vm.setBlockhash), so the audit lottery is the contract's own.
// Run with the "sim" profile (no per-call isolation: 1,000 requests in one test):
//   FOUNDRY_PROFILE=sim forge test --match-contract LyingNodeSim -vv
import {NodeRegistry} from "vouch-contracts/NodeRegistry.sol";
import {ModelRegistry} from "vouch-contracts/ModelRegistry.sol";
import {InferenceHub} from "vouch-contracts/InferenceHub.sol";
import {VerificationCourt} from "vouch-contracts/VerificationCourt.sol";
import {DevnetContracts} from "./DevnetContracts.sol";

interface SimVm {
    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function deal(address account, uint256 balance) external;
    function prank(address sender) external;
    function roll(uint256 blockNumber) external;
    function warp(uint256 timestamp) external;
    function setBlockhash(uint256 blockNumber, bytes32 blockHash) external;
    function snapshotState() external returns (uint256);
    function revertToState(uint256 id) external returns (bool);
}

contract LyingNodeSimTest is DevnetContracts {
    SimVm private constant vm = SimVm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint256 private constant REQUESTS = 1_000;
    uint256 private constant LIE_RATE_BPS = 2_000;
    uint16 private constant AUDIT_RATE_BPS = 1_000;
    uint256 private constant LIAR_KEY = 0x11A5;
    uint256 private constant FEE = 0.01 ether;
    bytes private constant INPUT = hex"0102010000000500000000000040400000803f0000000000004040";
    bytes private constant RIGHT = hex"0101010000000200000000000000803f";
    bytes private constant WRONG = hex"0101010000000200000000803f00000000";

    bytes32 private modelId;
    address private liar;
    mapping(address => uint256) private keyOf;
    uint256 private seed = 0x5eed;

    receive() external payable {}


    function _random() private returns (uint256) {
        seed = uint256(keccak256(abi.encode(seed)));
        return seed;
    }

    /// Mines to the next block with a hash from the seeded generator.
    function _nextBlock() private {
        vm.setBlockhash(block.number, bytes32(_random()));
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 1);
    }

    function _register(uint256 key, uint8 roles, uint256 stake) private {
        address a = vm.addr(key);
        keyOf[a] = key;
        vm.deal(a, stake + 1 ether);
        bytes32[] memory served = new bytes32[](roles == 1 ? 1 : 0);
        if (roles == 1) served[0] = modelId;
        vm.prank(a);
        nodes.register{value: stake}(roles, "http://n", roles == 1 ? 1 : 0, roles == 1 ? 0.001 ether : 0, served);
    }

    function setUp() public {
        vm.warp(1_000_000);
        _deployDevnet(AUDIT_RATE_BPS);
        modelId = models.publish(
            "audited", 1, "bafkreiaudited", keccak256("schema"), bytes32(0), 1, 0, AUDIT_RATE_BPS, bytes32(hex"0138d1b717")
        );
        for (uint256 i; i < 4; ++i) {
            _register(0x7a11 + i, 2, 1 ether);
        }
        for (uint256 i; i < 3; ++i) {
            _register(0x4e57 + i, 1, 1 ether);
        }
        liar = vm.addr(LIAR_KEY);
        _register(LIAR_KEY, 1, 10_000 ether); // enough stake to keep lying after every slash
    }

    function _submit(uint256 id, bool lie) private {
        InferenceHub.Request memory r = hub.getRequest(id);
        bytes memory output = lie ? WRONG : RIGHT;
        bytes32 outputHash = keccak256(output);
        bytes32 digest = hub.receiptDigest(
            bytes32(id), r.modelId, r.inputHash, outputHash, r.level, bytes32(0), r.node, uint64(block.timestamp), uint64(id)
        );
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(keyOf[r.node], digest);
        vm.prank(r.node);
        hub.submitResult(id, outputHash, output, bytes32(0), uint64(block.timestamp), uint64(id), abi.encodePacked(rr, s, v));
    }

    /// Resolves the case of the request's current attempt; true when it was audited.
    function _resolve(uint256 id, bool lie) private returns (bool audited) {
        uint256 caseId = court.caseIdOf(id, hub.getRequest(id).attempts);
        _nextBlock();
        _nextBlock();
        VerificationCourt.Committee memory committee = _draw(caseId);
        VerificationCourt.CaseView memory c = court.getCase(caseId);
        if (c.state == VerificationCourt.State.Voting) {
            for (
                uint256 i;
                i < committee.members.length && court.getCase(caseId).state == VerificationCourt.State.Voting;
                ++i
            ) {
                vm.prank(committee.members[i]);
                court.vote(caseId, c.round, !lie, committee); // honest validators: INVALID on a lie
            }
            return true;
        }
        // not selected: the result finalizes after its window
        vm.warp(block.timestamp + 61);
        hub.finalize(id);
        return false;
    }

    function test_aLiarAtTwentyPercentUnderATenPercentAudit() public {
        uint256 lies;
        uint256 caught;
        uint256 unauditedLies;
        uint256 firstSlashAt;
        uint256 stakeBefore = nodes.stakeOf(liar);
        for (uint256 n = 1; n <= REQUESTS; ++n) {
            uint256 id = hub.request{value: FEE}(
                modelId, INPUT, keccak256(INPUT), 0, uint64(block.timestamp + 600), liar, address(0), 0, false
            );
            require(hub.getRequest(id).node == liar, "the liar is preferred");
            bool lie = _random() % 10_000 < LIE_RATE_BPS;
            _submit(id, lie);
            bool audited = _resolve(id, lie);
            if (lie) {
                ++lies;
                if (audited) {
                    ++caught;
                    if (firstSlashAt == 0) firstSlashAt = n;
                    // reassigned to an honest node, which answers right; its own case resolves
                    InferenceHub.Request memory r = hub.getRequest(id);
                    require(r.status == InferenceHub.Status.Assigned && r.node != liar, "reassigned");
                    _submit(id, false);
                    _resolve(id, false);
                } else {
                    ++unauditedLies;
                }
            }
            InferenceHub.Request memory fin = hub.getRequest(id);
            require(fin.status == InferenceHub.Status.Finalized, "every request ends finalized");
            // nothing the liar lied on in an audited request is delivered as final
            if (lie && audited) require(fin.outputHash == keccak256(RIGHT), "an audited lie is never final");
        }
        _log("SIM requests", REQUESTS);
        _log("SIM lies", lies);
        _log("SIM lies audited and slashed", caught);
        _log("SIM lies finalized unaudited", unauditedLies);
        _log("SIM requests until the first slash", firstSlashAt);
        _log("SIM stake slashed (milliether)", (stakeBefore - nodes.stakeOf(liar)) / 1e15);
        _log("SIM escrow left (wei)", hub.totalEscrowed());
        require(caught + unauditedLies == lies, "every lie is caught or escaped");
        require(stakeBefore - nodes.stakeOf(liar) == caught * 1 ether, "1 ETH per caught lie");
        require(hub.totalEscrowed() == 0, "escrow conserved: nothing left held");
    }

    /// Requests until the liar's first slash, from 50 seeds (each from the same deployment): the
    /// chance that one request catches it is 20 % × 10 % = 2 %, so the model's mean is 50 and the
    /// chance it is still unslashed after n requests is (1 − 0.02)^n.
    function test_requestsUntilTheFirstSlashOverFiftySeeds() public {
        uint256 base = vm.snapshotState();
        uint256 runs = 50;
        uint256 total;
        uint256 within50;
        uint256 within150;
        for (uint256 run; run < runs; ++run) {
            vm.revertToState(base);
            base = vm.snapshotState();
            seed = uint256(keccak256(abi.encode("seed", run)));
            uint256 n;
            while (n < REQUESTS) {
                ++n;
                uint256 id = hub.request{value: FEE}(
                    modelId, INPUT, keccak256(INPUT), 0, uint64(block.timestamp + 600), liar, address(0), 0, false
                );
                bool lie = _random() % 10_000 < LIE_RATE_BPS;
                _submit(id, lie);
                if (_resolve(id, lie) && lie) break;
            }
            total += n;
            if (n <= 50) ++within50;
            if (n <= 150) ++within150;
        }
        _log("SIM runs", runs);
        _log("SIM mean requests until the first slash (x100)", total * 100 / runs);
        _log("SIM runs slashed within 50 requests", within50);
        _log("SIM runs slashed within 150 requests", within150);
    }
}
