package io.vouch.node.settlement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.hub.InferenceHubClient;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.web3j.protocol.Service;
import org.web3j.protocol.Web3j;

/**
 * A JSON-RPC endpoint that answers the hub's {@code channelOf(payer, node)} reads from a table: a
 * deterministic stand-in for the chain where a test only needs what a payer's channel holds.
 * Anything else is an error naming the method.
 */
final class StubHubChain extends Service {
  static final Address HUB = Address.fromHex("0x00000000000000000000000000000000000000aa");
  private static final String CHANNEL_OF =
      HexFormat.of().formatHex(Keccak.hash("channelOf(address,address)").toArray(), 0, 4);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<Address, PayerChannels.Channel> channels = new ConcurrentHashMap<>();
  final AtomicInteger reads = new AtomicInteger();

  StubHubChain() {
    super(false);
  }

  /** Sets what {@code payer}'s channel to the node holds. */
  void channel(Address payer, PayerChannels.Channel channel) {
    channels.put(payer, channel);
  }

  /** A read-only hub client whose chain is this stub (deployed at {@link #HUB}). */
  InferenceHubClient hub() {
    return InferenceHubClient.readOnly(
        Web3j.build(this), new VouchDeployment(31337, Address.ZERO, Address.ZERO, HUB, 0));
  }

  @Override
  protected InputStream performIO(String payload) {
    try {
      JsonNode request = JSON.readTree(payload);
      String method = request.get("method").asText();
      String data = request.path("params").path(0).path("data").asText("");
      String result;
      if (method.equals("eth_call") && data.startsWith("0x" + CHANNEL_OF)) {
        reads.incrementAndGet();
        Address payer = Address.fromHex("0x" + data.substring(2 + 8 + 24, 2 + 8 + 64));
        PayerChannels.Channel c =
            channels.getOrDefault(
                payer,
                new PayerChannels.Channel(BigInteger.ZERO, BigInteger.ZERO, 0, BigInteger.ZERO));
        result =
            "\"0x"
                + word(c.balance())
                + word(c.unlocking())
                + word(BigInteger.valueOf(c.unlockAt()))
                + word(c.redeemed())
                + "\"";
      } else {
        throw new IllegalStateException("the stub chain answers channelOf only, not " + method);
      }
      String response =
          "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + result + "}";
      return new ByteArrayInputStream(response.getBytes(StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String word(BigInteger v) {
    return Bytes32.fromUint(v).toHex().substring(2);
  }

  @Override
  public void close() {}
}
