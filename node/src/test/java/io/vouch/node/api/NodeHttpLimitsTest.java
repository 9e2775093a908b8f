package io.vouch.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vouch.core.Address;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.OnnxModelRunner;
import io.vouch.node.inference.ReceiptSigner;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.testmodels.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, items 4 and 5, against the node as it runs (its own limits on {@code infra}'s server),
 * through raw sockets as an attacker sends: {@code POST /v1/infer} refuses a declared length beyond
 * the largest model input before any body byte arrives, and one client address cannot take more
 * than its share of the node's connections while others still reach {@code /health}. The
 * server-side mechanics (growing buffers, the budget, deadlines, eviction) are tested in infra's
 * {@code BodyMemoryTest} and {@code SlowClientTest}.
 */
class NodeHttpLimitsTest {
  static final Secp256k1.KeyPair NODE_KEY =
      Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("node-http-limits-test"));
  static final Address HUB = Address.fromHex("0x00000000000000000000000000000000000000aa");

  /** The node's cap on any body: far above what the model's input takes. */
  static final int NODE_CAP = 8 << 20;

  static NodeApp node;
  static int port;
  final List<Socket> sockets = new ArrayList<>();

  @BeforeAll
  static void startNode() throws Exception {
    // 784 floats per row, a dynamic batch, at most 1,000 elements a request: 4,000 bytes of input
    byte[] onnx = TestModels.randomMlpOnnx(7, 784, 16, 10);
    NodeConfig config =
        new NodeConfig("127.0.0.1", 0, NODE_KEY, 31337, HUB, 1000, NODE_CAP, BigInteger.TEN);
    node = new NodeApp(config, Clock.systemUTC(), ReceiptSigner.SequenceStore.inMemory());
    node.load(
        new LoadedModel(
            Keccak.hash("mlp@1"),
            "mlp",
            1,
            "bafkreitest",
            Set.of(VerificationLevel.VANILLA),
            BigInteger.TEN,
            new OnnxModelRunner(OnnxRuntimeEngine.load(onnx))));
    node.start();
    port = URI.create(node.baseUrl()).getPort();
  }

  @AfterAll
  static void stopNode() {
    node.stop();
  }

  @AfterEach
  void closeSockets() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
  }

  Socket connect(String from) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    if (from != null) {
      s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    }
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
    s.setSoTimeout(5_000);
    return s;
  }

  static void write(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
  }

  /** One answer (head and body by Content-Length); a timeout if none comes within 5 s. */
  static String readResponse(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed inside a response head: " + head);
      }
      head.write(c);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    int i = h.toLowerCase(Locale.ROOT).indexOf("content-length: ");
    int length = Integer.parseInt(h.substring(i + 16, h.indexOf("\r\n", i)));
    return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  static boolean closedByServer(Socket s) throws IOException {
    try {
      return s.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  static String inferHead(String contentType, long contentLength) {
    return "POST /v1/infer HTTP/1.1\r\nHost: node\r\nContent-Type: "
        + contentType
        + "\r\nVouch-Model: mlp@1\r\nContent-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  @Test
  void inferRefusesADeclaredLengthBeyondTheLargestModelInputFromTheHeadAlone() throws Exception {
    // under the node's 8 MiB cap, far over the model's 4,000-byte input (the limit is the 16 KiB
    // floor): without the per-route limit the node would wait for the body, and this read time out
    long declared = 4L << 20;
    Socket binary = connect(null);
    write(binary, inferHead(NodeHttpApi.TENSOR_MEDIA_TYPE, declared));
    Socket json = connect(null);
    write(json, inferHead("application/json", declared));

    String binaryAnswer = readResponse(binary);
    String jsonAnswer = readResponse(json);

    assertThat(binaryAnswer)
        .startsWith("HTTP/1.1 413 ")
        .contains("\"error\":\"PAYLOAD_TOO_LARGE\"")
        .contains("exceeds the " + InferBodyLimit.FLOOR_BYTES + " bytes that POST /v1/infer")
        .contains("the largest input of the models this node serves");
    assertThat(closedByServer(binary)).isTrue();
    assertThat(jsonAnswer).startsWith("HTTP/1.1 413 ").contains("POST /v1/infer accepts");
  }

  @Test
  void aNumberLongerThanAUint256InTheJsonFormIs400NamingWhereItIs() throws Exception {
    // A well-formed float32 input but for its first element: 1,000 digits, which Jackson's own
    // limit (1,000 characters) lets through and which would reach the model as +Infinity.
    StringBuilder data = new StringBuilder("9".repeat(1_000));
    for (int i = 1; i < 784; i++) {
      data.append(",0.5");
    }
    String body =
        "{\"model\":\"mlp@1\",\"input\":{\"dtype\":\"float32\",\"shape\":[1,784],\"data\":["
            + data
            + "]}}";
    Socket s = connect(null);
    write(s, inferHead("application/json", body.length()) + body);

    String answer = readResponse(s);

    assertThat(answer)
        .startsWith("HTTP/1.1 400 ")
        .contains("BAD_INPUT")
        .contains("/input/data/0")
        .contains("78")
        .doesNotContain("9".repeat(100)); // the number is not echoed back
  }

  @Test
  void otherRoutesRefuseABodyOverTheirSmallLimit() throws Exception {
    Socket s = connect(null);
    write(s, "POST /v1/settle HTTP/1.1\r\nHost: node\r\nContent-Length: 1000000\r\n\r\n");

    assertThat(readResponse(s)).startsWith("HTTP/1.1 413 ").contains("PAYLOAD_TOO_LARGE");
  }

  @Test
  void oneAddressHoldsAtMostItsShareOfConnectionsAndHealthStaysAnswerableForOthers()
      throws Exception {
    assumeTrue(loopbackAliasesWork(), "binding 127.0.0.2 (Linux loopback) is not possible here");
    int cap = NodeHttpApi.MAX_CONNECTIONS_PER_ADDRESS;
    List<Socket> fromOne = new ArrayList<>();
    for (int i = 0; i <= cap; i++) {
      // nothing sent: a new connection waits for its head (the head deadline, 10 s, counts from
      // its opening), and the one refused is answered with nothing of the client's left unread
      fromOne.add(connect("127.0.0.2"));
    }
    Socket other = connect("127.0.0.1");
    write(other, "GET /health HTTP/1.1\r\nHost: node\r\n\r\n");
    String health = readResponse(other);

    // the node admits connections on its own threads, not necessarily in the order they were
    // opened: whichever one is over the cap, exactly one is refused and the others are held
    Thread.sleep(300);
    List<String> refused = new ArrayList<>();
    int held = 0;
    for (Socket s : fromOne) {
      s.setSoTimeout(20);
      try {
        refused.add(readResponse(s));
      } catch (SocketTimeoutException e) {
        held++;
      }
    }

    assertThat(health).startsWith("HTTP/1.1 200 ");
    assertThat(held).as("connections held from 127.0.0.2").isEqualTo(cap);
    assertThat(refused).hasSize(1);
    assertThat(refused.getFirst())
        .startsWith("HTTP/1.1 503 ")
        .contains("\"error\":\"NODE_UNAVAILABLE\"")
        .contains(cap + " connections open from 127.0.0.2");
  }

  static boolean loopbackAliasesWork() {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
