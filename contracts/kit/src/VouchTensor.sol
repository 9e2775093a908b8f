// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title VouchTensor — the canonical tensor encoding of Vouch, written and read on chain.
/// @notice One tensor is `dtype u8, rank u8, rank × dim u32 LE, data LE` (row-major); the dtype codes
/// are FLOAT32 1, FLOAT64 2, INT8 3, UINT8 4, INT32 5, INT64 6. A model with several inputs or
/// outputs uses a bundle: `0xF0, count u8 (2–255)`, then per tensor, in ascending byte order of the
/// UTF-8 names: `name length u8 (1–255), name, encoding length u32 LE, encoding`. These are the
/// bytes whose keccak256 a node signs as the receipt's input or output hash (Java:
/// `io.vouch.core.tensor.Tensor.canonicalBytes()` and `NamedTensors.canonicalBytes()`).
///
/// Reading: `decode` (one tensor) or `named` (one tensor of a bundle) checks the whole encoding —
/// what Java's `Tensor.fromCanonicalBytes` / `NamedTensors.decode` refuse is refused here too, with a
/// custom error — and returns a `Tensor` view over the bytes (nothing is copied); its accessors
/// check the dtype and the index. `argmax` follows Java's `Tensor.argmax`: the first index of the
/// largest element, -0.0 equal to +0.0, and a NaN refused (SupportDesk's rule).
/// Writing: `encodeFloat32` / `encodeInt32` / `encodeInt64` from a shape (`dims(…)`) and values,
/// `encodeBundle` from names and encodings (sorted here); float32 values are IEEE-754 bit
/// patterns, and `float32FromInt` / `float32FromFraction` give the correctly rounded pattern of an
/// integer or a fraction (round to nearest, ties to even, as Java's `(float)` of the exact value).
/// @dev All functions are internal: they are compiled into the contract that uses them.
library VouchTensor {
    uint8 internal constant FLOAT32 = 1;
    uint8 internal constant FLOAT64 = 2;
    uint8 internal constant INT8 = 3;
    uint8 internal constant UINT8 = 4;
    uint8 internal constant INT32 = 5;
    uint8 internal constant INT64 = 6;
    uint8 internal constant BUNDLE_MARKER = 0xF0;
    uint256 internal constant MAX_RANK = 8;
    /// Java dimensions and element counts are ints: at most 2^31 - 1.
    uint256 internal constant MAX_DIM = 0x7fffffff;

    /// A tensor inside `buf`, which may be a whole bundle: nothing is copied. Get one from `decode` or
    /// `named` only: they check the fields that the accessors and argmax rely on.
    struct Tensor {
        bytes buf;
        uint256 start; // first byte of this tensor's encoding in buf
        uint256 dataStart; // first data byte
        uint8 dtype;
        uint8 rank;
        uint256 count; // elements
    }

    // ---- malformed encodings
    error TensorTruncated(uint256 needed, uint256 available);
    error TensorUnknownDtype(uint8 code);
    error TensorIsBundle();
    error TensorRankTooLarge(uint256 rank);
    error TensorDimensionTooLarge(uint256 index, uint256 dim);
    error TensorTooLarge();
    error TensorLengthMismatch(uint256 expectedDataBytes, uint256 actualDataBytes);
    error BundleExpected(uint8 firstByte);
    error BundleCountInvalid(uint256 count);
    error BundleTruncated(uint256 tensorIndex);
    error BundleBadName(uint256 tensorIndex);
    error BundleNamesNotSorted(uint256 tensorIndex);
    error BundleLengthOutOfRange(uint256 tensorIndex, uint256 declared, uint256 available);
    error BundleTrailingBytes(uint256 count);
    error BundleNoSuchTensor(string name);
    // ---- reading
    error TensorWrongDtype(uint8 expected, uint8 actual);
    error TensorIndexOutOfRange(uint256 index, uint256 count);
    error TensorEmpty();
    error TensorArgmaxDtype(uint8 dtype);
    error TensorNaN(uint256 index);
    // ---- writing
    error TensorShapeMismatch(uint256 elements, uint256 values);
    error BundleArityMismatch(uint256 names, uint256 tensors);
    error BundleDuplicateName(string name);
    // ---- float32 conversions
    error FloatZeroDenominator();
    error FloatNotFinite(uint32 bits);
    error FloatDecimalsTooLarge(uint256 decimals);

    // =========================================================================== reading

    /// @notice The tensor `encoded` holds (one tensor, not a bundle); reverts on anything that is
    /// not exactly one canonical tensor.
    function decode(bytes memory encoded) internal pure returns (Tensor memory) {
        if (encoded.length != 0 && uint8(encoded[0]) == BUNDLE_MARKER) revert TensorIsBundle();
        return _parse(encoded, 0, encoded.length);
    }

    /// @notice Whether `encoded` is a bundle of several named tensors (first byte 0xF0).
    function isBundle(bytes memory encoded) internal pure returns (bool) {
        return encoded.length != 0 && uint8(encoded[0]) == BUNDLE_MARKER;
    }

    /// @notice The tensor called `name` in the bundle `encoded`. The whole bundle is checked first
    /// (count, names unique and sorted, every length inside the bytes, every tensor canonical, no
    /// trailing bytes), so a lying length or a second copy of a name is refused, never read.
    function named(bytes memory encoded, string memory name) internal pure returns (Tensor memory t) {
        bool found;
        (found, t) = _walkBundle(encoded, bytes(name));
        if (!found) revert BundleNoSuchTensor(name);
    }

    /// @notice Checks that `encoded` is one canonical tensor or a canonical bundle; returns how
    /// many tensors it holds.
    function validate(bytes memory encoded) internal pure returns (uint256 tensors) {
        if (!isBundle(encoded)) {
            _parse(encoded, 0, encoded.length);
            return 1;
        }
        _walkBundle(encoded, "");
        return uint8(encoded[1]);
    }

    /// @notice The tensor's own canonical encoding (a copy; for a tensor read out of a bundle, the
    /// bytes whose keccak256 Java's Tensor.hash() gives).
    function toBytes(Tensor memory t) internal pure returns (bytes memory out) {
        uint256 end = t.dataStart + t.count * _size(t.dtype);
        bytes memory buf = t.buf;
        uint256 start = t.start;
        out = new bytes(end - start);
        uint256 src;
        assembly ("memory-safe") {
            src := add(add(buf, 32), start)
        }
        _copyFrom(src, out, 0, end - start);
    }

    function dim(Tensor memory t, uint256 index) internal pure returns (uint256) {
        if (index >= t.rank) revert TensorIndexOutOfRange(index, t.rank);
        return _u32(t.buf, t.start + 2 + 4 * index);
    }

    function shape(Tensor memory t) internal pure returns (uint256[] memory s) {
        s = new uint256[](t.rank);
        for (uint256 i; i < s.length; ++i) {
            s[i] = _u32(t.buf, t.start + 2 + 4 * i);
        }
    }

    function int8At(Tensor memory t, uint256 i) internal pure returns (int8) {
        return int8(uint8(_element(t, INT8, i, 1)));
    }

    function uint8At(Tensor memory t, uint256 i) internal pure returns (uint8) {
        return uint8(_element(t, UINT8, i, 1));
    }

    function int32At(Tensor memory t, uint256 i) internal pure returns (int32) {
        return int32(uint32(_element(t, INT32, i, 4)));
    }

    function int64At(Tensor memory t, uint256 i) internal pure returns (int64) {
        return int64(uint64(_element(t, INT64, i, 8)));
    }

    /// @notice Element i of a float32 tensor as its IEEE-754 bit pattern (see float32ToFixed).
    function float32BitsAt(Tensor memory t, uint256 i) internal pure returns (uint32) {
        return uint32(_element(t, FLOAT32, i, 4));
    }

    function float64BitsAt(Tensor memory t, uint256 i) internal pure returns (uint64) {
        return uint64(_element(t, FLOAT64, i, 8));
    }

    function int32s(Tensor memory t) internal pure returns (int32[] memory out) {
        _expect(t, INT32);
        out = new int32[](t.count);
        for (uint256 i; i < out.length; ++i) {
            out[i] = int32(uint32(_u32(t.buf, t.dataStart + 4 * i)));
        }
    }

    function int64s(Tensor memory t) internal pure returns (int64[] memory out) {
        _expect(t, INT64);
        out = new int64[](t.count);
        for (uint256 i; i < out.length; ++i) {
            out[i] = int64(uint64(_u64(t.buf, t.dataStart + 8 * i)));
        }
    }

    function float32Bits(Tensor memory t) internal pure returns (uint32[] memory out) {
        _expect(t, FLOAT32);
        out = new uint32[](t.count);
        for (uint256 i; i < out.length; ++i) {
            out[i] = uint32(_u32(t.buf, t.dataStart + 4 * i));
        }
    }

    /// @notice The index of the largest element of a float32 or int32 tensor, the first one on
    /// ties, as Java's Tensor.argmax: floats compare by value (-0.0 == +0.0, infinities allowed), a
    /// NaN reverts TensorNaN. float32 bit patterns map to an unsigned total order: negative
    /// values flip all bits, positive ones set the sign bit; int32 flips the sign bit.
    function argmax(Tensor memory t) internal pure returns (uint256 index) {
        uint8 dtype = t.dtype;
        if (dtype != FLOAT32 && dtype != INT32) revert TensorArgmaxDtype(dtype);
        uint256 n = t.count;
        if (n == 0) revert TensorEmpty();
        bytes memory buf = t.buf;
        uint256 data = t.dataStart;
        uint256 isFloat = dtype == FLOAT32 ? 1 : 0;
        uint256 nanAt = type(uint256).max;
        // Bounds: decode/named checked that the data holds n elements of 4 bytes. Each element is
        // read as a big-endian word, byte-swapped, and mapped to an unsigned key in value order.
        assembly ("memory-safe") {
            let p := add(add(buf, 32), data)
            let best := 0
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                let v := shr(224, mload(add(p, shl(2, i))))
                v := or(shl(8, and(v, 0x00ff00ff)), and(shr(8, v), 0x00ff00ff))
                v := and(or(shl(16, v), shr(16, v)), 0xffffffff)
                let key := xor(v, 0x80000000) // int32: flip the sign bit
                if isFloat {
                    if gt(and(v, 0x7fffffff), 0x7f800000) {
                        nanAt := i
                        break
                    }
                    if eq(v, 0x80000000) { v := 0 } // -0.0 ties with +0.0
                    switch and(v, 0x80000000)
                    case 0 { key := or(v, 0x80000000) }
                    default { key := xor(v, 0xffffffff) }
                }
                if or(iszero(i), gt(key, best)) {
                    best := key
                    index := i
                }
            }
        }
        if (nanAt != type(uint256).max) revert TensorNaN(nanAt);
    }

    // =========================================================================== writing

    /// @notice The shape of a scalar (rank 0, one element), e.g. an int64 sample rate:
    /// `encodeInt64(dims(), values)` with one value.
    function dims() internal pure returns (uint256[] memory s) {
        s = new uint256[](0);
    }

    function dims(uint256 a) internal pure returns (uint256[] memory s) {
        s = new uint256[](1);
        s[0] = a;
    }

    function dims(uint256 a, uint256 b) internal pure returns (uint256[] memory s) {
        s = new uint256[](2);
        (s[0], s[1]) = (a, b);
    }

    function dims(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory s) {
        s = new uint256[](3);
        (s[0], s[1], s[2]) = (a, b, c);
    }

    function dims(uint256 a, uint256 b, uint256 c, uint256 d) internal pure returns (uint256[] memory s) {
        s = new uint256[](4);
        (s[0], s[1], s[2], s[3]) = (a, b, c, d);
    }

    /// @notice A float32 tensor of `shape_` from IEEE-754 bit patterns (row-major).
    function encodeFloat32(uint256[] memory shape_, uint32[] memory bits) internal pure returns (bytes memory out) {
        uint256 p;
        (out, p) = _header(FLOAT32, shape_, bits.length, 4);
        for (uint256 i; i < bits.length; ++i) {
            _put32(out, p + 4 * i, bits[i]);
        }
    }

    function encodeInt32(uint256[] memory shape_, int32[] memory values) internal pure returns (bytes memory out) {
        uint256 p;
        (out, p) = _header(INT32, shape_, values.length, 4);
        for (uint256 i; i < values.length; ++i) {
            _put32(out, p + 4 * i, uint32(values[i]));
        }
    }

    function encodeInt64(uint256[] memory shape_, int64[] memory values) internal pure returns (bytes memory out) {
        uint256 p;
        (out, p) = _header(INT64, shape_, values.length, 8);
        for (uint256 i; i < values.length; ++i) {
            uint64 v = uint64(values[i]);
            _put32(out, p + 8 * i, uint32(v));
            _put32(out, p + 8 * i + 4, uint32(v >> 32));
        }
    }

    /// @notice The canonical encoding of named tensors: one tensor is its own encoding (no name);
    /// several are a bundle sorted by the names' bytes. Every encoding is checked; names are 1–255
    /// bytes and unique.
    function encodeBundle(string[] memory names, bytes[] memory tensors) internal pure returns (bytes memory out) {
        uint256 n = names.length;
        if (n != tensors.length) revert BundleArityMismatch(n, tensors.length);
        if (n == 0 || n > 255) revert BundleCountInvalid(n);
        uint256 total = 2;
        for (uint256 i; i < n; ++i) {
            uint256 nameLength = bytes(names[i]).length;
            if (nameLength == 0 || nameLength > 255) revert BundleBadName(i);
            bytes memory t = tensors[i];
            if (isBundle(t)) revert TensorIsBundle();
            _parse(t, 0, t.length);
            total += 5 + nameLength + t.length;
        }
        if (n == 1) return tensors[0];
        uint256[] memory order = _sortedByName(names);
        out = new bytes(total);
        out[0] = bytes1(BUNDLE_MARKER);
        out[1] = bytes1(uint8(n));
        uint256 p = 2;
        for (uint256 k; k < n; ++k) {
            bytes memory name = bytes(names[order[k]]);
            bytes memory t = tensors[order[k]];
            out[p] = bytes1(uint8(name.length));
            _copy(name, out, p + 1);
            p += 1 + name.length;
            _put32(out, p, uint32(t.length));
            _copy(t, out, p + 4);
            p += 4 + t.length;
        }
    }

    // =========================================================================== float32

    /// @notice The float32 nearest to `value` (ties to even), as an IEEE-754 bit pattern.
    function float32FromInt(int256 value) internal pure returns (uint32) {
        return float32FromFraction(value, 1);
    }

    /// @notice The float32 nearest to numerator / denominator (ties to even; ±infinity beyond the
    /// largest float32, subnormals and ±0 below the smallest), as an IEEE-754 bit pattern: e.g.
    /// float32FromFraction(-1234, 100) is the float32 of -12.34.
    function float32FromFraction(int256 numerator, uint128 denominator) internal pure returns (uint32 bits) {
        if (denominator == 0) revert FloatZeroDenominator();
        if (numerator == 0) return 0;
        uint256 sign = numerator < 0 ? 0x80000000 : 0;
        uint256 n = numerator < 0 ? uint256(-(numerator + 1)) + 1 : uint256(numerator);
        uint256 d = denominator;
        if (d == 1 && n < 1 << 24) {
            // An integer below 2^24 is exact: shift its leading one to bit 23.
            uint256 top = _bitLength(n) - 1;
            return uint32(sign | ((top + 127) << 23) | ((n << (23 - top)) & 0x7fffff));
        }
        // p = floor(log2(n / d)), from the bit lengths and one comparison.
        int256 k = int256(_bitLength(n)) - int256(_bitLength(d));
        int256 p;
        if (k >= 0) p = n >= (d << uint256(k)) ? k : k - 1;
        else p = (n << uint256(-k)) >= d ? k : k - 1;
        if (p >= 128) return uint32(sign | 0x7f800000);
        // The value's unit in the last place: 2^(p-23) for normals, 2^-149 for subnormals.
        int256 ulp = p - 23 < -149 ? int256(-149) : p - 23;
        uint256 num = n;
        uint256 den = d;
        if (ulp >= 0) den = d << uint256(ulp);
        else num = n << uint256(-ulp);
        uint256 m = num / den;
        uint256 r = num % den;
        if (2 * r > den || (2 * r == den && m & 1 == 1)) ++m;
        if (m == 1 << 24) {
            m = 1 << 23;
            ++ulp;
        }
        if (m < 1 << 23) return uint32(sign | m); // subnormal (ulp == -149); 0 never gets here
        uint256 biased = uint256(ulp + 150);
        if (biased >= 255) return uint32(sign | 0x7f800000);
        return uint32(sign | (biased << 23) | (m - (1 << 23)));
    }

    /// @notice A float32's value times 10^decimals, truncated toward zero: float32ToFixed(bits of
    /// 12.345678, 2) is 1234. Reverts FloatNotFinite on NaN and infinities; decimals at most 38.
    function float32ToFixed(uint32 bits, uint256 decimals) internal pure returns (int256) {
        if (decimals > 38) revert FloatDecimalsTooLarge(decimals);
        uint256 exp = (bits >> 23) & 0xff;
        if (exp == 0xff) revert FloatNotFinite(bits);
        uint256 m = bits & 0x7fffff;
        int256 e = -149;
        if (exp != 0) {
            m |= 1 << 23;
            e = int256(exp) - 150;
        }
        uint256 scaled = m * 10 ** decimals;
        uint256 r = e >= 0 ? scaled << uint256(e) : scaled >> uint256(-e);
        return bits & 0x80000000 != 0 ? -int256(r) : int256(r);
    }

    // =========================================================================== internals

    function _size(uint8 dtype) private pure returns (uint256) {
        if (dtype == FLOAT32 || dtype == INT32) return 4;
        if (dtype == FLOAT64 || dtype == INT64) return 8;
        if (dtype == INT8 || dtype == UINT8) return 1;
        revert TensorUnknownDtype(dtype);
    }

    /// @dev Checks that buf[start:end] is exactly one canonical tensor (Java's fromCanonicalBytes).
    function _parse(bytes memory buf, uint256 start, uint256 end) private pure returns (Tensor memory t) {
        uint256 length = end - start;
        if (length < 2) revert TensorTruncated(2, length);
        uint8 dtype = uint8(buf[start]);
        uint256 size = _size(dtype);
        uint256 rank = uint8(buf[start + 1]);
        if (rank > MAX_RANK) revert TensorRankTooLarge(rank);
        uint256 header = 2 + 4 * rank;
        if (length < header) revert TensorTruncated(header, length);
        uint256 count = 1;
        for (uint256 i; i < rank; ++i) {
            uint256 d = _u32(buf, start + 2 + 4 * i);
            if (d > MAX_DIM) revert TensorDimensionTooLarge(i, d);
            count *= d;
            if (count > MAX_DIM) revert TensorTooLarge();
        }
        uint256 dataBytes = length - header;
        if (dataBytes != count * size) revert TensorLengthMismatch(count * size, dataBytes);
        t = Tensor({buf: buf, start: start, dataStart: start + header, dtype: dtype, rank: uint8(rank), count: count});
    }

    /// @dev Walks and checks a whole bundle (NamedTensors.decode); returns the tensor named `want`.
    function _walkBundle(bytes memory buf, bytes memory want) private pure returns (bool found, Tensor memory t) {
        uint256 length = buf.length;
        if (length == 0 || uint8(buf[0]) != BUNDLE_MARKER) revert BundleExpected(length == 0 ? 0 : uint8(buf[0]));
        if (length < 2) revert BundleTruncated(0);
        uint256 count = uint8(buf[1]);
        if (count < 2) revert BundleCountInvalid(count);
        uint256 p = 2;
        uint256 previous;
        uint256 previousLength;
        for (uint256 i; i < count; ++i) {
            if (p >= length) revert BundleTruncated(i);
            uint256 nameLength = uint8(buf[p]);
            if (nameLength == 0 || length - p - 1 < nameLength + 4) revert BundleBadName(i);
            uint256 name = p + 1;
            if (i != 0 && _compare(buf, previous, previousLength, name, nameLength) >= 0) {
                revert BundleNamesNotSorted(i);
            }
            p = name + nameLength;
            uint256 declared = _u32(buf, p);
            p += 4;
            if (declared > length - p) revert BundleLengthOutOfRange(i, declared, length - p);
            Tensor memory inner = _parse(buf, p, p + declared);
            if (!found && nameLength == want.length && _rangeHash(buf, name, nameLength) == keccak256(want)) {
                found = true;
                t = inner;
            }
            (previous, previousLength) = (name, nameLength);
            p += declared;
        }
        if (p != length) revert BundleTrailingBytes(length - p);
    }

    function _expect(Tensor memory t, uint8 dtype) private pure {
        if (t.dtype != dtype) revert TensorWrongDtype(dtype, t.dtype);
    }

    function _element(Tensor memory t, uint8 dtype, uint256 i, uint256 size) private pure returns (uint256) {
        _expect(t, dtype);
        if (i >= t.count) revert TensorIndexOutOfRange(i, t.count);
        uint256 p = t.dataStart + size * i;
        if (size == 1) return uint8(t.buf[p]);
        if (size == 4) return _u32(t.buf, p);
        return _u64(t.buf, p);
    }

    function _header(uint8 dtype, uint256[] memory shape_, uint256 values, uint256 size)
        private
        pure
        returns (bytes memory out, uint256 dataStart)
    {
        uint256 rank = shape_.length;
        if (rank > MAX_RANK) revert TensorRankTooLarge(rank);
        uint256 count = 1;
        for (uint256 i; i < rank; ++i) {
            if (shape_[i] > MAX_DIM) revert TensorDimensionTooLarge(i, shape_[i]);
            count *= shape_[i];
            if (count > MAX_DIM) revert TensorTooLarge();
        }
        if (count != values) revert TensorShapeMismatch(count, values);
        dataStart = 2 + 4 * rank;
        out = new bytes(dataStart + size * count);
        out[0] = bytes1(dtype);
        out[1] = bytes1(uint8(rank));
        for (uint256 i; i < rank; ++i) {
            _put32(out, 2 + 4 * i, uint32(shape_[i]));
        }
    }

    /// @dev Indices of `names` in ascending byte order (insertion sort: bundles are small).
    function _sortedByName(string[] memory names) private pure returns (uint256[] memory order) {
        uint256 n = names.length;
        order = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 j = i;
            while (j > 0) {
                int256 c = _compareBytes(bytes(names[order[j - 1]]), bytes(names[i]));
                if (c == 0) revert BundleDuplicateName(names[i]);
                if (c < 0) break;
                order[j] = order[j - 1];
                --j;
            }
            order[j] = i;
        }
    }

    function _compareBytes(bytes memory a, bytes memory b) private pure returns (int256 c) {
        uint256 pa;
        uint256 pb;
        assembly ("memory-safe") {
            pa := add(a, 32)
            pb := add(b, 32)
        }
        return _compareAt(pa, a.length, pb, b.length);
    }

    /// @dev Unsigned byte order of buf[a:a+al] and buf[b:b+bl]: -1, 0 or 1.
    function _compare(bytes memory buf, uint256 a, uint256 al, uint256 b, uint256 bl) private pure returns (int256) {
        uint256 base;
        assembly ("memory-safe") {
            base := add(buf, 32)
        }
        return _compareAt(base + a, al, base + b, bl);
    }

    function _compareAt(uint256 pa, uint256 al, uint256 pb, uint256 bl) private pure returns (int256) {
        uint256 n = al < bl ? al : bl;
        for (uint256 i; i < n; i += 32) {
            uint256 wa;
            uint256 wb;
            assembly ("memory-safe") {
                wa := mload(add(pa, i))
                wb := mload(add(pb, i))
            }
            if (n - i < 32) {
                uint256 mask = ~(type(uint256).max >> (8 * (n - i)));
                wa &= mask;
                wb &= mask;
            }
            if (wa != wb) return wa < wb ? -1 : int256(1);
        }
        return al < bl ? -1 : (al > bl ? int256(1) : int256(0));
    }

    function _rangeHash(bytes memory buf, uint256 start, uint256 length) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            h := keccak256(add(add(buf, 32), start), length)
        }
    }

    function _copy(bytes memory from, bytes memory to, uint256 offset) private pure {
        uint256 src;
        assembly ("memory-safe") {
            src := add(from, 32)
        }
        _copyFrom(src, to, offset, from.length);
    }

    /// @dev Copies `length` bytes from memory address `src` into `to` at `offset`, a word at a
    /// time, never writing past the last byte copied.
    function _copyFrom(uint256 src, bytes memory to, uint256 offset, uint256 length) private pure {
        assembly ("memory-safe") {
            let dst := add(add(to, 32), offset)
            let i := 0
            for {} iszero(gt(add(i, 32), length)) { i := add(i, 32) } { mstore(add(dst, i), mload(add(src, i))) }
            let rest := sub(length, i)
            if rest {
                let keep := shr(mul(rest, 8), not(0)) // the destination's bytes after the copy
                mstore(add(dst, i), or(and(mload(add(src, i)), not(keep)), and(mload(add(dst, i)), keep)))
            }
        }
    }

    /// @dev The unsigned little-endian u32 at buf[p:p+4]; the caller has checked the bounds.
    function _u32(bytes memory buf, uint256 p) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := shr(224, mload(add(add(buf, 32), p)))
        }
        v = ((v & 0x00ff00ff) << 8) | ((v >> 8) & 0x00ff00ff);
        v = ((v << 16) | (v >> 16)) & 0xffffffff;
    }

    function _u64(bytes memory buf, uint256 p) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := shr(192, mload(add(add(buf, 32), p)))
        }
        v = ((v & 0x00ff00ff00ff00ff) << 8) | ((v >> 8) & 0x00ff00ff00ff00ff);
        v = ((v & 0x0000ffff0000ffff) << 16) | ((v >> 16) & 0x0000ffff0000ffff);
        v = ((v << 32) | (v >> 32)) & 0xffffffffffffffff;
    }

    function _put32(bytes memory out, uint256 p, uint32 v) private pure {
        assembly ("memory-safe") {
            let q := add(add(out, 32), p)
            mstore8(q, v)
            mstore8(add(q, 1), shr(8, v))
            mstore8(add(q, 2), shr(16, v))
            mstore8(add(q, 3), shr(24, v))
        }
    }

    function _bitLength(uint256 x) private pure returns (uint256 n) {
        if (x == 0) return 0;
        n = 1;
        if (x >> 128 != 0) (x, n) = (x >> 128, n + 128);
        if (x >> 64 != 0) (x, n) = (x >> 64, n + 64);
        if (x >> 32 != 0) (x, n) = (x >> 32, n + 32);
        if (x >> 16 != 0) (x, n) = (x >> 16, n + 16);
        if (x >> 8 != 0) (x, n) = (x >> 8, n + 8);
        if (x >> 4 != 0) (x, n) = (x >> 4, n + 4);
        if (x >> 2 != 0) (x, n) = (x >> 2, n + 2);
        if (x >> 1 != 0) n += 1;
    }
}
