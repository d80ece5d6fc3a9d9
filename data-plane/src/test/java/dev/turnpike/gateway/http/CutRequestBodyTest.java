package dev.turnpike.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.testkit.Await;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request body the gateway streams to the backend and that fails on the way (past the size limit,
 * or its client gone mid-body) never reaches the backend as a whole request: the backend sees its
 * connection close mid-request, never a cut body ended as if it were complete, and is not left
 * waiting for the rest until a timeout.
 */
class CutRequestBodyTest {
  static final long MAX_BODY = 100;
  static final Duration NO_TIMEOUT_WAIT = Duration.ofSeconds(3);

  GatewayRig gateway;

  /** What the backend made of each request: its path and body size, or "cut" for a failed body. */
  final List<String> received = new CopyOnWriteArrayList<>();

  final AtomicInteger requestsSeen = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    gateway = GatewayRig.builder().maxBodyBytes(MAX_BODY).start();
    gateway.proxyEverythingTo(gateway.startBackend(this::recordBody));
  }

  /** Records the path and the body's size, or "cut" for a failed body, and answers a whole one. */
  void recordBody(HttpServerRequest request) {
    requestsSeen.incrementAndGet();
    request
        .body()
        .onComplete(
            (body, error) -> {
              if (error != null) {
                received.add(request.path() + " cut");
              } else {
                received.add(request.path() + " " + body.length() + " bytes");
                request.response().end("got " + body.length());
              }
            });
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void a_chunked_body_past_the_limit_gets_413_and_the_backend_never_gets_it_whole()
      throws Exception {
    String chunk = "32\r\n" + "x".repeat(50) + "\r\n";
    GatewayRig.Response answer =
        gateway.raw(
            "POST /acme/pets/prod/over HTTP/1.1\r\nHost: localhost\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + chunk.repeat(5)
                + "0\r\n\r\n");

    assertThat(answer.status()).as(answer.body()).isEqualTo(413);
    Await.until(NO_TIMEOUT_WAIT, () -> !received.isEmpty(), "the backend to see the request end");
    assertThat(received).containsExactly("/over cut");
  }

  @Test
  void a_chunked_body_whose_client_leaves_mid_body_never_reaches_the_backend_whole()
      throws Exception {
    sendAndLeave(
        "POST /acme/pets/prod/left HTTP/1.1\r\nHost: localhost\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");

    Await.until(NO_TIMEOUT_WAIT, () -> !received.isEmpty(), "the backend to see the request end");
    assertThat(received).containsExactly("/left cut");
  }

  @Test
  void a_sized_body_whose_client_leaves_mid_body_frees_the_backend_at_once() throws Exception {
    sendAndLeave(
        "POST /acme/pets/prod/sized HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Length: 20\r\n\r\nhello");

    // Well before the route's idle timeout (the fixtures' 29 s): the gateway closed it.
    Await.until(NO_TIMEOUT_WAIT, () -> !received.isEmpty(), "the backend to see the request end");
    assertThat(received).containsExactly("/sized cut");
  }

  /** Sends part of a request, waits until the backend has its head, and closes the connection. */
  private void sendAndLeave(String part) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.getOutputStream().write(part.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      Await.until(
          NO_TIMEOUT_WAIT,
          () -> requestsSeen.get() > 0,
          "the request head to reach the backend before the client leaves");
    }
  }
}
