package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.benchmodels.ClassifierModel;
import io.vouch.benchmodels.ConvNets;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.Activation;
import io.vouch.onnx.quant.ConvOp;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.MaxPoolOp;
import io.vouch.onnx.quant.Requantization;
import io.vouch.onnx.quant.TensorShape;
import io.vouch.onnx.quant.Trace;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.lookup.LookupTable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pool before requantizing (Conv → Relu → MaxPool): the Conv commits its accumulators, the MaxPool
 * proves the maximum over them and requantizes only the pooled values. The integer result is the
 * engine's on every element (requantization is non-decreasing), and a prover that changes any
 * committed value of the fused pair is caught.
 */
class PoolBeforeRequantizeTest {
  private static final ClassifierModel LENET = ConvNets.lenet5(5);
  private static final ZkModel ZK =
      ZkCompiler.compile(OnnxModelFile.parse(LENET.onnx()), LENET.inputs(1, 128), 0.99).model();

  /** requant(max_k z_k) = max_k requant(z_k) for random requantizations and accumulators. */
  @Test
  void requantizingTheMaximumIsTheMaximumOfTheRequantized() {
    SplittableRandom rnd = new SplittableRandom(13);
    for (int trial = 0; trial < 20_000; trial++) {
      int shift = rnd.nextInt(1, 45);
      long multiplier = rnd.nextLong(1, 1L << 31);
      Activation act = rnd.nextBoolean() ? Activation.RELU : Activation.CLAMP;
      Requantization rq = Requantization.uniform(multiplier, shift, act);
      // accumulators around the values that requantize near the int8 range
      long centre = (long) ((double) (rnd.nextInt(-300, 300)) * Math.pow(2, shift) / multiplier);
      long spread = Math.max(4, (long) (Math.pow(2, shift) / multiplier) * 4);
      int k = rnd.nextInt(1, 10);
      long max = Long.MIN_VALUE;
      int best = Integer.MIN_VALUE;
      for (int i = 0; i < k; i++) {
        long z = centre + rnd.nextLong(-spread, spread + 1);
        max = Math.max(max, z);
        best = Math.max(best, rq.apply(z, 0));
      }
      assertThat((int) rq.apply(max, 0)).as("trial " + trial).isEqualTo(best);
    }
  }

  /** On every element of the CNNs' pools, over many inputs: the pooled accumulator's requant. */
  @Test
  void theCnnsPoolsRequantizeTheirMaximumToTheEnginesValueOnEveryElement() {
    for (ClassifierModel m : List.of(LENET, ConvNets.cnn264k(5))) {
      ZkModel zk =
          m == LENET
              ? ZK
              : ZkCompiler.compile(OnnxModelFile.parse(m.onnx()), m.inputs(1, 64), 0.99).model();
      IntegerModel model = zk.integerModel();
      WitnessPlan plan = zk.plan();
      int fused = 0;
      for (int j = 0; j < model.ops().size(); j++) {
        if (model.ops().get(j) instanceof MaxPoolOp) {
          assertThat(plan.fusedPool(j)).as(m.name() + " op " + j).isTrue();
          assertThat(plan.prePool[model.ops().get(j).inputs()[0] - model.inputs().size()]).isTrue();
          fused++;
        }
      }
      assertThat(fused).isGreaterThanOrEqualTo(2);
      for (float[] input : m.inputs(21, 16)) {
        Trace trace = IntegerEngine.trace(model, zk.quantizeInput(input));
        for (int j = 0; j < model.ops().size(); j++) {
          if (!(model.ops().get(j) instanceof MaxPoolOp pool)) {
            continue;
          }
          ConvOp conv = (ConvOp) model.producer(pool.input());
          long[] z = trace.accumulatorsOf(pool.input());
          byte[] y = trace.int8(model.tensorOf(j));
          TensorShape in = pool.inputShape(), out = pool.outputShape();
          for (int i = 0; i < y.length; i++) {
            int c = i / out.spatial(), p = i % out.spatial();
            long max = Long.MIN_VALUE;
            for (int k = 0; k < pool.window().kernelSize(); k++) {
              int s = pool.window().source(in.height(), in.width(), out.width(), p, k);
              long zk1 = z[c * in.spatial() + s];
              assertThat(zk1 + (1L << plan.diffBits[j]))
                  .as("the spread bound covers every difference")
                  .isGreaterThan(max == Long.MIN_VALUE ? zk1 : max);
              max = Math.max(max, zk1);
            }
            assertThat(conv.requantization().apply(max, c))
                .as(m.name() + " op " + j + " value " + i)
                .isEqualTo(y[i]);
          }
        }
      }
    }
  }

  /** Every committed vector of a fused Conv and MaxPool, changed at one value, is refused. */
  @Test
  void aChangedValueOfAnyVectorOfTheFusedPairIsRefused() {
    WitnessPlan plan = ZK.plan();
    IntegerModel model = ZK.integerModel();
    byte[] x = ZK.quantizeInput(LENET.inputs(9, 1)[0]);
    byte[] request = RandomModels.requestId(8);
    int checked = 0;
    for (int j = 0; j < model.ops().size(); j++) {
      if (!plan.prePool[j] && !plan.fusedPool(j)) {
        continue;
      }
      WitnessPlan.Layout l = plan.layoutOf(model.tensorOf(j));
      for (int k = 0; k < plan.vectors[j].length; k++) {
        int at =
            plan.vectors[j][k].firstRow() * plan.width + l.physical((j * 37 + k * 11) % l.size());
        assertRefused(x, request, w -> add(w, at, 1), "op " + j + " vector " + k);
        checked++;
      }
    }
    // two Convs' z; per pool a, v, e, y and the four d_k (the second pool's 22-bit differences
    // one lookup each since format 13, two 20-bit-or-less limbs before)
    assertThat(checked).isEqualTo(2 + 8 + 8);
  }

  /**
   * A larger pooled value with every difference raised to match (y − d_k = z_k still holds) and the
   * remainder raised by ε (the requantization identity still holds, a unchanged) is refused: no
   * difference is zero, so y is none of its window's values (the zero-check).
   */
  @Test
  void aPooledValueAboveEveryWindowValueIsRefused() {
    assertRefused(X, RandomModels.requestId(9), shiftedPooledValue(+1, 9), "y above the window");
  }

  /**
   * A pooled value lowered to its window's second largest value, where the Relu clamps both to 0:
   * every difference lowered to match (y − d_k = z_k holds, the second largest's difference is 0,
   * so the zero-check passes), v and e recomputed for the lower y (a stays 0). The maximum's
   * difference is then negative, which only the differences' range check refuses: in RANGE_20 at
   * the first pool, in RANGE_22 at the second (one lookup per difference since format 13, two limbs
   * before).
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void aPooledValueBelowTheMaximumIsRefused(int pool) {
    WitnessPlan plan = ZK.plan();
    int j = fusedPool(plan, pool);
    assertThat(plan.diffLimbs(j)).isEqualTo(1);
    assertThat(plan.diffBits[j]).isEqualTo(pool == 0 ? 20 : 22);
    Requantization rq = plan.pooledRq[j];
    assertThat(rq.activation()).isEqualTo(Activation.RELU);
    WitnessPlan.Layout l = plan.layoutOf(plan.model.tensorOf(j));
    long[] honest = Witness.build(plan, IntegerEngine.trace(plan.model, X));
    WitnessPlan.Vec[] v = plan.vectors[j];
    int w = plan.width;
    for (int i = 0; i < l.size(); i++) {
      int p = l.physical(i);
      int c = i / l.spatial();
      long y = Goldilocks.toSigned(honest[v[plan.poolY(j)].firstRow() * w + p]);
      long second = Long.MAX_VALUE; // the smallest nonzero difference
      for (int k = 0; k < 4; k++) {
        long d = honest[v[plan.poolD(j, k)].firstRow() * w + p];
        if (d != 0) {
          second = Math.min(second, d);
        }
      }
      if (second == Long.MAX_VALUE || rq.quotient(y, c) > 0) {
        continue; // a window of equal values, or a positive output: not this case
      }
      long lower = y - second;
      long scaled = rq.multiplier(c) * lower + rq.roundingOffset();
      long q = scaled >> rq.shift();
      long e = scaled - (q << rq.shift());
      long delta = second;
      UnaryOperator<long[]> tamper =
          wit -> {
            add(wit, v[plan.poolY(j)].firstRow() * w + p, -delta);
            for (int k = 0; k < 4; k++) {
              add(wit, v[plan.poolD(j, k)].firstRow() * w + p, -delta);
            }
            wit[v[WitnessPlan.V].firstRow() * w + p] =
                Goldilocks.fromSigned(q - rq.activation().low());
            wit[v[WitnessPlan.LIMBS].firstRow() * w + p] = e;
            return wit;
          };
      assertRefused(X, RandomModels.requestId(10), tamper, "y lowered to the second largest");
      return;
    }
    throw new AssertionError("no window with a clamped output and two distinct values");
  }

  /**
   * A convolution wide enough that its pool's window differences exceed 24 bits (128 input channels
   * of 3×3: 255·Σ|W| above 2^24) keeps them in limbs, RANGE_20 and the top one's range: the honest
   * proof verifies, and a difference whose low limb is raised by 2^20 and top limb lowered by one
   * (the same d_k, so every identity holds) is refused by the limbs' range checks.
   */
  @Test
  void aWideConvolutionsPoolKeepsItsDifferencesInTwentyBitLimbs() {
    ClassifierModel wide =
        ConvNets.classifier(
            "WIDE_POOL",
            3,
            new int[] {-1, 3, 12, 12},
            0.15,
            (b, r, x) -> {
              String h = ConvNets.conv(b, r, "conv1", x, 3, 128, 3, 1, 1, 1, true);
              h = ConvNets.conv(b, r, "conv2", h, 128, 8, 3, 1, 1, 1, true);
              h = ConvNets.maxPool(b, "pool", h, 2, 2);
              h = b.node("Flatten", "flatten", List.of(h), java.util.Map.of("axis", 1L));
              return new ConvNets.Features(h, 8 * 6 * 6);
            });
    ZkModel zk =
        ZkCompiler.compile(OnnxModelFile.parse(wide.onnx()), wide.inputs(1, 32), 0.9).model();
    WitnessPlan plan = zk.plan();
    int j = firstFusedPool(plan);
    assertThat(plan.diffBits[j]).isGreaterThan(LookupTable.MAX_RANGE_BITS);
    assertThat(plan.diffLimbs(j)).isEqualTo(2);
    byte[] x = zk.quantizeInput(wide.inputs(4, 1)[0]);
    byte[] request = RandomModels.requestId(11);
    ProvedInference honest = ZkProver.prove(zk, request, x);
    assertThat(
            ZkVerifier.isValid(
                zk.verifyingKey(), request, x, honest.logits(), honest.proof().toBytes()))
        .isTrue();
    WitnessPlan.Layout l = plan.layoutOf(plan.model.tensorOf(j));
    int p = l.physical(5);
    int low = plan.vectors[j][plan.poolD(j, 1)].firstRow() * plan.width + p;
    int top = plan.vectors[j][plan.poolD(j, 1) + 1].firstRow() * plan.width + p;
    ProvedInference cheat =
        ZkProver.prove(zk, request, x, w -> add(add(w, low, 1L << 20), top, -1));
    assertThat(
            ZkVerifier.isValid(
                zk.verifyingKey(), request, x, cheat.logits(), cheat.proof().toBytes()))
        .as("a difference's limbs moved by 2^20 between them")
        .isFalse();
  }

  private static final byte[] X = ZK.quantizeInput(LENET.inputs(9, 1)[0]);

  /**
   * The honest witness with, at one pooled value of the first fused pool, y and every d_k moved by
   * delta and the remainder e by ε·delta (a position where e stays in its range, so q and a are
   * unchanged): every identity but the maximum's holds.
   */
  private static UnaryOperator<long[]> shiftedPooledValue(int delta, int seed) {
    WitnessPlan plan = ZK.plan();
    int j = firstFusedPool(plan);
    Requantization rq = plan.pooledRq[j];
    assertThat(plan.limbs[j]).isEqualTo(1);
    WitnessPlan.Layout l = plan.layoutOf(plan.model.tensorOf(j));
    long[] honest = Witness.build(plan, IntegerEngine.trace(plan.model, X));
    WitnessPlan.Vec[] v = plan.vectors[j];
    for (int i = seed; i < l.size(); i++) {
      int p = l.physical(i);
      long eps = rq.multiplier(i / l.spatial());
      int eAt = v[WitnessPlan.LIMBS].firstRow() * plan.width + p;
      long e = honest[eAt] + delta * eps;
      if (e < 0 || e >= 1L << rq.shift()) {
        continue;
      }
      List<Integer> at = new ArrayList<>();
      at.add(v[plan.poolY(j)].firstRow() * plan.width + p);
      for (int k = 0; k < 4; k++) {
        at.add(v[plan.poolD(j, k)].firstRow() * plan.width + p); // the lowest limb
      }
      return w -> {
        for (int a : at) {
          add(w, a, delta);
        }
        return add(w, eAt, delta * eps);
      };
    }
    throw new AssertionError("no position keeps the remainder in range");
  }

  private static int firstFusedPool(WitnessPlan plan) {
    return fusedPool(plan, 0);
  }

  /** The op index of the plan's n-th fused pool. */
  private static int fusedPool(WitnessPlan plan, int n) {
    for (int j = 0; j < plan.model.ops().size(); j++) {
      if (plan.fusedPool(j) && n-- == 0) {
        return j;
      }
    }
    throw new AssertionError("no such fused pool");
  }

  private static long[] add(long[] w, int at, long delta) {
    w[at] = Goldilocks.add(w[at], Goldilocks.fromSigned(delta));
    return w;
  }

  private static void assertRefused(
      byte[] x, byte[] request, UnaryOperator<long[]> tamper, String what) {
    ProvedInference cheat = ZkProver.prove(ZK, request, x, tamper);
    assertThat(
            ZkVerifier.isValid(
                ZK.verifyingKey(), request, x, cheat.logits(), cheat.proof().toBytes()))
        .as(what)
        .isFalse();
  }
}
