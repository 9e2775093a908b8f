package io.vouch.zk.mlp;

import io.vouch.onnx.quant.AveragePoolOp;
import io.vouch.onnx.quant.ConvOp;
import io.vouch.onnx.quant.DenseOp;
import io.vouch.onnx.quant.ElementwiseOp;
import io.vouch.onnx.quant.GatherOp;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.LayerNormOp;
import io.vouch.onnx.quant.MatMulOp;
import io.vouch.onnx.quant.MaxPoolOp;
import io.vouch.onnx.quant.ProductOp;
import io.vouch.onnx.quant.SoftmaxOp;
import io.vouch.onnx.quant.TableOp;
import io.vouch.onnx.quant.Window;
import io.vouch.onnx.quant.WiringOp;
import io.vouch.zk.InvalidProofException;
import io.vouch.zk.commit.Ligero;
import io.vouch.zk.exec.DeferredChecks;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.field.Multilinear;
import io.vouch.zk.lookup.FractionalSumGkr;
import io.vouch.zk.sumcheck.SumCheck;
import io.vouch.zk.transcript.Transcript;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies a {@link ZkProof} from public data only: the {@link VerifyingKey} (whose hash is the
 * model id), the 32-byte request id, the int8 inputs and the claimed outputs. It replays the
 * prover's transcript (see {@link ZkProver} for the protocol) and checks, in order: lookup
 * multiplicities against the GKR root, the GKR leaf claim against the looked-up rows, every op's
 * relation (the requantization identity at the output point, then its sum-checks down to its
 * inputs' committed rows or public values), and the Ligero openings of the witness (with the
 * proximity test) and of every weight matrix.
 *
 * <p>Checks whose outcome nothing later reads — the lookup tables' side of the LogUp sum, the
 * structured tables that a dense layer's, convolution's or pooling's sum-check ends in, and the
 * Ligero openings once their queries are drawn — are handed to the prover's helper thread as the
 * verifier meets them ({@link DeferredChecks}), while it goes on replaying the transcript. The
 * verdict and the message are those of the sequential order: when a check fails, the deferred
 * checks met before it are run first, and the earliest failure in that order is the one thrown. The
 * lookup tables' side is computed from the moment α and β are drawn ({@link
 * DeferredChecks#compute}), before the GKRs it is compared with, so the helper has work from the
 * start of the replay; the proof's openings are parsed on it meanwhile ({@link ZkProof#fromBytes}).
 *
 * <p>Every relation the verifier checks is derived from the key alone: the circuit is fixed by the
 * model id, which is the transcript's first message (zk/README.md, "The model is the circuit").
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
    Transcript t = Statement.transcript(key, requestId, input, logits);
    try {
      new Check(key, input, logits, proof, t).run();
    } catch (ArithmeticException | IndexOutOfBoundsException | IllegalStateException e) {
      // a zero denominator (probability ~2^-113 for honest proofs) or a shape no check foresaw
      throw new InvalidProofException("proof does not verify: " + e, e);
    }
  }

  /** {@code Check.wiringSum}, for tests. */
  static long[] wiringSumForTest(long[] eqR, int[] out, int[] in, GoldilocksExt2[] rho) {
    return Check.wiringSum(eqR, out, in, rho);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new InvalidProofException(message);
    }
  }

  private static final class Check {
    final VerifyingKey key;
    final PreparedKey prepared;
    final IntegerModel model;
    final WitnessPlan plan;
    final ZkProof proof;
    final Transcript t;
    final Messages in;
    final byte[][] inputs;
    final long[][] outputs;
    final int b;
    final List<PointGroup> groups = new ArrayList<>();
    GoldilocksExt2[] rStar;

    /** Wiring reads held until every wiring read of their input is in ({@link #wiringSumCheck}). */
    final Map<Integer, List<WiringRead>> pendingWiring = new HashMap<>();

    /** Checks whose outcome nothing later reads, run beside the transcript's replay. */
    final DeferredChecks deferred = new DeferredChecks();

    Check(VerifyingKey key, byte[] input, long[] logits, ZkProof proof, Transcript t) {
      this.key = key;
      this.prepared = key.prepared();
      this.model = key.model();
      this.plan = key.plan();
      this.proof = proof;
      this.t = t;
      this.in = Messages.reader(t, proof.messages);
      this.inputs = Relations.publicValues(plan, input);
      this.outputs = Relations.splitOutputs(model, logits);
      this.b = plan.logWidth;
    }

    void run() {
      try {
        checkInOrder();
      } catch (RuntimeException e) {
        deferred.finish(); // a deferred check met before this failure is the verdict's reason
        throw e;
      }
      deferred.finish();
    }

    /**
     * Runs {@code check} beside the replay: it reads only values already fixed, never {@code t} or
     * {@code in}.
     */
    void defer(Runnable check) {
      deferred.add(check);
    }

    void checkInOrder() {
      // shapes before any arithmetic
      require(proof.witnessRoot.length == 32, "witness root must be 32 bytes");
      require(
          proof.multiplicities.length == plan.tables.size(),
          "proof has "
              + proof.multiplicities.length
              + " multiplicity tables, expected "
              + plan.tables.size());
      for (int k = 0; k < plan.tables.size(); k++) {
        require(
            proof.multiplicities[k].size() == plan.tables.get(k).size(),
            "multiplicities of table " + plan.tables.get(k) + " have the wrong length");
        // at most one listed row per leaf looked up in the table: the LogUp term counts these
        // rows, not the table's (format 13; zk/README.md, "Soundness")
        require(
            proof.multiplicities[k].used() <= plan.tableLeaves[k],
            "multiplicities of table "
                + plan.tables.get(k)
                + " list "
                + proof.multiplicities[k].used()
                + " rows, more than the "
                + plan.tableLeaves[k]
                + " lookups into it");
      }
      require(
          proof.weightColumns.length == key.weightRoots().size(),
          "one weight opening per weight matrix is required");

      // 1. witness commitment and multiplicities
      t.absorb("witness/root", proof.witnessRoot);
      for (int k = 0; k < proof.multiplicities.length; k++) {
        t.absorb("lookup/multiplicities", proof.multiplicityBytes(k));
      }
      rStar = t.challengeExts("graph/output-point", plan.outputPointBits);

      // 2. LogUp: one GKR per instance; Σ_i P_i/Q_i must equal the table side
      GoldilocksExt2 beta = t.challengeExt("lookup/beta");
      GoldilocksExt2 alpha = t.challengeExt("lookup/alpha");
      // the tables' side needs only α, β and the multiplicities: computed from here on, beside
      // the GKRs' replay, and compared where the order of checks puts it (after the GKRs)
      DeferredChecks.Value<GoldilocksExt2> tableSide =
          deferred.compute(() -> {
            GoldilocksExt2 sum = GoldilocksExt2.ZERO;
            for (int k = 0; k < plan.tables.size(); k++) {
              sum =
                  sum.add(
                      plan.tables.get(k).weightedInverseSum(proof.multiplicities[k], alpha, beta));
            }
            return sum;
          });
      require(
          proof.lookups.size() == plan.instances.size(),
          "proof has " + proof.lookups.size() + " lookup GKRs, expected " + plan.instances.size());
      List<FractionalSumGkr.LeafClaim> leaves = new ArrayList<>();
      GoldilocksExt2 rootP = GoldilocksExt2.ZERO, rootQ = GoldilocksExt2.ONE;
      for (int i = 0; i < plan.instances.size(); i++) {
        FractionalSumGkr.LeafClaim leaf =
            FractionalSumGkr.verify(t, plan.instances.get(i).bits(), proof.lookups.get(i));
        require(!leaf.rootDenominator().isZero(), "lookup GKR root denominator is zero");
        rootP = rootP.mul(leaf.rootDenominator()).add(leaf.rootNumerator().mul(rootQ));
        rootQ = rootQ.mul(leaf.rootDenominator());
        leaves.add(leaf);
      }
      GoldilocksExt2 leafP = rootP, leafQ = rootQ;
      defer(() ->
          require(
              leafP.equals(leafQ.mul(tableSide.get())),
              "lookups do not match the tables with the claimed multiplicities"));
      List<PointGroup> lookupGroups = new ArrayList<>();
      for (int i = 0; i < leaves.size(); i++) {
        GoldilocksExt2[] rho = leaves.get(i).point();
        lookupGroups.add(
            receive("witness/lookup-rows", Relations.prefix(rho, b), prepared.lookupRows(i)));
      }
      for (int i = 0; i < leaves.size(); i++) {
        FractionalSumGkr.LeafClaim leaf = leaves.get(i);
        require(
            leaf.numerator().equals(GoldilocksExt2.ONE)
                && leaf.denominator()
                    .equals(
                        leafDenominator(
                            plan.instances.get(i), leaf.point(), alpha, beta, lookupGroups.get(i))),
            "lookup GKR leaves do not match the opened witness rows");
      }

      // 3. rows at the output point
      Map<Long, PointGroup> outGroups = new HashMap<>();
      for (int k = 0; k < prepared.outputParts().size(); k++) {
        List<WitnessPlan.Vec> part = prepared.outputParts().get(k);
        outGroups.put(
            part.get(0).storageKey(),
            receive("witness/output-rows", Opening.low(part, rStar, b), prepared.outputRows(k)));
      }
      Opening out = new Opening(outGroups);

      // 4. relations
      for (int j = 0; j < model.ops().size(); j++) {
        verifyOp(j, out);
      }
      // every wiring read's sum-check ran (the plan counts them as the loop meets them)
      require(
          pendingWiring.isEmpty(),
          "a wiring read of tensors " + pendingWiring.keySet() + " was never checked");
      // int8 outputs: the committed values are the statement's (public ones are computed)
      for (int j = 0; j < model.ops().size(); j++) {
        if (plan.isPublic(model.tensorOf(j)) && outputs[j] != null) {
          byte[] y = inputs[model.tensorOf(j)];
          for (int i = 0; i < y.length; i++) {
            require(y[i] == outputs[j][i], "output " + i + " of op " + j + " is not the model's");
          }
        }
        if (plan.vectors[j].length > 0 && Relations.isInt8Output(model, j)) {
          WitnessPlan.Layout l = plan.layoutOf(model.tensorOf(j));
          GoldilocksExt2[] r = Relations.prefix(rStar, l.domainBits());
          require(
              out.value(plan.vectors[j][0], r, b)
                  .equals(Multilinear.evaluate(Relations.physical(l, outputs[j]), r)),
              "op "
                  + j
                  + " ("
                  + model.ops().get(j).kind()
                  + "): its output is not the claimed one");
        }
      }

      // 5. openings
      openings();
      in.requireAllRead();
    }

    /**
     * One instance's leaf denominators at ρ: every block's tuple folded with β, then the ±1
     * padding.
     */
    GoldilocksExt2 leafDenominator(
        WitnessPlan.Instance instance,
        GoldilocksExt2[] rho,
        GoldilocksExt2 alpha,
        GoldilocksExt2 beta,
        PointGroup rows) {
      GoldilocksExt2 q = GoldilocksExt2.ZERO;
      int n = instance.bits();
      for (WitnessPlan.Block block : instance.blocks()) {
        WitnessPlan.Slot slot = plan.slots.get(block.slot());
        int low = b + block.logRows();
        GoldilocksExt2 weight =
            Multilinear.eqAt(
                Relations.range(rho, low, n), (block.leafOffset() - instance.start()) >>> low);
        GoldilocksExt2[] blockHigh = Relations.range(rho, b, low);
        GoldilocksExt2[] powers = ZkProver.betaPowers(beta, slot.columns().length);
        GoldilocksExt2 f = GoldilocksExt2.of(slot.table().id());
        for (int c = 0; c < slot.columns().length; c++) {
          GoldilocksExt2 v =
              rows.blockValue(slot.columns()[c], block.rowOffset(), blockHigh)
                  .add(GoldilocksExt2.of(Goldilocks.fromSigned(slot.offsets()[c])));
          if (c == 0 && slot.padding() != null) {
            GoldilocksExt2 pad =
                Relations.paddingIndicator(
                    slot.padding(),
                    Relations.prefix(rho, low),
                    block.rowOffset(),
                    block.logRows(),
                    b);
            v = v.add(pad.mulBase(io.vouch.zk.lookup.FunctionTable.PAD_KEY));
          }
          f = f.add(powers[c].mul(v));
        }
        q = q.add(weight.mul(alpha.sub(f)));
      }
      // unused leaves hold (−1)^i: Σ_{i ≥ used} eq(ρ, i)·(−1)^i
      GoldilocksExt2 unused =
          GoldilocksExt2.ONE.sub(
              Multilinear.eqPrefixSum(Relations.range(rho, 1, n), instance.used() / 2));
      return q.add(GoldilocksExt2.ONE.sub(rho[0].mulBase(2)).mul(unused));
    }

    PointGroup receive(String label, GoldilocksExt2[] low, int[] rows) {
      long[] evals = in.receive(label, 2 * rows.length);
      PointGroup g = new PointGroup(low, rows, evals);
      groups.add(g);
      return g;
    }

    /**
     * Receives the given vectors' rows at a point z of their layouts' coordinates: a point group
     * per storage order, as the prover's {@code open} sends them.
     */
    Opening receiveAt(GoldilocksExt2[] z, List<WitnessPlan.Vec> vectors) {
      Map<Long, PointGroup> parts = new HashMap<>();
      for (var part : Opening.split(vectors).entrySet()) {
        List<WitnessPlan.Vec> vs = part.getValue();
        parts.put(
            part.getKey(),
            receive("witness/evaluations", Opening.low(vs, z, b), PointGroup.rowsOf(vs)));
      }
      return new Opening(parts);
    }

    /** X̃(z) of tensor {@code id}: computed from a public input, or opened as a new point group. */
    GoldilocksExt2 tensorAt(int id, GoldilocksExt2[] z) {
      if (plan.isPublic(id)) {
        return Multilinear.evaluate(Relations.physical(plan.layoutOf(id), inputs[id]), z);
      }
      WitnessPlan.Vec v = plan.valuesOf(id);
      Opening g = receiveAt(z, List.of(v));
      return g.value(v, z, b);
    }

    /** X̃(z) of several tensors at one point: the committed ones opened as one point group. */
    GoldilocksExt2[] tensorsAt(GoldilocksExt2[] z, int... ids) {
      List<WitnessPlan.Vec> vs = new ArrayList<>();
      for (int id : ids) {
        if (!plan.isPublic(id)) {
          vs.add(plan.valuesOf(id));
        }
      }
      Opening g = vs.isEmpty() ? null : receiveAt(z, vs);
      GoldilocksExt2[] out = new GoldilocksExt2[ids.length];
      for (int i = 0; i < ids.length; i++) {
        int id = ids[i];
        out[i] =
            plan.isPublic(id)
                ? Multilinear.evaluate(Relations.physical(plan.layoutOf(id), inputs[id]), z)
                : g.value(plan.valuesOf(id), z, b);
      }
      return out;
    }

    /** Verifies Σ_x g(x)·X(x) = claim over tensor {@code id}'s domain; returns (ρ, g̃(ρ)·X̃(ρ)). */
    SumCheck.Reduced sumCheckAgainst(int id, GoldilocksExt2 claim) {
      int k = plan.layoutOf(id).domainBits();
      return SumCheck.verify(t, 2, k, claim, in.receiveSumCheck(k, 2));
    }

    /** The claim on an op's output at its prefix r of r*. */
    GoldilocksExt2 outputClaim(int j, IntegerOp op, GoldilocksExt2[] r, Opening out) {
      if (plan.prePool[j]) {
        return out.value(plan.vectors[j][0], r, b); // the committed accumulators
      }
      if (plan.requantization(j) != null) {
        return Relations.requantClaim(plan, j, plan.requantization(j), r, out);
      }
      WitnessPlan.Layout l = plan.layoutOf(model.tensorOf(j));
      return Multilinear.evaluate(Relations.physical(l, outputs[j]), r);
    }

    void verifyOp(int j, Opening out) {
      if (plan.isPublic(model.tensorOf(j))) {
        return; // computed by the verifier from the statement's input
      }
      IntegerOp op = model.ops().get(j);
      int id = model.tensorOf(j);
      WitnessPlan.Layout lo = plan.layoutOf(id);
      GoldilocksExt2[] r = Relations.prefix(rStar, lo.domainBits());
      String where = "op " + j + " (" + op.kind() + ")";
      switch (op) {
        case DenseOp d -> {
          int cols = Relations.weightShape(plan, j)[1];
          long[] u = in.receiveDigested("layer/folded-weights", 2 * cols);
          deferWeightOpening(j, u, r);
          GoldilocksExt2 claim = outputClaim(j, op, r, out).sub(prepared.biasTerm(j, lo, r));
          if (plan.isPublic(d.input()) && d.rows() > 1) {
            long[] x = Relations.physical(plan.layoutOf(d.input()), inputs[d.input()]);
            long[] g = Relations.denseRowsTable(plan, d, j, u, r);
            require(
                Multilinear.innerProductBase(x, g).equals(claim),
                where + ": the folded weights times the public input miss the claimed output");
          } else if (plan.isPublic(d.input())) {
            long[] x = Relations.physical(plan.layoutOf(d.input()), inputs[d.input()]);
            long[] xs = java.util.Arrays.copyOf(x, Math.min(x.length, cols));
            require(
                Multilinear.innerProductBase(xs, u).equals(claim),
                where + ": the folded weights times the public input miss the claimed output");
          } else {
            SumCheck.Reduced red = sumCheckAgainst(d.input(), claim);
            GoldilocksExt2 x = tensorAt(d.input(), red.point());
            defer(() -> {
              GoldilocksExt2 uAt =
                  d.rows() > 1
                      ? Relations.denseRowsAt(plan, d, j, u, r, red.point())
                      : Multilinear.innerProduct(u, Multilinear.eqTable(red.point()));
              require(red.claim().equals(uAt.mul(x)), where + ": sum-check does not end in W̃·x̃");
            });
          }
        }
        case ConvOp c -> {
          int cols = Relations.weightShape(plan, j)[1];
          long[] u = in.receiveDigested("layer/folded-weights", 2 * cols * c.groups());
          deferWeightOpening(j, u, r);
          GoldilocksExt2 claim = outputClaim(j, op, r, out).sub(prepared.biasTerm(j, lo, r));
          SumCheck.Reduced red = sumCheckAgainst(c.input(), claim);
          GoldilocksExt2 x = tensorAt(c.input(), red.point());
          defer(() ->
              require(
                  red.claim().equals(convTable(c, j, r, u, red.point()).mul(x)),
                  where + ": sum-check does not end in the convolution of the folded weights"));
        }
        case AveragePoolOp a -> {
          GoldilocksExt2 claim = outputClaim(j, op, r, out).sub(prepared.biasTerm(j, lo, r));
          SumCheck.Reduced red = sumCheckAgainst(a.input(), claim);
          GoldilocksExt2 x = tensorAt(a.input(), red.point());
          defer(() ->
              require(
                  red.claim()
                      .equals(
                          poolTable(
                                  j,
                                  a.input(),
                                  a.window(),
                                  lo,
                                  r,
                                  a.positionWeightsView(),
                                  null,
                                  op,
                                  red.point())
                              .mul(x)),
                  where + ": sum-check does not end in the pooled input"));
        }
        case MaxPoolOp m -> {
          int kernel = m.window().kernelSize();
          WitnessPlan.Vec[] v = plan.vectors[j];
          if (plan.fusedPool(j)) {
            // the requantization of the pooled accumulators: Σ_i eq(r, i)·ε_c(i)·y(i) = (ε⊙y)~(r)
            int bits = lo.domainBits();
            SumCheck.Reduced link =
                SumCheck.verify(
                    t,
                    2,
                    bits,
                    Relations.requantClaim(plan, j, plan.pooledRq[j], r, out),
                    in.receiveSumCheck(bits, 2));
            WitnessPlan.Vec yv = v[plan.poolY(j)];
            Opening at = receiveAt(link.point(), List.of(yv));
            require(
                link.claim()
                    .equals(
                        Relations.scaledEqAt(lo, r, plan.pooledRq[j], link.point())
                            .mul(at.value(yv, link.point(), b))),
                where + ": the requantized outputs are not those of the pooled accumulators");
          }
          GoldilocksExt2[] lambda = t.challengeExts("maxpool/lambda", kernel);
          GoldilocksExt2 y = out.value(v[plan.poolY(j)], r, b);
          int nd = plan.diffLimbs(j);
          var inShape = m.inputShape();
          int outH = m.outputShape().height(), outW = m.outputShape().width();
          int[][] sources = plan.sources(j);
          long[] eqP = Multilinear.eqTable(Relations.prefix(r, lo.strideBits()));
          GoldilocksExt2[] pads =
              SpatialMaps.paddingSums(sources, SpatialMaps.weightedEq(eqP, outH * outW, null));
          GoldilocksExt2 channels =
              Multilinear.eqPrefixSum(Relations.range(r, lo.strideBits(), r.length), lo.channels());
          GoldilocksExt2 claim = GoldilocksExt2.ZERO;
          for (int k = 0; k < kernel; k++) {
            GoldilocksExt2 d = Relations.limbsAt(out, v, plan.poolD(j, k), nd, r, b);
            GoldilocksExt2 pad =
                channels.mul(pads[k]).mulBase(Goldilocks.fromSigned(Byte.MIN_VALUE));
            claim = claim.add(lambda[k].mul(y.sub(d).sub(pad)));
          }
          SumCheck.Reduced red = sumCheckAgainst(m.input(), claim);
          GoldilocksExt2 x = tensorAt(m.input(), red.point());
          defer(() ->
              require(
                  red.claim()
                      .equals(
                          poolTable(j, m.input(), m.window(), lo, r, null, lambda, op, red.point())
                              .mul(x)),
                  where + ": sum-check does not end in the window values"));
          // zero-check: Σ_i eq(r, i)·Π_k d_k(i) = 0
          int bits = lo.domainBits();
          SumCheck.Reduced zero =
              SumCheck.verify(
                  t, kernel + 1, bits, GoldilocksExt2.ZERO, in.receiveSumCheck(bits, kernel + 1));
          List<WitnessPlan.Vec> ds = new ArrayList<>();
          for (int k = 0; k < kernel; k++) {
            for (int c = nd - 1; c >= 0; c--) {
              ds.add(v[plan.poolD(j, k) + c]);
            }
          }
          Opening at = receiveAt(zero.point(), ds);
          GoldilocksExt2 product = Multilinear.eq(r, zero.point());
          for (int k = 0; k < kernel; k++) {
            product = product.mul(Relations.limbsAt(at, v, plan.poolD(j, k), nd, zero.point(), b));
          }
          require(
              zero.claim().equals(product),
              where + ": some output is not one of its window's values");
        }
        case ElementwiseOp e -> {
          GoldilocksExt2 claim = outputClaim(j, op, r, out).sub(prepared.biasTerm(j, lo, r));
          int[] ins = e.inputs();
          List<Integer> spread = new ArrayList<>();
          GoldilocksExt2 direct = GoldilocksExt2.ZERO;
          for (int i = 0; i < ins.length; i++) {
            if (Relations.uniformInput(e, i)) {
              long m0 = Relations.elementwiseMultipliers(e, i)[0];
              GoldilocksExt2 x =
                  plan.isPublic(ins[i])
                      ? Multilinear.evaluate(
                          Relations.physical(plan.layoutOf(ins[i]), inputs[ins[i]]), r)
                      : out.value(plan.valuesOf(ins[i]), r, b);
              direct = direct.add(x.mulBase(m0));
            } else {
              spread.add(i);
            }
          }
          long[] partial =
              spread.isEmpty()
                  ? new long[0]
                  : in.receive("elementwise/partial-sums", 2 * spread.size());
          GoldilocksExt2 total = direct;
          for (int s = 0; s < spread.size(); s++) {
            total = total.add(GoldilocksExt2.at(partial, s));
          }
          require(
              total.equals(claim), where + ": the inputs' combination misses the claimed output");
          for (int s = 0; s < spread.size(); s++) {
            int i = spread.get(s);
            SumCheck.Reduced red = sumCheckAgainst(ins[i], GoldilocksExt2.at(partial, s));
            GoldilocksExt2 x = tensorAt(ins[i], red.point());
            GoldilocksExt2[] rho = red.point();
            int sb = lo.strideBits();
            GoldilocksExt2 spatial =
                Relations.channelDot(
                    Multilinear.eqTable(Relations.prefix(r, sb)),
                    Multilinear.eqTable(Relations.prefix(rho, sb)),
                    lo.spatial());
            GoldilocksExt2 channel =
                Relations.weightedChannelDot(
                    Multilinear.eqTable(Relations.range(r, sb, r.length)),
                    Multilinear.eqTable(Relations.range(rho, sb, rho.length)),
                    lo.channels(),
                    signed(Relations.elementwiseMultipliers(e, i)));
            require(
                red.claim().equals(spatial.mul(channel).mul(x)),
                where + ": sum-check of input " + i + " fails");
          }
        }
        case TableOp table -> {} // its (x, y) lookups are its relation
        case GatherOp g -> {} // always public
        case SoftmaxOp sm -> verifySoftmax(j, sm, r, out, where);
        case LayerNormOp ln -> verifyLayerNorm(j, ln, r, out, where);
        case MatMulOp mm -> {
          MatrixBits lb = MatrixBits.of(plan.layoutOf(mm.left()), mm.batch(), mm.m(), mm.k());
          MatrixBits rb = MatrixBits.of(plan.layoutOf(mm.right()), mm.batch(), mm.k(), mm.n());
          MatrixBits zb = MatrixBits.of(lo, mm.batch(), mm.m(), mm.n());
          int jBits = lb.colBits(), bBits = zb.batchBits();
          SumCheck.Reduced red =
              SumCheck.verify(
                  t,
                  3,
                  jBits + bBits,
                  outputClaim(j, op, r, out),
                  in.receiveSumCheck(jBits + bBits, 3));
          GoldilocksExt2[] rhoJ = Relations.prefix(red.point(), jBits);
          GoldilocksExt2[] rhoB = Relations.range(red.point(), jBits, jBits + bBits);
          GoldilocksExt2 e =
              zb.outside(r)
                  .mulBase(mm.requantization().multiplier(0))
                  .mul(Multilinear.eq(zb.batches(r), rhoB));
          GoldilocksExt2 a = tensorAt(mm.left(), lb.point(rhoJ, zb.rows(r), rhoB));
          GoldilocksExt2 bv = tensorAt(mm.right(), rb.point(zb.cols(r), rhoJ, rhoB));
          require(
              red.claim().equals(e.mul(a).mul(bv)),
              where + ": sum-check does not end in the product of the two matrices");
        }
        case ProductOp p -> {
          int bits = lo.domainBits();
          SumCheck.Reduced red =
              SumCheck.verify(t, 3, bits, outputClaim(j, op, r, out), in.receiveSumCheck(bits, 3));
          GoldilocksExt2[] xy = tensorsAt(red.point(), p.left(), p.right());
          require(
              red.claim()
                  .equals(
                      Multilinear.eq(r, red.point())
                          .mulBase(p.requantization().multiplier(0))
                          .mul(xy[0])
                          .mul(xy[1])),
              where + ": sum-check does not end in the product of its inputs");
        }
        case WiringOp w -> {
          int[] ins = w.inputs();
          long[] partial = in.receive("wiring/partial-sums", 2 * ins.length);
          GoldilocksExt2 total = GoldilocksExt2.ZERO;
          for (int i = 0; i < ins.length; i++) {
            total = total.add(GoldilocksExt2.at(partial, i));
          }
          GoldilocksExt2 y = out.value(plan.vectors[j][0], r, b);
          require(total.equals(y), where + ": the inputs' parts miss the committed output");
          long[] eqR = Multilinear.eqTable(r);
          for (int i = 0; i < ins.length; i++) {
            if (plan.isPublic(ins[i])) {
              byte[] x = inputs[ins[i]];
              GoldilocksExt2 s = GoldilocksExt2.ZERO;
              for (int v = 0; v < w.outputShape().size(); v++) {
                if (w.sourceInputAt(v) == i) {
                  s =
                      s.add(
                          GoldilocksExt2.at(eqR, lo.physical(v))
                              .mulBase(Goldilocks.fromSigned(x[w.sourceIndexAt(v)])));
                }
              }
              require(
                  s.equals(GoldilocksExt2.at(partial, i)),
                  where + ": part of public input " + i + " is wrong");
              continue;
            }
            wiringSumCheck(ins[i], new WiringRead(j, i, GoldilocksExt2.at(partial, i), eqR, where));
          }
        }
      }
    }

    /** One wiring op's read of a committed input: its claim Σ_x g(x)·X(x) and its table's eq. */
    record WiringRead(int op, int input, GoldilocksExt2 claim, long[] eqR, String where) {}

    /**
     * The prover's {@code wiringSumCheck}: a wiring read held until every wiring read of its input
     * is in, then one sum-check of Σ_k μ^k·claim_k against it (μ drawn if there are several), and
     * at its point X̃ times Σ_k μ^k·g̃_k.
     */
    void wiringSumCheck(int id, WiringRead read) {
      List<WiringRead> pending = pendingWiring.computeIfAbsent(id, k -> new ArrayList<>());
      pending.add(read);
      if (pending.size() < plan.wiringReaders[id]) {
        return;
      }
      pendingWiring.remove(id);
      GoldilocksExt2 mu = pending.size() > 1 ? t.challengeExt("wiring/batch") : GoldilocksExt2.ONE;
      GoldilocksExt2 claim = GoldilocksExt2.ZERO, power = GoldilocksExt2.ONE;
      for (WiringRead w : pending) {
        claim = claim.add(power.mul(w.claim()));
        power = power.mul(mu);
      }
      String fails =
          read.where()
              + ": sum-check of input "
              + read.input()
              + " fails"
              + (pending.size() > 1 ? " (batched with the other wiring reads of its tensor)" : "");
      SumCheck.Reduced red;
      try {
        red = sumCheckAgainst(id, claim);
      } catch (InvalidProofException ex) {
        throw new InvalidProofException(fails + ": " + ex.getMessage(), ex);
      }
      GoldilocksExt2 x = tensorAt(id, red.point());
      GoldilocksExt2 g = GoldilocksExt2.ZERO;
      power = GoldilocksExt2.ONE;
      for (WiringRead w : pending) {
        long[] gk =
            wiringSum(
                w.eqR(),
                prepared.wiringOutputs(w.op(), w.input()),
                prepared.wiringSources(w.op(), w.input()),
                red.point());
        g = g.add(power.mul(new GoldilocksExt2(gk[0], gk[1])));
        power = power.mul(mu);
      }
      require(red.claim().equals(g.mul(x)), fails);
    }

    /** Why a softmax's products sum-check (the division and the rows' E·R) is refused. */
    private static final String DIVISION =
        "its outputs are not round(e·R/2^K), or a row's R is not ⌊Q·2^K/E⌋";

    /**
     * The relations {@code ZkProver} proves for a softmax, in the same transcript order (proof
     * format 12): d + x = m on the row's values; the selector sums to one per real row and sits
     * only on a zero difference; e·R + 2^(K−1) = 2^K·y + rem value by value, and E·R + r1 = Q·2^K,
     * r1 + (E − 1 − r1) = E − 1 row by row — with y ∈ [0, Q] (the exponential table's third
     * column), rem ∈ [0, 2^K), r1 and E − 1 − r1 range-checked, y = ⌊(e·R + 2^(K−1))/2^K⌋ for R =
     * ⌊Q·2^K/E⌋.
     */
    void verifySoftmax(int j, SoftmaxOp sm, GoldilocksExt2[] r, Opening out, String where) {
      WitnessPlan.Layout lo = plan.layoutOf(model.tensorOf(j));
      MatrixBits mb = MatrixBits.of(lo, sm.batch(), sm.rows(), sm.length());
      WitnessPlan.Vec[] v = plan.vectors[j];
      WitnessPlan.Vec mVec = v[v.length - 1];
      int limbs = plan.limbs[j];
      int n = sm.length();
      int cb = mb.colBits();
      int k = sm.reciprocalShift();
      GoldilocksExt2[] rRows = mb.rowsAndBatches(r);
      GoldilocksExt2 cols = Multilinear.eqPrefixSum(mb.cols(r), n);
      GoldilocksExt2 outside = mb.outside(r);
      GoldilocksExt2 realAtR = realRows(mb, sm.rows(), sm.batch(), rRows);
      GoldilocksExt2 real = cols.mul(realAtR).mul(outside); // [value position]~(r)
      GoldilocksExt2 x =
          plan.isPublic(sm.input())
              ? Multilinear.evaluate(
                  Relations.physical(plan.layoutOf(sm.input()), inputs[sm.input()]), r)
              : out.value(plan.valuesOf(sm.input()), r, b);
      GoldilocksExt2 d = out.value(v[WitnessPlan.SM_D], r, b);
      GoldilocksExt2 y = out.value(v[WitnessPlan.SM_Y], r, b);
      GoldilocksExt2 rem =
          Relations.limbsAt(out, v, WitnessPlan.SM_REM, WitnessPlan.limbs(k), r, b);
      int rowRem = WitnessPlan.smRowRemainder(sm);
      GoldilocksExt2[] rowPointR = Relations.padded(rRows, mVec.domainBits());
      Opening rows = receiveAt(rowPointR, Arrays.asList(v).subList(rowRem, v.length));
      GoldilocksExt2 m = rows.value(mVec, rowPointR, b);
      GoldilocksExt2 r1 = Relations.limbsAt(rows, v, rowRem, limbs, rowPointR, b);
      GoldilocksExt2 r1Rest = Relations.limbsAt(rows, v, rowRem + limbs, limbs, rowPointR, b);
      require(
          d.add(x).equals(m.mul(cols).mul(outside)),
          where + ": its differences are not the row maximum minus the input");
      GoldilocksExt2[] half = Relations.half(cb);
      GoldilocksExt2 scale = GoldilocksExt2.of(1L << cb);
      WitnessPlan.Vec eVec = v[WitnessPlan.SM_E];
      WitnessPlan.Vec sVec = v[WitnessPlan.smSelector(sm)];
      WitnessPlan.Vec dVec = v[WitnessPlan.SM_D];
      int recip = WitnessPlan.smReciprocal(sm);
      List<WitnessPlan.Vec> recipVecs = Arrays.asList(v).subList(recip, rowRem);
      GoldilocksExt2[] rowPoint = mb.point(half, mb.rows(r), mb.batches(r));
      Opening rowSums = receiveAt(rowPoint, List.of(eVec, sVec));
      GoldilocksExt2 sumAtR = rowSums.value(eVec, rowPoint, b).mul(scale);
      // r1 ≤ E − 1 on every real row: both range-checked, their sum E − 1 (0 on the cube's others)
      require(
          r1Rest.equals(sumAtR.sub(realAtR).sub(r1)),
          where + ": a row's reciprocal remainder exceeds E − 1");
      // the selector: one on every real row, none on the rows beyond
      require(
          rowSums.value(sVec, rowPoint, b).mul(scale).equals(realAtR),
          where + ": a row's selector does not sum to one");
      // and only on a zero difference: s·(d + PAD·[no value]) = 0 value by value
      int bits = lo.domainBits();
      SumCheck.Reduced selected;
      try {
        selected = SumCheck.verify(t, 3, bits, GoldilocksExt2.ZERO, in.receiveSumCheck(bits, 3));
      } catch (InvalidProofException ex) {
        // an honest sum of a selector on a nonzero difference is not 0: name the op and why
        throw new InvalidProofException(
            where + ": some row's maximum is none of its values (" + ex.getMessage() + ")", ex);
      }
      GoldilocksExt2[] sigma = selected.point();
      Opening sd = receiveAt(sigma, List.of(sVec, dVec));
      // 1 − [σ holds a value]: padding columns, the cube's empty rows and everything beyond it
      GoldilocksExt2 padding =
          GoldilocksExt2.ONE.sub(
              Multilinear.eqPrefixSum(mb.cols(sigma), n)
                  .mul(realRows(mb, sm.rows(), sm.batch(), mb.rowsAndBatches(sigma)))
                  .mul(mb.outside(sigma)));
      require(
          selected
              .claim()
              .equals(
                  Multilinear.eq(r, sigma)
                      .mul(sd.value(sVec, sigma, b))
                      .mul(sd.value(dVec, sigma, b).add(padding.mulBase(Relations.SELECTOR_PAD)))),
          where + ": some row's maximum is none of its values");
      // e·R = 2^K·y + rem − 2^(K−1) value by value, E·R = Q·2^K − r1 row by row, batched with λ
      GoldilocksExt2 lambda = t.challengeExt("softmax/lambda");
      long scaled = (long) sm.outputMax() << k;
      GoldilocksExt2 claim =
          y.mulBase(1L << k)
              .add(rem)
              .sub(real.mulBase(1L << (k - 1)))
              .add(lambda.mul(realAtR.mulBase(scaled).sub(r1)));
      SumCheck.Reduced products;
      try {
        products = SumCheck.verify(t, 3, bits, claim, in.receiveSumCheck(bits, 3));
      } catch (InvalidProofException ex) {
        throw new InvalidProofException(where + ": " + DIVISION + " (" + ex.getMessage() + ")", ex);
      }
      GoldilocksExt2[] rho = products.point();
      GoldilocksExt2 e = eAt(rho, eVec);
      GoldilocksExt2[] rhoRows = mb.rowsAndBatches(rho);
      GoldilocksExt2[] recipPoint = Relations.padded(rhoRows, recipVecs.get(0).domainBits());
      Opening recips = receiveAt(recipPoint, recipVecs);
      GoldilocksExt2 reciprocal =
          Relations.limbsAt(recips, v, recip, recipVecs.size(), recipPoint, b);
      GoldilocksExt2 inCube = mb.outside(rho);
      GoldilocksExt2 weight =
          Multilinear.eq(r, rho).add(lambda.mul(Multilinear.eq(rRows, rhoRows)).mul(inCube));
      // u: 1 at column 0 of the cube's rows that hold none (R + r1 = 0 there)
      GoldilocksExt2 u =
          GoldilocksExt2.ONE
              .sub(realRows(mb, sm.rows(), sm.batch(), rhoRows))
              .mul(Multilinear.eq(mb.cols(rho), Relations.padded(new GoldilocksExt2[0], cb)))
              .mul(inCube);
      require(
          products.claim().equals(weight.mul(reciprocal.mul(inCube)).mul(e.add(u))),
          where + ": " + DIVISION);
    }

    /** The relations {@code ZkProver} proves for a layer normalization, in transcript order. */
    void verifyLayerNorm(int j, LayerNormOp ln, GoldilocksExt2[] r, Opening out, String where) {
      WitnessPlan.Layout lo = plan.layoutOf(model.tensorOf(j));
      MatrixBits mb = MatrixBits.of(lo, ln.batch(), ln.rows(), ln.length());
      WitnessPlan.Vec packed = plan.vectors[j][plan.vectors[j].length - 1];
      int cb = mb.colBits(), rowBits = mb.rowBits() + mb.batchBits();
      int n = ln.length();
      GoldilocksExt2[] rRows = Relations.range(r, cb, cb + rowBits);
      GoldilocksExt2[] half = Relations.half(cb);
      GoldilocksExt2 scale = GoldilocksExt2.of(1L << cb);
      long two = 1L << ln.precision();
      GoldilocksExt2 qStar = GoldilocksExt2.at(in.receive("layernorm/square-sum", 2), 0);
      GoldilocksExt2 lambda = t.challengeExt("layernorm/lambda");
      GoldilocksExt2 realRows = realRows(mb, ln.rows(), ln.batch(), rRows);
      GoldilocksExt2 claim =
          GoldilocksExt2.ZERO
              .sub(qStar.mulBase((long) n * n))
              .sub(
                  realRows.mul(
                      GoldilocksExt2.of(ln.epsilon())
                          .add(lambda.mulBase(Goldilocks.fromSigned(two)))));
      SumCheck.Reduced rows = SumCheck.verify(t, 3, rowBits, claim, in.receiveSumCheck(rowBits, 3));
      GoldilocksExt2[] rhoRow = rows.point();
      GoldilocksExt2[] v = receiveRowValues(ln, packed, rhoRow, where);
      GoldilocksExt2 sum =
          tensorAt(ln.input(), mb.point(half, mb.rowsOf(rhoRow), mb.batchesOf(rhoRow))).mul(scale);
      GoldilocksExt2 sigma = limbs(ln, v, WitnessPlan.LN_SIGMA);
      GoldilocksExt2 s1 = limbs(ln, v, WitnessPlan.LN_S1);
      GoldilocksExt2 s1Rest = limbs(ln, v, WitnessPlan.LN_S1_REST);
      GoldilocksExt2 rho = limbs(ln, v, WitnessPlan.LN_RHO);
      GoldilocksExt2 r1 = limbs(ln, v, WitnessPlan.LN_R1);
      GoldilocksExt2 r1Rest = limbs(ln, v, WitnessPlan.LN_R1_REST);
      GoldilocksExt2 identity =
          GoldilocksExt2.ZERO
              .sub(sum.mul(sum).mulBase(n))
              .sub(sigma.mul(sigma))
              .sub(s1)
              .sub(lambda.mul(sigma.mul(rho).add(r1)));
      require(
          rows.claim().equals(Multilinear.eq(rRows, rhoRow).mul(identity)),
          where + ": some row's σ² + s1 is not its variance + ε, or σ·ρ + r1 is not 2^K");
      require(s1Rest.equals(sigma.mulBase(2).sub(s1)), where + ": some σ is not ⌊√(V + E)⌋");
      require(
          r1Rest.equals(sigma.sub(realRows(mb, ln.rows(), ln.batch(), rhoRow)).sub(r1)),
          where + ": some ρ is not ⌊2^K/σ⌋");
      // the outputs and q* at once
      GoldilocksExt2 mu = t.challengeExt("layernorm/mu");
      GoldilocksExt2 outputs = outputClaim(j, ln, r, out).sub(prepared.biasTerm(j, lo, r));
      int bits = lo.domainBits();
      SumCheck.Reduced values =
          SumCheck.verify(t, 3, bits, outputs.add(mu.mul(qStar)), in.receiveSumCheck(bits, 3));
      GoldilocksExt2[] rhoE = values.point();
      GoldilocksExt2 xE = tensorAt(ln.input(), rhoE);
      GoldilocksExt2 sumE =
          tensorAt(ln.input(), mb.point(half, mb.rows(rhoE), mb.batches(rhoE))).mul(scale);
      GoldilocksExt2 rhoAtE =
          limbs(
              ln, receiveRowValues(ln, packed, mb.rowsAndBatches(rhoE), where), WitnessPlan.LN_RHO);
      GoldilocksExt2 outside = mb.outside(rhoE);
      // the table ε·eq(r, p)·g_j over the cube: its multilinear at ρ factors into the columns'
      // Σ_j eq(r_c, j)·eq(ρ_c, j)·g_j, the rows' eq(r_rows, ρ_rows) and the zero outside bits
      GoldilocksExt2 colsDot =
          Relations.weightedChannelDot(
              Multilinear.eqTable(mb.cols(r)), Multilinear.eqTable(mb.cols(rhoE)), n, ln.gamma());
      GoldilocksExt2 t0 =
          colsDot
              .mul(Multilinear.eq(mb.rowsAndBatches(r), mb.rowsAndBatches(rhoE)))
              .mul(mb.outside(r))
              .mul(outside)
              .mulBase(ln.requantization().multiplier(0));
      GoldilocksExt2 t2 = xE.mulBase(n).sub(sumE.mul(outside));
      GoldilocksExt2 t3 = Multilinear.eq(rRows, mb.rowsAndBatches(rhoE)).mul(outside);
      require(
          values
              .claim()
              .equals(t0.mul(rhoAtE.mul(outside)).mul(t2).add(mu.mul(t3).mul(xE).mul(xE))),
          where + ": its outputs are not g·(L·x − S)·ρ + b, or q* is not the rows' Σx²");
    }

    /** The rows' indicator at a point of the rows and batches: [i &lt; rows]·[b &lt; batch]. */
    static GoldilocksExt2 realRows(MatrixBits mb, int rows, int batch, GoldilocksExt2[] z) {
      return Multilinear.eqPrefixSum(mb.rowsOf(z), rows)
          .mul(Multilinear.eqPrefixSum(mb.batchesOf(z), batch));
    }

    /** A part of the packed row values: Σ_c 1024^c·v[from + c] over its limbs. */
    static GoldilocksExt2 limbs(LayerNormOp ln, GoldilocksExt2[] v, int part) {
      int from = WitnessPlan.lnFrom(ln, part);
      int count = WitnessPlan.lnLimbs(ln)[part];
      GoldilocksExt2 acc = GoldilocksExt2.ZERO;
      for (int c = count - 1; c >= 0; c--) {
        acc = acc.mulBase(1L << io.vouch.zk.lookup.LookupTable.LIMB_BITS).add(v[from + c]);
      }
      return acc;
    }

    /**
     * The packed limbs' values at a point of the rows, checked at (point, τ) against the vector.
     */
    GoldilocksExt2[] receiveRowValues(
        LayerNormOp ln, WitnessPlan.Vec packed, GoldilocksExt2[] rows, String where) {
      long[] sent = in.receive("layernorm/row-values", 2 * WitnessPlan.lnKinds(ln));
      GoldilocksExt2[] tau = t.challengeExts("layernorm/tau", WitnessPlan.lnKindBits(ln));
      GoldilocksExt2[] z = new GoldilocksExt2[packed.domainBits()];
      java.util.Arrays.fill(z, GoldilocksExt2.ZERO);
      System.arraycopy(rows, 0, z, 0, rows.length);
      System.arraycopy(tau, 0, z, rows.length, tau.length);
      GoldilocksExt2 opened = eAt(z, packed);
      long[] eqTau = Multilinear.eqTable(tau);
      GoldilocksExt2 batched = GoldilocksExt2.ZERO;
      GoldilocksExt2[] v = new GoldilocksExt2[WitnessPlan.lnKinds(ln)];
      for (int k = 0; k < v.length; k++) {
        v[k] = GoldilocksExt2.at(sent, k);
        batched = batched.add(GoldilocksExt2.at(eqTau, k).mul(v[k]));
      }
      require(batched.equals(opened), where + ": the row values sent are not the committed ones");
      return v;
    }

    /** ṽ(z) of one committed vector, opened as a new point group. */
    GoldilocksExt2 eAt(GoldilocksExt2[] z, WitnessPlan.Vec v) {
      Opening g = receiveAt(z, List.of(v));
      return g.value(v, z, b);
    }

    static long[] signed(long[] residues) {
      long[] out = new long[residues.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = Goldilocks.toSigned(residues[i]);
      }
      return out;
    }

    /**
     * Σ_v eq(r, out[v])·eq(ρ, in[v]) over a wiring input's copied values, eq(r, ·) given as a
     * table. eq(ρ, q) is read from one table over ρ's domain when the copies cover most of it, else
     * computed per copy as eq(ρ_lo, q_lo)·eq(ρ_hi, q_hi) from two tables of about the domain's
     * square root (a split of a wide tensor reads a fraction of it).
     */
    static long[] wiringSum(long[] eqR, int[] out, int[] in, GoldilocksExt2[] rho) {
      int k = rho.length;
      int lowBits = k / 2;
      long g0 = 0, g1 = 0;
      if ((long) in.length + (2L << (k - lowBits)) >= (1L << k)) {
        long[] eqRho = Multilinear.eqTable(rho);
        for (int v = 0; v < out.length; v++) {
          int p = out[v], q = in[v];
          g0 =
              Goldilocks.add(
                  g0,
                  GoldilocksExt2.mul0(eqR[2 * p], eqR[2 * p + 1], eqRho[2 * q], eqRho[2 * q + 1]));
          g1 =
              Goldilocks.add(
                  g1,
                  GoldilocksExt2.mul1(eqR[2 * p], eqR[2 * p + 1], eqRho[2 * q], eqRho[2 * q + 1]));
        }
      } else {
        long[] lo = Multilinear.eqTable(Relations.prefix(rho, lowBits));
        long[] hi = Multilinear.eqTable(Relations.range(rho, lowBits, k));
        int mask = (1 << lowBits) - 1;
        for (int v = 0; v < out.length; v++) {
          int p = out[v], q = in[v];
          int a = 2 * (q & mask), c = 2 * (q >>> lowBits);
          long e0 = GoldilocksExt2.mul0(lo[a], lo[a + 1], hi[c], hi[c + 1]);
          long e1 = GoldilocksExt2.mul1(lo[a], lo[a + 1], hi[c], hi[c + 1]);
          g0 = Goldilocks.add(g0, GoldilocksExt2.mul0(eqR[2 * p], eqR[2 * p + 1], e0, e1));
          g1 = Goldilocks.add(g1, GoldilocksExt2.mul1(eqR[2 * p], eqR[2 * p + 1], e0, e1));
        }
      }
      return new long[] {g0, g1};
    }

    /** G̃(ρ) of a convolution: Σ_ci eq(ρ_c, ci)·Σ_k U[ci, k]·S_k. */
    GoldilocksExt2 convTable(ConvOp c, int j, GoldilocksExt2[] r, long[] u, GoldilocksExt2[] rho) {
      WitnessPlan.Layout in = plan.layoutOf(c.input());
      WitnessPlan.Layout o = plan.layoutOf(model.tensorOf(j));
      int outH = c.outputShape().height(), outW = c.outputShape().width();
      int[][] sources = plan.sources(j);
      long[] eqP =
          SpatialMaps.weightedEq(
              Multilinear.eqTable(Relations.prefix(r, o.strideBits())), outH * outW, null);
      long[] eqIn = Multilinear.eqTable(Relations.prefix(rho, in.strideBits()));
      GoldilocksExt2[] s = SpatialMaps.tapSums(sources, eqP, eqIn);
      long[] eqC = Multilinear.eqTable(Relations.range(rho, in.strideBits(), rho.length));
      int kernel = c.window().kernelSize();
      int cg = c.groupInputChannels();
      int cols = Relations.weightShape(plan, j)[1];
      GoldilocksExt2 acc = GoldilocksExt2.ZERO;
      for (int ci = 0; ci < in.channels(); ci++) {
        int group = ci / cg, cj = ci % cg;
        GoldilocksExt2 inner = GoldilocksExt2.ZERO;
        for (int k = 0; k < kernel; k++) {
          inner = inner.add(GoldilocksExt2.at(u, group * cols + cj * kernel + k).mul(s[k]));
        }
        acc = acc.add(GoldilocksExt2.at(eqC, ci).mul(inner));
      }
      return acc;
    }

    /** G̃(ρ) of a channel-wise window map: [Σ_c E_c·eq(r_c, c)·eq(ρ_c, c)]·Σ_k λ_k·S_k. */
    GoldilocksExt2 poolTable(
        int j,
        int input,
        Window win,
        WitnessPlan.Layout o,
        GoldilocksExt2[] r,
        long[] positionWeights,
        GoldilocksExt2[] lambda,
        IntegerOp op,
        GoldilocksExt2[] rho) {
      WitnessPlan.Layout in = plan.layoutOf(input);
      var inShape = model.shapeOf(input);
      int outH = win.outputHeight(inShape.height()), outW = win.outputWidth(inShape.width());
      int[][] sources = plan.sources(j);
      long[] eqP =
          SpatialMaps.weightedEq(
              Multilinear.eqTable(Relations.prefix(r, o.strideBits())),
              outH * outW,
              positionWeights);
      long[] eqIn = Multilinear.eqTable(Relations.prefix(rho, in.strideBits()));
      GoldilocksExt2[] s = SpatialMaps.tapSums(sources, eqP, eqIn);
      GoldilocksExt2 taps = GoldilocksExt2.ZERO;
      for (int k = 0; k < s.length; k++) {
        taps = taps.add(lambda == null ? s[k] : lambda[k].mul(s[k]));
      }
      long[] eqRc = Multilinear.eqTable(Relations.range(r, o.strideBits(), r.length));
      long[] eqRhoC = Multilinear.eqTable(Relations.range(rho, in.strideBits(), rho.length));
      long[] scale = new long[in.channels()];
      for (int c = 0; c < scale.length; c++) {
        scale[c] = Relations.channelMultiplier(op, c);
      }
      return Relations.weightedChannelDot(eqRc, eqRhoC, in.channels(), scale).mul(taps);
    }

    /**
     * Draws op j's weight opening challenges right after its folded row {@code u} is absorbed (as
     * the prover does, format 10) and defers the opening's check: the row, its coefficients (from
     * the output point {@code r}) and the matrix (committed at registration) are all fixed by then.
     */
    void deferWeightOpening(int j, long[] u, GoldilocksExt2[] r) {
      int w = Relations.weightIndex(model)[j];
      IntegerOp op = model.ops().get(j);
      int[] shape = Relations.weightShape(plan, j);
      int groupCount = Relations.groups(op);
      GoldilocksExt2[] mu =
          groupCount > 1 ? t.challengeExts("weights/group-combination", groupCount) : null;
      int[] q =
          t.challengeIndices(
              "weights/columns", shape[1] * Ligero.BLOWUP, Ligero.QUERIES_REGISTERED);
      defer(() -> {
        long[] coefficient = Relations.foldCoefficients(plan, j, r);
        long[] row = u;
        if (mu != null) {
          int per = ((ConvOp) op).groupOutputChannels();
          long[] folded = coefficient;
          coefficient = new long[2 * shape[0]];
          row = new long[2 * shape[1]];
          for (int grp = 0; grp < groupCount; grp++) {
            for (int co = grp * per; co < (grp + 1) * per; co++) {
              GoldilocksExt2.at(folded, co).mul(mu[grp]).store(coefficient, co);
            }
            for (int c = 0; c < shape[1]; c++) {
              GoldilocksExt2.at(row, c)
                  .add(GoldilocksExt2.at(u, grp * shape[1] + c).mul(mu[grp]))
                  .store(row, c);
            }
          }
        }
        Ligero.verify(
            key.weightRoots().get(w),
            shape[0],
            shape[1],
            1,
            List.of(coefficient),
            List.of(row),
            q,
            proof.weightColumns[w]);
      });
    }

    void openings() {
      int points = groups.size();
      int rows = plan.rowCount;
      int width = plan.width;
      GoldilocksExt2[] gammas = t.challengeExts("witness/row-combination", points);
      GoldilocksExt2 xi = t.challengeExt("witness/proximity");
      long[] proximity = in.receive("witness/proximity-row", 2 * width);
      // point p claims Σ_k γ_p^k·(row k of its group at low_p) = c̃_p(low_p), c_p = Σ_k γ_p^k·M[row
      // k]; with λ drawn, one sum-check of Σ_p λ_p·Σ_x c_p(x)·eq(low_p, x) reduces them all to
      // c̃_p(ρ) at one point ρ, and Σ_p λ_p·eq(low_p, ρ)·c̃_p(ρ) = ũ(ρ) for the one row u = G·M
      // opened: G[row] = Σ_{p,k: row k of p} λ_p·eq(low_p, ρ)·γ_p^k
      GoldilocksExt2[] lambda = t.challengeExts("witness/point-combination", points);
      GoldilocksExt2 claim = GoldilocksExt2.ZERO;
      for (int p = 0; p < points; p++) {
        PointGroup g = groups.get(p);
        GoldilocksExt2 x = GoldilocksExt2.ONE;
        GoldilocksExt2 claimed = GoldilocksExt2.ZERO;
        for (int k = 0; k < g.rows.length; k++) {
          claimed = claimed.add(x.mul(GoldilocksExt2.at(g.evaluations, k)));
          x = x.mul(gammas[p]);
        }
        claim = claim.add(lambda[p].mul(claimed));
      }
      SumCheck.Reduced batch = SumCheck.verify(t, 2, b, claim, in.receiveSumCheck(b, 2));
      GoldilocksExt2[] rho = batch.point();
      long[] g = new long[2 * rows];
      for (int p = 0; p < points; p++) {
        PointGroup group = groups.get(p);
        GoldilocksExt2 x = lambda[p].mul(Multilinear.eq(group.low, rho));
        for (int row : group.rows) {
          GoldilocksExt2.at(g, row).add(x).store(g, row);
          x = x.mul(gammas[p]);
        }
      }
      long[] u = in.receive("witness/combined-row", 2 * width);
      require(
          Multilinear.evaluateExt(u, rho).equals(batch.claim()),
          "the witness rows' evaluations at the opening points disagree with the opened row");
      int[] queries =
          t.challengeIndices(
              "witness/columns", width * Ligero.WITNESS_BLOWUP, Ligero.QUERIES_WITNESS);
      defer(() ->
          Ligero.verify(
              proof.witnessRoot,
              rows,
              width,
              Ligero.leafColumns(rows, width, Ligero.WITNESS_BLOWUP),
              Ligero.WITNESS_BLOWUP,
              List.of(Statement.powers(xi, rows), g),
              List.of(proximity, u),
              queries,
              proof.witnessColumns));
    }
  }
}
