package io.vouch.infra.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 9, item 7: framing that RFC 9112 does not allow is refused with 400 before it reaches a
 * route (a route would answer POST /x with 200). The node's earlier server accepted every case
 * below but the last two; Jetty in its default mode (RFC9110) still accepts a bare LF ending head
 * lines, hence {@code HttpCompliance.STRICT}.
 */
class LenientFramingTest {
  static HttpServer server;

  @BeforeAll
  static void start() throws IOException {
    server =
        HttpServer.builder(r -> HttpResponse.of(200, "text/plain", r.body()))
            .limits(HttpServerTest.limits())
            .errors(HttpServerTest.ERRORS)
            .start();
  }

  @AfterAll
  static void stop() {
    server.stop(Duration.ofMillis(100));
  }

  static String answerTo(String raw) throws IOException {
    try (RawConnection c = RawConnection.open(server.port())) {
      c.write(raw.replace("|", "\r\n").replace("~", "\n").replace("^", "\r"));
      return c.readResponse();
    }
  }

  static final String CHUNKED = "POST /x HTTP/1.1|Host: a|Transfer-Encoding: chunked||";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " -> ",
      quoteCharacter = '"',
      value = {
        "bare LF ending the head lines -> GET /x HTTP/1.1~Host: a~~",
        "bare LF ending one header line -> GET /x HTTP/1.1|Host: a~X: b||",
        "chunk size '+2' -> " + CHUNKED + "+2|ab|0||",
        "chunk size ' 2 ' -> " + CHUNKED + " 2 |ab|0||",
        "chunk size '2 ' -> " + CHUNKED + "2 |ab|0||",
        "chunk size '0x2' -> " + CHUNKED + "0x2|ab|0||",
        "bare LF after a chunk size -> " + CHUNKED + "2~ab|0||",
        "bare LF after chunk data -> " + CHUNKED + "2|ab~0||",
        "bare CR inside a header line -> GET /x HTTP/1.1|Host: a^X: b||",
        "no Host in HTTP/1.1 -> GET /x HTTP/1.1||",
        "Content-Length and Transfer-Encoding -> POST /x HTTP/1.1|Host: a|Content-Length: 2|"
            + "Transfer-Encoding: chunked||2|ab|0||",
        "two Content-Length fields -> POST /x HTTP/1.1|Host: a|Content-Length: 2|"
            + "Content-Length: 2||ab",
      })
  void framingThatRfc9112RefusesIs400(String attack, String raw) throws IOException {
    assertThat(answerTo(raw))
        .as(attack)
        .startsWith("HTTP/1.1 400 ")
        .contains("\"error\":\"BAD_INPUT\"")
        .contains("Connection: close");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " -> ",
      quoteCharacter = '"',
      value = {
        "a well-formed chunked body -> " + CHUNKED + "2|ab|0||",
        "a chunk size in upper-case hex -> " + CHUNKED + "A|0123456789|0||",
        "a chunk extension -> " + CHUNKED + "2;name=value|ab|0||",
      })
  void wellFormedFramingReachesTheRoute(String what, String raw) throws IOException {
    assertThat(answerTo(raw)).as(what).startsWith("HTTP/1.1 200 ");
  }
}
