package io.vouch.zk.mlp;

import io.vouch.onnx.quant.AveragePoolOp;
import io.vouch.onnx.quant.ConvOp;
import io.vouch.onnx.quant.DenseOp;
import io.vouch.onnx.quant.ElementwiseOp;
import io.vouch.onnx.quant.GatherOp;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.LayerNormOp;
import io.vouch.onnx.quant.MatMulOp;
import io.vouch.onnx.quant.MaxPoolOp;
import io.vouch.onnx.quant.ProductOp;
import io.vouch.onnx.quant.Ranges;
import io.vouch.onnx.quant.SoftmaxOp;
import io.vouch.onnx.quant.TableOp;
import io.vouch.onnx.quant.Trace;
import io.vouch.onnx.quant.WiringOp;
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
import io.vouch.zk.transcript.Transcript;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Proves that a registered {@link ZkModel} maps int8 inputs to its outputs, bound to a request id.
 *
 * <p>Protocol (Fiat–Shamir over one {@link Transcript} that starts with the model id; zk/README.md
 * has the soundness budget):
 *
 * <ol>
 *   <li>Run the {@link IntegerEngine}; lay out the witness ({@link WitnessPlan}) and commit it with
 *       Ligero; send the lookup multiplicities. Draw one output point r* (each op uses its prefix);
 *       the weight folds u = (eq(r_c)·ε)^T·W and the witness rows at r* start on the helper core.
 *   <li>LogUp: challenges β, α; the fractional-sum GKR over all lookups ends at ρ; send every
 *       looked-up row at ρ's first log B coordinates.
 *   <li>Send the rows the ops need at r*: every op's output claim follows from them (the
 *       requantization identity gives ε⊙z at r*; MaxPool and wiring outputs are committed).
 *   <li>Per op, in order, its relation: Dense and Conv send their folds (digest absorbed), draw
 *       their weight matrix's opening challenges (56 column queries; a grouped Conv's group
 *       combination first) and run a degree-2 sum-check over the input (none for a dense layer on a
 *       public input); pooling, elementwise and wiring run theirs with public structure; MaxPool
 *       adds a zero-check Σ eq(r*, i)·Π_k d_k(i) = 0. Each sum-check ends in rows sent at its
 *       point.
 *   <li>Open the witness at all points at once: a proximity row, one sum-check that reduces every
 *       point's claim (batched with λ) to one point ρ, one combined row opened there, 262 column
 *       queries; and each weight matrix at its fold, at the queries drawn with it.
 * </ol>
 *
 * <p>v1 is NOT zero-knowledge: the proof reveals combinations of weights and activations.
 */
public final class ZkProver {
  private ZkProver() {}

  public static ProvedInference prove(ZkModel model, byte[] requestId, byte[] input) {
    return prove(model, requestId, input, UnaryOperator.identity());
  }

  /**
   * Proves with the witness matrix passed through {@code tampering} before it is committed: how a
   * cheating prover commits to values other than the honest ones. For soundness tests only.
   */
  static ProvedInference prove(
      ZkModel model, byte[] requestId, byte[] input, UnaryOperator<long[]> tampering) {
    return new Run(model, requestId, input, tampering, null).prove();
  }

  /**
   * Proves honestly but sends every message after the lookup GKR through {@code lies} (label,
   * values): how a cheating prover claims values other than the ones it computed. For soundness
   * tests only.
   */
  static ProvedInference proveLying(
      ZkModel model,
      byte[] requestId,
      byte[] input,
      java.util.function.BiFunction<String, long[], long[]> lies) {
    return new Run(model, requestId, input, UnaryOperator.identity(), lies).prove();
  }

  /**
   * The reference engine's heaviest loops on the prover's two cores: the same trace, bit for bit,
   * as {@link IntegerEngine#trace(IntegerModel, byte[])} (each value written by one range).
   */
  static final Ranges TWO_CORES =
      (n, work) ->
          Parallel.forRange(n, Math.max(1, (n + 15) / 16), (from, to, who) -> work.run(from, to));

  private static final class Run {
    final ZkModel zk;
    final IntegerModel model;
    final WitnessPlan plan;
    final int first;
    final int width;
    final int b;
    final Trace trace;
    final long[] logits;
    final Transcript t;
    final Messages out;
    final byte[][] inputs; // public tensors by id
    long[] witness;
    LigeroCommitment commitment;
    final List<PointGroup> groups = new ArrayList<>();
    // wiring tables held until every wiring read of their input is in (wiringSumCheck)
    final java.util.Map<Integer, List<long[]>> pendingWiring = new java.util.HashMap<>();
    GoldilocksExt2[] rStar;
    long[][] folds; // per op with weights: the fold(s), interleaved K, groups concatenated
    byte[][] foldDigests;
    long[][] foldCoefficients;
    final int[] weighted; // per op: its weight matrix, or −1
    final int[][] weightQueries; // per weight matrix: its opening's columns

    Run(
        ZkModel zk,
        byte[] requestId,
        byte[] input,
        UnaryOperator<long[]> tampering,
        java.util.function.BiFunction<String, long[], long[]> lies) {
      this.zk = zk;
      this.model = zk.integerModel();
      this.plan = zk.plan();
      this.first = model.inputs().size();
      this.width = plan.width;
      this.b = plan.logWidth;
      this.trace = IntegerEngine.trace(model, input, TWO_CORES);
      this.logits = trace.logits();
      this.t = Statement.transcript(zk.verifyingKey(), zk.modelId(), requestId, input, logits);
      this.out = Messages.writer(t, lies);
      this.inputs = Relations.publicValues(plan, input);
      this.witness = tampering.apply(Witness.build(plan, trace));
      this.weighted = Relations.weightIndex(model);
      this.weightQueries = new int[zk.weightCount()][];
    }

    ProvedInference prove() {
      // 1. witness
      int rows = plan.rowCount;
      // the witness is only read from here on: the commitment keeps it without a copy
      commitment =
          LigeroCommitment.commitOwned(
              witness,
              rows,
              width,
              Ligero.leafColumns(rows, width, Ligero.WITNESS_BLOWUP),
              Ligero.WITNESS_BLOWUP);
      byte[] root = commitment.root();
      t.absorb("witness/root", root);
      var multiplicities = Witness.countLookups(plan, witness);
      byte[][] multiplicityBytes = new byte[multiplicities.length][];
      for (int k = 0; k < multiplicities.length; k++) {
        multiplicityBytes[k] = multiplicities[k].encode();
        t.absorb("lookup/multiplicities", multiplicityBytes[k]);
      }
      rStar = t.challengeExts("graph/output-point", plan.outputPointBits);
      // the rows at the output point: a point group per storage order (Opening)
      List<List<WitnessPlan.Vec>> outParts =
          new ArrayList<>(Opening.split(Relations.outputPointVectors(plan)).values());
      int[][] outRows = new int[outParts.size()][];
      GoldilocksExt2[][] outLows = new GoldilocksExt2[outParts.size()][];
      for (int k = 0; k < outRows.length; k++) {
        outRows[k] = PointGroup.rowsOf(outParts.get(k));
        outLows[k] = Opening.low(outParts.get(k), rStar, b);
      }
      Background background = Background.start(this, outRows, outLows);

      // 2. LogUp
      GoldilocksExt2 beta = t.challengeExt("lookup/beta");
      GoldilocksExt2 alpha = t.challengeExt("lookup/alpha");
      List<FractionalSumGkr.Proof> gkrs = new ArrayList<>();
      List<GoldilocksExt2[]> rhos = new ArrayList<>();
      var denominators = new java.util.HashMap<io.vouch.zk.lookup.Table, long[]>();
      for (WitnessPlan.Instance instance : plan.instances) {
        long[] q = Witness.lookupLeaves(plan, instance, witness, alpha, beta, denominators);
        FractionalSumGkr.Proved gkr = FractionalSumGkr.proveUnitNumerators(t, q);
        gkrs.add(gkr.proof());
        rhos.add(gkr.leafPoint());
      }
      long[][] lookupEvals = new long[rhos.size()][];
      int[][] lookupRows = new int[rhos.size()][];
      for (int i = 0; i < rhos.size(); i++) {
        lookupRows[i] = PointGroup.rowsOf(Relations.lookupVectors(plan, plan.instances.get(i)));
        lookupEvals[i] = rowEvaluations(Relations.prefix(rhos.get(i), b), lookupRows[i]);
      }
      background.finish();
      for (int i = 0; i < rhos.size(); i++) {
        send(
            "witness/lookup-rows", Relations.prefix(rhos.get(i), b), lookupRows[i], lookupEvals[i]);
      }

      // 3. rows at the output point
      for (int k = 0; k < outRows.length; k++) {
        send("witness/output-rows", outLows[k], outRows[k], background.outEvals[k]);
      }

      // 4. relations
      for (int j = 0; j < model.ops().size(); j++) {
        proveOp(j);
      }
      if (!pendingWiring.isEmpty()) {
        throw new IllegalStateException("wiring reads of " + pendingWiring.keySet() + " unproved");
      }
      // 5. openings
      int points = groups.size();
      GoldilocksExt2[] gammas = t.challengeExts("witness/row-combination", points);
      GoldilocksExt2 xi = t.challengeExt("witness/proximity");
      long[][] combined = new long[points + 1][];
      long[][] coefficients = new long[points + 1][];
      for (int p = 0; p < points; p++) {
        coefficients[p] = groupCoefficients(groups.get(p), gammas[p], rows);
      }
      coefficients[points] = Statement.powers(xi, rows);
      // the proximity row combines every row (on both cores); the points' only their groups' rows
      combined[points] = commitment.combine(coefficients[points]);
      Parallel.forRange(
          points, 1, (from, to, who) -> combine(commitment, coefficients, from, to, combined));
      out.send("witness/proximity-row", combined[points]);
      // the points' claims batched with λ and reduced to one point ρ by a sum-check over the
      // row domain: Σ_p λ_p·Σ_x c_p(x)·eq(low_p, x), c_p the point's combined row
      GoldilocksExt2[] lambda = t.challengeExts("witness/point-combination", points);
      GoldilocksExt2[][] lows = new GoldilocksExt2[points][];
      GoldilocksExt2[] claims = new GoldilocksExt2[points];
      for (int p = 0; p < points; p++) {
        PointGroup g = groups.get(p);
        lows[p] = g.low;
        // c̃_p(low_p) = Σ_k γ_p^k·(row k at low_p): the evaluations sent
        GoldilocksExt2 x = GoldilocksExt2.ONE;
        claims[p] = GoldilocksExt2.ZERO;
        for (int k = 0; k < g.rows.length; k++) {
          claims[p] = claims[p].add(x.mul(GoldilocksExt2.at(g.evaluations, k)));
          x = x.mul(gammas[p]);
        }
      }
      // the combined rows are folded in place: they are not needed after the sum-check
      SumCheck.Proved batch =
          SumCheck.proveEqWeighted(t, Arrays.copyOf(combined, points), lows, lambda, claims);
      out.sendSumCheck(batch.proof());
      // the one row opened at ρ: u = G·M with G[row] = Σ_{p,k: row k of p} λ_p·eq(low_p, ρ)·γ_p^k
      // (as the verifier computes G), combined by the commitment's exact small-integer sums
      long[] g = new long[2 * rows];
      for (int p = 0; p < points; p++) {
        GoldilocksExt2 x = lambda[p].mul(batch.finalValues()[2 * p + 1]);
        for (int row : groups.get(p).rows) {
          GoldilocksExt2.at(g, row).add(x).store(g, row);
          x = x.mul(gammas[p]);
        }
      }
      long[] u = commitment.combine(g);
      out.send("witness/combined-row", u);
      int[] witnessQueries =
          t.challengeIndices(
              "witness/columns", width * Ligero.WITNESS_BLOWUP, Ligero.QUERIES_WITNESS);
      int weightCount = zk.weightCount();
      // the witness's and every weight matrix's opening, one per chunk, pulled by both cores
      LigeroColumns[] weightColumns = new LigeroColumns[weightCount];
      LigeroColumns[] witnessOpened = new LigeroColumns[1];
      Parallel.forRange(
          weightCount + 1,
          1,
          (from, to, who) -> {
            for (int w = from; w < to; w++) {
              if (w == 0) {
                witnessOpened[0] = commitment.open(witnessQueries); // the largest, first
              } else {
                weightColumns[w - 1] = zk.weightCommitment(w - 1).open(weightQueries[w - 1]);
              }
            }
          });
      LigeroColumns witnessColumns = witnessOpened[0];
      ZkProof proof =
          new ZkProof(
              root,
              multiplicities,
              multiplicityBytes,
              gkrs,
              out.written(),
              witnessColumns,
              weightColumns);
      return new ProvedInference(logits, proof);
    }

    /** γ^k on the k-th row of the group, zero elsewhere. */
    static long[] groupCoefficients(PointGroup g, GoldilocksExt2 gamma, int rows) {
      long[] c = new long[2 * rows];
      GoldilocksExt2 x = GoldilocksExt2.ONE;
      for (int row : g.rows) {
        x.store(c, row);
        x = x.mul(gamma);
      }
      return c;
    }

    static void combine(
        LigeroCommitment c, long[][] coefficients, int from, int to, long[][] combined) {
      for (int j = from; j < to; j++) {
        combined[j] = c.combine(coefficients[j]);
      }
    }

    /** ⟨M[row], eq(low, ·)⟩ for every given row. */
    long[] rowEvaluations(GoldilocksExt2[] low, int[] rows) {
      return commitment.evaluateRows(rows, Multilinear.eqTable(low));
    }

    PointGroup send(String label, GoldilocksExt2[] low, int[] rows, long[] evals) {
      out.send(label, evals);
      PointGroup g = new PointGroup(low, rows, evals);
      groups.add(g);
      return g;
    }

    /**
     * Opens the given vectors at a point z of their layouts' coordinates: a new point group per
     * storage order among them ({@link Opening}).
     */
    void open(GoldilocksExt2[] z, List<WitnessPlan.Vec> vectors) {
      for (List<WitnessPlan.Vec> part : Opening.split(vectors).values()) {
        GoldilocksExt2[] low = Opening.low(part, z, b);
        int[] rows = PointGroup.rowsOf(part);
        send("witness/evaluations", low, rows, rowEvaluations(low, rows));
      }
    }

    /**
     * A committed vector's values over its domain in its layout's order (zeros beyond its rows),
     * residues: a transposed vector's stored index s·C + c read back to c·T + s.
     */
    long[] vectorValues(WitnessPlan.Vec v) {
      return layoutOrder(v, 1);
    }

    /**
     * {@link #vectorValues} as an interleaved K vector (each value its real part), written in one
     * pass: what a sum-check over the vector takes, without the base vector and its copy.
     */
    long[] liftedVector(WitnessPlan.Vec v) {
      return layoutOrder(v, 2);
    }

    /** A vector's values in its layout's order, value i at index spread·i (1: base, 2: K). */
    private long[] layoutOrder(WitnessPlan.Vec v, int spread) {
      long[] out = new long[spread << v.domainBits()];
      int from = v.firstRow() * width;
      int stored = v.rows() * width;
      if (v.rotation() == 0 && spread == 1) {
        System.arraycopy(witness, from, out, 0, stored);
        return out;
      }
      int strideBits = v.rotation();
      if (strideBits == 0) {
        for (int q = 0; q < stored; q++) {
          out[spread * q] = witness[from + q];
        }
        return out;
      }
      // stored index q = s·C + c read back to c·T + s, in tiles of TILE channels: each stored
      // cache line is read once and the TILE destination lines are written in order (a plain
      // loop over q writes every value to another line, 2^strideBits values apart)
      int channelBits = v.domainBits() - strideBits;
      int channels = 1 << channelBits;
      int tile = Math.min(TILE, channels);
      int whole = stored >>> channelBits; // spatial positions whose C channels are all stored
      for (int c0 = 0; c0 < channels; c0 += tile) {
        for (int sp = 0; sp < whole; sp++) {
          int q = from + (sp << channelBits) + c0;
          for (int c = 0; c < tile; c++) {
            out[spread * ((c0 + c) << strideBits | sp)] = witness[q + c];
          }
        }
      }
      for (int q = whole << channelBits; q < stored; q++) {
        int c = q & (channels - 1), sp = q >>> channelBits;
        out[spread * (c << strideBits | sp)] = witness[from + q];
      }
      return out;
    }

    /**
     * Channels per tile of {@link #layoutOrder}'s transposed read-back: one cache line of longs.
     */
    private static final int TILE = 8;

    /** {@link #tensorValues} as an interleaved K vector ({@link #liftedVector}). */
    long[] liftedTensor(int id) {
      if (plan.isPublic(id)) {
        return Multilinear.lift(Relations.physical(plan.layoutOf(id), inputs[id]));
      }
      return liftedVector(plan.valuesOf(id));
    }

    /** Tensor {@code id}'s values over its domain: public or committed. */
    long[] tensorValues(int id) {
      if (plan.isPublic(id)) {
        return Relations.physical(plan.layoutOf(id), inputs[id]);
      }
      return vectorValues(plan.valuesOf(id));
    }

    /**
     * Proves Σ_x g(x)·X(x) over tensor {@code id}'s domain (g an interleaved K table of that size,
     * consumed) and opens X at the end point (a public X needs no opening).
     */
    void sumCheckAgainst(int id, long[] g) {
      long[] x = liftedTensor(id);
      SumCheck.Proved proved = SumCheck.proveProduct(t, g, x);
      out.sendSumCheck(proved.proof());
      if (!plan.isPublic(id)) {
        open(proved.point(), List.of(plan.valuesOf(id)));
      }
    }

    /**
     * The weight matrix's opening challenges, drawn as soon as its folded row is sent (format 10):
     * the row and its coefficients (from the output point) are fixed, and the matrix was committed
     * at registration, so nothing later in the transcript bears on them; the verifier checks the
     * opening beside the rest of the replay.
     */
    void drawWeightQueries(int j) {
      int w = weighted[j];
      int groupsOf = Relations.groups(model.ops().get(j));
      if (groupsOf > 1) {
        t.challengeExts("weights/group-combination", groupsOf);
      }
      weightQueries[w] =
          t.challengeIndices(
              "weights/columns",
              zk.weightCommitment(w).columns() * Ligero.BLOWUP,
              Ligero.QUERIES_REGISTERED);
    }

    void proveOp(int j) {
      if (plan.isPublic(model.tensorOf(j))) {
        return; // computed by the verifier from the statement's input
      }
      IntegerOp op = model.ops().get(j);
      int id = model.tensorOf(j);
      WitnessPlan.Layout lo = plan.layoutOf(id);
      GoldilocksExt2[] r = Relations.prefix(rStar, lo.domainBits());
      switch (op) {
        case DenseOp d -> {
          out.sendDigested("layer/folded-weights", folds[j], foldDigests[j]);
          drawWeightQueries(j);
          if (!plan.isPublic(d.input())) {
            int k = plan.layoutOf(d.input()).domainBits();
            long[] g =
                d.rows() > 1
                    ? Relations.denseRowsTable(plan, d, j, folds[j], r)
                    : Arrays.copyOf(folds[j], 2 << k);
            sumCheckAgainst(d.input(), g);
          }
        }
        case MatMulOp mm -> proveMatMul(j, mm, r);
        case ProductOp p -> {
          // Σ_i ε·eq(r, i)·x(i)·y(i) = (ε⊙z)~(r)
          long eps = p.requantization().multiplier(0);
          long[] x = liftedTensor(p.left());
          long[] y = liftedTensor(p.right());
          SumCheck.Proved proved =
              SumCheck.proveEqProductOf(t, r, GoldilocksExt2.of(eps), new long[][] {x, y});
          out.sendSumCheck(proved.proof());
          openTensors(proved.point(), p.left(), p.right());
        }
        case ConvOp c -> {
          out.sendDigested("layer/folded-weights", folds[j], foldDigests[j]);
          drawWeightQueries(j);
          sumCheckAgainst(c.input(), convTable(c, j, r));
        }
        case AveragePoolOp a ->
            sumCheckAgainst(
                a.input(),
                poolTable(j, a.input(), a.window(), lo, r, a.positionWeightsView(), null, a));
        case MaxPoolOp m -> {
          int kernel = m.window().kernelSize();
          if (plan.fusedPool(j)) {
            // the requantization of the pooled accumulators y: Σ_i eq(r, i)·ε_c(i)·y(i) = (ε⊙y)~(r)
            WitnessPlan.Vec yv = plan.vectors[j][plan.poolY(j)];
            long[] g = Relations.scaledEq(lo, r, plan.pooledRq[j]);
            SumCheck.Proved link = SumCheck.proveProduct(t, g, liftedVector(yv));
            out.sendSumCheck(link.proof());
            open(link.point(), List.of(yv));
          }
          GoldilocksExt2[] lambda = t.challengeExts("maxpool/lambda", kernel);
          sumCheckAgainst(m.input(), poolTable(j, m.input(), m.window(), lo, r, null, lambda, m));
          // zero-check: Σ_i eq(r, i)·Π_k d_k(i) = 0, d_k = Σ_c 2^(20c)·(limb c of d_k)
          long[][] tables = new long[kernel][];
          List<WitnessPlan.Vec> ds = new ArrayList<>();
          int nd = plan.diffLimbs(j);
          for (int k = 0; k < kernel; k++) {
            List<WitnessPlan.Vec> limbs =
                Arrays.asList(plan.vectors[j]).subList(plan.poolD(j, k), plan.poolD(j, k) + nd);
            for (int c = nd - 1; c >= 0; c--) {
              ds.add(limbs.get(c));
            }
            tables[k] = Multilinear.lift(limbValues(limbs));
          }
          SumCheck.Proved zero = SumCheck.proveEqProductOf(t, r, GoldilocksExt2.ONE, tables);
          out.sendSumCheck(zero.proof());
          open(zero.point(), ds);
        }
        case ElementwiseOp e -> {
          int[] in = e.inputs();
          List<Integer> spread = new ArrayList<>();
          for (int i = 0; i < in.length; i++) {
            if (!Relations.uniformInput(e, i)) {
              spread.add(i);
            }
          }
          if (!spread.isEmpty()) {
            long[][] tables = new long[spread.size()][];
            long[] partial = new long[2 * spread.size()];
            long[] eqR = Multilinear.eqTable(r);
            for (int s = 0; s < spread.size(); s++) {
              int i = spread.get(s);
              long[] m = Relations.elementwiseMultipliers(e, i);
              long[] g = new long[eqR.length];
              int spatial = lo.spatial();
              for (int v = 0; v < lo.size(); v++) {
                int p = lo.physical(v);
                long mc = m[v / spatial];
                g[2 * p] = Goldilocks.mul(eqR[2 * p], mc);
                g[2 * p + 1] = Goldilocks.mul(eqR[2 * p + 1], mc);
              }
              tables[s] = g;
              Multilinear.innerProductBase(tensorValues(in[i]), g).store(partial, s);
            }
            out.send("elementwise/partial-sums", partial);
            for (int s = 0; s < spread.size(); s++) {
              sumCheckAgainst(in[spread.get(s)], tables[s]);
            }
          }
        }
        case TableOp table -> {} // its (x, y) lookups are its relation
        case GatherOp g -> {} // always public
        case SoftmaxOp sm -> proveSoftmax(j, sm, r);
        case LayerNormOp ln -> proveLayerNorm(j, ln, r);
        case WiringOp w -> {
          int[] in = w.inputs();
          long[] eqR = Multilinear.eqTable(r);
          long[][] tables = new long[in.length][];
          long[] partial = new long[2 * in.length];
          for (int i = 0; i < in.length; i++) {
            tables[i] = new long[2 << plan.layoutOf(in[i]).domainBits()];
          }
          for (int v = 0; v < w.outputShape().size(); v++) {
            int s = w.sourceInputAt(v);
            if (s < 0) {
              continue;
            }
            int p = lo.physical(v);
            int q = plan.layoutOf(in[s]).physical(w.sourceIndexAt(v));
            long[] g = tables[s];
            g[2 * q] = Goldilocks.add(g[2 * q], eqR[2 * p]);
            g[2 * q + 1] = Goldilocks.add(g[2 * q + 1], eqR[2 * p + 1]);
          }
          for (int i = 0; i < in.length; i++) {
            Multilinear.innerProductBase(tensorValues(in[i]), tables[i]).store(partial, i);
          }
          out.send("wiring/partial-sums", partial);
          for (int i = 0; i < in.length; i++) {
            if (!plan.isPublic(in[i])) {
              wiringSumCheck(in[i], tables[i]);
            }
          }
        }
      }
    }

    /**
     * A wiring op's sum-check against its input {@code id} (g its table, consumed), batched with
     * the other wiring reads of that tensor (format 12): held until the last of them ({@link
     * WitnessPlan#wiringReaders}), then with μ drawn, one sum-check of Σ_k μ^k·g_k against it —
     * their claims were all sent before μ.
     */
    void wiringSumCheck(int id, long[] g) {
      List<long[]> pending = pendingWiring.computeIfAbsent(id, k -> new ArrayList<>());
      pending.add(g);
      if (pending.size() < plan.wiringReaders[id]) {
        return;
      }
      pendingWiring.remove(id);
      long[] batched = pending.get(0);
      if (pending.size() > 1) {
        GoldilocksExt2 mu = t.challengeExt("wiring/batch");
        GoldilocksExt2 power = mu;
        for (int k = 1; k < pending.size(); k++) {
          long[] gk = pending.get(k);
          long p0 = power.c0(), p1 = power.c1();
          for (int i = 0; i < batched.length; i += 2) {
            long g0 = gk[i], g1 = gk[i + 1];
            batched[i] = GoldilocksExt2.mulAdd0(batched[i], g0, g1, p0, p1);
            batched[i + 1] = GoldilocksExt2.mulAdd1(batched[i + 1], g0, g1, p0, p1);
          }
          power = power.mul(mu);
        }
      }
      sumCheckAgainst(id, batched);
    }

    /** Σ_c 2^(20c)·limb_c value by value, limb 0 the lowest (a value committed in 20-bit limbs). */
    long[] limbValues(List<WitnessPlan.Vec> limbs) {
      long[] value = vectorValues(limbs.get(limbs.size() - 1));
      for (int c = limbs.size() - 2; c >= 0; c--) {
        long[] limb = vectorValues(limbs.get(c));
        for (int i = 0; i < value.length; i++) {
          value[i] =
              Goldilocks.add(
                  Goldilocks.mul(value[i], 1L << LookupTable.REMAINDER_LIMB_BITS), limb[i]);
        }
      }
      return value;
    }

    /** Opens the committed ones among the given tensors at z, as one point group. */
    void openTensors(GoldilocksExt2[] z, int... ids) {
      List<WitnessPlan.Vec> vs = new ArrayList<>();
      for (int id : ids) {
        if (!plan.isPublic(id)) {
          vs.add(plan.valuesOf(id));
        }
      }
      if (!vs.isEmpty()) {
        open(z, vs);
      }
    }

    /**
     * A matrix product's relation: with r = (r_l, r_i, r_b) the output point's fields, Σ_{j,b}
     * E(b)·A(j, b)·B(j, b) = (ε⊙z)~(r) where E = ε·eq(r_b, b)·eq(r_rest, 0), A(j, b) = Σ_i eq(r_i,
     * i)·L[b, i, j] and B(j, b) = Σ_l eq(r_l, l)·R[b, j, l]; it ends in L at (ρ_j, r_i, ρ_b) and R
     * at (r_l, ρ_j, ρ_b).
     */
    void proveMatMul(int j, MatMulOp mm, GoldilocksExt2[] r) {
      MatrixBits lb = MatrixBits.of(plan.layoutOf(mm.left()), mm.batch(), mm.m(), mm.k());
      MatrixBits rb = MatrixBits.of(plan.layoutOf(mm.right()), mm.batch(), mm.k(), mm.n());
      MatrixBits zb = MatrixBits.of(plan.layoutOf(model.tensorOf(j)), mm.batch(), mm.m(), mm.n());
      int jBits = lb.colBits(), bBits = zb.batchBits();
      int size = 1 << (jBits + bBits);
      long[] eqB = Multilinear.eqTable(zb.batches(r));
      long[] eqI = Multilinear.eqTable(zb.rows(r));
      long[] eqL = Multilinear.eqTable(zb.cols(r));
      GoldilocksExt2 scale = zb.outside(r).mulBase(mm.requantization().multiplier(0));
      long[] e = new long[2 * size], a = new long[2 * size], bt = new long[2 * size];
      for (int b = 0; b < 1 << bBits; b++) {
        GoldilocksExt2 v = GoldilocksExt2.at(eqB, b).mul(scale);
        for (int jj = 0; jj < 1 << jBits; jj++) {
          v.store(e, jj + (b << jBits));
        }
      }
      byte[] left = int8(mm.left()), right = int8(mm.right());
      int m = mm.m(), k = mm.k(), n = mm.n();
      for (int b = 0; b < mm.batch(); b++) {
        for (int i = 0; i < m; i++) {
          long q0 = eqI[2 * i], q1 = eqI[2 * i + 1];
          int base = (b * m + i) * k;
          for (int jj = 0; jj < k; jj++) {
            long x = Goldilocks.fromSigned(left[base + jj]);
            int at = 2 * (jj + (b << jBits));
            a[at] = Goldilocks.add(a[at], Goldilocks.mul(q0, x));
            a[at + 1] = Goldilocks.add(a[at + 1], Goldilocks.mul(q1, x));
          }
        }
        for (int jj = 0; jj < k; jj++) {
          int base = (b * k + jj) * n;
          int at = 2 * (jj + (b << jBits));
          for (int l = 0; l < n; l++) {
            long x = Goldilocks.fromSigned(right[base + l]);
            bt[at] = Goldilocks.add(bt[at], Goldilocks.mul(eqL[2 * l], x));
            bt[at + 1] = Goldilocks.add(bt[at + 1], Goldilocks.mul(eqL[2 * l + 1], x));
          }
        }
      }
      SumCheck.Proved proved = SumCheck.proveProductOf(t, new long[][] {e, a, bt});
      out.sendSumCheck(proved.proof());
      GoldilocksExt2[] rhoJ = Relations.prefix(proved.point(), jBits);
      GoldilocksExt2[] rhoB = Relations.range(proved.point(), jBits, jBits + bBits);
      openTensors(lb.point(rhoJ, zb.rows(r), rhoB), mm.left());
      openTensors(rb.point(zb.cols(r), rhoJ, rhoB), mm.right());
    }

    /**
     * A softmax's relations (zk/README.md, proof format 12): m and the per-row remainders' limbs at
     * the rows of r; e and the selector s at (½, rows of r) for their row sums; the degree-3
     * zero-check Σ_i eq(r, i)·s(i)·(d(i) + PAD·[i holds no value]) = 0 ending in s and d at its
     * point (so s is 0 wherever no value is, the cube's empty rows and beyond it included); the
     * degree-3 sum-check Σ_i (eq(r, i) + λ·eq(r_rows, row(i)))·R(row(i))·(e(i) + u(i)) = (2^K·y +
     * rem − 2^(K−1)·[value])~(r) + λ·(Q·2^K·[row real] − r1)~(r_rows) — the division value by value
     * and E·R + r1 = Q·2^K row by row (u: 1 at column 0 of the cube's rows that hold none, so R +
     * r1 = 0 there) — ending in e at its point and R at its rows.
     */
    void proveSoftmax(int j, SoftmaxOp sm, GoldilocksExt2[] r) {
      WitnessPlan.Layout lo = plan.layoutOf(model.tensorOf(j));
      MatrixBits mb = MatrixBits.of(lo, sm.batch(), sm.rows(), sm.length());
      WitnessPlan.Vec[] v = plan.vectors[j];
      WitnessPlan.Vec mVec = v[v.length - 1];
      int cb = mb.colBits();
      GoldilocksExt2[] rRows = mb.rowsAndBatches(r);
      // the limbs of r1 and of E − 1 − r1, and m, at r's rows
      open(
          Relations.padded(rRows, mVec.domainBits()),
          Arrays.asList(v).subList(WitnessPlan.smRowRemainder(sm), v.length));
      GoldilocksExt2[] half = Relations.half(cb);
      WitnessPlan.Vec eVec = v[WitnessPlan.SM_E];
      WitnessPlan.Vec sVec = v[WitnessPlan.smSelector(sm)];
      WitnessPlan.Vec dVec = v[WitnessPlan.SM_D];
      List<WitnessPlan.Vec> recipVecs =
          Arrays.asList(v).subList(WitnessPlan.smReciprocal(sm), WitnessPlan.smRowRemainder(sm));
      // the row sums of e (E) and of the selector (1 on every real row) at r's rows
      open(mb.point(half, mb.rows(r), mb.batches(r)), List.of(eVec, sVec));
      int n = sm.length();
      // zero-check value by value: Σ_i eq(r, i)·s(i)·(d(i) + PAD·[i holds no value]) = 0
      long[] dPadded = vectorValues(dVec);
      long pad = Relations.SELECTOR_PAD;
      for (int i = 0; i < dPadded.length; i++) {
        if (!mb.isValue(i, sm.batch(), sm.rows(), n)) {
          dPadded[i] = Goldilocks.add(dPadded[i], pad);
        }
      }
      long[] eqR = Multilinear.eqTable(r);
      SumCheck.Proved selected =
          SumCheck.proveEqProductOf(
              t,
              r,
              GoldilocksExt2.ONE,
              new long[][] {liftedVector(sVec), Multilinear.lift(dPadded)});
      out.sendSumCheck(selected.proof());
      open(selected.point(), List.of(sVec, dVec));
      // the products: Σ_i (eq(r, i) + λ·eq(r_rows, row(i)))·R(row(i))·e(i) over the matrices' cube
      GoldilocksExt2 lambda = t.challengeExt("softmax/lambda");
      long[] eqRows = Multilinear.eqTable(rRows);
      long[] reciprocals = limbValues(recipVecs);
      long[] a = eqR;
      long[] big = new long[2 << lo.domainBits()];
      for (int b = 0; b < 1 << mb.batchBits(); b++) {
        for (int i = 0; i < 1 << mb.rowBits(); i++) {
          int row = i | (b << mb.rowBits());
          GoldilocksExt2 w = GoldilocksExt2.at(eqRows, row).mul(lambda);
          long w0 = w.c0(), w1 = w.c1();
          long reciprocal = reciprocals[row];
          for (int jj = 0; jj < (1 << cb); jj++) {
            int p = mb.physical(b, i, jj);
            a[2 * p] = Goldilocks.add(a[2 * p], w0);
            a[2 * p + 1] = Goldilocks.add(a[2 * p + 1], w1);
            big[2 * p] = reciprocal;
          }
        }
      }
      // e + u, u = 1 at column 0 of each of the cube's rows that holds none: there E + 1 times R
      // plus r1 must be 0, which pins R = r1 = 0 (nothing committed is left free)
      long[] eu = liftedVector(eVec);
      for (int b = 0; b < 1 << mb.batchBits(); b++) {
        for (int i = 0; i < 1 << mb.rowBits(); i++) {
          if (b >= sm.batch() || i >= sm.rows()) {
            int p = mb.physical(b, i, 0);
            eu[2 * p] = Goldilocks.add(eu[2 * p], 1);
          }
        }
      }
      SumCheck.Proved products = SumCheck.proveProductOf(t, new long[][] {a, big, eu});
      out.sendSumCheck(products.proof());
      GoldilocksExt2[] rho = products.point();
      open(rho, List.of(eVec));
      open(Relations.padded(mb.rowsAndBatches(rho), recipVecs.get(0).domainBits()), recipVecs);
    }

    /**
     * A layer normalization's relations (zk/README.md): the rows' sum of squares q* at the rows of
     * r sent; the per-row identities V + E = σ² + s1 and 2^K = σ·ρ + r1 (V = L²·Q − L·S²) in one
     * degree-3 sum-check over the rows, ending in the packed row limbs (sent, batched at τ) and the
     * row sums (x at (½, rows)); then one degree-3 sum-check over the values for both the outputs z
     * = g·(L·x − S)·ρ + b and q*, ending in x, the row sums and ρ at its point.
     */
    void proveLayerNorm(int j, LayerNormOp ln, GoldilocksExt2[] r) {
      WitnessPlan.Layout lo = plan.layoutOf(model.tensorOf(j));
      MatrixBits mb = MatrixBits.of(lo, ln.batch(), ln.rows(), ln.length());
      WitnessPlan.Vec packed = plan.vectors[j][plan.vectors[j].length - 1];
      int cb = mb.colBits(), rowBits = mb.rowBits() + mb.batchBits();
      int cube = 1 << rowBits;
      GoldilocksExt2[] rRows = Relations.range(r, cb, cb + rowBits);
      byte[] x = int8(ln.input());
      int n = ln.length();
      long[] sums = new long[2 * cube], sigmas = new long[2 * cube], s1s = new long[2 * cube];
      long[] rhos = new long[2 * cube], r1s = new long[2 * cube];
      long[] squares = new long[cube];
      long two = 1L << ln.precision();
      for (int b = 0; b < ln.batch(); b++) {
        for (int i = 0; i < ln.rows(); i++) {
          int row = i | (b << mb.rowBits());
          int base = (b * ln.rows() + i) * n;
          long sum = 0, sq = 0;
          for (int jj = 0; jj < n; jj++) {
            sum += x[base + jj];
            sq += x[base + jj] * x[base + jj];
          }
          long var = (long) n * n * sq - (long) n * sum * sum;
          long sigma = LayerNormOp.isqrt(var + ln.epsilon());
          long rho = two / sigma;
          sums[2 * row] = Goldilocks.fromSigned(sum);
          sigmas[2 * row] = sigma;
          s1s[2 * row] = var + ln.epsilon() - sigma * sigma;
          rhos[2 * row] = rho;
          r1s[2 * row] = two - sigma * rho;
          squares[row] = sq;
        }
      }
      long[] eqRows = Multilinear.eqTable(rRows);
      GoldilocksExt2 qStar = Multilinear.innerProductBase(squares, eqRows);
      long[] qSent = new long[2];
      qStar.store(qSent, 0);
      out.send("layernorm/square-sum", qSent);
      GoldilocksExt2 lambda = t.challengeExt("layernorm/lambda");
      SumCheck.Proved rowsProved =
          SumCheck.prove(
              t,
              RowPolynomials.rowIdentity(n, lambda),
              new long[][] {
                eqRows.clone(), sums.clone(), sigmas.clone(), s1s.clone(), rhos.clone(), r1s.clone()
              });
      out.sendSumCheck(rowsProved.proof());
      GoldilocksExt2[] rhoRow = rowsProved.point();
      sendRowValues(ln, packed, cube, rhoRow);
      GoldilocksExt2[] half = Relations.half(cb);
      openTensors(mb.point(half, mb.rowsOf(rhoRow), mb.batchesOf(rhoRow)), ln.input());
      // the outputs and q* in one sum-check over the values
      GoldilocksExt2 mu = t.challengeExt("layernorm/mu");
      int size = 1 << lo.domainBits();
      long[] eqR = Multilinear.eqTable(r);
      long eps = ln.requantization().multiplier(0);
      long[] g = ln.gamma();
      long[][] tables = new long[5][2 * size];
      long[] xs = liftedTensor(ln.input());
      for (int b = 0; b < 1 << mb.batchBits(); b++) {
        for (int i = 0; i < 1 << mb.rowBits(); i++) {
          int row = i | (b << mb.rowBits());
          for (int jj = 0; jj < 1 << cb; jj++) {
            int p = mb.physical(b, i, jj);
            if (jj < n) {
              long ge = Goldilocks.mul(Goldilocks.fromSigned(g[jj]), eps);
              tables[0][2 * p] = Goldilocks.mul(eqR[2 * p], ge);
              tables[0][2 * p + 1] = Goldilocks.mul(eqR[2 * p + 1], ge);
            }
            tables[1][2 * p] = rhos[2 * row];
            tables[2][2 * p] =
                Goldilocks.sub(Goldilocks.mul(xs[2 * p], Goldilocks.fromSigned(n)), sums[2 * row]);
            tables[3][2 * p] = eqRows[2 * row];
            tables[3][2 * p + 1] = eqRows[2 * row + 1];
          }
        }
      }
      tables[4] = xs;
      SumCheck.Proved values = SumCheck.prove(t, RowPolynomials.outputsAndSquares(mu), tables);
      out.sendSumCheck(values.proof());
      GoldilocksExt2[] rhoE = values.point();
      openTensors(rhoE, ln.input());
      openTensors(mb.point(half, mb.rows(rhoE), mb.batches(rhoE)), ln.input());
      sendRowValues(ln, packed, cube, mb.rowsAndBatches(rhoE));
    }

    /**
     * Sends the packed per-row limbs' values at a point of the rows, then opens the packed vector
     * once at (point, τ): Σ_k eq(τ, k)·v_k must be its value there.
     */
    void sendRowValues(LayerNormOp ln, WitnessPlan.Vec packed, int cube, GoldilocksExt2[] rows) {
      long[] vals = vectorValues(packed);
      long[] eq = Multilinear.eqTable(rows);
      int kinds = WitnessPlan.lnKinds(ln);
      long[] sent = new long[2 * kinds];
      for (int k = 0; k < kinds; k++) {
        long[] part = java.util.Arrays.copyOfRange(vals, k * cube, (k + 1) * cube);
        Multilinear.innerProductBase(part, eq).store(sent, k);
      }
      out.send("layernorm/row-values", sent);
      GoldilocksExt2[] tau = t.challengeExts("layernorm/tau", WitnessPlan.lnKindBits(ln));
      GoldilocksExt2[] z = new GoldilocksExt2[packed.domainBits()];
      java.util.Arrays.fill(z, GoldilocksExt2.ZERO);
      System.arraycopy(rows, 0, z, 0, rows.length);
      System.arraycopy(tau, 0, z, rows.length, tau.length);
      open(z, List.of(packed));
    }

    /** The int8 values of a tensor (logical order): public or from the trace. */
    byte[] int8(int id) {
      return plan.isPublic(id) ? inputs[id] : trace.int8(id);
    }

    /**
     * G[ci·T + s] = Σ_k U[ci, k]·E_k[s] over the input's domain. E is built position-major ({@link
     * SpatialMaps#scatterByPosition}), so each entry of G is one sum over the kernel in lazy form,
     * reduced once, instead of one reduction per kernel position.
     */
    long[] convTable(ConvOp c, int j, GoldilocksExt2[] r) {
      WitnessPlan.Layout in = plan.layoutOf(c.input());
      WitnessPlan.Layout o = plan.layoutOf(model.tensorOf(j));
      var win = c.window();
      int outH = c.outputShape().height(), outW = c.outputShape().width();
      int[][] sources = plan.sources(j);
      long[] eqP = Multilinear.eqTable(Relations.prefix(r, o.strideBits()));
      int stride = in.stride();
      int kernel = win.kernelSize();
      long[] e =
          SpatialMaps.scatterByPosition(
              sources, SpatialMaps.weightedEq(eqP, outH * outW, null), stride);
      int[] live = plan.reached(j);
      int cg = c.groupInputChannels();
      int cols = Relations.weightShape(plan, j)[1];
      long[] u = folds[j];
      long[] g = new long[2 << in.domainBits()];
      for (int ci = 0; ci < in.channels(); ci++) {
        int group = ci / cg, cj = ci % cg;
        int base = ci * stride;
        int uFrom = group * cols + cj * kernel;
        for (int s : live) {
          Multilinear.innerProduct(u, uFrom, e, s * kernel, kernel).store(g, base + s);
        }
      }
      return g;
    }

    /**
     * G[c·T + s] = E_c·eq(r_c, c)·Σ_k λ_k·E_k[s] (λ = 1 and position weights for average pooling;
     * E_c = ε_c of a requantizing op, 1 for MaxPool), the table of a channel-wise window map.
     */
    long[] poolTable(
        int j,
        int input,
        io.vouch.onnx.quant.Window win,
        WitnessPlan.Layout o,
        GoldilocksExt2[] r,
        long[] positionWeights,
        GoldilocksExt2[] lambda,
        IntegerOp op) {
      WitnessPlan.Layout in = plan.layoutOf(input);
      var inShape = model.shapeOf(input);
      int outH = win.outputHeight(inShape.height()), outW = win.outputWidth(inShape.width());
      int[][] sources = plan.sources(j);
      long[] eqP = Multilinear.eqTable(Relations.prefix(r, o.strideBits()));
      long[] eqC = Multilinear.eqTable(Relations.range(r, o.strideBits(), r.length));
      long[][] e =
          SpatialMaps.scatter(
              sources, SpatialMaps.weightedEq(eqP, outH * outW, positionWeights), in.stride());
      long[] sum = new long[2 * in.stride()];
      for (int k = 0; k < e.length; k++) {
        GoldilocksExt2 l = lambda == null ? GoldilocksExt2.ONE : lambda[k];
        for (int s = 0; s < in.stride(); s++) {
          long e0 = e[k][2 * s], e1 = e[k][2 * s + 1];
          sum[2 * s] = Goldilocks.add(sum[2 * s], GoldilocksExt2.mul0(e0, e1, l.c0(), l.c1()));
          sum[2 * s + 1] =
              Goldilocks.add(sum[2 * s + 1], GoldilocksExt2.mul1(e0, e1, l.c0(), l.c1()));
        }
      }
      long[] g = new long[2 << in.domainBits()];
      for (int c = 0; c < in.channels(); c++) {
        long scale = Relations.channelMultiplier(op, c);
        long c0 = Goldilocks.mul(eqC[2 * c], scale), c1 = Goldilocks.mul(eqC[2 * c + 1], scale);
        int base = c * in.stride();
        for (int s = 0; s < in.stride(); s++) {
          g[2 * (base + s)] = GoldilocksExt2.mul0(c0, c1, sum[2 * s], sum[2 * s + 1]);
          g[2 * (base + s) + 1] = GoldilocksExt2.mul1(c0, c1, sum[2 * s], sum[2 * s + 1]);
        }
      }
      return g;
    }
  }

  /**
   * What the second core computes while the first proves the lookups: the weight folds with their
   * transcript digests, and the witness rows at the output point.
   */
  private static final class Background {
    final LigeroCommitment.SharedCombination[] shared;
    final Parallel.Forked<long[][]> result;
    final Run run;
    long[][] outEvals;

    private Background(
        Run run, LigeroCommitment.SharedCombination[] shared, Parallel.Forked<long[][]> result) {
      this.run = run;
      this.shared = shared;
      this.result = result;
    }

    static Background start(Run run, int[][] outRows, GoldilocksExt2[][] outLows) {
      IntegerModel model = run.model;
      int ops = model.ops().size();
      int[] weighted = Relations.weightIndex(model);
      run.folds = new long[ops][];
      run.foldDigests = new byte[ops][];
      run.foldCoefficients = new long[ops][];
      var shared = new LigeroCommitment.SharedCombination[ops];
      for (int j = 0; j < ops; j++) {
        if (weighted[j] < 0) {
          continue;
        }
        int k = run.plan.layoutOf(model.tensorOf(j)).domainBits();
        long[] g = Relations.foldCoefficients(run.plan, j, Relations.prefix(run.rStar, k));
        run.foldCoefficients[j] = g;
        if (Relations.groups(model.ops().get(j)) == 1) {
          shared[j] = run.zk.weightCommitment(weighted[j]).shareCombination(g);
        }
      }
      Parallel.Forked<long[][]> result =
          Parallel.fork(() -> {
            // the rows first: the caller can help with the folds but not with them
            long[][] evals = new long[outRows.length][];
            for (int k = 0; k < evals.length; k++) {
              evals[k] = run.rowEvaluations(outLows[k], outRows[k]);
            }
            for (int j = 0; j < ops; j++) {
              if (weighted[j] < 0) {
                continue;
              }
              long[] u;
              if (shared[j] != null) {
                u = shared[j].finish(0);
              } else {
                ConvOp c = (ConvOp) model.ops().get(j);
                LigeroCommitment w = run.zk.weightCommitment(weighted[j]);
                int per = c.groupOutputChannels();
                int cols = w.columns();
                u = new long[2 * cols * c.groups()];
                for (int g = 0; g < c.groups(); g++) {
                  long[] ug = w.combineRows(run.foldCoefficients[j], g * per, (g + 1) * per);
                  System.arraycopy(ug, 0, u, 2 * cols * g, 2 * cols);
                }
              }
              run.folds[j] = u;
              run.foldDigests[j] = Statement.foldDigest(u);
            }
            return evals;
          });
      return new Background(run, shared, result);
    }

    /** Takes over the fold chunks nobody has started, then waits for the rest. */
    void finish() {
      for (LigeroCommitment.SharedCombination fold : shared) {
        if (fold != null) {
          fold.help(1);
        }
      }
      outEvals = result.join();
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
}
