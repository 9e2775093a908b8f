package io.vouch.hub.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vouch.core.json.WireJson;
import io.vouch.hub.cid.Cid;
import io.vouch.hub.cid.InvalidCidException;
import io.vouch.hub.repo.HubJson;
import io.vouch.hub.repo.InvalidManifestException;
import io.vouch.hub.repo.ModelRepository;
import io.vouch.hub.repo.OwnerMismatchException;
import io.vouch.hub.repo.PushResult;
import io.vouch.hub.repo.UnknownModelException;
import io.vouch.hub.repo.VersionConflictException;
import io.vouch.hub.repo.VersionDraft;
import io.vouch.hub.store.BlobNotFoundException;
import io.vouch.hub.store.ContentStore;
import io.vouch.hub.store.CorruptBlobException;
import io.vouch.infra.service.Service;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's HTTP API on the JDK's built-in server, one virtual thread per exchange.
 *
 * <pre>
 *   PUT  /v1/blobs                              body = bytes            → 201 {"cid","size"}
 *   GET  /v1/blobs/{cid}                        streams bytes, ETag = "cid"
 *   HEAD /v1/blobs/{cid}                        headers only
 *   GET  /v1/repos                              {"repositories":[...]}
 *   GET  /v1/repos/{name}/versions              {"repository","versions":[...]}
 *   POST /v1/repos/{name}/versions              VersionDraft JSON → 201 (new) or 200 (same again)
 *   GET  /v1/repos/{name}/versions/{version}    {"manifestCid","manifest"}
 * </pre>
 *
 * Errors are {@code {"error": ..., "hint": ...}} with 400 (bad CID or input), 403 (not the owner),
 * 404 (unknown), 405, 409 (version exists with other content), 413 (too large), 500 (corrupt blob).
 *
 * <p>A {@link Service}: {@link #create} binds nothing, {@code start()} binds and serves, {@code
 * stop()} lets in-flight exchanges finish within the grace period.
 */
public final class HubServer extends Service {
  private static final Logger LOG = LoggerFactory.getLogger(HubServer.class);
  private static final String JSON = "application/json";
  private static final int MAX_MANIFEST_BYTES = 4 << 20;
  private static final int BUFFER = 64 * 1024;

  private final ModelRepository repository;
  private final ContentStore store;
  private final HubServerConfig config;
  private volatile HttpServer server;
  private ExecutorService executor;

  private HubServer(ModelRepository repository, HubServerConfig config) {
    this.repository = repository;
    this.store = repository.store();
    this.config = config;
  }

  /** A hub server that is not started yet (a service for a controller to start). */
  public static HubServer create(ModelRepository repository, HubServerConfig config) {
    return new HubServer(repository, config);
  }

  /** Creates, binds and starts serving; the returned server is running. */
  public static HubServer start(ModelRepository repository, HubServerConfig config)
      throws IOException {
    HubServer hub = new HubServer(repository, config);
    try {
      hub.start();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e.getMessage(), e);
    }
    return hub;
  }

  @Override
  public String name() {
    return "hub server";
  }

  @Override
  protected void doStart() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
    executor = Executors.newVirtualThreadPerTaskExecutor();
    s.setExecutor(executor);
    s.createContext("/", this::handle);
    s.start();
    server = s;
    LOG.info("hub listening on {}", uri());
  }

  private HttpServer bound() {
    HttpServer s = server;
    if (s == null) {
      throw new IllegalStateException(
          "the hub server is not started: start it before asking for its address");
    }
    return s;
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return bound().getAddress().getPort();
  }

  /** Base URI, e.g. {@code http://127.0.0.1:41234}. */
  public URI uri() {
    String host = bound().getAddress().getHostString();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port());
  }

  /** Stops accepting, lets in-flight exchanges finish within the grace period, then stops. */
  @Override
  protected void doStop() {
    server.stop((int) Math.max(0, config.stopGrace().toSeconds()));
    executor.shutdown();
    try {
      if (!executor.awaitTermination(config.stopGrace().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        checkFraming(exchange);
        route(exchange);
      } catch (Exception e) {
        if (!isCommitted(exchange)) {
          sendError(exchange, e);
        } else {
          // Headers are out (e.g. a blob rotted on disk while being streamed): the only honest
          // signal left is to cut the connection so the client sees a short body.
          LOG.warn(
              "aborting response to {} {}: {}",
              exchange.getRequestMethod(),
              path(exchange),
              e.toString());
        }
      }
    }
  }

  private void route(HttpExchange exchange) throws Exception {
    String method = exchange.getRequestMethod();
    List<String> segments = segments(exchange);
    if (segments.size() < 2 || !segments.get(0).equals("v1")) {
      throw new RouteNotFound(path(exchange));
    }
    String resource = segments.get(1);
    int n = segments.size();
    if (resource.equals("blobs") && n == 2) {
      requireMethod(method, "PUT");
      putBlob(exchange);
    } else if (resource.equals("blobs") && n == 3) {
      requireMethod(method, "GET", "HEAD");
      getBlob(exchange, segments.get(2), method.equals("HEAD"));
    } else if (resource.equals("repos") && n == 2) {
      requireMethod(method, "GET");
      sendJson(exchange, 200, Map.of("repositories", repository.listRepositories()));
    } else if (resource.equals("repos") && n == 4 && segments.get(3).equals("versions")) {
      requireMethod(method, "GET", "POST");
      String name = segments.get(2);
      if (method.equals("GET")) {
        sendJson(
            exchange, 200, Map.of("repository", name, "versions", repository.listVersions(name)));
      } else {
        postVersion(exchange, name);
      }
    } else if (resource.equals("repos") && n == 5 && segments.get(3).equals("versions")) {
      requireMethod(method, "GET");
      sendJson(exchange, 200, repository.show(segments.get(2), segments.get(4)));
    } else {
      throw new RouteNotFound(path(exchange));
    }
  }

  /**
   * Refuses a request whose framing RFC 9112 does not allow, as the node's server does: a
   * Content-Length that is not decimal digits alone (a sign, a list) or longer than a long could
   * hold, or more than one Content-Length (the JDK's server itself refuses Content-Length beside
   * Transfer-Encoding, and strips the optional white space around a value). The JDK's server frames
   * such a body by its own leniency ({@code Long.parseLong} takes {@code +5} and {@code -0}); a
   * proxy in front may frame it otherwise, and the bytes between the two readings would be a
   * second, smuggled request.
   */
  private static void checkFraming(HttpExchange exchange) {
    List<String> lengths = exchange.getRequestHeaders().get("Content-Length");
    if (lengths == null) {
      return;
    }
    if (lengths.size() != 1) {
      throw new MalformedFraming("more than one Content-Length field");
    }
    String value = lengths.getFirst();
    boolean digits = !value.isEmpty() && value.length() <= 18;
    for (int i = 0; digits && i < value.length(); i++) {
      digits = value.charAt(i) >= '0' && value.charAt(i) <= '9';
    }
    if (!digits) {
      throw new MalformedFraming(
          "Content-Length '"
              + printable(value)
              + "' is not 1 to 18 decimal digits (no sign, spaces or list)");
    }
  }

  private static String printable(String value) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < value.length() && i < 40; i++) {
      char c = value.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
    }
    return value.length() > 40 ? b + "..." : b.toString();
  }

  private void putBlob(HttpExchange exchange) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    // checkFraming let only digits through
    if (declared != null && Long.parseLong(declared) > config.maxBlobBytes()) {
      throw new BlobTooLargeException(config.maxBlobBytes());
    }
    // Checked while streaming too: a chunked upload has no Content-Length to trust.
    Cid cid;
    try (InputStream body =
        new LimitedInputStream(exchange.getRequestBody(), config.maxBlobBytes())) {
      cid = store.put(body);
    }
    exchange.getResponseHeaders().set("Location", "/v1/blobs/" + cid);
    sendJson(exchange, 201, Map.of("cid", cid, "size", store.size(cid)));
  }

  private void getBlob(HttpExchange exchange, String cidText, boolean headOnly) throws IOException {
    Cid cid = Cid.parse(cidText);
    long size = store.size(cid);
    String etag = "\"" + cid + "\"";
    var headers = exchange.getResponseHeaders();
    headers.set("ETag", etag);
    // Content-addressed bytes never change under their name.
    headers.set("Cache-Control", "public, max-age=31536000, immutable");
    String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
    if (ifNoneMatch != null
        && (ifNoneMatch.contains(etag) || ifNoneMatch.contains(cid.toString()))) {
      exchange.sendResponseHeaders(304, -1);
      return;
    }
    // Check the whole blob before the first byte leaves: a corrupted blob is reported (500), never
    // served. It costs a second read of the file; the page cache makes the second one cheap.
    store.verify(cid);
    headers.set("Content-Type", "application/octet-stream");
    if (headOnly) {
      headers.set("Content-Length", Long.toString(size));
      exchange.sendResponseHeaders(200, -1);
      return;
    }
    exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
    try (InputStream in = store.open(cid);
        OutputStream out = exchange.getResponseBody()) {
      in.transferTo(out);
    }
  }

  private void postVersion(HttpExchange exchange, String name) throws IOException {
    byte[] body;
    try (InputStream in = new LimitedInputStream(exchange.getRequestBody(), MAX_MANIFEST_BYTES)) {
      body = in.readAllBytes();
    }
    JsonNode tree;
    try {
      // Numbers bounded first, and a refusal that names where the bad number is.
      tree = WireJson.readTree(body);
    } catch (IllegalArgumentException e) {
      throw new InvalidManifestException("malformed request body: " + e.getMessage());
    }
    if (tree == null) {
      throw new InvalidManifestException("the request body is empty: send a version draft");
    }
    VersionDraft draft = HubJson.mapper().treeToValue(tree, VersionDraft.class);
    PushResult result = repository.push(name, draft);
    exchange
        .getResponseHeaders()
        .set(
            "Location", "/v1/repos/" + name + "/versions/" + result.version().manifest().version());
    sendJson(exchange, result.created() ? 201 : 200, result.version());
  }

  private void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = HubJson.mapper().writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", JSON);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void sendError(HttpExchange exchange, Exception e) throws IOException {
    int status;
    String hint;
    switch (e) {
      case InvalidCidException x -> {
        status = 400;
        hint = "a CID looks like bafkrei... (CIDv1, raw, sha2-256, base32 lower case)";
      }
      case InvalidManifestException x -> {
        status = 400;
        hint = "fix the request and send it again";
      }
      case MalformedFraming x -> {
        status = 400;
        hint = "send one Content-Length of decimal digits, or Transfer-Encoding: chunked alone";
      }
      case JsonProcessingException x -> {
        status = 400;
        hint =
            "send JSON like {\"owner\":..,\"version\":..,\"files\":[{\"path\",\"cid\",\"size\"}]}";
      }
      case OwnerMismatchException x -> {
        status = 403;
        hint = "only the repository's owner can push versions to it";
      }
      case UnknownModelException x -> {
        status = 404;
        hint = "check the name and version; GET /v1/repos lists what exists";
      }
      case BlobNotFoundException x -> {
        status = 404;
        hint = "PUT /v1/blobs to upload it, or ask another peer";
      }
      case RouteNotFound x -> {
        status = 404;
        hint = "endpoints live under /v1/blobs and /v1/repos";
      }
      case MethodNotAllowed x -> {
        status = 405;
        hint = "allowed: " + String.join(", ", x.allowed);
        exchange.getResponseHeaders().set("Allow", String.join(", ", x.allowed));
      }
      case VersionConflictException x -> {
        status = 409;
        hint = "versions are immutable; publish under a new version name";
      }
      case BlobTooLargeException x -> {
        status = 413;
        hint = "this hub accepts blobs up to " + config.maxBlobBytes() + " bytes";
      }
      case CorruptBlobException x -> {
        status = 500;
        hint = "the operator should re-push the blob; clients should fetch it from another peer";
        LOG.error("{}", x.getMessage());
      }
      default -> {
        status = 500;
        hint = "an unexpected server error; see the hub's log";
        LOG.error("unexpected error on {} {}", exchange.getRequestMethod(), path(exchange), e);
      }
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof JsonProcessingException json) {
      message = "malformed request body: " + json.getOriginalMessage();
    }
    // Tell the client not to reuse the connection when its request body may be unread.
    if (status == 413 || e instanceof MalformedFraming) {
      exchange.getResponseHeaders().set("Connection", "close");
    }
    exchange.getResponseHeaders().remove("ETag");
    exchange.getResponseHeaders().remove("Cache-Control");
    sendJson(exchange, status, new ErrorBody(message, hint));
  }

  private static boolean isCommitted(HttpExchange exchange) {
    return exchange.getResponseCode() != -1;
  }

  private static String path(HttpExchange exchange) {
    return exchange.getRequestURI().getRawPath();
  }

  private static List<String> segments(HttpExchange exchange) {
    return Arrays.stream(path(exchange).split("/"))
        .filter(s -> !s.isEmpty())
        .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8))
        .toList();
  }

  private static void requireMethod(String method, String... allowed) {
    if (!Arrays.asList(allowed).contains(method)) {
      throw new MethodNotAllowed(allowed);
    }
  }

  private static final class MalformedFraming extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedFraming(String what) {
      super("malformed request framing: " + what);
    }
  }

  private static final class RouteNotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RouteNotFound(String path) {
      super("no endpoint at " + path);
    }
  }

  private static final class MethodNotAllowed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String[] allowed;

    MethodNotAllowed(String[] allowed) {
      super("method not allowed here");
      this.allowed = allowed;
    }
  }
}
