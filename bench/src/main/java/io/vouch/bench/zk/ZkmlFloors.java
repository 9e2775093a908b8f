package io.vouch.bench.zk;

import io.vouch.benchmodels.ZkBenchmarkModels.BenchModel;
import io.vouch.benchmodels.ZkBenchmarkModels.Kind;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.zk.commit.Ligero;
import io.vouch.zk.commit.LigeroColumns;
import io.vouch.zk.commit.LigeroCommitment;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.lookup.FractionalSumGkr;
import io.vouch.zk.mlp.ProvedInference;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkProver;
import io.vouch.zk.mlp.ZkVerifier;
import io.vouch.zk.transcript.Transcript;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * What the parts of a proof that grow with the model's activations cost alone, against the integer
 * inference and the whole proof of the same run: the floor of a proof of each small model under
 * this design (bench/README.md, "The small models' floors"). {@code java -cp
 * bench/target/vouch-benchmarks.jar io.vouch.bench.zk.ZkmlFloors [MODELS [ROUNDS [MILLIS]]]},
 * MODELS a comma-separated list of {@link Kind} names (default the four whose batch-1 targets are
 * open: MNIST_MLP, KWS_HEAD, LENET5, TRANSFORMER_250K), ROUNDS rounds (default 5) of MILLIS
 * milliseconds per part (default 1000), after three such passes of warm-up; the parts alternate
 * within a round and the medians of the rounds are printed (the upper one of an even count).
 *
 * <p>Per model, from its {@link ZkModel#proofShape()}: <b>commit</b> — the witness matrix (rows ×
 * width of int8-sized values) committed as the prover commits it (rate 1/2, the same leaves, two
 * threads); <b>GKR</b> — the lookup GKRs alone over leaves of the model's instance sizes (two
 * threads; no leaf building, multiplicities or table side); <b>column checks</b> — what the
 * verifier's openings check alone, on one thread: the witness at {@link Ligero#QUERIES_WITNESS}
 * columns with two combinations and every weight matrix at {@link Ligero#QUERIES_REGISTERED}
 * columns, each against its own Merkle root. Values in the matrices are random: none of these costs
 * depends on them beyond their size.
 *
 * <p>Read: a proof costs at least commit + GKR + the inference it runs, so (commit + GKR) ÷
 * inference above 10 puts "prover ≤ 10× the inference" out of reach of this design whatever the
 * relations cost. And "verify ≤ 1/10 of the proof" with "prove ≤ 10× the inference" asks for a
 * verifier within one inference; the column checks alone, split perfectly over two threads, cost
 * half their one-thread time.
 */
public final class ZkmlFloors {
  private ZkmlFloors() {}

  private static final List<Kind> DEFAULT =
      List.of(Kind.MNIST_MLP, Kind.KWS_HEAD, Kind.LENET5, Kind.TRANSFORMER_250K);

  public static void main(String[] args) {
    List<Kind> kinds = DEFAULT;
    if (args.length > 0) {
      kinds = new ArrayList<>();
      for (String name : args[0].split(",")) {
        kinds.add(Kind.valueOf(name.trim()));
      }
    }
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    long millis = args.length > 2 ? Long.parseLong(args[2]) : 1000;
    List<String> rows = new ArrayList<>();
    for (Kind kind : kinds) {
      rows.add(measure(kind, rounds, millis));
    }
    System.out.println();
    System.out.println(
        "| model | witness (rows × width) | lookup leaves | inference | prove (÷ inference) |"
            + " commit | GKR | (commit + GKR) ÷ inference | verify (÷ prove) | column checks,"
            + " one thread | half of them ÷ inference |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  static String measure(Kind kind, int rounds, long millis) {
    BenchModel bench = kind.build();
    ZkModel zk = ZkModel.register(bench.model());
    byte[] input = bench.input();
    byte[] requestId = new byte[32];
    Arrays.fill(requestId, (byte) 0x5a);
    ProvedInference proved = ZkProver.prove(zk, requestId, input);
    long[] logits = proved.logits();
    byte[] proof = proved.proof().toBytes();
    ZkModel.ProofShape shape = zk.proofShape();
    Parts parts = new Parts(shape, new SplittableRandom(kind.ordinal() + 1L));

    String[] names = {"inference", "prove", "verify", "commit", "gkr", "columns"};
    LongSupplier[] work = {
      () -> IntegerEngine.run(bench.model(), input).length,
      () -> ZkProver.prove(zk, requestId, input).proof().toBytes().length,
      () -> {
        ZkVerifier.verify(zk.verifyingKey(), requestId, input, logits, proof);
        return 1;
      },
      parts::commit,
      parts::gkr,
      parts::columnChecks
    };
    for (int pass = 0; pass < 3; pass++) {
      for (LongSupplier w : work) {
        time(w, millis); // warm-up: three passes, so that each part runs compiled
      }
    }
    double[][] ns = new double[names.length][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < names.length; i++) {
        ns[i][r] = time(work[i], millis);
      }
      System.out.printf(
          Locale.ROOT,
          "%s round %d: inference %.1f µs, prove %.3f ms, verify %.3f ms, commit %.3f ms,"
              + " GKR %.3f ms, column checks %.3f ms%n",
          kind,
          r + 1,
          ns[0][r] / 1e3,
          ns[1][r] / 1e6,
          ns[2][r] / 1e6,
          ns[3][r] / 1e6,
          ns[4][r] / 1e6,
          ns[5][r] / 1e6);
    }
    double inference = ZkmlLargeModels.median(ns[0]);
    double prove = ZkmlLargeModels.median(ns[1]);
    double verify = ZkmlLargeModels.median(ns[2]);
    double commit = ZkmlLargeModels.median(ns[3]);
    double gkr = ZkmlLargeModels.median(ns[4]);
    double columns = ZkmlLargeModels.median(ns[5]);
    return String.format(
        Locale.ROOT,
        "| %s | %d × %d | %,d (%s) | %.1f µs | %.3f ms (%.1f×) | %.3f ms | %.3f ms | %.1f× |"
            + " %.3f ms (%.3f) | %.3f ms | %.2f× |",
        kind,
        shape.witnessRows(),
        shape.witnessWidth(),
        shape.lookupLeaves(),
        instances(shape.lookupInstanceBits()),
        inference / 1e3,
        prove / 1e6,
        prove / inference,
        commit / 1e6,
        gkr / 1e6,
        (commit + gkr) / inference,
        verify / 1e6,
        verify / prove,
        columns / 1e6,
        columns / 2 / inference);
  }

  private static String instances(List<Integer> bits) {
    List<String> out = new ArrayList<>();
    for (int b : bits) {
      out.add("2^" + b);
    }
    return String.join(" + ", out);
  }

  /** The synthetic witness, leaves and openings of one model's proof shape. */
  static final class Parts {
    private final ZkModel.ProofShape shape;
    private final long[] witness;
    private final int leafColumns;
    private final long[][] leaves;
    private final Opening witnessOpening;
    private final List<Opening> weightOpenings = new ArrayList<>();

    Parts(ZkModel.ProofShape shape, SplittableRandom rnd) {
      this.shape = shape;
      int rows = shape.witnessRows(), width = shape.witnessWidth();
      witness = new long[rows * width];
      for (int i = 0; i < witness.length; i++) {
        witness[i] = Goldilocks.fromSigned(rnd.nextInt(256) - 128);
      }
      leafColumns = Ligero.leafColumns(rows, width, Ligero.WITNESS_BLOWUP);
      leaves = new long[shape.lookupInstanceBits().size()][];
      for (int i = 0; i < leaves.length; i++) {
        long[] q = new long[2 << shape.lookupInstanceBits().get(i)];
        for (int k = 0; k < q.length; k++) {
          q[k] = 1 + Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P - 1);
        }
        leaves[i] = q;
      }
      LigeroCommitment w =
          LigeroCommitment.commitOwned(
              witness.clone(), rows, width, leafColumns, Ligero.WITNESS_BLOWUP);
      witnessOpening =
          Opening.of(
              w,
              2,
              Ligero.WITNESS_BLOWUP,
              Ligero.QUERIES_WITNESS,
              leafColumns,
              new Random(rnd.nextLong()));
      for (ZkModel.ProofShape.Matrix m : shape.weights()) {
        byte[] bytes = new byte[m.rows() * m.columns()];
        rnd.nextBytes(bytes);
        LigeroCommitment c = LigeroCommitment.commitBytes(bytes, m.rows(), m.columns());
        weightOpenings.add(
            Opening.of(
                c, 1, Ligero.BLOWUP, Ligero.QUERIES_REGISTERED, 1, new Random(rnd.nextLong())));
      }
    }

    long commit() {
      return LigeroCommitment.commitOwned(
              witness.clone(),
              shape.witnessRows(),
              shape.witnessWidth(),
              leafColumns,
              Ligero.WITNESS_BLOWUP)
          .root()[0];
    }

    long gkr() {
      long sum = 0;
      for (long[] q : leaves) {
        sum += FractionalSumGkr.proveUnitNumerators(new Transcript("floor"), q).leafPoint().length;
      }
      return sum;
    }

    /** The opening of weight matrix {@code w} that {@link #columnChecks} verifies. */
    Opening weightOpening(int w) {
      return weightOpenings.get(w);
    }

    long columnChecks() {
      witnessOpening.verify();
      for (Opening o : weightOpenings) {
        o.verify();
      }
      return weightOpenings.size();
    }
  }

  /** An opening of a commitment at random columns, with its combinations. */
  record Opening(
      byte[] root,
      int rows,
      int columns,
      int leafColumns,
      int blowup,
      List<long[]> coefficients,
      List<long[]> combined,
      int[] queries,
      LigeroColumns columnsOpened) {
    static Opening of(
        LigeroCommitment c,
        int combinations,
        int blowup,
        int queryCount,
        int leafColumns,
        Random rnd) {
      List<long[]> g = new ArrayList<>();
      List<long[]> v = new ArrayList<>();
      for (int j = 0; j < combinations; j++) {
        long[] coefficients = new long[2 * c.rows()];
        for (int i = 0; i < coefficients.length; i++) {
          coefficients[i] = Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P);
        }
        g.add(coefficients);
        v.add(c.combine(coefficients));
      }
      int[] queries = new int[queryCount];
      for (int i = 0; i < queries.length; i++) {
        queries[i] = rnd.nextInt(c.columns() * blowup);
      }
      return new Opening(
          c.root(), c.rows(), c.columns(), leafColumns, blowup, g, v, queries, c.open(queries));
    }

    void verify() {
      Ligero.verify(
          root, rows, columns, leafColumns, blowup, coefficients, combined, queries, columnsOpened);
    }
  }

  /** Mean nanoseconds per call over about {@code millis} of calls. */
  static double time(LongSupplier work, long millis) {
    long sink = 0;
    long start = System.nanoTime();
    long end = start + millis * 1_000_000L;
    int n = 0;
    long now;
    do {
      sink += work.getAsLong();
      n++;
      now = System.nanoTime();
    } while (now < end);
    if (sink == 42) {
      System.out.print(""); // keep the results alive
    }
    return (double) (now - start) / n;
  }
}
