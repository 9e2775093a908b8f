package io.vouch.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.vouch.chain.EscrowBooks;
import io.vouch.chain.contracts.InferenceHub;
import io.vouch.core.Address;
import io.vouch.core.Requirements;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.PaymentVoucher;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile node (issue 9.1): registered on chain at 1 wei per request, it answers every request
 * with 402, asking for the payer's whole deposit and claiming to hold vouchers it never received
 * (with a forged signature). It must get nothing beyond one registered price, whatever it says and
 * however often it is asked.
 */
class HostileNodePaymentTest {
  static final BigInteger REGISTERED_PRICE = BigInteger.ONE;
  static final BigInteger DEPOSIT = BigInteger.valueOf(1_000_000);

  static Devnet devnet;
  static Secp256k1.KeyPair hostileKey = Devnet.key("hostile-node");
  static HttpServer server;

  /** What the 402 says: price and held amount, set per test. */
  static volatile BigInteger askedPrice;

  static volatile BigInteger claimedHeld;

  /** Every voucher amount the SDK sent the hostile node. */
  static final List<BigInteger> received = new CopyOnWriteArrayList<>();

  static volatile Signature lastSignature;

  @BeforeAll
  static void start() throws Exception {
    devnet = Devnet.get();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext(
        "/v1/infer",
        exchange -> {
          String amount = exchange.getRequestHeaders().getFirst("Vouch-Voucher-Cumulative-Amount");
          if (amount != null) {
            received.add(new BigInteger(amount));
            lastSignature =
                Signature.fromHex(exchange.getRequestHeaders().getFirst("Vouch-Voucher-Signature"));
          }
          exchange.getRequestBody().readAllBytes();
          // A signature of the claimed voucher by a key that is not the payer's.
          Signature forged =
              new PaymentVoucher(Address.ZERO, hostileKey.address(), claimedHeld)
                  .sign(devnet.deployment.domain(), Devnet.key("forger"));
          String body =
              "{\"error\":\"PAYMENT_REQUIRED\",\"message\":\"pay up\",\"price\":\""
                  + askedPrice
                  + "\",\"heldCumulative\":\""
                  + claimedHeld
                  + "\",\"heldVoucher\":{\"cumulativeAmount\":\""
                  + claimedHeld
                  + "\",\"signature\":\""
                  + forged.toHex()
                  + "\"},\"node\":\""
                  + hostileKey.address().toHex()
                  + "\"}";
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(402, b.length);
          exchange.getResponseBody().write(b);
          exchange.close();
        });
    server.start();
    devnet.register(
        hostileKey, "http://127.0.0.1:" + server.getAddress().getPort(), REGISTERED_PRICE);
  }

  @AfterAll
  static void stop() {
    devnet.unbond(hostileKey);
    server.stop(0);
  }

  Requirements onTheHostileNode() {
    return Requirements.defaults().withPreferredNode(hostileKey.address());
  }

  /** Runs {@code requests} inferences against the hostile node with a fresh, funded payer. */
  VouchClient payAndAsk(String payerLabel, int requests) {
    received.clear();
    VouchClient c = devnet.client(devnet.fundedKey(payerLabel));
    c.payments().deposit(DEPOSIT);
    for (int i = 0; i < requests; i++) {
      assertThatThrownBy(() -> c.infer("demo@1", Devnet.input(1f), onTheHostileNode()))
          .isInstanceOf(VouchClientException.class);
    }
    return c;
  }

  /** What the hostile node gets on chain by redeeming the last voucher it was sent. */
  BigInteger redeemLast(VouchClient c) throws Exception {
    BigInteger last = received.getLast();
    Signature sig = lastSignature;
    var r =
        devnet
            .deployment
            .inferenceHub(devnet.sender(devnet.fund(hostileKey)))
            .redeemVoucher(c.payments().payer().toHex(), last, sig.toArray())
            .send();
    return InferenceHub.getVoucherRedeemedEvents(r).getFirst().paid;
  }

  /** Escrow is conserved after every test: the hub's and the court's books (chain's test-jar). */
  EscrowBooks books;

  @BeforeEach
  void openTheBooks() throws Exception {
    books = devnet.books();
  }

  @AfterEach
  void escrowIsConserved() throws Exception {
    books.assertBalanced();
  }

  @Test
  void aNodeAskingTheWholeDepositIsPaidNothing() {
    askedPrice = DEPOSIT;
    claimedHeld = BigInteger.ZERO;
    try (VouchClient c = payAndAsk("hostile-payer-price", 3)) {
      assertThat(received).as("no voucher for a price above the registered one").isEmpty();
      assertThatThrownBy(() -> c.infer("demo@1", Devnet.input(1f), onTheHostileNode()))
          .hasMessageContaining("registered price is " + REGISTERED_PRICE);
    }
  }

  @Test
  void aForgedHeldAmountIsNotBelievedAndRefusedVouchersAreNotCounted() throws Exception {
    askedPrice = REGISTERED_PRICE;
    claimedHeld = DEPOSIT.subtract(BigInteger.ONE);
    try (VouchClient c = payAndAsk("hostile-payer-held", 3)) {
      assertThat(received).as("the SDK offered the registered price").isNotEmpty();
      assertThat(received)
          .as("never more than one registered price, over three requests")
          .allSatisfy(amount -> assertThat(amount).isLessThanOrEqualTo(REGISTERED_PRICE));
      assertThat(redeemLast(c)).isLessThanOrEqualTo(REGISTERED_PRICE);
    }
  }
}
