// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// A test template for a consumer built from the kit: it deploys the real Vouch contracts, plays the
// node (signs the receipt with a cheatcode) and checks what the consumer did with the answer.
// Run it from contracts/kit with `forge test` (foundry.toml points forge at the pinned solc).
// In your own project, import the contracts from where you put them (README.md, "Your project").
import {NodeRegistry} from "vouch-contracts/NodeRegistry.sol";
import {ModelRegistry} from "vouch-contracts/ModelRegistry.sol";
import {InferenceHub} from "vouch-contracts/InferenceHub.sol";
import {VouchConsumer} from "../src/VouchConsumer.sol";
import {VouchTensor} from "../src/VouchTensor.sol";
import {ExampleConsumer} from "../example/ExampleConsumer.sol";

/// The cheatcodes this file uses. forge answers calls to this address itself, so forge-std (which
/// cannot be fetched offline) is not needed: declare what you use.
interface Vm {
    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function deal(address account, uint256 balance) external;
    function prank(address sender) external;
    function warp(uint256 timestamp) external;
    function expectRevert(bytes calldata revertData) external;
    function assume(bool condition) external pure;
}

contract ExampleConsumerTest {
    using VouchTensor for VouchTensor.Tensor;

    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    uint256 private constant NODE_KEY = 0xA11CE;
    uint256 private constant NODE_PRICE = 0.001 ether;
    uint256 private constant MODEL_FEE = 0.0001 ether;
    uint32 private constant CHALLENGE_WINDOW = 60;

    NodeRegistry private nodes;
    ModelRegistry private models;
    InferenceHub private hub;
    ExampleConsumer private consumer;
    bytes32 private modelId;
    address private node;

    function setUp() public {
        node = vm.addr(NODE_KEY);
        nodes = new NodeRegistry(1 ether, 1 days, false, 1 days, 1 hours);
        models = new ModelRegistry(CHALLENGE_WINDOW, 0); // no audits: this deployment has no court
        hub = new InferenceHub(nodes, models, 1 hours, 500_000, 2, 1 hours);
        nodes.setHub(address(hub));
        modelId = models.publish("classifier", 1, "bafkreiexample", bytes32(0), bytes32(0), 1, MODEL_FEE);
        bytes32[] memory served = new bytes32[](1);
        served[0] = modelId;
        vm.deal(node, 10 ether);
        vm.prank(node);
        nodes.register{value: 2 ether}(1, "http://127.0.0.1:8001", 1, NODE_PRICE, served);
        consumer = new ExampleConsumer(address(hub), "classifier", 1, "");
    }

    /// The asker (this contract) gets refunds here.
    receive() external payable {}

    function test_anAnswerIsRecordedOnceTheResultIsFinal() public {
        uint256 id = consumer.ask{value: consumer.fee()}(_input());
        _answer(id, _logits(-350, 25, 700, -100)); // -3.5, 0.25, 7.0, -1.0

        (VouchConsumer.RequestStatus status,) = consumer.answer(id);
        _check(status == VouchConsumer.RequestStatus.Pending, "not acted on before finality");

        vm.warp(block.timestamp + CHALLENGE_WINDOW + 1);
        hub.finalize(id);

        uint256 label;
        (status, label) = consumer.answer(id);
        _check(status == VouchConsumer.RequestStatus.Delivered, "delivered once final");
        _check(label == 2, "argmax of the logits");
    }

    function test_featuresAreEncodedOnChainAsTheCanonicalTensor() public {
        int256[] memory features = new int256[](2);
        (features[0], features[1]) = (3, -4);
        uint256 fee = consumer.fee();
        uint256 id = consumer.askFeatures{value: fee}(features);
        // The hub holds the hash of the float32 [1, 2] tensor {3, -4} as Java encodes it: dtype 1,
        // rank 2, dims 1 and 2 (u32 LE), then 3.0f = 0x40400000 and -4.0f = 0xc0800000 (LE).
        bytes memory javaBytes = hex"0102" hex"01000000" hex"02000000" hex"00004040" hex"000080c0";
        _check(hub.getRequest(id).inputHash == keccak256(javaBytes), "input hash of the float32 [1, 2] tensor");
    }

    function test_aMalformedOutputIsRejectedNotActedOn() public {
        uint256 id = consumer.ask{value: consumer.fee()}(_input());
        _answer(id, hex"05010400000001000000"); // int32 [4] with one element: a lying shape
        vm.warp(block.timestamp + CHALLENGE_WINDOW + 1);
        hub.finalize(id);

        (VouchConsumer.RequestStatus status,) = consumer.answer(id);
        _check(status == VouchConsumer.RequestStatus.Rejected, "rejected");
    }

    function test_aRequestNoNodeAnsweredIsRefundedToTheAsker() public {
        uint256 fee = consumer.fee();
        uint256 id = consumer.ask{value: fee}(_input());
        // One node: nobody to reassign to after its deadline, so the hub refunds.
        vm.warp(block.timestamp + 601);
        hub.reassignOrRefund(id);
        (VouchConsumer.RequestStatus status,) = consumer.answer(id);
        _check(status == VouchConsumer.RequestStatus.Failed, "failed");
        uint256 before = address(this).balance;
        consumer.withdrawRefund();
        _check(address(this).balance - before == fee, "the whole fee back");
    }

    function test_onlyTheHubCallsBack() public {
        uint256 id = consumer.ask{value: consumer.fee()}(_input());
        vm.expectRevert(abi.encodeWithSelector(VouchConsumer.NotHub.selector, address(this), address(hub)));
        consumer.onInferenceResult(id, bytes32(0), _logits(1, 2, 3, 4), true);
    }

    /// Property: what the library encodes, it decodes (forge runs this with random values).
    function testFuzz_int32RoundTrip(int32[] memory values) public pure {
        vm.assume(values.length <= 64);
        bytes memory encoded = VouchTensor.encodeInt32(VouchTensor.dims(values.length), values);
        VouchTensor.Tensor memory t = VouchTensor.decode(encoded);
        _check(t.count == values.length && t.dim(0) == values.length, "shape");
        for (uint256 i; i < values.length; ++i) {
            _check(t.int32At(i) == values[i], "value");
        }
    }

    // ---- helpers

    function _input() private pure returns (bytes memory) {
        uint32[] memory bits = new uint32[](4);
        (bits[0], bits[1], bits[2], bits[3]) = (0x3f800000, 0, 0x3f800000, 0); // 1, 0, 1, 0
        return VouchTensor.encodeFloat32(VouchTensor.dims(1, 4), bits);
    }

    /// Four float32 logits given in hundredths.
    function _logits(int256 a, int256 b, int256 c, int256 d) private pure returns (bytes memory) {
        uint32[] memory bits = new uint32[](4);
        bits[0] = VouchTensor.float32FromFraction(a, 100);
        bits[1] = VouchTensor.float32FromFraction(b, 100);
        bits[2] = VouchTensor.float32FromFraction(c, 100);
        bits[3] = VouchTensor.float32FromFraction(d, 100);
        return VouchTensor.encodeFloat32(VouchTensor.dims(1, 4), bits);
    }

    /// The assigned node posts `output` with the receipt it signs (EIP-712, the hub's domain).
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
