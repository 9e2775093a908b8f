package io.vouch.zk.mlp;

import io.vouch.onnx.quant.LayerOutput;
import io.vouch.zk.InvalidProofException;
import io.vouch.zk.commit.Ligero;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.field.Multilinear;
import io.vouch.zk.lookup.FractionalSumGkr;
import io.vouch.zk.lookup.LookupTable;
import io.vouch.zk.sumcheck.SumCheck;
import io.vouch.zk.transcript.Transcript;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Verifies a {@link ZkProof} from public data only: the {@link VerifyingKey} (whose hash is the
 * model id), the 32-byte request id, the int8 input and the claimed logits. It replays the prover's
 * transcript (see {@link ZkProver} for the protocol) and checks, in order: lookup multiplicities
 * against the GKR root, the GKR leaf claims against the witness evaluations, the requantization
 * identity of every hidden layer, every matrix–vector sum-check, and the Ligero openings of the
 * witness (with proximity test) and of every weight matrix.
 *
 * <p>v1 is NOT zero-knowledge.
 */
public final class ZkVerifier {
  private ZkVerifier() {}

  /** Parses and verifies; true only for a valid proof of exactly this statement. */
  public static boolean isValid(
      VerifyingKey key, byte[] requestId, byte[] input, long[] logits, byte[] proof) {
    try {
      verify(key, requestId, input, logits, proof);
      return true;
    } catch (InvalidProofException e) {
      return false;
    }
  }

  /**
   * Parses and verifies.
   *
   * @throws InvalidProofException naming the first check that failed
   * @throws IllegalArgumentException if the statement itself is malformed (wrong input length,
   *     request id not 32 bytes)
   */
  public static void verify(
      VerifyingKey key, byte[] requestId, byte[] input, long[] logits, byte[] proof) {
    verify(key, requestId, input, logits, ZkProof.fromBytes(proof));
  }

  public static void verify(
      VerifyingKey key, byte[] requestId, byte[] input, long[] logits, ZkProof proof) {
    try {
      check(key, requestId, input, logits, proof);
    } catch (ArithmeticException | IndexOutOfBoundsException e) {
      // a zero denominator (probability ~2^-113 for honest proofs) or a shape no check foresaw
      throw new InvalidProofException("proof does not verify: " + e, e);
    }
  }

  private static void check(
      VerifyingKey key, byte[] requestId, byte[] input, long[] logits, ZkProof proof) {
    WitnessLayout layout = WitnessLayout.of(key);
    List<LayerKey> layers = key.layers();
    int layerCount = layers.size();
    int hidden = layerCount - 1;
    int width = layout.width;
    int rows = layout.rowCount;
    Transcript t = Statement.transcript(key, requestId, input, logits);

    // shape checks before any arithmetic
    int pointCount = 1 + hidden + (layerCount - 1);
    require(proof.witnessRoot.length == 32, "witness root must be 32 bytes");
    require(
        proof.multiplicities.length == layout.tables.size(),
        "proof has "
            + proof.multiplicities.length
            + " multiplicity tables, expected "
            + layout.tables.size());
    for (int k = 0; k < layout.tables.size(); k++) {
      require(
          proof.multiplicities[k].length == layout.tables.get(k).size(),
          "multiplicities of table " + layout.tables.get(k) + " have the wrong length");
    }
    require(proof.evaluations.length == pointCount, "wrong number of evaluation points");
    for (long[] e : proof.evaluations) {
      require(e.length == 2 * rows, "evaluations must cover every witness row");
    }
    require(
        proof.folded.length == layerCount && proof.matvec.length == layerCount,
        "proof must have one folded weight vector and one sum-check per layer");
    for (int l = 0; l < layerCount; l++) {
      require(
          proof.folded[l].length == 2 * layers.get(l).paddedInputs(),
          "folded weights of layer " + l + " have the wrong length");
    }
    require(proof.combined.length == pointCount + 1, "wrong number of combined witness rows");
    for (long[] v : proof.combined) {
      require(v.length == 2 * width, "combined witness rows must have the hidden width");
    }
    require(proof.weightColumns.length == layerCount, "one weight opening per layer is required");

    // 1. witness commitment and multiplicities
    t.absorb("witness/root", proof.witnessRoot);
    for (long[] m : proof.multiplicities) {
      t.absorb("lookup/multiplicities", ZkProof.encodeMultiplicities(m));
    }

    GoldilocksExt2[][] r = new GoldilocksExt2[layerCount][];
    for (int l = 0; l < layerCount; l++) {
      r[l] =
          t.challengeExts(
              "layer/output-point", Integer.numberOfTrailingZeros(layers.get(l).paddedOutputs()));
    }

    // 2. LogUp
    GoldilocksExt2 beta = t.challengeExt("lookup/beta");
    GoldilocksExt2 alpha = t.challengeExt("lookup/alpha");
    FractionalSumGkr.LeafClaim leaf =
        FractionalSumGkr.verify(t, layout.logWidth + layout.slotVariables, proof.lookup);
    require(!leaf.rootDenominator().isZero(), "lookup GKR root denominator is zero");
    GoldilocksExt2 tableSide = GoldilocksExt2.ZERO;
    for (int k = 0; k < layout.tables.size(); k++) {
      tableSide =
          tableSide.add(
              layout.tables.get(k).weightedInverseSum(proof.multiplicities[k], alpha, beta));
    }
    require(
        leaf.rootNumerator().equals(leaf.rootDenominator().mul(tableSide)),
        "lookups do not match the tables with the claimed multiplicities");
    GoldilocksExt2[] lookupPoint = Arrays.copyOf(leaf.point(), layout.logWidth);
    GoldilocksExt2[] slotPoint =
        Arrays.copyOfRange(leaf.point(), layout.logWidth, leaf.point().length);
    long[] lookupEvals = proof.evaluations[0];
    t.absorbLongs("witness/evaluations", lookupEvals);
    long[] slotEq = Multilinear.eqTable(slotPoint);
    GoldilocksExt2 expectP = GoldilocksExt2.ZERO, expectQ = GoldilocksExt2.ZERO;
    GoldilocksExt2 paddingQ = GoldilocksExt2.ONE.sub(lookupPoint[0].mulBase(2));
    for (int s = 0; s < layout.paddedSlots(); s++) {
      GoldilocksExt2 weight = GoldilocksExt2.at(slotEq, s);
      expectP = expectP.add(weight); // every leaf numerator is 1
      if (s >= layout.slots.size()) {
        // padding leaves alternate 1, −1: the multilinear of (−1)^i is 1 − 2·i_0
        expectQ = expectQ.add(weight.mul(paddingQ));
        continue;
      }
      WitnessLayout.Slot slot = layout.slots.get(s);
      GoldilocksExt2[] betaPowers = ZkProver.betaPowers(beta, slot.rows().length);
      GoldilocksExt2 f = GoldilocksExt2.of(slot.table().id());
      for (int j = 0; j < slot.rows().length; j++) {
        GoldilocksExt2 v =
            GoldilocksExt2.at(lookupEvals, slot.rows()[j])
                .add(GoldilocksExt2.of(Goldilocks.fromSigned(slot.offsets()[j])));
        f = f.add(betaPowers[j].mul(v));
      }
      expectQ = expectQ.add(weight.mul(alpha.sub(f)));
    }
    require(
        leaf.numerator().equals(expectP) && leaf.denominator().equals(expectQ),
        "lookup GKR leaves do not match the opened witness rows");

    // 3. the accumulators at the output points, defined by the requantization identity
    //    ε·z + 2^(s−1) = 2^s·(lo + 256·h + t) + Σ_c 1024^c·e_c (z is not committed)
    List<GoldilocksExt2[]> points = new ArrayList<>();
    points.add(lookupPoint);
    GoldilocksExt2[] accumulators = new GoldilocksExt2[hidden];
    for (int l = 0; l < hidden; l++) {
      long[] e = proof.evaluations[1 + l];
      t.absorbLongs("witness/evaluations", e);
      points.add(r[l]);
      var rq = (LayerOutput.Requantized) layers.get(l).output();
      GoldilocksExt2 h = GoldilocksExt2.at(e, layout.row(l, WitnessLayout.H));
      GoldilocksExt2 tt = GoldilocksExt2.at(e, layout.row(l, WitnessLayout.T));
      GoldilocksExt2 q =
          GoldilocksExt2.of(Goldilocks.fromSigned(rq.activation().low()))
              .add(h.mulBase(256))
              .add(tt);
      GoldilocksExt2 remainder = GoldilocksExt2.ZERO;
      for (int c = layout.limbCount[l] - 1; c >= 0; c--) {
        remainder =
            remainder
                .mulBase(1L << LookupTable.LIMB_BITS)
                .add(GoldilocksExt2.at(e, layout.row(l, WitnessLayout.LIMBS + c)));
      }
      accumulators[l] =
          q.mulBase(1L << rq.shift())
              .add(remainder)
              .sub(GoldilocksExt2.of(rq.roundingOffset()))
              .mulBase(Goldilocks.inverse(rq.multiplier()));
    }

    // 4. matrix–vector sum-checks
    long[] outputPadded = Statement.padded(logits, layers.get(hidden).paddedOutputs());
    long[] inputPadded = Statement.padded(input, layers.get(0).paddedInputs());
    for (int l = 0; l < layerCount; l++) {
      LayerKey layer = layers.get(l);
      t.absorb("layer/folded-weights", Statement.foldDigest(proof.folded[l]));
      GoldilocksExt2 z = l < hidden ? accumulators[l] : Multilinear.evaluate(outputPadded, r[l]);
      GoldilocksExt2 bias =
          Multilinear.evaluate(Statement.padded(layer.bias(), layer.paddedOutputs()), r[l]);
      if (l == 0) {
        // public input: ⟨u_0, x⟩ directly (u_0 itself is checked by the weight opening below)
        require(
            proof.matvec[0].roundCount() == 0,
            "layer 0 takes the public input: its sum-check must be empty");
        require(
            Multilinear.innerProductBase(inputPadded, proof.folded[0]).equals(z.sub(bias)),
            "layer 0: the folded weights times the input miss the claimed output");
        continue;
      }
      SumCheck.Reduced reduced =
          SumCheck.verify(
              t,
              2,
              Integer.numberOfTrailingZeros(layer.paddedInputs()),
              z.sub(bias),
              proof.matvec[l]);
      GoldilocksExt2 u =
          Multilinear.innerProduct(proof.folded[l], Multilinear.eqTable(reduced.point()));
      long[] e = proof.evaluations[hidden + l];
      t.absorbLongs("witness/evaluations", e);
      points.add(reduced.point());
      GoldilocksExt2 a = GoldilocksExt2.at(e, layout.row(l - 1, WitnessLayout.A));
      require(
          reduced.claim().equals(u.mul(a)),
          "matrix–vector sum-check of layer " + l + " does not end in W̃·ã");
    }

    // 5. openings
    GoldilocksExt2[] gammas = t.challengeExts("witness/row-combination", points.size());
    GoldilocksExt2 xi = t.challengeExt("witness/proximity");
    List<long[]> coefficients = new ArrayList<>();
    for (int j = 0; j < points.size(); j++) {
      long[] g = Statement.powers(gammas[j], rows);
      coefficients.add(g);
      GoldilocksExt2 claimed = Multilinear.innerProduct(g, proof.evaluations[j]);
      GoldilocksExt2 opened =
          Multilinear.innerProduct(proof.combined[j], Multilinear.eqTable(points.get(j)));
      require(
          claimed.equals(opened),
          "witness evaluations at opening point " + j + " disagree with the combined row");
    }
    coefficients.add(Statement.powers(xi, rows));
    for (long[] v : proof.combined) {
      t.absorbLongs("witness/combined-row", v);
    }
    int[] witnessQueries =
        t.challengeIndices("witness/columns", width * Ligero.BLOWUP, Ligero.QUERIES_PROXIMITY);
    Ligero.verify(
        proof.witnessRoot,
        rows,
        width,
        Ligero.leafColumns(rows, width),
        coefficients,
        Arrays.asList(proof.combined),
        witnessQueries,
        proof.witnessColumns);
    for (int l = 0; l < layerCount; l++) {
      LayerKey layer = layers.get(l);
      int[] queries =
          t.challengeIndices(
              "weights/columns", layer.paddedInputs() * Ligero.BLOWUP, Ligero.QUERIES_REGISTERED);
      Ligero.verify(
          layer.weightRoot(),
          layer.paddedOutputs(),
          layer.paddedInputs(),
          1,
          List.of(Multilinear.eqTable(r[l])),
          List.of(proof.folded[l]),
          queries,
          proof.weightColumns[l]);
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new InvalidProofException(message);
    }
  }
}
