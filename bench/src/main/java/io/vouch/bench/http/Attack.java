package io.vouch.bench.http;

import java.nio.charset.StandardCharsets;

/**
 * What the attacking sockets of one scenario do. Each opens {@link #connections()} raw connections
 * to the node, writes {@link #opening} once, then one {@link #trickleByte()} per connection every
 * {@link #trickleMillis()} (0: never), and never finishes a request.
 */
sealed interface Attack {
  /** The scenario's name, used in flags, logs and the report. */
  String name();

  /** One line saying what the attacking sockets do. */
  String description();

  int connections();

  /** Written right after connecting. */
  byte[] opening(String hostHeader);

  long trickleMillis();

  byte trickleByte();

  /** No attack: the well-behaved clients alone. */
  record None() implements Attack {
    @Override
    public String name() {
      return "baseline";
    }

    @Override
    public String description() {
      return "no attack";
    }

    @Override
    public int connections() {
      return 0;
    }

    @Override
    public byte[] opening(String hostHeader) {
      return new byte[0];
    }

    @Override
    public long trickleMillis() {
      return 0;
    }

    @Override
    public byte trickleByte() {
      return 0;
    }
  }

  /** Connect and send nothing. */
  record IdleConnections(int connections) implements Attack {
    @Override
    public String name() {
      return "idle";
    }

    @Override
    public String description() {
      return connections + " connections that connect and send nothing";
    }

    @Override
    public byte[] opening(String hostHeader) {
      return new byte[0];
    }

    @Override
    public long trickleMillis() {
      return 0;
    }

    @Override
    public byte trickleByte() {
      return 0;
    }
  }

  /** A request line and the start of a header, then one more byte of that header now and then. */
  record SlowHeaders(int connections, long trickleMillis) implements Attack {
    @Override
    public String name() {
      return "slow-headers";
    }

    @Override
    public String description() {
      return connections
          + " connections that send a request line, then one header byte every "
          + trickleMillis
          + " ms";
    }

    @Override
    public byte[] opening(String hostHeader) {
      return ("GET /health HTTP/1.1\r\nHost: " + hostHeader + "\r\nX-Slow: ")
          .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public byte trickleByte() {
      return 'x';
    }
  }

  /**
   * A complete {@code POST /v1/infer} head declaring a large body, then no body (or one byte of it
   * now and then, which also defeats a per-{@code read()} timeout).
   */
  record DeclaredBodies(int connections, long declaredBytes, long trickleMillis) implements Attack {
    @Override
    public String name() {
      return "declared-bodies";
    }

    @Override
    public String description() {
      return connections
          + " connections that send a POST /v1/infer head declaring Content-Length: "
          + declaredBytes
          + (trickleMillis > 0
              ? ", then one body byte every " + trickleMillis + " ms"
              : ", then nothing");
    }

    @Override
    public byte[] opening(String hostHeader) {
      return ("POST /v1/infer HTTP/1.1\r\nHost: "
              + hostHeader
              + "\r\nContent-Type: application/vnd.vouch.tensor\r\nVouch-Model: "
              + HttpLoadTest.MODEL_REF
              + "\r\nContent-Length: "
              + declaredBytes
              + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public byte trickleByte() {
      return 0;
    }
  }
}
