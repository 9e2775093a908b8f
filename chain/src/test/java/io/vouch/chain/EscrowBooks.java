package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.contracts.VerificationCourt;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The books of a deployment's money-holding contracts across a stretch of chain, for every test
 * that moves money on anvil (chain's {@code DevChainTest}, the node's and the SDK's payment tests):
 * {@link #open} at the start of a test, {@link #assertBalanced} after it.
 *
 * <p>At the end, each contract's ETH balance equals what its books say it holds (the hub: escrow +
 * deposits and channels + owed payouts; the court: challenge bonds + owed payouts + the fees of
 * open key approvals), and every wei that came in during the stretch went out or is still held:
 * what was held at the start + what came in (the hub: request fees and deposits; the court: bonds,
 * key approval fees and slashed stake) = what went out (the hub's {@code FundsReleased}, the
 * court's {@code Paid}) + what is held at the end. Both ends are read at fixed block numbers, so a
 * node process that sends transactions meanwhile (redemptions, receipt roots) cannot tear the
 * comparison; a chain shared by several test classes is fine.
 */
public final class EscrowBooks {
  private static final String REQUESTED =
      EventEncoder.encode(InferenceHub.INFERENCEREQUESTED_EVENT);
  private static final String DEPOSITED = EventEncoder.encode(InferenceHub.DEPOSITED_EVENT);
  private static final String RELEASED = EventEncoder.encode(InferenceHub.FUNDSRELEASED_EVENT);
  private static final String CHALLENGED = EventEncoder.encode(VerificationCourt.CHALLENGED_EVENT);
  private static final String SLASHED = EventEncoder.encode(VerificationCourt.STAKESLASHED_EVENT);
  private static final String PAID = EventEncoder.encode(VerificationCourt.PAID_EVENT);
  private static final String KEY_FEE =
      EventEncoder.encode(VerificationCourt.KEYAPPROVALOPENED_EVENT);

  private final Web3j web3j;
  private final VouchDeployment deployment;
  private final TransactionSender reader;
  private final long startBlock;
  private final Held start;

  /** What the hub and the court hold by their books at one block. */
  private record Held(BigInteger hub, BigInteger court) {}

  private EscrowBooks(Web3j web3j, VouchDeployment deployment, TransactionSender reader)
      throws Exception {
    this.web3j = web3j;
    this.deployment = deployment;
    this.reader = reader;
    this.startBlock = head();
    this.start = held(startBlock);
  }

  /**
   * Books opened at the chain's head now; {@code reader} is any sender (only calls are made with
   * it).
   */
  public static EscrowBooks open(Web3j web3j, VouchDeployment deployment, TransactionSender reader)
      throws Exception {
    return new EscrowBooks(web3j, deployment, reader);
  }

  /** Books opened at {@code anvil}'s head now, read with its first development key. */
  public static EscrowBooks open(AnvilProcess anvil, VouchDeployment deployment) throws Exception {
    return open(
        anvil.web3j(),
        deployment,
        TransactionSender.create(anvil.web3j(), anvil.devKeys().getFirst()));
  }

  /** Checks both contracts' books at the head now, and the flows since {@link #open}. */
  public void assertBalanced() throws Exception {
    long end = head();
    Held now = held(end);

    BigInteger in = BigInteger.ZERO;
    BigInteger out = BigInteger.ZERO;
    for (Log log : logs(deployment.inferenceHub(), end)) {
      String topic = log.getTopics().getFirst();
      if (topic.equals(REQUESTED)) {
        in = in.add(InferenceHub.getInferenceRequestedEventFromLog(log).maxFee);
      } else if (topic.equals(DEPOSITED)) {
        in = in.add(InferenceHub.getDepositedEventFromLog(log).amount);
      } else if (topic.equals(RELEASED)) {
        out = out.add(InferenceHub.getFundsReleasedEventFromLog(log).amount);
      }
    }
    assertThat(start.hub().add(in))
        .as("hub: held before + ETH in (fees, deposits) == paid out + refunded + held now")
        .isEqualTo(out.add(now.hub()));

    in = BigInteger.ZERO;
    out = BigInteger.ZERO;
    for (Log log : logs(deployment.verificationCourt(), end)) {
      String topic = log.getTopics().getFirst();
      if (topic.equals(CHALLENGED)) {
        in = in.add(VerificationCourt.getChallengedEventFromLog(log).bond);
      } else if (topic.equals(SLASHED)) {
        in = in.add(VerificationCourt.getStakeSlashedEventFromLog(log).amount);
      } else if (topic.equals(KEY_FEE)) {
        in = in.add(VerificationCourt.getKeyApprovalOpenedEventFromLog(log).fee);
      } else if (topic.equals(PAID)) {
        out = out.add(VerificationCourt.getPaidEventFromLog(log).amount);
      }
    }
    assertThat(start.court().add(in))
        .as("court: held before + ETH in (bonds, key fees, slashed stake) == paid out + held now")
        .isEqualTo(out.add(now.court()));
  }

  /** The books of both contracts at {@code block}, each checked against its ETH balance. */
  private Held held(long block) throws Exception {
    DefaultBlockParameter at = DefaultBlockParameter.valueOf(BigInteger.valueOf(block));
    InferenceHub hub = deployment.inferenceHub(reader);
    hub.setDefaultBlockParameter(at);
    BigInteger hubHeld =
        hub.totalEscrowed().send().add(hub.totalDeposits().send()).add(hub.totalOwed().send());
    assertThat(balanceOf(deployment.inferenceHub(), at))
        .as("hub balance == escrowed + deposits + owed, at block %d", block)
        .isEqualTo(hubHeld);
    assertThat(hub.heldBalance().send()).isEqualTo(hubHeld);
    assertThat(hub.isBalanced().send()).as("hub isBalanced at block %d", block).isTrue();

    VerificationCourt court = deployment.verificationCourt(reader);
    court.setDefaultBlockParameter(at);
    BigInteger courtHeld =
        court.totalBonds().send().add(court.totalOwed().send()).add(court.totalKeyFees().send());
    assertThat(balanceOf(deployment.verificationCourt(), at))
        .as("court balance == bonds + owed + key approval fees, at block %d", block)
        .isEqualTo(courtHeld);
    assertThat(court.isBalanced().send()).as("court isBalanced at block %d", block).isTrue();
    return new Held(hubHeld, courtHeld);
  }

  /** {@code contract}'s logs after the opening block, up to {@code end}. */
  private List<Log> logs(Address contract, long end) throws IOException {
    if (end <= startBlock) {
      return List.of();
    }
    EthLog logs =
        web3j
            .ethGetLogs(
                new EthFilter(
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(startBlock + 1)),
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(end)),
                    contract.toHex()))
            .send();
    assertThat(logs.hasError()).as("eth_getLogs of %s", contract).isFalse();
    return logs.getLogs().stream().map(r -> (Log) r.get()).toList();
  }

  private BigInteger balanceOf(Address a, DefaultBlockParameter at) throws IOException {
    return web3j.ethGetBalance(a.toHex(), at).send().getBalance();
  }

  private long head() throws IOException {
    return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
  }
}
