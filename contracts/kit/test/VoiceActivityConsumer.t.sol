// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// A consumer of a model with several inputs and outputs (example/VoiceActivityConsumer.sol): its
// input is a bundle of named tensors built on chain, its answer a bundle read by name. Set up as
// the template (ExampleConsumer.t.sol): the real contracts, the node played with a cheatcode.
import {NodeRegistry} from "vouch-contracts/NodeRegistry.sol";
import {ModelRegistry} from "vouch-contracts/ModelRegistry.sol";
import {InferenceHub} from "vouch-contracts/InferenceHub.sol";
import {VouchConsumer} from "../src/VouchConsumer.sol";
import {VouchTensor} from "../src/VouchTensor.sol";
import {VoiceActivityConsumer} from "../example/VoiceActivityConsumer.sol";

interface Vm {
    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function deal(address account, uint256 balance) external;
    function prank(address sender) external;
    function warp(uint256 timestamp) external;
    function expectRevert(bytes calldata revertData) external;
}

contract VoiceActivityConsumerTest {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    uint256 private constant NODE_KEY = 0xA11CE;
    uint32 private constant CHALLENGE_WINDOW = 60;

    InferenceHub private hub;
    VoiceActivityConsumer private consumer;
    address private node;

    function setUp() public {
        node = vm.addr(NODE_KEY);
        NodeRegistry nodes = new NodeRegistry(1 ether, 1 days, false, 1 days, 1 hours);
        ModelRegistry models = new ModelRegistry(CHALLENGE_WINDOW, 0);
        hub = new InferenceHub(nodes, models, 1 hours, 500_000, 2, 1 hours);
        nodes.setHub(address(hub));
        bytes32[] memory served = new bytes32[](1);
        served[0] = models.publish("vad", 1, "bafkreiexample", bytes32(0), bytes32(0), 1, 0.0001 ether);
        vm.deal(node, 10 ether);
        vm.prank(node);
        nodes.register{value: 2 ether}(1, "http://127.0.0.1:8001", 1, 0.001 ether, served);
        // frames of 2 samples, a state of [2, 1, 1], 8 kHz, the kit's default callback gas
        consumer = new VoiceActivityConsumer(address(hub), "vad", 1, 2, 1, 8000, 0);
    }

    receive() external payable {}

    /// The request's input is the bundle Java's NamedTensors.canonicalBytes() writes for
    /// {input: float32 [1, 2] {1, -2}, state: float32 [2, 1, 1] zeros, sr: int64 scalar 8000}.
    function test_aStepSendsTheFrameTheStateAndTheSampleRateAsOneBundle() public {
        uint256 id = consumer.step{value: consumer.fee()}(_frame(0x3f800000, 0xc0000000));

        // a bundle of 3, sorted by name: "input", "sr", "state" (UTF-8 in hex)
        bytes memory javaBytes = hex"f003"
            hex"05" hex"696e707574" hex"12000000" hex"0102" hex"01000000" hex"02000000" hex"0000803f" hex"000000c0"
            hex"02" hex"7372" hex"0a000000" hex"0600" hex"401f000000000000"
            hex"05" hex"7374617465" hex"16000000" hex"0103" hex"02000000" hex"01000000" hex"01000000" hex"00000000"
            hex"00000000";
        _check(hub.getRequest(id).inputHash == keccak256(javaBytes), "input hash of the bundle");
    }

    function test_theAnswersStateIsTheNextStepsStateAndItsOutputIsRecorded() public {
        uint256 id = consumer.step{value: consumer.fee()}(_frame(0x3f800000, 0));
        bytes memory stateN = _state(0x3f000000, 0xbe800000); // 0.5, -0.25
        _answer(id, _outputs(0x3f400000, stateN)); // output 0.75
        vm.warp(block.timestamp + CHALLENGE_WINDOW + 1);
        hub.finalize(id);

        _check(consumer.steps() == 1 && consumer.pendingStep() == 0, "one step answered");
        _check(consumer.probability(2) == 75, "the output, read by name");
        _check(keccak256(consumer.state()) == keccak256(stateN), "stateN kept as the next state");

        uint256 next = consumer.step{value: consumer.fee()}(_frame(0, 0));
        _check(
            hub.getRequest(next).inputHash == keccak256(_stepInput(_frame(0, 0), stateN)),
            "the next step sends the new state"
        );
    }

    function test_aSecondFrameWaitsForTheFirstAnswer() public {
        uint256 id = consumer.step{value: consumer.fee()}(_frame(0, 0));
        uint256 fee = consumer.fee();
        vm.expectRevert(abi.encodeWithSelector(VoiceActivityConsumer.StepInFlight.selector, id));
        consumer.step{value: fee}(_frame(0, 0));
    }

    function test_anAnswerWithoutTheStateIsRejectedAndTheStateKept() public {
        bytes memory before = consumer.state();
        uint256 id = consumer.step{value: consumer.fee()}(_frame(0, 0));
        uint32[] memory one = new uint32[](1);
        _answer(id, VouchTensor.encodeFloat32(VouchTensor.dims(), one)); // a lone tensor, no stateN
        vm.warp(block.timestamp + CHALLENGE_WINDOW + 1);
        hub.finalize(id);

        _check(consumer.vouchRequest(id).status == VouchConsumer.RequestStatus.Rejected, "rejected");
        _check(keccak256(consumer.state()) == keccak256(before), "state kept");
        _check(consumer.pendingStep() == 0 && consumer.steps() == 0, "the next frame may go");
    }

    function test_dimsWithoutArgumentsIsTheShapeOfAScalar() public pure {
        int64[] memory v = new int64[](1);
        v[0] = -2;
        bytes memory encoded = VouchTensor.encodeInt64(VouchTensor.dims(), v);
        _check(keccak256(encoded) == keccak256(hex"0600feffffffffffffff"), "dtype 6, rank 0, one value");
        VouchTensor.Tensor memory t = VouchTensor.decode(encoded);
        _check(t.rank == 0 && t.count == 1 && VouchTensor.int64At(t, 0) == -2, "read back");
    }

    // ---- helpers

    function _frame(uint32 a, uint32 b) private pure returns (uint32[] memory f) {
        f = new uint32[](2);
        (f[0], f[1]) = (a, b);
    }

    function _state(uint32 a, uint32 b) private pure returns (bytes memory) {
        return VouchTensor.encodeFloat32(VouchTensor.dims(2, 1, 1), _frame(a, b));
    }

    function _outputs(uint32 probabilityBits, bytes memory stateN) private pure returns (bytes memory) {
        string[] memory names = new string[](2);
        bytes[] memory tensors = new bytes[](2);
        uint32[] memory p = new uint32[](1);
        p[0] = probabilityBits;
        (names[0], tensors[0]) = ("stateN", stateN);
        (names[1], tensors[1]) = ("output", VouchTensor.encodeFloat32(VouchTensor.dims(), p));
        return VouchTensor.encodeBundle(names, tensors);
    }

    function _stepInput(uint32[] memory frame, bytes memory state) private pure returns (bytes memory) {
        string[] memory names = new string[](3);
        bytes[] memory tensors = new bytes[](3);
        int64[] memory sr = new int64[](1);
        sr[0] = 8000;
        (names[0], tensors[0]) = ("state", state);
        (names[1], tensors[1]) = ("sr", VouchTensor.encodeInt64(VouchTensor.dims(), sr));
        (names[2], tensors[2]) = ("input", VouchTensor.encodeFloat32(VouchTensor.dims(1, 2), frame));
        return VouchTensor.encodeBundle(names, tensors);
    }

    function _answer(uint256 id, bytes memory output) private {
        InferenceHub.Request memory r = hub.getRequest(id);
        uint64 timestamp = uint64(block.timestamp);
        bytes32 digest = hub.receiptDigest(
            bytes32(id), r.modelId, r.inputHash, keccak256(output), r.level, bytes32(0), r.node, timestamp, 1
        );
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(NODE_KEY, digest);
        vm.prank(node);
        hub.submitResult(id, keccak256(output), output, bytes32(0), timestamp, 1, abi.encodePacked(rr, s, v));
    }

    function _check(bool ok, string memory what) private pure {
        require(ok, what);
    }
}
