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
import io.vouch.onnx.quant.WiringOp;
import io.vouch.zk.commit.Ligero;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The statistical soundness error of one proof of a given model, per component, as zk/README.md's
 * table counts it (|K| = p² ≈ 2^128), and their union bound. Registration refuses a model whose
 * bound is below {@link #MIN_BITS} bits; {@code vouch bench zkml} and {@code vouch zk compile}
 * report it.
 *
 * <ul>
 *   <li>weight openings: (1/4)^56 per weight matrix (honestly registered, rate 1/4);
 *   <li>witness opening (rate 1/2): (3/4)^262 (proximity test to the unique-decoding radius 1/4)
 *       plus 2B/|K| (the proximity gap), rows/|K| per point group (γ), 1/|K| (λ, batching the
 *       points' claims) and 2·log B/|K| (the degree-2 sum-check that reduces them to one point);
 *   <li>LogUp: 4·(leaves + Σ_T min(|T|, leaves_T))/|K| (the rational identity in α, β; the table
 *       side's poles are the rows its multiplicities list, which the verifier bounds by the lookups
 *       into each table, format 13);
 *   <li>lookup GKRs: 2n²/|K| per instance of 2^n leaves;
 *   <li>the shared output point: k/|K| per op whose relation is checked at its k-variable prefix
 *       (twice for MaxPool: its zero-check is at the same point);
 *   <li>sum-checks: degree × rounds / |K| each (degree 2; a MaxPool zero-check has degree K + 1);
 *   <li>random combinations (MaxPool's λ, a grouped Conv's μ): 1/|K| each;
 *   <li>a MaxPool that requantizes its pooled accumulators (pool before requantizing) adds its
 *       requantization identity at r* (k/|K|) and the degree-2 sum-check linking it to y (2k/|K|).
 * </ul>
 */
public final class Soundness {
  /** The least soundness a registrable model must have. */
  public static final double MIN_BITS = 100;

  /** log2 |K|: the extension field has p² ≈ 2^128 elements. */
  private static final double FIELD_BITS = 128;

  private Soundness() {}

  /** Each component's error probability, by name, in the table's order. */
  static Map<String, Double> terms(WitnessPlan plan) {
    IntegerModel model = plan.model;
    Map<String, Double> t = new LinkedHashMap<>();
    double field = Math.pow(2, -FIELD_BITS);
    int weights = 0;
    double outputPoint = 0, sumChecks = 0, combinations = 0;
    for (int j = 0; j < model.ops().size(); j++) {
      IntegerOp op = model.ops().get(j);
      if (plan.isPublic(model.tensorOf(j))) {
        continue; // computed by the verifier: nothing to be unsound about
      }
      int kOut = plan.layoutOf(model.tensorOf(j)).domainBits();
      outputPoint += kOut;
      switch (op) {
        case DenseOp d -> {
          weights++;
          if (!plan.isPublic(d.input())) {
            sumChecks += 2.0 * plan.layoutOf(d.input()).domainBits();
          }
        }
        case ConvOp c -> {
          weights++;
          sumChecks += 2.0 * plan.layoutOf(c.input()).domainBits();
          combinations += c.groups() > 1 ? 1 : 0;
        }
        case AveragePoolOp a -> sumChecks += 2.0 * plan.layoutOf(a.input()).domainBits();
        case MaxPoolOp m -> {
          sumChecks += 2.0 * plan.layoutOf(m.input()).domainBits();
          sumChecks += (m.window().kernelSize() + 1.0) * kOut;
          outputPoint += kOut; // the zero-check's Σ eq(r*, i)·Π d_k(i) at the same point
          combinations += 1;
          if (plan.fusedPool(j)) {
            // the pooled accumulators' requantization: its identity at r*, the degree-2 link
            outputPoint += kOut;
            sumChecks += 2.0 * kOut;
          }
        }
        case ElementwiseOp e -> {
          int[] in = e.inputs();
          for (int i = 0; i < in.length; i++) {
            if (!Relations.uniformInput(e, i)) {
              sumChecks += 2.0 * plan.layoutOf(in[i]).domainBits();
            }
          }
        }
        case WiringOp w -> {
          for (int in : w.inputs()) {
            if (!plan.isPublic(in)) {
              // counted per read though reads of one tensor share a sum-check (format 12): an
              // upper bound; μ's batching adds a term per read (n − 1 for a batch of n)
              sumChecks += 2.0 * plan.layoutOf(in).domainBits();
              combinations += 1;
            }
          }
        }
        case TableOp table -> {} // its lookups are counted with LogUp
        case GatherOp g -> {} // always public
        case MatMulOp mm -> {
          MatrixBits lb = MatrixBits.of(plan.layoutOf(mm.left()), mm.batch(), mm.m(), mm.k());
          MatrixBits zb =
              MatrixBits.of(plan.layoutOf(model.tensorOf(j)), mm.batch(), mm.m(), mm.n());
          sumChecks += 3.0 * (lb.colBits() + zb.batchBits());
        }
        case ProductOp p -> sumChecks += 3.0 * kOut;
        case LayerNormOp ln -> {
          MatrixBits mb =
              MatrixBits.of(plan.layoutOf(model.tensorOf(j)), ln.batch(), ln.rows(), ln.length());
          int rowBits = mb.rowBits() + mb.batchBits();
          outputPoint += rowBits; // the row identities' eq at the rows of r*
          sumChecks += 3.0 * rowBits + 3.0 * kOut;
          // λ, μ, two τ batchings of the packed limbs, two linear identities at the rows' point
          combinations += 2 + 2.0 * WitnessPlan.lnKindBits(ln) + 2.0 * rowBits;
        }
        case SoftmaxOp sm -> {
          MatrixBits mb =
              MatrixBits.of(plan.layoutOf(model.tensorOf(j)), sm.batch(), sm.rows(), sm.length());
          int rowBits = mb.rowBits() + mb.batchBits();
          // at r*: d + x = m, the selector's zero-check and e·R + 2^(K−1) = 2^K·y + rem (format
          // 12); at r*'s rows: the selector's row sums, r1 + (E − 1 − r1) = E − 1 and E·R + r1 =
          // Q·2^K
          outputPoint += 3.0 * kOut + 3.0 * rowBits;
          // the selector's zero-check, the products' sum-check (the division and the rows' E·R,
          // batched by λ)
          sumChecks += 3.0 * kOut + 3.0 * kOut;
          combinations += 1;
        }
      }
    }
    // int8 outputs: the committed values equal the statement's at the output point
    for (var o : model.outputs()) {
      if (!model.producer(o.tensor()).outputsAccumulators() && !plan.isPublic(o.tensor())) {
        outputPoint += plan.layoutOf(o.tensor()).domainBits();
      }
    }
    t.put("weight openings", weights * Math.pow(0.25, Ligero.QUERIES_REGISTERED));
    // point groups: one per GKR instance, the output point, one per sum-check ending on witness;
    // what the bound needs is Σ (a group's rows) ≤ points·rowCount, so a point whose vectors are
    // split into a group per storage order (transposed ones, format 11) counts once: its groups'
    // rows are disjoint parts of the one group's it would have
    int points = plan.instances.size() + 1 + 3 * model.ops().size();
    t.put(
        "witness opening",
        Math.pow(3.0 / 4, Ligero.QUERIES_WITNESS)
            + ((double) Ligero.WITNESS_BLOWUP * plan.width
                    + (double) points * plan.rowCount
                    + 1
                    + 2.0 * plan.logWidth)
                * field);
    // the table side's poles: the rows its multiplicities list, at most one per leaf looked up in
    // the table (the verifier refuses more, format 13) and at most the table's rows
    double tables = 0;
    for (int k = 0; k < plan.tables.size(); k++) {
      tables += Math.min(plan.tables.get(k).size(), plan.tableLeaves[k]);
    }
    double leaves = 0, gkr = 0;
    for (WitnessPlan.Instance instance : plan.instances) {
      leaves += Math.pow(2, instance.bits());
      gkr += 2.0 * instance.bits() * instance.bits();
    }
    t.put("LogUp", 4 * (leaves + tables) * field);
    t.put("lookup GKR", gkr * field);
    t.put("output point", outputPoint * field);
    t.put("sum-checks", sumChecks * field);
    t.put("random combinations", combinations * field);
    return t;
  }

  /** −log2 of the union bound over {@link #terms}. */
  static double bits(WitnessPlan plan) {
    double total = 0;
    for (double p : terms(plan).values()) {
      total += p;
    }
    return -Math.log(total) / Math.log(2);
  }
}
