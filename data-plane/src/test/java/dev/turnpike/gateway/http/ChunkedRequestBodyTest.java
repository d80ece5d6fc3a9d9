package dev.turnpike.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnpike.gateway.node.EventLoopTransport;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP/1.1 chunked request bodies, on each transport the gateway runs on: a valid body with chunk
 * extensions and trailers (RFC 9112 sections 7.1.1 and 7.1.2) is forwarded and answered as any
 * other; a body whose chunk framing is broken is refused with API Gateway's 400 before the
 * connection closes, never with a silent close, and the backend never gets it as a whole request.
 */
class ChunkedRequestBodyTest {
  /** Far above what an answer takes even on a loaded machine; a silent close ends a read sooner. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  static final String HEAD =
      "POST /acme/pets/prod/chunked HTTP/1.1\r\nHost: localhost\r\n"
          + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";

  GatewayRig gateway;

  /** What the backend made of each request: its body, or "cut" for one that never ended. */
  final List<String> received = new CopyOnWriteArrayList<>();

  static Stream<EventLoopTransport> transports() {
    return Stream.of(EventLoopTransport.NIO, EventLoopTransport.IO_URING);
  }

  static Stream<Arguments> brokenBodies() {
    return transports()
        .flatMap(
            transport ->
                Stream.of(
                        "zz\r\nhello\r\n0\r\n\r\n",
                        "-5\r\nhello\r\n0\r\n\r\n",
                        "ffffffffffffffff\r\nhello\r\n0\r\n\r\n",
                        "5\r\nhello0\r\n\r\n")
                    .map(body -> Arguments.of(transport, body)));
  }

  void start(EventLoopTransport transport) throws Exception {
    assumeTrue(
        transport.unavailability() == null,
        () -> transport.setting() + " cannot run here: " + transport.unavailability());
    gateway = GatewayRig.builder().transport(transport).start();
    gateway.proxyEverythingTo(gateway.startBackend(this::recordBody));
  }

  /** Records the body, or "cut" for one that never ended, and echoes a whole one. */
  void recordBody(HttpServerRequest request) {
    if (request.path().endsWith("/early")) {
      // Answers before reading the body: its head is on the wire while the body still comes in.
      request.response().setChunked(true).write("early");
    }
    request
        .body()
        .onComplete(
            (body, error) -> {
              if (error != null) {
                received.add("cut");
              } else {
                received.add(body.toString());
                request.response().end("got " + body);
              }
            });
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @ParameterizedTest
  @MethodSource("transports")
  void a_body_with_a_chunk_extension_and_a_trailer_reaches_the_backend_and_is_answered(
      EventLoopTransport transport) throws Exception {
    start(transport);

    String answer = send(HEAD + "5;ext=1\r\nhello\r\n0\r\nTrailer: x\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\ngot hello");
    assertThat(received).containsExactly("hello");
  }

  @ParameterizedTest
  @MethodSource("brokenBodies")
  void a_body_with_broken_chunk_framing_gets_400_before_the_connection_closes(
      EventLoopTransport transport, String body) throws Exception {
    start(transport);

    String answer = send(HEAD + body);

    assertThat(answer).as("the answer to %s", body).startsWith("HTTP/1.1 400 ");
    String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
    assertThat(head)
        .contains("content-type: application/json")
        .contains("x-amzn-errortype: badrequestexception")
        .contains("connection: close");
    // Nothing after the 400's body: whatever the relay wrote later was not let through.
    assertThat(new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)))
        .isEqualTo(new JsonObject().put("message", "Invalid request body"));
    assertThat(received).as("what the backend took as whole requests").doesNotContain("hello");
  }

  @ParameterizedTest
  @MethodSource("transports")
  void a_broken_body_on_a_kept_alive_connection_gets_400_after_the_earlier_answer(
      EventLoopTransport transport) throws Exception {
    start(transport);
    try (Socket socket = open()) {
      write(socket, HEAD.replace("Connection: close\r\n", "") + "5\r\nhello\r\n0\r\n\r\n");
      String first = readUntil(socket.getInputStream(), "got hello");
      assertThat(first).startsWith("HTTP/1.1 200 ");

      write(socket, HEAD + "zz\r\nhello\r\n0\r\n\r\n");
      String second = readToEnd(socket.getInputStream());

      assertThat(second)
          .startsWith("HTTP/1.1 400 ")
          .endsWith("{\"message\":\"Invalid request body\"}");
    }
    assertThat(received).containsExactly("hello");
  }

  /**
   * The limit of what the gateway can do: once the backend's answer has started on the wire, a 400
   * cannot follow it, and a body that breaks then cuts the answer instead (the connection closes).
   */
  @ParameterizedTest
  @MethodSource("transports")
  void a_body_that_breaks_after_the_answer_started_cuts_the_answer_without_a_400(
      EventLoopTransport transport) throws Exception {
    start(transport);
    try (Socket socket = open()) {
      write(socket, HEAD.replace("/chunked", "/early") + "5\r\nhello\r\n");
      String started = readUntil(socket.getInputStream(), "early");
      assertThat(started).startsWith("HTTP/1.1 200 ");

      write(socket, "zz\r\n\r\n");
      String rest = readToEnd(socket.getInputStream());

      assertThat(rest).doesNotContain("HTTP/1.1").doesNotEndWith("0\r\n\r\n");
    }
    assertThat(received).doesNotContain("hello");
  }

  Socket open() throws IOException {
    Socket socket = new Socket("127.0.0.1", gateway.port());
    socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
    return socket;
  }

  static void write(Socket socket, String bytes) throws IOException {
    socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  /** Reads until what was read ends with {@code end}, within the read timeout. */
  static String readUntil(InputStream in, String end) throws IOException {
    StringBuilder read = new StringBuilder();
    while (!read.toString().endsWith(end)) {
      int next = in.read();
      if (next < 0) {
        throw new AssertionError("closed before \"" + end + "\": " + read);
      }
      read.append((char) next);
    }
    return read.toString();
  }

  /** Reads until the gateway closes the connection, within the read timeout. */
  static String readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    try {
      in.transferTo(answer);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the connection stayed open without an end to its answer", e);
    }
    return answer.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * Sends {@code request} and reads until the gateway closes the connection.
   *
   * @throws AssertionError if the gateway neither answers nor closes within {@link #READ_TIMEOUT}
   */
  String send(String request) throws IOException {
    try (Socket socket = open()) {
      write(socket, request);
      return readToEnd(socket.getInputStream());
    }
  }
}
