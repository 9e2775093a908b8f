// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {VouchTensor} from "../kit/src/VouchTensor.sol";

/// @title VouchTensorProbe — the consumer kit's tensor library behind external functions, for the
/// Java tests (never shipped): every result is compared with core's Tensor / NamedTensors. The
/// gas* functions return the gas a consumer spends inside the library (gasleft() before and after,
/// after the input is in memory).
contract VouchTensorProbe {
    using VouchTensor for VouchTensor.Tensor;

    // ---- writing

    function encodeFloat32(uint256[] memory shape, uint32[] memory bits) external pure returns (bytes memory) {
        return VouchTensor.encodeFloat32(shape, bits);
    }

    function encodeInt32(uint256[] memory shape, int32[] memory values) external pure returns (bytes memory) {
        return VouchTensor.encodeInt32(shape, values);
    }

    function encodeInt64(uint256[] memory shape, int64[] memory values) external pure returns (bytes memory) {
        return VouchTensor.encodeInt64(shape, values);
    }

    function encodeBundle(string[] memory names, bytes[] memory tensors) external pure returns (bytes memory) {
        return VouchTensor.encodeBundle(names, tensors);
    }

    function float32FromFraction(int256 numerator, uint128 denominator) external pure returns (uint32) {
        return VouchTensor.float32FromFraction(numerator, denominator);
    }

    function float32FromInt(int256 value) external pure returns (uint32) {
        return VouchTensor.float32FromInt(value);
    }

    function float32ToFixed(uint32 bits, uint256 decimals) external pure returns (int256) {
        return VouchTensor.float32ToFixed(bits, decimals);
    }

    // ---- reading

    /// dtype, shape, element count and the tensor's own encoding (a copy out of the input).
    function decode(bytes memory encoded)
        external
        pure
        returns (uint8 dtype, uint256[] memory shape, uint256 count, bytes memory encoding)
    {
        return _info(VouchTensor.decode(encoded));
    }

    function named(bytes memory encoded, string memory name)
        external
        pure
        returns (uint8 dtype, uint256[] memory shape, uint256 count, bytes memory encoding)
    {
        return _info(VouchTensor.named(encoded, name));
    }

    function validate(bytes memory encoded) external pure returns (uint256) {
        return VouchTensor.validate(encoded);
    }

    function isBundle(bytes memory encoded) external pure returns (bool) {
        return VouchTensor.isBundle(encoded);
    }

    function int32s(bytes memory encoded) external pure returns (int32[] memory) {
        return VouchTensor.decode(encoded).int32s();
    }

    function int64s(bytes memory encoded) external pure returns (int64[] memory) {
        return VouchTensor.decode(encoded).int64s();
    }

    function float32Bits(bytes memory encoded) external pure returns (uint32[] memory) {
        return VouchTensor.decode(encoded).float32Bits();
    }

    /// Element i through each typed accessor that fits the dtype (the others must revert).
    function int32At(bytes memory encoded, uint256 i) external pure returns (int32) {
        return VouchTensor.decode(encoded).int32At(i);
    }

    function int64At(bytes memory encoded, uint256 i) external pure returns (int64) {
        return VouchTensor.decode(encoded).int64At(i);
    }

    function float32BitsAt(bytes memory encoded, uint256 i) external pure returns (uint32) {
        return VouchTensor.decode(encoded).float32BitsAt(i);
    }

    function float64BitsAt(bytes memory encoded, uint256 i) external pure returns (uint64) {
        return VouchTensor.decode(encoded).float64BitsAt(i);
    }

    function int8At(bytes memory encoded, uint256 i) external pure returns (int8) {
        return VouchTensor.decode(encoded).int8At(i);
    }

    function uint8At(bytes memory encoded, uint256 i) external pure returns (uint8) {
        return VouchTensor.decode(encoded).uint8At(i);
    }

    function dim(bytes memory encoded, uint256 i) external pure returns (uint256) {
        return VouchTensor.decode(encoded).dim(i);
    }

    function argmax(bytes memory encoded) external pure returns (uint256) {
        return VouchTensor.decode(encoded).argmax();
    }

    function argmaxNamed(bytes memory encoded, string memory name) external pure returns (uint256) {
        return VouchTensor.named(encoded, name).argmax();
    }

    // ---- gas inside the library

    function gasOfArgmax(bytes memory encoded) external view returns (uint256 index, uint256 gasUsed) {
        uint256 g = gasleft();
        index = VouchTensor.decode(encoded).argmax();
        gasUsed = g - gasleft();
    }

    function gasOfArgmaxNamed(bytes memory encoded, string memory name)
        external
        view
        returns (uint256 index, uint256 gasUsed)
    {
        uint256 g = gasleft();
        index = VouchTensor.named(encoded, name).argmax();
        gasUsed = g - gasleft();
    }

    function gasOfValidate(bytes memory encoded) external view returns (uint256 gasUsed) {
        uint256 g = gasleft();
        VouchTensor.validate(encoded);
        gasUsed = g - gasleft();
    }

    function gasOfEncodeFloat32FromInts(uint256[] memory shape, int256[] memory values)
        external
        view
        returns (bytes memory encoded, uint256 gasUsed)
    {
        uint256 g = gasleft();
        uint32[] memory bits = new uint32[](values.length);
        for (uint256 i; i < values.length; ++i) {
            bits[i] = VouchTensor.float32FromInt(values[i]);
        }
        encoded = VouchTensor.encodeFloat32(shape, bits);
        gasUsed = g - gasleft();
    }

    function _info(VouchTensor.Tensor memory t)
        private
        pure
        returns (uint8 dtype, uint256[] memory shape, uint256 count, bytes memory encoding)
    {
        return (t.dtype, t.shape(), t.count, t.toBytes());
    }
}
