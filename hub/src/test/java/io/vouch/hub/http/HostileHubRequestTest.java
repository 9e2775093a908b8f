package io.vouch.hub.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.hub.repo.ModelRepository;
import io.vouch.hub.store.InMemoryContentStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9, items 6 and 7 at the model hub, written as a hostile client writes them: raw bytes on a
 * loopback socket. Framing that RFC 9112 does not allow is refused before any route reads a body,
 * and a number longer than a uint256 is refused before it is parsed, naming where it is.
 */
class HostileHubRequestTest {
  static HubServer hub;

  @BeforeAll
  static void start() throws IOException {
    hub =
        HubServer.start(
            ModelRepository.inMemory(new InMemoryContentStore()), HubServerConfig.loopback());
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  /** Sends {@code head} (CRLF line ends added) and {@code body}; the whole answer. */
  static String send(String head, String body) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), hub.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write((head.replace("|", "\r\n") + body).getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * A sign, a list, a length longer than any body (zero-padded), a negative zero. White space
   * around the value is the field's optional white space (RFC 9110 §5.5): the JDK's server strips
   * it before the hub sees the value, as the node's server does, so {@code Content-Length: 5 } is
   * the well-formed 5.
   */
  @ParameterizedTest(name = "Content-Length: [{0}]")
  @ValueSource(strings = {"+5", "-0", "+0", "5, 5", "0000000000000000000005"})
  void aLenientContentLengthIs400(String length) throws IOException {
    String answer =
        send(
            "PUT /v1/blobs HTTP/1.1|Host: a|Connection: close|Content-Length: " + length + "||",
            "hello");

    assertThat(answer).startsWith("HTTP/1.1 400 ").contains("Content-Length");
  }

  @Test
  void contentLengthBesideTransferEncodingIs400() throws IOException {
    // The JDK's server refuses this one itself, before the hub's handler.
    String answer =
        send(
            "PUT /v1/blobs HTTP/1.1|Host: a|Connection: close|Content-Length: 5|"
                + "Transfer-Encoding: chunked||",
            "5\r\nhello\r\n0\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400 ");
  }

  @Test
  void aWellFormedContentLengthIsServed() throws IOException {
    String answer =
        send("PUT /v1/blobs HTTP/1.1|Host: a|Connection: close|Content-Length: 5||", "hello");

    assertThat(answer).startsWith("HTTP/1.1 201 ");
  }

  @Test
  void aThousandDigitNumberIs400NamingTheField() throws IOException {
    String draft =
        "{\"owner\":\"0x0000000000000000000000000000000000000001\",\"version\":\"1\","
            + "\"files\":[{\"path\":\"model.onnx\","
            + "\"cid\":\"bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy\","
            + "\"size\":"
            + "9".repeat(1_000)
            + "}]}";

    String answer =
        send(
            "POST /v1/repos/demo/versions HTTP/1.1|Host: a|Connection: close|Content-Type:"
                + " application/json|Content-Length: "
                + draft.length()
                + "||",
            draft);

    assertThat(answer)
        .startsWith("HTTP/1.1 400 ")
        .contains("/files/0/size")
        .contains("78")
        .doesNotContain("9".repeat(100)); // the number is not echoed back
  }
}
