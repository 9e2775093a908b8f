package io.vouch.sdk.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.tensor.Tensor;
import io.vouch.sdk.VouchClientException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, item 6 on the client side: a node's JSON answer is parsed with numbers of at most 78
 * characters (a uint256's digits), and a number the client needs as a long is never truncated. The
 * node here is a small HTTP server that answers every inference with the JSON the test gives it.
 */
class HostileNodeAnswerTest {
  HttpServer node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop(0);
    }
  }

  NodeClient nodeAnswering(String json) throws IOException {
    node = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    node.createContext(
        "/v1/infer",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          byte[] b = json.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, b.length);
          exchange.getResponseBody().write(b);
          exchange.close();
        });
    node.start();
    return new NodeClient("http://127.0.0.1:" + node.getAddress().getPort());
  }

  VouchClientException inferOn(NodeClient client) {
    Tensor input = Tensor.ofFloats(new int[] {1, 2}, 1f, 2f);
    Throwable t =
        catchThrowable(() ->
            client.infer(
                "m@1", input, VerificationLevel.VANILLA, Bytes32.ZERO, Duration.ofSeconds(10)));
    assertThat(t).isInstanceOf(VouchClientException.class);
    return (VouchClientException) t;
  }

  @Test
  void aThousandDigitNumberInAnAnswerIsRefusedNamingWhereItIs() throws IOException {
    NodeClient client = nodeAnswering("{\"chainId\":" + "7".repeat(1_000) + ",\"hub\":\"0x00\"}");

    VouchClientException e = inferOn(client);

    assertThat(e.code()).isEqualTo(ErrorCode.NODE_UNAVAILABLE);
    assertThat(e.getMessage()).contains("/chainId").doesNotContain("7".repeat(100));
  }

  @Test
  void aChainIdBeyondALongIsRefusedNotTruncated() throws IOException {
    // 70 digits: within the wire's limit, far beyond a long (asLong would keep its low 64 bits).
    NodeClient client = nodeAnswering("{\"chainId\":" + "1".repeat(70) + ",\"hub\":\"0x00\"}");

    VouchClientException e = inferOn(client);

    assertThat(e.code()).isEqualTo(ErrorCode.NODE_UNAVAILABLE);
    assertThat(e.getMessage()).contains("chainId");
  }
}
