package io.vouch.bench.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.bench.direct.LoopbackNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A node in its own JVM, started as a user starts one: {@code vouch node run} (the CLI's main class
 * on this JVM's class path) in direct-path-only mode, serving one local ONNX model, on a free
 * loopback port, with the heap given. Its standard output and error go to {@code log}; the URL
 * comes from the {@code --json} startup line there.
 */
final class NodeProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path log;
  private final InetSocketAddress address;

  private NodeProcess(Process process, Path log, InetSocketAddress address) {
    this.process = process;
    this.log = log;
    this.address = address;
  }

  /** The command that runs the node. */
  static List<String> command(
      String classPath, String heap, List<String> jvmArgs, Path modelFile, String modelRef) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.add("--enable-native-access=ALL-UNNAMED"); // ONNX Runtime's native library
    if (Runtime.version().feature() >= 24) {
      cmd.add("--sun-misc-unsafe-memory-access=allow"); // protobuf-java; a warning per start
    }
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add("io.vouch.cli.VouchCommand");
    cmd.addAll(
        List.of(
            "node",
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--key",
            LoopbackNode.NODE_KEY.privateKey().toHex(),
            "--chain-id",
            Long.toString(LoopbackNode.DOMAIN.chainId()),
            "--hub",
            LoopbackNode.DOMAIN.verifyingContract().toHex(),
            "--model",
            modelFile + "=" + modelRef,
            "--json"));
    return cmd;
  }

  /** Starts the node and waits for its startup line (at most {@code timeout}). */
  static NodeProcess start(List<String> command, Path log, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    // VOUCH_* variables would become flags of `vouch node run`; the load test sets its own.
    pb.environment().keySet().removeIf(k -> k.startsWith("VOUCH_"));
    Process p = pb.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      Optional<URI> url = startupUrl(log);
      if (url.isPresent()) {
        return new NodeProcess(
            p, log, new InetSocketAddress(url.get().getHost(), url.get().getPort()));
      }
      if (!p.isAlive()) {
        throw new IOException(
            "the node exited with " + p.exitValue() + " before it started; its log:\n" + tail(log));
      }
      Thread.sleep(50);
    }
    p.destroyForcibly();
    throw new IOException("the node did not start within " + timeout + "; its log:\n" + tail(log));
  }

  private static Optional<URI> startupUrl(Path log) throws IOException {
    for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
      if (line.startsWith("{\"node\"")) {
        JsonNode startup = JSON.readTree(line);
        return Optional.of(URI.create(startup.get("url").asText()));
      }
    }
    return Optional.empty();
  }

  long pid() {
    return process.pid();
  }

  InetSocketAddress address() {
    return address;
  }

  boolean alive() {
    return process.isAlive();
  }

  Optional<ProcessMemory> memory() {
    return ProcessMemory.of(process.pid());
  }

  /** How many lines of the node's log mention {@code text}. */
  long logLinesWith(String text) throws IOException {
    return Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream()
        .filter(l -> l.contains(text))
        .count();
  }

  /**
   * Stops the node as an operator would (SIGTERM: its shutdown hook stops the services), forcibly
   * after 15 s; returns the exit code.
   */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
