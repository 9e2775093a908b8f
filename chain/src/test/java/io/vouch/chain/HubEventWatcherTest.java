package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.events.HubEvent;
import io.vouch.chain.events.HubEventWatcher;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class HubEventWatcherTest extends DevChainTest {

  @Test
  void aRequestsLifeIsReadAsTypedEventsInChainOrder() throws Exception {
    HubEventWatcher watcher =
        new HubEventWatcher(
            anvil.web3j(),
            deployment.inferenceHub(),
            anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact() + 1);
    BigInteger id = request(requester, FEE);
    submitCorrectly(id, logits(1f, 2f));
    passChallengeWindow();
    hub(stranger).finalize(id).send();

    List<HubEvent> events = watcher.poll();

    assertThat(events)
        .map(e -> e.getClass().getSimpleName())
        .containsExactly(
            "InferenceRequested",
            "RequestAssigned",
            "ResultSubmitted",
            "RequestFinalized",
            "FundsReleased",
            "FundsReleased",
            "FundsReleased");
    var assigned = (HubEvent.RequestAssigned) events.get(1);
    assertThat(assigned.requestId()).isEqualTo(id);
    assertThat(assigned.node()).isEqualTo(assignedNode(id));
    var submitted = (HubEvent.ResultSubmitted) events.get(2);
    assertThat(submitted.output()).isEqualTo(logits(1f, 2f).canonicalBytes());
    assertThat(watcher.poll()).as("nothing new").isEmpty();
  }
}
