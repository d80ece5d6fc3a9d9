package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A backend may close an idle keep-alive connection at any moment, also just as the gateway sends
 * the next request on it (its keep-alive timeout racing the pool). The request never reached the
 * backend's application, so for a request that is safe to repeat and has no body the gateway sends
 * it again on a fresh connection instead of answering 504 — as nginx's {@code proxy_next_upstream
 * error} does.
 */
class StaleBackendConnectionTest {
  GatewayRig gateway;
  ClosingBackend backend;

  @BeforeEach
  void start() throws Exception {
    gateway = GatewayRig.builder().start();
    backend = ClosingBackend.start(gateway);
    gateway.proxyEverythingTo(backend.url());
  }

  @AfterEach
  void stop() {
    backend.server.close();
    gateway.close();
  }

  @Test
  void a_get_on_a_connection_the_backend_closed_is_sent_again_on_a_fresh_one() throws Exception {
    assertThat(gateway.get("/acme/pets/prod/first", Map.of()).status()).isEqualTo(200);

    GatewayRig.Response second = gateway.get("/acme/pets/prod/second", Map.of());

    assertThat(second.status()).as(second.body()).isEqualTo(200);
    assertThat(backend.answered.get()).as("requests the backend answered").isEqualTo(2);
    assertThat(backend.dropped.get()).as("requests dropped with their connection").isEqualTo(1);
  }

  @Test
  void a_post_with_a_body_is_never_sent_twice() throws Exception {
    assertThat(gateway.get("/acme/pets/prod/first", Map.of()).status()).isEqualTo(200);

    GatewayRig.Response post =
        gateway.call(
            HttpMethod.POST, "/acme/pets/prod/orders", Map.of(), Buffer.buffer("{\"n\":1}"));

    assertThat(post.status()).as("the backend may have acted on it: not repeated").isEqualTo(504);
    assertThat(backend.answered.get()).isEqualTo(1);
    assertThat(backend.dropped.get()).isEqualTo(1);
  }

  @Test
  void a_mapped_put_whose_body_is_held_whole_is_sent_again_on_a_fresh_connection()
      throws Exception {
    gateway.load(
        List.of(
            deployment(
                "prod",
                List.of(
                    route(
                        "PUT",
                        "/pets",
                        false,
                        new dev.turnpike.contracts.config.IntegrationConfig(
                            dev.turnpike.contracts.config.IntegrationType.HTTP,
                            "PUT",
                            backend.url() + "/pets",
                            1000,
                            29_000,
                            Map.of(),
                            null,
                            null,
                            Map.of("application/json", "{\"n\": $input.json('$.n')}"),
                            null,
                            null,
                            List.of()))))),
        List.of(),
        List.of());
    Map<String, String> json = Map.of("Content-Type", "application/json");
    assertThat(
            gateway
                .call(HttpMethod.PUT, "/acme/pets/prod/pets", json, Buffer.buffer("{\"n\":1}"))
                .status())
        .isEqualTo(200);

    GatewayRig.Response second =
        gateway.call(HttpMethod.PUT, "/acme/pets/prod/pets", json, Buffer.buffer("{\"n\":2}"));

    assertThat(second.status()).as(second.body()).isEqualTo(200);
    assertThat(backend.answered.get()).isEqualTo(2);
    assertThat(backend.dropped.get()).isEqualTo(1);
  }

  /**
   * Answers the first request on each connection with a keep-alive 200 and closes the connection,
   * without an answer, when a second request arrives on it.
   */
  static final class ClosingBackend {
    final NetServer server;
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();

    private ClosingBackend(NetServer server) {
      this.server = server;
    }

    static ClosingBackend start(GatewayRig gateway) {
      NetServer server = gateway.vertx.createNetServer();
      ClosingBackend backend = new ClosingBackend(server);
      server.connectHandler(backend::serve);
      GatewayRig.await(server.listen(0, "127.0.0.1"));
      return backend;
    }

    String url() {
      return "http://127.0.0.1:" + server.actualPort();
    }

    private void serve(NetSocket socket) {
      AtomicInteger requests = new AtomicInteger();
      StringBuilder seen = new StringBuilder();
      socket.handler(
          bytes -> {
            seen.append(bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
            // Each test request's head arrives whole before the backend decides; a body, if any,
            // never matters because the second request is dropped unread.
            while (seen.indexOf("\r\n\r\n") >= 0) {
              String head = seen.substring(0, seen.indexOf("\r\n\r\n") + 4);
              seen.delete(0, head.length());
              if (requests.incrementAndGet() == 1) {
                int length = contentLength(head);
                seen.delete(0, Math.min(length, seen.length()));
                answered.incrementAndGet();
                socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
              } else {
                dropped.incrementAndGet();
                socket.close();
                return;
              }
            }
          });
    }

    private static int contentLength(String head) {
      for (String line : head.split("\r\n")) {
        if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
          return Integer.parseInt(line.substring(15).trim());
        }
      }
      return 0;
    }
  }
}
