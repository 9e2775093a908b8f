// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// What request() and a committee draw cost as the network grows: the real contracts, deployed with
// the devnet's parameters, with 10, 1,000 and 10,000 inference nodes serving the model and as many
// validators. Every top-level call is its own transaction (isolate = true in foundry.toml), so
// vm.lastCallGas() charges cold and warm storage as a chain does. Each test prints "GAS …" lines
// (chain's ScaleGasForgeTest reads them; contracts/README.md carries the figures).
import {NodeRegistry} from "vouch-contracts/NodeRegistry.sol";
import {ModelRegistry} from "vouch-contracts/ModelRegistry.sol";
import {InferenceHub} from "vouch-contracts/InferenceHub.sol";
import {VerificationCourt} from "vouch-contracts/VerificationCourt.sol";
import {DevnetContracts} from "./DevnetContracts.sol";

interface Vm {
    struct Gas {
        uint64 gasLimit;
        uint64 gasTotalUsed;
        uint64 gasMemoryUsed;
        int64 gasRefunded;
        uint64 gasRemaining;
    }

    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function deal(address account, uint256 balance) external;
    function prank(address sender) external;
    function roll(uint256 blockNumber) external;
    function lastCallGas() external view returns (Gas memory);
}

/// Registers many nodes in one call (each with its own key, funded and pranked).
contract Registrar {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    uint8 private constant LEVELS = 1 | 4;
    mapping(address => uint256) public keyOf;

    function registerMany(NodeRegistry nodes, bytes32 modelId, uint256 count, uint256 keyBase, uint8 roles) external {
        registerSpread(nodes, modelId, count, keyBase, roles, false);
    }

    /// spread: every other node stakes 2 ether (the devnet's draw weight cap) instead of 1.
    function registerSpread(
        NodeRegistry nodes,
        bytes32 modelId,
        uint256 count,
        uint256 keyBase,
        uint8 roles,
        bool spread
    ) public {
        bytes32[] memory served = new bytes32[](roles == 1 ? 1 : 0);
        if (roles == 1) served[0] = modelId;
        for (uint256 i; i < count; ++i) {
            uint256 key = keyBase + i;
            address a = vm.addr(key);
            keyOf[a] = key;
            vm.deal(a, 10 ether);
            vm.prank(a);
            if (roles == 1) {
                nodes.register{value: 1 ether + i * 1 gwei}(roles, "http://n", LEVELS, 0.001 ether, served);
            } else {
                uint256 stake = (spread && i % 2 == 1 ? 2 ether : 1 ether) + i * 1 gwei;
                nodes.register{value: stake}(roles, "http://v", 0, 0, served);
            }
        }
    }
}

contract ScaleGasTest is DevnetContracts {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint8 private constant LEVEL_ZKML = 2;
    uint8 private constant LEVELS = 1 | 4; // VANILLA and ZKML
    uint256 private constant FEE = 0.01 ether;
    bytes private constant INPUT = hex"0102010000000500000000000040400000803f0000000000004040";

    bytes32 private modelId;
    Registrar private registrar = new Registrar();

    receive() external payable {}

    function _deploy() private {
        _deployDevnet(1_000);
        modelId = models.publish("scale", 1, "bafkreiscale", keccak256("schema"), keccak256("zk"), LEVELS, 0);
    }

    function _register(uint256 count, uint256 keyBase, uint8 roles) private {
        // one transaction registers them all: the setup is not what is measured, and 20,000
        // isolated transactions would take most of an hour on 2 cores
        registrar.registerMany(nodes, modelId, count, keyBase, roles);
    }

    function _request() private returns (uint256 id, uint256 gas) {
        id = hub.request{value: FEE}(
            modelId, INPUT, keccak256(INPUT), LEVEL_ZKML, uint64(block.timestamp + 600), address(0), address(0), 0, false
        );
        gas = vm.lastCallGas().gasTotalUsed;
    }

    function _submit(uint256 id) private returns (uint256 gas) {
        InferenceHub.Request memory r = hub.getRequest(id);
        bytes memory output = hex"0101010000000200000000000000803f";
        bytes32 outputHash = keccak256(output);
        bytes32 evidenceHash = keccak256(abi.encode("proof", id));
        bytes32 digest = hub.receiptDigest(
            bytes32(id), r.modelId, r.inputHash, outputHash, r.level, evidenceHash, r.node, uint64(block.timestamp), 1
        );
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(registrar.keyOf(r.node), digest);
        vm.prank(r.node);
        hub.submitResult(id, outputHash, output, evidenceHash, uint64(block.timestamp), 1, abi.encodePacked(rr, s, v));
        gas = vm.lastCallGas().gasTotalUsed;
    }

    function _drawRequest(uint256 id) private returns (uint256 gas) {
        uint256 caseId = court.caseIdOf(id, hub.getRequest(id).attempts);
        vm.roll(block.number + 2);
        court.draw(caseId);
        gas = vm.lastCallGas().gasTotalUsed;
        require(court.getCase(caseId).state == VerificationCourt.State.Voting, "a committee drawn");
    }

    function _measure(uint256 n) private {
        _deploy();
        _register(n, 0x10000, 1);
        _register(n < 4 ? 4 : n, 0x100000, 2);
        // the first request and case initialize the hub's and the court's counters
        (uint256 first,) = _request();
        _submit(first);
        _drawRequest(first);
        (uint256 id, uint256 requestGas) = _request();
        uint256 submitGas = _submit(id);
        uint256 drawGas = _drawRequest(id);
        address joining = vm.addr(0xABCDEF);
        vm.deal(joining, 10 ether);
        vm.prank(joining);
        nodes.register{value: 1 ether}(2, "http://v", 0, 0, new bytes32[](0));
        uint256 registerGas = vm.lastCallGas().gasTotalUsed;
        _log("GAS nodes and validators", n);
        _log("GAS register (a validator joins)", registerGas);
        _log("GAS request (ZKML, routed to the court)", requestGas);
        _log("GAS submitResult (opens the case)", submitGas);
        _log("GAS draw (a committee of 3)", drawGas);
    }


    /// `draws` committee draws at N nodes and validators: the median and the largest (a draw's
    /// cost varies with the tries its seats take).
    function _measureDraws(uint256 n, bool spread, uint256 draws) private {
        _deploy();
        _register(n, 0x10000, 1);
        registrar.registerSpread(nodes, modelId, n, 0x100000, 2, spread);
        (uint256 first,) = _request();
        _submit(first);
        _drawRequest(first);
        uint256[] memory gas = new uint256[](draws);
        for (uint256 i; i < draws; ++i) {
            (uint256 id,) = _request();
            _submit(id);
            gas[i] = _drawRequest(id);
        }
        for (uint256 i = 1; i < draws; ++i) {
            uint256 g = gas[i];
            uint256 j = i;
            for (; j != 0 && gas[j - 1] > g; --j) {
                gas[j] = gas[j - 1];
            }
            gas[j] = g;
        }
        _log(spread ? "GAS draws, stakes of 1 and 2 ether, validators" : "GAS draws, stakes of 1 ether, validators", n);
        _log("GAS draw median", gas[draws / 2]);
        _log("GAS draw max", gas[draws - 1]);
    }

    function test_drawsWith10000ValidatorsOfEqualStake() public {
        _measureDraws(10_000, false, 24);
    }

    function test_drawsWith10000ValidatorsOfSpreadStake() public {
        _measureDraws(10_000, true, 24);
    }

    function test_gasWith10Nodes() public {
        _measure(10);
    }

    function test_gasWith1000Nodes() public {
        _measure(1_000);
    }

    function test_gasWith10000Nodes() public {
        _measure(10_000);
    }
}
