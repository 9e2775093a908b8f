package io.vouch.hub.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.vouch.hub.cid.Cid;
import io.vouch.hub.repo.HubJson;
import io.vouch.hub.repo.PublishedVersion;
import io.vouch.hub.repo.RepositorySummary;
import io.vouch.hub.repo.VersionDraft;
import io.vouch.hub.repo.VersionSummary;
import io.vouch.hub.store.CorruptBlobException;
import io.vouch.hub.store.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Talks to one or more hubs over HTTP. Pushes go to the first peer. Reads try the peers in order
 * and fall back to the next on any failure (unreachable, error status, wrong bytes); when all fail,
 * {@link PeersExhaustedException} lists why each one did.
 *
 * <p>Every fetched blob is hash-checked while it streams; bytes that do not match the CID raise
 * {@link CorruptBlobException} naming the CID and the peer, and are never returned or left at the
 * target path. Manifests are checked the same way against their manifest CID.
 */
public final class HubClient {
  private final List<URI> peers;
  private final HttpClient http;
  private final Duration requestTimeout;

  public HubClient(List<URI> peers, HttpClient http, Duration requestTimeout) {
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("give at least one hub URI, e.g. http://127.0.0.1:7070");
    }
    this.peers = List.copyOf(peers);
    this.http = http;
    this.requestTimeout = requestTimeout;
  }

  /** A client with a default HTTP client (10 s connect timeout) and 10 min per request. */
  public static HubClient of(URI... peers) {
    return new HubClient(
        List.of(peers),
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
        Duration.ofMinutes(10));
  }

  public List<URI> peers() {
    return peers;
  }

  /** Uploads bytes; checks that the hub names them with the CID computed here. */
  public Cid pushBlob(byte[] content) throws IOException {
    return pushBlob(HttpRequest.BodyPublishers.ofByteArray(content), Cid.ofBytes(content));
  }

  /** Uploads a file, streaming it (never whole in memory); hashes it locally first. */
  public Cid pushBlob(Path file) throws IOException {
    Cid expected;
    try (InputStream in = Files.newInputStream(file)) {
      var sha256 = Cid.newSha256();
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        sha256.update(buffer, 0, n);
      }
      expected = Cid.ofSha256(sha256.digest());
    }
    return pushBlob(HttpRequest.BodyPublishers.ofFile(file), expected);
  }

  private Cid pushBlob(HttpRequest.BodyPublisher body, Cid expected) throws IOException {
    URI uri = peers.getFirst().resolve("/v1/blobs");
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Content-Type", "application/octet-stream")
            .PUT(body)
            .build();
    JsonNode answer = HubJson.mapper().readTree(sendForBytes(request, 201));
    Cid returned = Cid.parse(answer.path("cid").asText());
    if (!returned.equals(expected)) {
      throw new IOException(
          uri + " stored the upload as " + returned + " but its bytes hash to " + expected);
    }
    return returned;
  }

  /**
   * Publishes a version on the first peer; returns it whether it was created now or already existed
   * with the same content.
   *
   * @throws HubHttpException 400 invalid, 403 not the owner, 409 the version exists with other
   *     content
   */
  public PublishedVersion pushVersion(String repository, VersionDraft draft) throws IOException {
    URI uri = peers.getFirst().resolve("/v1/repos/" + segment(repository) + "/versions");
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(HubJson.mapper().writeValueAsBytes(draft)))
            .build();
    return checked(
        HubJson.mapper().readValue(sendForBytes(request, 200, 201), PublishedVersion.class), uri);
  }

  public List<RepositorySummary> listRepositories() throws IOException {
    return fromAnyPeer(
        "list repositories",
        peer -> {
          byte[] body = get(peer.resolve("/v1/repos"));
          Map<String, List<RepositorySummary>> answer =
              HubJson.mapper().readValue(body, new TypeReference<>() {});
          return answer.get("repositories");
        });
  }

  public List<VersionSummary> listVersions(String repository) throws IOException {
    return fromAnyPeer(
        "list versions of " + repository,
        peer -> {
          byte[] body = get(peer.resolve("/v1/repos/" + segment(repository) + "/versions"));
          return List.of(
              HubJson.mapper()
                  .treeToValue(
                      HubJson.mapper().readTree(body).path("versions"), VersionSummary[].class));
        });
  }

  /** One version's manifest, checked against its manifest CID. */
  public PublishedVersion showVersion(String repository, String version) throws IOException {
    return fromAnyPeer(
        "show " + repository + "@" + version,
        peer -> {
          URI uri =
              peer.resolve("/v1/repos/" + segment(repository) + "/versions/" + segment(version));
          return checked(HubJson.mapper().readValue(get(uri), PublishedVersion.class), uri);
        });
  }

  /** True when the first peer that answers holds the blob. */
  public boolean hasBlob(Cid cid) throws IOException {
    return fromAnyPeer(
        "check " + cid,
        peer -> {
          URI uri = blobUri(peer, cid);
          HttpRequest request =
              HttpRequest.newBuilder(uri)
                  .timeout(requestTimeout)
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build();
          int status = send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
          if (status == 200 || status == 404) {
            return status == 200;
          }
          throw new HubHttpException(uri, status, "unexpected status", "");
        });
  }

  /** Fetches a small blob into memory, hash-checked. Prefer {@link #fetchBlob(Cid, Path)}. */
  public byte[] fetchBlob(Cid cid) throws IOException {
    return fromAnyPeer(
        "fetch " + cid,
        peer -> {
          try (InputStream in = openBlob(peer, cid)) {
            return in.readAllBytes();
          }
        });
  }

  /**
   * Streams a blob to {@code target}, hash-checked; the file appears (atomically) only when the
   * bytes are proven right. Tries each peer in turn.
   */
  public void fetchBlob(Cid cid, Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    fromAnyPeer(
        "fetch " + cid,
        peer -> {
          Path temp = Files.createTempFile(dir, ".fetch-", ".part");
          try {
            try (InputStream in = openBlob(peer, cid);
                OutputStream out = Files.newOutputStream(temp)) {
              in.transferTo(out);
            }
            try {
              Files.move(
                  temp,
                  target,
                  StandardCopyOption.ATOMIC_MOVE,
                  StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
              Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
          } finally {
            Files.deleteIfExists(temp);
          }
        });
  }

  private InputStream openBlob(URI peer, Cid cid) throws IOException {
    URI uri = blobUri(peer, cid);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
    HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      byte[] body;
      try (InputStream in = response.body()) {
        body = in.readNBytes(64 * 1024);
      }
      throw error(uri, response.statusCode(), body);
    }
    return new VerifyingInputStream(response.body(), cid, "served by " + peer);
  }

  private static URI blobUri(URI peer, Cid cid) {
    return peer.resolve("/v1/blobs/" + cid);
  }

  private static PublishedVersion checked(PublishedVersion version, URI from)
      throws CorruptBlobException {
    if (!version.manifestCid().matches(HubJson.canonicalBytes(version.manifest()))) {
      throw new CorruptBlobException(version.manifestCid(), "of the manifest served by " + from);
    }
    return version;
  }

  private byte[] get(URI uri) throws IOException {
    return sendForBytes(HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build(), 200);
  }

  private byte[] sendForBytes(HttpRequest request, int... accepted) throws IOException {
    HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray());
    for (int status : accepted) {
      if (response.statusCode() == status) {
        return response.body();
      }
    }
    throw error(request.uri(), response.statusCode(), response.body());
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    try {
      return http.send(request, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while calling " + request.uri());
    } catch (IOException e) {
      throw new IOException(request.uri() + " failed: " + e, e);
    }
  }

  private static HubHttpException error(URI uri, int status, byte[] body) {
    try {
      ErrorBody error = HubJson.mapper().readValue(body, ErrorBody.class);
      return new HubHttpException(uri, status, error.error(), error.hint());
    } catch (IOException notJson) {
      String text = new String(body, StandardCharsets.UTF_8);
      return new HubHttpException(uri, status, text.isBlank() ? "(empty body)" : text, "");
    }
  }

  private static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @FunctionalInterface
  private interface PeerCall<T> {
    T call(URI peer) throws IOException;
  }

  private <T> T fromAnyPeer(String what, PeerCall<T> call) throws IOException {
    List<IOException> failures = new ArrayList<>();
    for (URI peer : peers) {
      try {
        return call.call(peer);
      } catch (IOException e) {
        failures.add(e);
      }
    }
    if (failures.size() == 1) {
      throw failures.getFirst();
    }
    throw new PeersExhaustedException(what, failures);
  }
}
