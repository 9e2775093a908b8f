package io.vouch.zk.mlp;

import io.vouch.onnx.quant.DenseLayer;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.LayerOutput;
import io.vouch.onnx.quant.LayerTrace;
import io.vouch.onnx.quant.Trace;
import io.vouch.zk.commit.Ligero;
import io.vouch.zk.commit.LigeroColumns;
import io.vouch.zk.commit.LigeroCommitment;
import io.vouch.zk.exec.Parallel;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.field.Multilinear;
import io.vouch.zk.lookup.FractionalSumGkr;
import io.vouch.zk.lookup.LookupTable;
import io.vouch.zk.sumcheck.SumCheck;
import io.vouch.zk.sumcheck.SumCheckProof;
import io.vouch.zk.transcript.Transcript;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Proves that a registered {@link ZkModel} maps an int8 input to its logits, bound to a request id.
 *
 * <p>Protocol (Fiat–Shamir over one {@link Transcript}; see zk/README.md for the soundness budget):
 *
 * <ol>
 *   <li>Run the {@link IntegerEngine}; stack the hidden-layer witness (see {@link WitnessLayout})
 *       and commit it with Ligero (Merkle leaves of {@link Ligero#leafColumns} adjacent columns);
 *       send lookup multiplicities. Draw a random point r_l on every layer's output and start the
 *       witness rows at each r_l and the weight folds (with their digests) in the background; this
 *       thread takes over fold chunks once its lookups are proved.
 *   <li>LogUp: challenges β (column folding) and α; the fractional-sum GKR over all lookups (its
 *       layer {@link FractionalSumGkr#sentLayer} in the clear) ends at a point ρ; send every
 *       witness row at ρ.
 *   <li>Send every witness row at each hidden r_l (the verifier checks the requantization identity
 *       there, a linear relation of row evaluations).
 *   <li>Per layer: the fold u_l = eq(r_l, ·)^T·W_l (computed in the background since step 1; it is
 *       also the Ligero opening vector of W_l at r_l; the transcript absorbs its SHA-256) and run
 *       the degree-2 sum-check of Σ_k u_l(k) a_l(k), which ends in ũ_l(ρ_l) (computed from u_l) and
 *       ã_l(ρ_l) (the public input, or a witness row opened at ρ_l).
 *   <li>Open the witness at all points at once (one combined row per point plus the proximity row,
 *       160 shared column queries) and each weight matrix at its r_l (56 column queries).
 * </ol>
 *
 * <p>v1 is NOT zero-knowledge: the proof reveals combinations of weights and hidden activations.
 */
public final class ZkProver {
  private ZkProver() {}

  public static ProvedInference prove(ZkModel model, byte[] requestId, byte[] input) {
    return prove(model, requestId, input, UnaryOperator.identity());
  }

  /**
   * Proves with the stacked witness passed through {@code tampering} before it is committed: how a
   * cheating prover commits to values other than the honest ones. For soundness tests only.
   */
  static ProvedInference prove(
      ZkModel model, byte[] requestId, byte[] input, UnaryOperator<long[]> tampering) {
    VerifyingKey key = model.verifyingKey();
    WitnessLayout layout = WitnessLayout.of(key);
    List<LayerKey> layers = key.layers();
    int layerCount = layers.size();
    int hidden = layerCount - 1;
    int width = layout.width;
    int rows = layout.rowCount;

    Trace trace = IntegerEngine.trace(model.integerModel(), input);
    long[] logits = trace.logits();
    Transcript t = Statement.transcript(key, model.modelId(), requestId, input, logits);

    // 1. witness
    long[] witness = tampering.apply(buildWitness(model, layout, trace));
    LigeroCommitment witnessCommitment =
        LigeroCommitment.commit(witness, rows, width, Ligero.leafColumns(rows, width));
    byte[] witnessRoot = witnessCommitment.root();
    t.absorb("witness/root", witnessRoot);
    long[][] multiplicities = countLookups(layout, witness);
    for (long[] m : multiplicities) {
      t.absorb("lookup/multiplicities", ZkProof.encodeMultiplicities(m));
    }

    // output points: the witness is already bound, so they can be drawn now, and the weight
    // folds (the dominant prover cost, independent of the lookups) run on the other core while
    // this thread proves the lookups
    GoldilocksExt2[][] r = new GoldilocksExt2[layerCount][];
    for (int l = 0; l < layerCount; l++) {
      r[l] =
          t.challengeExts(
              "layer/output-point", Integer.numberOfTrailingZeros(layers.get(l).paddedOutputs()));
    }
    Background background = Background.start(model, layout, witness, r);

    // 2. LogUp
    GoldilocksExt2 beta = t.challengeExt("lookup/beta");
    GoldilocksExt2 alpha = t.challengeExt("lookup/alpha");
    long[] q = lookupLeaves(layout, witness, alpha, beta);
    FractionalSumGkr.Proved gkr = FractionalSumGkr.proveUnitNumerators(t, q);
    GoldilocksExt2[] lookupPoint = Arrays.copyOf(gkr.leafPoint(), layout.logWidth);
    List<long[]> evaluations = new ArrayList<>();
    List<GoldilocksExt2[]> points = new ArrayList<>();
    evaluations.add(Statement.rowEvaluations(witness, rows, width, lookupPoint));
    points.add(lookupPoint);
    t.absorbLongs("witness/evaluations", evaluations.get(0));

    // 3. witness evaluations at the output points (computed in the background with the folds,
    //    which this thread now helps to finish)
    Folds folds = background.finish();
    for (int l = 0; l < hidden; l++) {
      long[] e = folds.atOutputs()[l];
      evaluations.add(e);
      points.add(r[l]);
      t.absorbLongs("witness/evaluations", e);
    }

    // 4. matrix–vector sum-checks on the folds
    long[][] folded = folds.u();
    SumCheckProof[] matvec = new SumCheckProof[layerCount];
    for (int l = 0; l < layerCount; l++) {
      t.absorb("layer/folded-weights", folds.digests()[l]);
      if (l == 0) {
        // the input is public: the verifier computes ⟨u_0, x⟩ itself, no sum-check needed
        matvec[l] = new SumCheckProof(new long[0][]);
        continue;
      }
      long[] a =
          Arrays.copyOfRange(
              witness,
              layout.row(l - 1, WitnessLayout.A) * width,
              (layout.row(l - 1, WitnessLayout.A) + 1) * width);
      SumCheck.Proved proved = SumCheck.proveProduct(t, folded[l].clone(), Multilinear.lift(a));
      matvec[l] = proved.proof();
      long[] e = Statement.rowEvaluations(witness, rows, width, proved.point());
      evaluations.add(e);
      points.add(proved.point());
      t.absorbLongs("witness/evaluations", e);
    }

    // 5. openings
    GoldilocksExt2[] gammas = t.challengeExts("witness/row-combination", points.size());
    GoldilocksExt2 xi = t.challengeExt("witness/proximity");
    GoldilocksExt2[] rowChallenges = Arrays.copyOf(gammas, points.size() + 1);
    rowChallenges[points.size()] = xi;
    long[][] combined = new long[rowChallenges.length][];
    int half = rowChallenges.length / 2;
    Parallel.both(
        () -> combineRows(witnessCommitment, rowChallenges, 0, half, combined),
        () -> combineRows(witnessCommitment, rowChallenges, half, rowChallenges.length, combined));
    for (long[] v : combined) {
      t.absorbLongs("witness/combined-row", v);
    }
    int[] witnessQueries =
        t.challengeIndices("witness/columns", width * Ligero.BLOWUP, Ligero.QUERIES_PROXIMITY);
    int[][] weightQueries = new int[layerCount][];
    for (int l = 0; l < layerCount; l++) {
      weightQueries[l] =
          t.challengeIndices(
              "weights/columns",
              layers.get(l).paddedInputs() * Ligero.BLOWUP,
              Ligero.QUERIES_REGISTERED);
    }
    Parallel.Forked<LigeroColumns[]> weightOpenings =
        Parallel.fork(() -> {
          LigeroColumns[] opened = new LigeroColumns[layerCount];
          for (int l = 0; l < layerCount; l++) {
            opened[l] = model.weightCommitment(l).open(weightQueries[l]);
          }
          return opened;
        });
    LigeroColumns witnessColumns = witnessCommitment.open(witnessQueries);
    LigeroColumns[] weightColumns = weightOpenings.join();
    ZkProof proof =
        new ZkProof(
            witnessRoot,
            multiplicities,
            gkr.proof(),
            evaluations.toArray(long[][]::new),
            folded,
            matvec,
            combined,
            witnessColumns,
            weightColumns);
    return new ProvedInference(logits, proof);
  }

  /**
   * The GKR's leaves: per lookup slot and neuron the denominator α − (id + Σ_j β^(j+1)·(w_j +
   * offset_j)) of its fraction, interleaved K; padding slots hold 1 and −1 alternately.
   */
  private static long[] lookupLeaves(
      WitnessLayout layout, long[] witness, GoldilocksExt2 alpha, GoldilocksExt2 beta) {
    int width = layout.width;
    int leaves = layout.paddedSlots() * width;
    long[] q = new long[2 * leaves];
    for (int s = 0; s < layout.paddedSlots(); s++) {
      if (s >= layout.slots.size()) {
        // padding: 1/1 + 1/(−1) per pair of leaves, so every numerator is 1 and the sum is 0
        for (int i = 0; i < width; i++) {
          q[2 * (s * width + i)] = (i & 1) == 0 ? 1 : Goldilocks.P - 1;
        }
        continue;
      }
      // q = α − (id + Σ_j β^(j+1)·(w_j + offset_j)), in residues (two base products per term)
      WitnessLayout.Slot slot = layout.slots.get(s);
      int[] slotRows = slot.rows();
      int terms = slotRows.length;
      GoldilocksExt2[] betaPowers = betaPowers(beta, terms);
      long[] b0 = new long[terms], b1 = new long[terms], offsets = new long[terms];
      for (int j = 0; j < terms; j++) {
        b0[j] = betaPowers[j].c0();
        b1[j] = betaPowers[j].c1();
        offsets[j] = Goldilocks.fromSigned(slot.offsets()[j]);
      }
      long id = slot.table().id();
      for (int i = 0; i < width; i++) {
        long f0 = id, f1 = 0;
        for (int j = 0; j < terms; j++) {
          long v = Goldilocks.add(witness[slotRows[j] * width + i], offsets[j]);
          f0 = Goldilocks.add(f0, Goldilocks.mul(b0[j], v));
          f1 = Goldilocks.add(f1, Goldilocks.mul(b1[j], v));
        }
        int leaf = s * width + i;
        q[2 * leaf] = Goldilocks.sub(alpha.c0(), f0);
        q[2 * leaf + 1] = Goldilocks.sub(alpha.c1(), f1);
      }
    }
    return q;
  }

  /**
   * What the second core computes while the first proves the lookups: the weight folds u_l, their
   * transcript digests, and the witness rows at every hidden layer's output point.
   */
  private record Folds(long[][] u, byte[][] digests, long[][] atOutputs) {}

  /** The background work of a proof: started on the helper, finished with this thread's help. */
  private record Background(
      LigeroCommitment.SharedCombination[] weightFolds, Parallel.Forked<Folds> result) {
    static Background start(
        ZkModel model, WitnessLayout layout, long[] witness, GoldilocksExt2[][] r) {
      int layerCount = r.length;
      int hidden = layerCount - 1;
      var weightFolds = new LigeroCommitment.SharedCombination[layerCount];
      for (int l = 0; l < layerCount; l++) {
        weightFolds[l] = model.weightCommitment(l).shareCombination(Multilinear.eqTable(r[l]));
      }
      Parallel.Forked<Folds> result =
          Parallel.fork(() -> {
            // the row evaluations first: the caller can help with the folds but not with them
            long[][] atOutputs = new long[hidden][];
            for (int l = 0; l < hidden; l++) {
              atOutputs[l] = Statement.rowEvaluations(witness, layout.rowCount, layout.width, r[l]);
            }
            long[][] u = new long[layerCount][];
            byte[][] digests = new byte[layerCount][];
            for (int l = 0; l < layerCount; l++) {
              u[l] = weightFolds[l].finish(0);
              digests[l] = Statement.foldDigest(u[l]);
            }
            return new Folds(u, digests, atOutputs);
          });
      return new Background(weightFolds, result);
    }

    /** Takes over the fold chunks nobody has started, then waits for the rest. */
    Folds finish() {
      for (LigeroCommitment.SharedCombination fold : weightFolds) {
        fold.help(1);
      }
      return result.join();
    }
  }

  /** The witness rows combined with powers of challenges [from, to). */
  private static void combineRows(
      LigeroCommitment witness, GoldilocksExt2[] challenges, int from, int to, long[][] out) {
    for (int j = from; j < to; j++) {
      out[j] = witness.combine(Statement.powers(challenges[j], witness.rows()));
    }
  }

  static GoldilocksExt2[] betaPowers(GoldilocksExt2 beta, int n) {
    GoldilocksExt2[] out = new GoldilocksExt2[n];
    GoldilocksExt2 x = beta;
    for (int j = 0; j < n; j++) {
      out[j] = x;
      x = x.mul(beta);
    }
    return out;
  }

  /** The stacked witness, row-major (rows × width residues). Padding rows see z = 0. */
  private static long[] buildWitness(ZkModel model, WitnessLayout layout, Trace trace) {
    int width = layout.width;
    long[] w = new long[layout.rowCount * width];
    List<DenseLayer> layers = model.integerModel().layers();
    for (int l = 0; l < layout.firstRow.length; l++) {
      var rq = (LayerOutput.Requantized) layers.get(l).output();
      LayerTrace lt = trace.layers().get(l);
      long[] z = lt.accumulators();
      int lo = rq.activation().low();
      for (int i = 0; i < width; i++) {
        long zi = i < z.length ? z[i] : 0;
        long scaled = rq.multiplier() * zi + rq.roundingOffset();
        long qi = scaled >> rq.shift();
        long ei = scaled - (qi << rq.shift());
        long v = qi - lo;
        long h = Math.floorDiv(v, 256);
        long tt = Math.floorMod(v, 256);
        if (h < -LookupTable.H_LIMIT || h >= LookupTable.H_LIMIT) {
          throw new IllegalStateException(
              "layer " + l + " neuron " + i + ": q = " + qi + " outside the provable range");
        }
        set(w, width, layout.row(l, WitnessLayout.A), i, rq.activation().apply(qi));
        set(w, width, layout.row(l, WitnessLayout.H), i, h);
        set(w, width, layout.row(l, WitnessLayout.T), i, tt);
        set(w, width, layout.row(l, WitnessLayout.SIGMA), i, LookupTable.sign(h));
        int limbBits = LookupTable.LIMB_BITS;
        for (int c = 0; c < layout.limbCount[l]; c++) {
          long limb = (ei >>> (limbBits * c)) & ((1L << limbBits) - 1);
          set(w, width, layout.row(l, WitnessLayout.LIMBS + c), i, limb);
        }
      }
    }
    return w;
  }

  private static void set(long[] w, int width, int row, int i, long signed) {
    w[row * width + i] = Goldilocks.fromSigned(signed);
  }

  private static long[][] countLookups(WitnessLayout layout, long[] witness) {
    int width = layout.width;
    long[][] m = new long[layout.tables.size()][];
    for (int k = 0; k < m.length; k++) {
      m[k] = new long[layout.tables.get(k).size()];
    }
    for (WitnessLayout.Slot slot : layout.slots) {
      long[] counts = m[layout.tableIndex(slot.table())];
      int[] rows = slot.rows();
      for (int i = 0; i < width; i++) {
        long c0 = Goldilocks.toSigned(witness[rows[0] * width + i]) + slot.offsets()[0];
        long c1 =
            rows.length > 1
                ? Goldilocks.toSigned(witness[rows[1] * width + i]) + slot.offsets()[1]
                : 0;
        try {
          counts[slot.table().rowOf(c0, c1)]++;
        } catch (IllegalArgumentException notInTable) {
          // only a tampered witness gets here; its lookup will fail verification
        }
      }
    }
    return m;
  }
}
