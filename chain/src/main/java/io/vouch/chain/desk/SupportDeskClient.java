package io.vouch.chain.desk;

import io.vouch.chain.VouchDeployment;
import io.vouch.chain.contracts.SupportDesk;
import io.vouch.chain.tx.ChainCall;
import io.vouch.chain.tx.GasLimits;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.tensor.Tensor;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The SupportDesk example consumer ({@code contracts/src/SupportDesk.sol}): a contract that opens
 * an on-chain request per ticket and files the ticket into the queue of the model's answer once the
 * result is final. What {@code vouch demo} deploys and drives.
 */
public final class SupportDeskClient {
  private final SupportDesk desk;

  private SupportDeskClient(SupportDesk desk) {
    this.desk = desk;
  }

  /**
   * Deploys, from {@code from}, a desk on {@code deployment}'s hub that asks {@code modelId} and
   * gives nodes {@code responseSeconds}; {@code queues} name the model's output classes in order.
   */
  public static SupportDeskClient deploy(
      TransactionSender from,
      VouchDeployment deployment,
      Bytes32 modelId,
      long responseSeconds,
      List<String> queues) {
    return new SupportDeskClient(
        ChainCall.run(
            "deploying a SupportDesk",
            () ->
                SupportDesk.deploy(
                        from.web3j(),
                        from,
                        GasLimits.DEFAULT,
                        deployment.inferenceHub().toHex(),
                        modelId.toArray(),
                        BigInteger.valueOf(responseSeconds),
                        queues)
                    .send()));
  }

  public Address address() {
    return Address.fromHex(desk.getContractAddress());
  }

  /** Solidity {@code SupportDesk.TicketStatus}. */
  public enum Status {
    NONE,
    /** Its request is open in the hub. */
    PENDING,
    /** Filed into the queue of the model's answer. */
    ROUTED,
    /** The answer could not be read as a queue (the node was paid: a valid, useless answer). */
    UNROUTABLE,
    /** No node answered in time: the fee is refunded to the customer. */
    FAILED
  }

  /** A ticket: who opened it, where it stands, its queue once routed, its hub request. */
  public record Ticket(
      long ticketId,
      Address customer,
      Status status,
      int queue,
      BigInteger requestId,
      BigInteger paidWei) {}

  /** A ticket just opened: its number, its hub request and the transaction. */
  public record Opened(long ticketId, BigInteger requestId, String transactionHash) {}

  /** Opens a ticket with the featurized text, paying at most {@code feeWei} for the inference. */
  public Opened openTicket(Tensor features, BigInteger feeWei) {
    var r = call("openTicket", () -> desk.openTicket(features.canonicalBytes(), feeWei).send());
    var e = SupportDesk.getTicketOpenedEvents(r).getFirst();
    return new Opened(e.ticketId.longValueExact(), e.requestId, r.getTransactionHash());
  }

  public Ticket ticket(long ticketId) {
    SupportDesk.Ticket t = call("ticket", () -> desk.ticket(BigInteger.valueOf(ticketId)).send());
    return new Ticket(
        ticketId,
        Address.fromHex(t.customer),
        Status.values()[t.status.intValueExact()],
        t.queue.intValueExact(),
        t.requestId,
        t.paid);
  }

  /** The name of queue {@code index} (the model's class of that index). */
  public String queueName(int index) {
    return call("queueName", () -> desk.queueName(BigInteger.valueOf(index)).send());
  }

  private static <T> T call(String function, Callable<T> c) {
    return ChainCall.run("SupportDesk." + function, c);
  }
}
