package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.desk.SupportDeskClient;
import io.vouch.chain.hub.InferenceHubClient;
import io.vouch.chain.hub.KeeperMove;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example consumer through its typed client: what {@code vouch demo} does on chain. */
class SupportDeskClientTest extends DevChainTest {
  static final List<String> QUEUES = List.of("billing", "technical", "account", "other");

  @Test
  void aTicketOpenedThroughTheClientIsRoutedOnceItsResultIsFinal() throws Exception {
    SupportDeskClient desk = SupportDeskClient.deploy(requester, deployment, modelId, 600, QUEUES);

    SupportDeskClient.Opened opened = desk.openTicket(input(), FEE);

    assertThat(opened.ticketId()).isZero();
    SupportDeskClient.Ticket pending = desk.ticket(0);
    assertThat(pending.status()).isEqualTo(SupportDeskClient.Status.PENDING);
    assertThat(pending.requestId()).isEqualTo(opened.requestId());
    assertThat(pending.customer()).isEqualTo(requester.address());
    assertThat(pending.paidWei()).isEqualTo(FEE);

    submitCorrectly(opened.requestId(), logits(-3.5f, -0.25f, -7f, -1f));
    passChallengeWindow();
    assertThat(
            new InferenceHubClient(stranger, deployment)
                .keeper()
                .finalizeResult(opened.requestId()))
        .isInstanceOf(KeeperMove.Finalized.class);

    SupportDeskClient.Ticket routed = desk.ticket(0);
    assertThat(routed.status()).isEqualTo(SupportDeskClient.Status.ROUTED);
    assertThat(routed.queue()).isEqualTo(1);
    assertThat(desk.queueName(routed.queue())).isEqualTo("technical");
  }
}
