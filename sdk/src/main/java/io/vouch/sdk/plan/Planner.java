package io.vouch.sdk.plan;

import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.sdk.VouchClientException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Turns requirements into a level and a ranked list of nodes. The level is the weakest one that
 * satisfies {@code minLevel} and that both the model and at least one affordable node serve
 * (stronger levels cost more; the requester asked for a floor, not a ceiling). Nodes are ranked by
 * observed latency (unknown latency ranks as the latency budget, so new nodes get tried), then by
 * price, then by stake (more at risk first). The list is the fallback order.
 */
public final class Planner {
  private final LatencyTracker latency;

  public Planner(LatencyTracker latency) {
    this.latency = latency;
  }

  /** A plan: the level to ask for and the nodes to try, best first. */
  public record Plan(VerificationLevel level, List<NodeCandidate> nodes) {}

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
    List<String> reasons = new ArrayList<>();
    boolean tooExpensiveAnywhere = false;
    for (VerificationLevel level : VerificationLevel.values()) {
      if (!level.atLeast(req.minLevel())) {
        continue;
      }
      if (!modelLevels.contains(level)) {
        reasons.add(level + ": the model does not allow it");
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
        reasons.add(
            level
                + (tooExpensive > 0
                    ? ": "
                        + tooExpensive
                        + " node(s) serve it but cost more than "
                        + req.maxFeeWei()
                        + " wei"
                    : ": no active node serves it"
                        + req.preferredNode().map(a -> " (preferred node " + a + ")").orElse("")));
        continue;
      }
      long budget = req.maxLatency().toNanos() / 1_000;
      eligible.sort(
          Comparator.<NodeCandidate>comparingLong(
                  c -> latency.averageMicros(c.address()).orElse(budget))
              .thenComparing(NodeCandidate::priceWei)
              .thenComparing(NodeCandidate::stakeWei, Comparator.reverseOrder())
              .thenComparing(NodeCandidate::address));
      return new Plan(level, List.copyOf(eligible));
    }
    throw new VouchClientException(
        ErrorCode.NO_ELIGIBLE_NODE,
        "no node can serve this request at "
            + req.minLevel()
            + " or better: "
            + String.join("; ", reasons)
            + (tooExpensiveAnywhere
                ? "; raise the fee limit, or wait for cheaper nodes."
                : "; wait for nodes to register (a new model is picked up within seconds)."));
  }
}
