package io.vouch.sdk.plan;

import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.sdk.models.PublishedModel;
import java.util.List;

/**
 * What a direct inference will do, before it does it: the model's registry entry, the requirements
 * as stated, and the planner's answer (level, nodes in the order they will be tried, and why). Made
 * by {@code VouchClient.plan}, run by {@code VouchClient.infer(plan, inputs)}; a plan is a snapshot
 * of the registry and of this client's latency observations, to be used at once.
 */
public record InferencePlan(PublishedModel model, Requirements requirements, Planner.Plan route) {

  public VerificationLevel level() {
    return route.level();
  }

  /** The nodes in the order they will be tried: the first is the one asked first. */
  public List<NodeCandidate> nodes() {
    return route.nodes();
  }

  /** Why this level and this first node, in one sentence. */
  public String reason() {
    return route.reason();
  }
}
