package io.vouch.hub.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.vouch.hub.cid.Cid;
import io.vouch.hub.repo.HubJson;
import io.vouch.hub.repo.ManifestFile;
import io.vouch.hub.repo.ModelRepository;
import io.vouch.hub.repo.PublishedVersion;
import io.vouch.hub.repo.RepositorySummary;
import io.vouch.hub.repo.VersionDraft;
import io.vouch.hub.repo.VersionSummary;
import io.vouch.hub.store.CorruptBlobException;
import io.vouch.hub.store.FileContentStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub over real loopback sockets: a real server, the real client, real files. */
class HubHttpTest {
  static final long MAX_BLOB = 64 * 1024;

  @TempDir Path dir;
  FileContentStore store;
  HubServer server;
  HubClient client;
  HttpClient http = HttpClient.newHttpClient();
  HttpServer lyingPeer;

  @BeforeEach
  void start() throws IOException {
    store = new FileContentStore(dir.resolve("store"));
    ModelRepository repository = ModelRepository.onDisk(dir.resolve("repos"), store);
    server = HubServer.start(repository, HubServerConfig.loopback().withMaxBlobBytes(MAX_BLOB));
    client = HubClient.of(server.uri());
  }

  @AfterEach
  void stop() {
    server.close();
    if (lyingPeer != null) {
      lyingPeer.stop(0);
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] random(long seed, int size) {
    byte[] out = new byte[size];
    new Random(seed).nextBytes(out);
    return out;
  }

  HttpResponse<byte[]> call(String method, String path, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body);
    return http.send(
        HttpRequest.newBuilder(server.uri().resolve(path)).method(method, publisher).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static JsonNode json(HttpResponse<byte[]> response) throws IOException {
    return HubJson.mapper().readTree(response.body());
  }

  /** A real HTTP peer that answers every blob request with the wrong bytes. */
  URI startLyingPeer() throws IOException {
    lyingPeer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    lyingPeer.createContext(
        "/",
        exchange -> {
          byte[] wrong = bytes("definitely not the model you asked for");
          exchange.sendResponseHeaders(200, wrong.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(wrong);
          }
        });
    lyingPeer.start();
    return URI.create("http://127.0.0.1:" + lyingPeer.getAddress().getPort());
  }

  static URI deadPeer() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }

  // --- server basics ---

  @Test
  void portZeroBindsAnEphemeralPortThatIsExposed() {
    assertThat(server.port()).isPositive();
    assertThat(server.uri().getPort()).isEqualTo(server.port());
  }

  @Test
  void afterCloseTheServerNoLongerAnswers() {
    server.close();
    assertThatThrownBy(() -> call("GET", "/v1/repos", null)).isInstanceOf(IOException.class);
  }

  // --- blobs ---

  @Test
  void aPushedBlobIsFetchedBackByItsCid() throws IOException {
    Cid cid = client.pushBlob(bytes("model bytes"));
    assertThat(cid).isEqualTo(Cid.ofBytes(bytes("model bytes")));
    assertThat(client.fetchBlob(cid)).isEqualTo(bytes("model bytes"));
  }

  @Test
  void putAnswers201WithTheCidAsJson() throws Exception {
    HttpResponse<byte[]> response = call("PUT", "/v1/blobs", bytes("abc"));
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(json(response).get("cid").asText()).isEqualTo(Cid.ofBytes(bytes("abc")).toString());
    assertThat(json(response).get("size").asLong()).isEqualTo(3);
  }

  @Test
  void getCarriesTheCidAsETag() throws Exception {
    Cid cid = client.pushBlob(bytes("tagged"));
    HttpResponse<byte[]> response = call("GET", "/v1/blobs/" + cid, null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("ETag")).contains("\"" + cid + "\"");
    assertThat(response.body()).isEqualTo(bytes("tagged"));
  }

  @Test
  void getWithAMatchingIfNoneMatchAnswers304() throws Exception {
    Cid cid = client.pushBlob(bytes("cached"));
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/v1/blobs/" + cid))
                .header("If-None-Match", "\"" + cid + "\"")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void headAnswersTheSizeWithoutABody() throws Exception {
    Cid cid = client.pushBlob(random(1, 5000));
    HttpResponse<byte[]> response = call("HEAD", "/v1/blobs/" + cid, null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Length")).contains("5000");
    assertThat(response.body()).isEmpty();
    assertThat(client.hasBlob(cid)).isTrue();
  }

  @Test
  void headOfAnUnknownBlobIs404() throws Exception {
    Cid unknown = Cid.ofBytes(bytes("absent"));
    assertThat(call("HEAD", "/v1/blobs/" + unknown, null).statusCode()).isEqualTo(404);
    assertThat(client.hasBlob(unknown)).isFalse();
  }

  @Test
  void anUnknownBlobIs404WithAJsonError() throws Exception {
    Cid unknown = Cid.ofBytes(bytes("absent"));
    HttpResponse<byte[]> response = call("GET", "/v1/blobs/" + unknown, null);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(response).get("error").asText()).contains(unknown.toString());
    assertThat(json(response).get("hint").asText()).isNotBlank();
  }

  @Test
  void aMalformedCidIs400NamingTheProblem() throws Exception {
    HttpResponse<byte[]> response =
        call("GET", "/v1/blobs/bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", null);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").asText()).contains("dag-pb");
    assertThat(json(response).get("hint").asText()).contains("bafkrei");
  }

  @Test
  void anOversizeUploadIs413() throws Exception {
    HttpResponse<byte[]> response = call("PUT", "/v1/blobs", random(2, (int) MAX_BLOB + 1));
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).get("error").asText()).contains(Long.toString(MAX_BLOB));
  }

  @Test
  void anUploadOfExactlyTheMaximumIsAccepted() throws Exception {
    assertThat(call("PUT", "/v1/blobs", random(3, (int) MAX_BLOB)).statusCode()).isEqualTo(201);
  }

  @Test
  void anOversizeChunkedUploadWithoutContentLengthIs413() throws Exception {
    byte[] big = random(4, (int) MAX_BLOB * 2);
    // ofInputStream has no known length, so the client sends it chunked.
    HttpRequest request =
        HttpRequest.newBuilder(server.uri().resolve("/v1/blobs"))
            .PUT(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(big)))
            .build();
    int status;
    try {
      status = http.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
    } catch (IOException resetWhileSending) {
      status = 413; // the server may close before the client finished sending; nothing stored
    }
    assertThat(status).isEqualTo(413);
    assertThat(store.has(Cid.ofBytes(big))).isFalse();
  }

  @Test
  void aLargeFileIsPushedAndFetchedAsStreams() throws IOException {
    ModelRepository repository = ModelRepository.inMemory(store);
    try (HubServer big = HubServer.start(repository, HubServerConfig.loopback())) {
      HubClient bigClient = HubClient.of(big.uri());
      Path source = dir.resolve("model.onnx");
      Files.write(source, random(5, 12 * 1024 * 1024 + 3));
      Cid cid = bigClient.pushBlob(source);
      Path target = dir.resolve("fetched/model.onnx");
      bigClient.fetchBlob(cid, target);
      assertThat(target).hasSameBinaryContentAs(source);
    }
  }

  @Test
  void aWrongMethodIs405WithAllow() throws Exception {
    HttpResponse<byte[]> response = call("DELETE", "/v1/blobs", null);
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).contains("PUT");
  }

  @Test
  void anUnknownPathIs404() throws Exception {
    assertThat(call("GET", "/v2/anything", null).statusCode()).isEqualTo(404);
  }

  // --- corrupted bytes ---

  @Test
  void aBlobCorruptedOnDiskIsNotServed() throws Exception {
    Cid cid = client.pushBlob(bytes("pristine weights"));
    Files.write(store.pathOf(cid), bytes("poisoned weights"));
    HttpResponse<byte[]> response = call("GET", "/v1/blobs/" + cid, null);
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .contains("corrupt")
        .doesNotContain("poisoned");
  }

  @Test
  void theClientRefusesABlobCorruptedOnTheServerNamingTheCid() throws IOException {
    Cid cid = client.pushBlob(bytes("pristine weights"));
    Files.write(store.pathOf(cid), bytes("poisoned weights"));
    assertThatThrownBy(() -> client.fetchBlob(cid)).hasMessageContaining(cid.toString());
  }

  @Test
  void theClientRefusesWrongBytesFromAPeerNamingTheCid() throws IOException {
    HubClient viaLiar = HubClient.of(startLyingPeer());
    Cid cid = Cid.ofBytes(bytes("the real model"));
    assertThatThrownBy(() -> viaLiar.fetchBlob(cid))
        .isInstanceOf(CorruptBlobException.class)
        .hasMessageContaining(cid.toString());
  }

  @Test
  void wrongBytesFromAPeerNeverReachTheTargetFile() throws IOException {
    HubClient viaLiar = HubClient.of(startLyingPeer());
    Path target = dir.resolve("out/model.onnx");
    assertThatThrownBy(() -> viaLiar.fetchBlob(Cid.ofBytes(bytes("x")), target))
        .isInstanceOf(CorruptBlobException.class);
    assertThat(target).doesNotExist();
    try (var files = Files.list(target.getParent())) {
      assertThat(files).isEmpty();
    }
  }

  // --- peers ---

  @Test
  void fetchFallsBackPastDeadAndLyingPeersToAGoodOne() throws IOException {
    Cid cid = client.pushBlob(bytes("replicated"));
    HubClient many = HubClient.of(deadPeer(), startLyingPeer(), server.uri());
    assertThat(many.fetchBlob(cid)).isEqualTo(bytes("replicated"));
  }

  @Test
  void whenEveryPeerFailsTheErrorListsEachOne() throws IOException {
    URI dead = deadPeer();
    URI liar = startLyingPeer();
    Cid cid = Cid.ofBytes(bytes("nowhere"));
    HubClient many = HubClient.of(dead, liar, server.uri());
    assertThatThrownBy(() -> many.fetchBlob(cid))
        .isInstanceOf(PeersExhaustedException.class)
        .hasMessageContaining("3 peer(s)")
        .hasMessageContaining(dead.toString())
        .hasMessageContaining(liar.toString())
        .hasMessageContaining(server.uri().toString());
  }

  // --- repositories ---

  VersionDraft draft(String version, String... contents) throws IOException {
    List<ManifestFile> files = new java.util.ArrayList<>();
    for (int i = 0; i < contents.length; i++) {
      byte[] content = bytes(contents[i]);
      files.add(new ManifestFile("file" + i + ".bin", client.pushBlob(content), content.length));
    }
    return new VersionDraft("alice", version, files, Map.of("framework", "onnx"));
  }

  @Test
  void aPushedVersionIsListedAndShown() throws IOException {
    PublishedVersion pushed = client.pushVersion("sentiment", draft("1", "weights", "vocab"));
    assertThat(client.listRepositories())
        .containsExactly(new RepositorySummary("sentiment", "alice", 1, "1"));
    assertThat(client.listVersions("sentiment"))
        .containsExactly(new VersionSummary("1", pushed.manifestCid()));
    assertThat(client.showVersion("sentiment", "1")).isEqualTo(pushed);
  }

  @Test
  void theFilesOfAShownVersionCanBeFetched() throws IOException {
    client.pushVersion("sentiment", draft("1", "weights"));
    ManifestFile file = client.showVersion("sentiment", "1").manifest().files().getFirst();
    assertThat(client.fetchBlob(file.cid())).isEqualTo(bytes("weights"));
  }

  @Test
  void aNewVersionIs201AndTheSameAgainIs200() throws Exception {
    byte[] body = HubJson.mapper().writeValueAsBytes(draft("1", "weights"));
    assertThat(call("POST", "/v1/repos/sentiment/versions", body).statusCode()).isEqualTo(201);
    assertThat(call("POST", "/v1/repos/sentiment/versions", body).statusCode()).isEqualTo(200);
  }

  @Test
  void aConflictingVersionIs409() throws IOException {
    client.pushVersion("sentiment", draft("1", "weights"));
    VersionDraft other = draft("1", "other weights");
    assertThatThrownBy(() -> client.pushVersion("sentiment", other))
        .isInstanceOfSatisfying(
            HubHttpException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.error()).contains("sentiment@1");
              assertThat(e.hint()).isNotBlank();
            });
  }

  @Test
  void aVersionReferencingAnUnstoredBlobIs400() throws IOException {
    Cid missing = Cid.ofBytes(bytes("never pushed"));
    VersionDraft draft =
        new VersionDraft("alice", "1", List.of(new ManifestFile("m.onnx", missing, 12)), null);
    assertThatThrownBy(() -> client.pushVersion("sentiment", draft))
        .isInstanceOfSatisfying(HubHttpException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void anotherOwnersPushIs403() throws IOException {
    client.pushVersion("sentiment", draft("1", "weights"));
    VersionDraft mallory =
        new VersionDraft("mallory", "2", draft("2", "weights").files(), Map.of());
    assertThatThrownBy(() -> client.pushVersion("sentiment", mallory))
        .isInstanceOfSatisfying(HubHttpException.class, e -> assertThat(e.status()).isEqualTo(403));
  }

  @Test
  void malformedVersionJsonIs400() throws Exception {
    HttpResponse<byte[]> response =
        call("POST", "/v1/repos/sentiment/versions", bytes("{\"owner\": \"alice\", \"oops\": 1}"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").asText()).contains("oops");
  }

  @Test
  void anUnknownRepositoryIs404() {
    assertThatThrownBy(() -> client.listVersions("nope"))
        .isInstanceOfSatisfying(HubHttpException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void anUnknownVersionIs404() throws IOException {
    client.pushVersion("sentiment", draft("1", "weights"));
    assertThatThrownBy(() -> client.showVersion("sentiment", "2"))
        .isInstanceOfSatisfying(HubHttpException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void theManifestIsItselfAFetchableBlob() throws IOException {
    PublishedVersion pushed = client.pushVersion("sentiment", draft("1", "weights"));
    assertThat(client.fetchBlob(pushed.manifestCid()))
        .isEqualTo(HubJson.canonicalBytes(pushed.manifest()));
  }
}
