pragma circom 2.1.6;

// The integer MLP of io.vouch.onnx.quant.IntegerModel with one hidden layer, as an R1CS circuit:
//   z1 = W1·x + b1;  q = (EPS·z1 + 2^(SHIFT-1)) >> SHIFT;  a = clamp(q, 0, 127)  (ReLU fused)
//   y  = W2·a + b2   (int64 logits, public output)
// It computes exactly what IntegerEngine computes; run-compare.sh checks the public output against
// the Java engine's logits. Signed integers are field elements (negative v is p − |v|).
//
// Weights and biases are PRIVATE inputs with no commitment binding them to a model id (the
// circomlib-ml style): this makes the circuit cheaper than a fair equivalent of Vouch's proof,
// which binds the weights to the registered model id; so Groth16's figures here are a lower bound.
// circomlib is used as a library only (Num2Bits, LessThan, GreaterThan).
include "../node_modules/circomlib/circuits/bitify.circom";
include "../node_modules/circomlib/circuits/comparators.circom";

// z = W·a + b: one multiplication constraint per weight (weights are signals).
template Dense(IN, OUT) {
    signal input a[IN];
    signal input w[OUT][IN];
    signal input b[OUT];
    signal output z[OUT];
    signal prod[OUT][IN];
    for (var i = 0; i < OUT; i++) {
        var acc = b[i];
        for (var k = 0; k < IN; k++) {
            prod[i][k] <== w[i][k] * a[k];
            acc += prod[i][k];
        }
        z[i] <== acc;
    }
}

// a = clamp((EPS·z + 2^(SHIFT-1)) >> SHIFT, 0, 127). The quotient is range-checked with an offset
// of 2^17 (the zk module's registration guarantees |q| < 2^17), the remainder to SHIFT bits; the
// ReLU and the int8 clamp are two comparators.
template RequantRelu(EPS, SHIFT) {
    signal input z;
    signal output a;
    var OFFSET = 1 << 17;
    signal q;   // q + OFFSET, in [0, 2^18)
    signal e;   // remainder, in [0, 2^SHIFT)
    q <-- (EPS * z + (1 << (SHIFT - 1)) + OFFSET * (1 << SHIFT)) \ (1 << SHIFT);
    e <-- (EPS * z + (1 << (SHIFT - 1)) + OFFSET * (1 << SHIFT)) % (1 << SHIFT);
    EPS * z + (1 << (SHIFT - 1)) + OFFSET * (1 << SHIFT) === q * (1 << SHIFT) + e;
    component eBits = Num2Bits(SHIFT);
    eBits.in <== e;
    component qBits = Num2Bits(18);
    qBits.in <== q;
    component negative = LessThan(18);
    negative.in[0] <== q;
    negative.in[1] <== OFFSET;
    component above = GreaterThan(18);
    above.in[0] <== q;
    above.in[1] <== OFFSET + 127;
    // negative and above exclude each other: a = q when 0 ≤ q ≤ 127, 0 below, 127 above
    a <== (1 - negative.out - above.out) * (q - OFFSET) + 127 * above.out;
}

template Mlp(N0, N1, N2, EPS, SHIFT) {
    signal input x[N0];
    signal input w1[N1][N0];
    signal input b1[N1];
    signal input w2[N2][N1];
    signal input b2[N2];
    signal output y[N2];

    component hidden = Dense(N0, N1);
    hidden.a <== x;
    hidden.w <== w1;
    hidden.b <== b1;
    component act[N1];
    component out = Dense(N1, N2);
    for (var i = 0; i < N1; i++) {
        act[i] = RequantRelu(EPS, SHIFT);
        act[i].z <== hidden.z[i];
        out.a[i] <== act[i].a;
    }
    out.w <== w2;
    out.b <== b2;
    y <== out.z;
}
