package io.vouch.sdk.plan;

import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.sdk.VouchClientException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;

/**
 * Turns requirements into a level and an ordered list of nodes, and says why.
 *
 * <p><b>Level.</b> The weakest level at or above {@code minLevel} that the model allows and that
 * has an eligible node: active, serving the level, and within the fee ({@code node price + model
 * fee <= maxFeeWei}). Stronger levels cost more (an enclave, a proof), so the requester gets the
 * floor it asked for, not more, unless the floor cannot be had: then the next level up that can. A
 * level whose every eligible node this client has observed slower than {@code maxLatency} is passed
 * over for a stronger one that has a node within it; if no level has one, the weakest level with
 * eligible nodes is planned anyway (observations age; the nodes may have recovered).
 *
 * <p><b>Nodes.</b> Ranked by expected latency, then price, then stake (more at risk first), then
 * address. Expected latency is this client's moving average of the node's calls ({@link
 * LatencyTracker}, failures counting as a penalty); a node never called counts as fast as the
 * fastest observed one among the candidates, so that new nodes are tried rather than starved.
 *
 * <p><b>Spreading load.</b> Always taking the top-ranked node would send every request of every
 * client to the same node whenever nodes tie (as they do before any observation). So the nodes
 * <em>close to the best</em> — expected latency within {@value #LATENCY_TOLERANCE_PERCENT}% (plus
 * {@value #LATENCY_SLACK_MICROS} µs, for jitter) and price within {@value
 * #PRICE_TOLERANCE_PERCENT}% of the top-ranked node's — are put first in a random order drawn with
 * probability proportional to stake (sampling without replacement), the same weighting the
 * InferenceHub uses to assign on-chain requests: a node gets a share of the traffic in proportion
 * to what it has at risk, and splitting one stake over many nodes gains nothing. The other nodes
 * follow in rank order as fallbacks. The random source is given to the constructor (seeded in
 * tests).
 */
public final class Planner {
  /** Expected latency within this percentage of the best node's counts as close. */
  public static final int LATENCY_TOLERANCE_PERCENT = 25;

  /** Plus this many microseconds, so that sub-millisecond jitter does not split equal nodes. */
  public static final long LATENCY_SLACK_MICROS = 1_000;

  /** Price within this percentage of the best node's counts as close. */
  public static final int PRICE_TOLERANCE_PERCENT = 25;

  private final LatencyTracker latency;
  private final Random random;

  /** A planner that spreads load with a {@link SecureRandom}. */
  public Planner(LatencyTracker latency) {
    this(latency, new SecureRandom());
  }

  public Planner(LatencyTracker latency, Random random) {
    this.latency = latency;
    this.random = random;
  }

  /**
   * A plan: the level to ask for, the nodes to try in order, and why.
   *
   * @param close how many of {@code nodes} (the first ones) were close to the best and drawn at
   *     random by stake; the rest are fallbacks in rank order
   * @param levelReason why this level, e.g. {@code VANILLA: the weakest level the model allows}
   * @param nodeReason why the first node, e.g. {@code node 0x… drawn by stake among 2 close nodes}
   */
  public record Plan(
      VerificationLevel level,
      List<NodeCandidate> nodes,
      int close,
      String levelReason,
      String nodeReason) {
    public Plan {
      nodes = List.copyOf(nodes);
    }

    /** Both reasons in one sentence, as the CLI prints it. */
    public String reason() {
      return levelReason + "; " + nodeReason;
    }
  }

  public Plan plan(
      Requirements req,
      Set<VerificationLevel> modelLevels,
      BigInteger modelFeeWei,
      List<NodeCandidate> candidates) {
    List<VerificationLevel> allowed =
        modelLevels.stream().filter(l -> l.atLeast(req.minLevel())).sorted().toList();
    if (allowed.isEmpty()) {
      // No node, fee or wait can help: the model itself refuses the level.
      throw new VouchClientException(
          ErrorCode.UNSUPPORTED_LEVEL,
          "the model allows "
              + modelLevels.stream().sorted().toList()
              + ", nothing at "
              + req.minLevel()
              + " or better; ask for a level it allows");
    }
    long budget = req.maxLatency().toNanos() / 1_000;
    List<String> passedOver = new ArrayList<>();
    boolean tooExpensiveAnywhere = false;
    VerificationLevel slowLevel = null;
    List<NodeCandidate> slowRanked = null;
    for (VerificationLevel level : VerificationLevel.values()) {
      if (!level.atLeast(req.minLevel())) {
        continue;
      }
      if (!modelLevels.contains(level)) {
        passedOver.add(level + ": the model does not allow it");
        continue;
      }
      List<NodeCandidate> eligible = new ArrayList<>();
      int tooExpensive = 0;
      for (NodeCandidate c : candidates) {
        if (!c.active() || !c.levels().contains(level)) {
          continue;
        }
        if (req.preferredNode().isPresent() && !req.preferredNode().get().equals(c.address())) {
          continue;
        }
        if (c.priceWei().add(modelFeeWei).compareTo(req.maxFeeWei()) > 0) {
          tooExpensive++;
          continue;
        }
        eligible.add(c);
      }
      if (eligible.isEmpty()) {
        tooExpensiveAnywhere |= tooExpensive > 0;
        passedOver.add(
            level
                + (tooExpensive > 0
                    ? ": "
                        + tooExpensive
                        + " node(s) serve it but cost more than "
                        + req.maxFeeWei()
                        + " wei with the model fee"
                    : ": no active node serves it"
                        + req.preferredNode().map(a -> " (preferred node " + a + ")").orElse("")));
        continue;
      }
      List<NodeCandidate> ranked = rank(eligible);
      if (expectedMicros(ranked.getFirst(), ranked) > budget) {
        passedOver.add(
            level
                + ": its "
                + ranked.size()
                + " node(s) answered this client slower than "
                + humanLatency(req.maxLatency())
                + " on average");
        if (slowLevel == null) {
          slowLevel = level;
          slowRanked = ranked;
        }
        continue;
      }
      return spread(level, ranked, levelReason(level, req, allowed, passedOver));
    }
    if (slowLevel != null) {
      return spread(
          slowLevel,
          slowRanked,
          slowLevel
              + ": no level has a node observed within "
              + humanLatency(req.maxLatency())
              + ", so the weakest level with eligible nodes ("
              + String.join("; ", passedOver)
              + ")");
    }
    throw new VouchClientException(
        ErrorCode.NO_ELIGIBLE_NODE,
        "no node can serve this request at "
            + req.minLevel()
            + " or better: "
            + String.join("; ", passedOver)
            + (tooExpensiveAnywhere
                ? "; raise the fee limit, or wait for cheaper nodes."
                : "; wait for nodes to register (a new model is picked up within seconds)."));
  }

  private static String levelReason(
      VerificationLevel level,
      Requirements req,
      List<VerificationLevel> allowed,
      List<String> passedOver) {
    String floor =
        req.minLevel() == VerificationLevel.VANILLA
            ? "the weakest level the model allows"
            : "the weakest level at or above " + req.minLevel() + " that the model allows";
    String why =
        passedOver.isEmpty()
            ? floor + " (it allows " + allowed + ")"
            : "the weakest that can be had (" + String.join("; ", passedOver) + ")";
    return level + ": " + why + ", with a node within " + req.maxFeeWei() + " wei";
  }

  /** Rank order: expected latency, price, stake (more first), address. */
  private List<NodeCandidate> rank(List<NodeCandidate> eligible) {
    List<NodeCandidate> ranked = new ArrayList<>(eligible);
    ranked.sort(
        Comparator.<NodeCandidate>comparingLong(c -> expectedMicros(c, eligible))
            .thenComparing(NodeCandidate::priceWei)
            .thenComparing(NodeCandidate::stakeWei, Comparator.reverseOrder())
            .thenComparing(NodeCandidate::address));
    return ranked;
  }

  /** Observed average, or for a node never called the fastest observed among {@code among}. */
  private long expectedMicros(NodeCandidate c, List<NodeCandidate> among) {
    OptionalLong own = latency.averageMicros(c.address());
    if (own.isPresent()) {
      return own.getAsLong();
    }
    return among.stream()
        .map(n -> latency.averageMicros(n.address()))
        .filter(OptionalLong::isPresent)
        .mapToLong(OptionalLong::getAsLong)
        .min()
        .orElse(0);
  }

  /** The close nodes first, in a stake-weighted random order; the rest in rank order. */
  private Plan spread(VerificationLevel level, List<NodeCandidate> ranked, String levelReason) {
    NodeCandidate best = ranked.getFirst();
    long bestMicros = expectedMicros(best, ranked);
    long latencyLimit =
        bestMicros + bestMicros * LATENCY_TOLERANCE_PERCENT / 100 + LATENCY_SLACK_MICROS;
    BigInteger priceLimit =
        best.priceWei()
            .multiply(BigInteger.valueOf(100 + PRICE_TOLERANCE_PERCENT))
            .divide(BigInteger.valueOf(100));
    List<NodeCandidate> close = new ArrayList<>();
    List<NodeCandidate> rest = new ArrayList<>();
    for (NodeCandidate c : ranked) {
      boolean near =
          expectedMicros(c, ranked) <= latencyLimit && c.priceWei().compareTo(priceLimit) <= 0;
      (near ? close : rest).add(c);
    }
    List<NodeCandidate> order = new ArrayList<>();
    List<NodeCandidate> pool = new ArrayList<>(close);
    while (!pool.isEmpty()) {
      order.add(pool.remove(drawByStake(pool)));
    }
    order.addAll(rest);
    NodeCandidate first = order.getFirst();
    OptionalLong observed = latency.averageMicros(first.address());
    String facts =
        (observed.isPresent()
                ? "observed " + humanLatency(Duration.ofNanos(observed.getAsLong() * 1_000))
                : "latency not observed yet")
            + ", "
            + first.priceWei()
            + " wei, stake "
            + first.stakeWei()
            + " wei";
    String nodeReason =
        close.size() == 1
            ? "node "
                + first.address()
                + " ("
                + (ranked.size() == 1
                    ? "the only eligible node"
                    : "the best ranked: lowest latency, then price")
                + "; "
                + facts
                + ")"
            : "node "
                + first.address()
                + " drawn at random, weighted by stake, among "
                + close.size()
                + " nodes within "
                + LATENCY_TOLERANCE_PERCENT
                + "% of the best latency and price ("
                + facts
                + ")";
    if (order.size() > 1) {
      nodeReason += "; " + (order.size() - 1) + " more to fall back on";
    }
    return new Plan(level, order, close.size(), levelReason, nodeReason);
  }

  /** An index into {@code pool}, with probability proportional to stake (uniform if all zero). */
  private int drawByStake(List<NodeCandidate> pool) {
    BigInteger total = BigInteger.ZERO;
    for (NodeCandidate c : pool) {
      total = total.add(c.stakeWei().max(BigInteger.ZERO));
    }
    if (total.signum() == 0) {
      return random.nextInt(pool.size());
    }
    // 64 extra bits make the modulo bias negligible.
    BigInteger ticket = new BigInteger(total.bitLength() + 64, random).mod(total);
    for (int i = 0; i < pool.size(); i++) {
      BigInteger stake = pool.get(i).stakeWei().max(BigInteger.ZERO);
      if (ticket.compareTo(stake) < 0) {
        return i;
      }
      ticket = ticket.subtract(stake);
    }
    return pool.size() - 1; // unreachable: the ticket is below the total
  }

  /** {@code 800µs}, {@code 1.3ms}, {@code 2s}, {@code 2.5s}. */
  static String humanLatency(Duration d) {
    long micros = d.toNanos() / 1_000;
    if (micros < 1_000) {
      return micros + "µs";
    }
    if (micros < 1_000_000) {
      return trim(String.format(java.util.Locale.ROOT, "%.1f", micros / 1_000.0)) + "ms";
    }
    return trim(String.format(java.util.Locale.ROOT, "%.1f", micros / 1_000_000.0)) + "s";
  }

  private static String trim(String decimal) {
    return decimal.endsWith(".0") ? decimal.substring(0, decimal.length() - 2) : decimal;
  }
}
