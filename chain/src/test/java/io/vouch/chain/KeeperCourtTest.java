package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.hub.InferenceHubClient;
import io.vouch.chain.hub.KeeperMove;
import io.vouch.chain.hub.RequestStatus;
import io.vouch.core.VerificationLevel;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** With the court in session, a routed result waits for its verdict, whatever keepers try. */
class KeeperCourtTest extends CourtChainTest {
  @Test
  void finalizingARoutedResultTheCourtHasNotClearedIsVerificationPending() throws Exception {
    BigInteger id = requestOn(zkModel, VerificationLevel.ZKML);
    submitOn(id, zkModel, VerificationLevel.ZKML, logits(1f, 2f));
    passChallengeWindow();
    InferenceHubClient hub = new InferenceHubClient(stranger, deployment);

    assertThat(hub.keeper().finalizeResult(id)).isInstanceOf(KeeperMove.VerificationPending.class);
    assertThat(hub.keeper().settle(id)).isInstanceOf(KeeperMove.VerificationPending.class);
    assertThat(hub.getRequest(id).viaCourt()).isTrue();
    assertThat(hub.statusOf(id)).isEqualTo(RequestStatus.SUBMITTED);
  }
}
