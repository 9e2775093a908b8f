// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {NodeRegistry} from "vouch-contracts/NodeRegistry.sol";
import {ModelRegistry} from "vouch-contracts/ModelRegistry.sol";
import {InferenceHub} from "vouch-contracts/InferenceHub.sol";
import {VerificationCourt} from "vouch-contracts/VerificationCourt.sol";

/// forge's log recording (a committee is read from its CommitteeDrawn event, as clients do).
interface LogVm {
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    function recordLogs() external;
    function getRecordedLogs() external returns (Log[] memory);
}

/// The contracts as the devnet deploys them (VouchDeployment.Parameters.devnet(), its court with
/// 30-second rounds), wired together, for the forge suites of this folder; and forge's console.
abstract contract DevnetContracts {
    address private constant CONSOLE = 0x000000000000000000636F6e736F6c652e6c6f67;

    NodeRegistry internal nodes;
    ModelRegistry internal models;
    InferenceHub internal hub;
    VerificationCourt internal court;

    /// Deploys and wires the four contracts; `auditRateBps` is the models' default audit rate.
    function _deployDevnet(uint16 auditRateBps) internal {
        nodes = new NodeRegistry(1 ether, 86_400, true, 7 days, 60);
        models = new ModelRegistry(60, auditRateBps);
        hub = new InferenceHub(nodes, models, 3_600, 500_000, 3, 3_600);
        court = new VerificationCourt(
            nodes,
            models,
            hub,
            VerificationCourt.Config({
                committeeSize: 3,
                quorumBps: 6_666,
                maxRounds: 2,
                minValidators: 4,
                verdictWindow: 30,
                verdictFee: 0.0001 ether,
                challengeBond: 0.01 ether,
                slashAmount: 1 ether,
                dissentSlash: 0.1 ether
            })
        );
        nodes.setHub(address(hub));
        nodes.setCourt(address(court));
        hub.setCourt(address(court));
    }

    /// Draws case `caseId` (court.draw) and returns the committee its CommitteeDrawn event announced
    /// (no members when the draw drew none: a lottery not selected, or a release).
    function _draw(uint256 caseId) internal returns (VerificationCourt.Committee memory committee) {
        LogVm lv = LogVm(address(uint160(uint256(keccak256("hevm cheat code")))));
        lv.recordLogs();
        court.draw(caseId);
        LogVm.Log[] memory logs = lv.getRecordedLogs();
        bytes32 drawn = VerificationCourt.CommitteeDrawn.selector;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter == address(court) && logs[i].topics[0] == drawn) {
                (, committee.subject, committee.members, committee.stakes, committee.deadline) =
                    abi.decode(logs[i].data, (uint8, bytes32, address[], uint256[], uint64));
            }
        }
    }

    /// console.log(string, uint256), which forge prints (forge-std is not available offline).
    function _log(string memory label, uint256 value) internal view {
        (bool ok,) = CONSOLE.staticcall(abi.encodeWithSignature("log(string,uint256)", label, value));
        ok;
    }
}
