package dev.turnpike.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request smuggling: however a client frames its body, the backend receives exactly the body the
 * gateway read, framed so that nothing after it can be taken for the next request on the pooled
 * backend connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestFramingTest {
  static final String SMUGGLED = "GET /acme/pets/prod/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

  GatewayRig gateway;
  TestBackend backend;

  @BeforeAll
  void start() throws Exception {
    gateway = GatewayRig.builder().start();
    backend = TestBackend.start(gateway.vertx);
    gateway.proxyEverythingTo(backend.url());
  }

  @AfterAll
  void stop() {
    backend.close();
    gateway.close();
  }

  /**
   * A body framed both ways is refused, as RFC 9112 section 6.1 allows a server to (and says such a
   * message "ought to be handled as an error": it is how requests are smuggled past a proxy that
   * reads one framing to a backend that reads the other). Netty 4.2.18's decoder refuses it; until
   * 4.2.12 it dropped the Content-Length and forwarded the chunked body, which was safe too (the
   * backend got the body as read), but a refusal leaves nothing to get wrong.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: 48\r\n",
        "Content-Length: 48\r\nTransfer-Encoding: chunked\r\n"
      })
  void a_body_framed_by_both_a_content_length_and_chunks_is_refused(String framing)
      throws Exception {
    var response =
        gateway.raw(
            "POST /acme/pets/prod/framed HTTP/1.1\r\nHost: localhost\r\n"
                + framing
                + "Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                + SMUGGLED);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.headers().get("x-backend")).as("answered by the backend").isNull();
    // The next request on the (pooled) backend connection is served as itself.
    var next = gateway.rawGet("/acme/pets/prod/after", java.util.Map.of());
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.json().getString("path")).isEqualTo("/after");
  }

  @Test
  void the_backend_never_receives_a_request_hidden_in_a_body() throws Exception {
    for (int i = 0; i < 5; i++) {
      gateway.raw(
          "POST /acme/pets/prod/framed HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n"
              + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n"
              + SMUGGLED);
      var next = gateway.rawGet("/acme/pets/prod/after/" + i, java.util.Map.of());
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.json().getString("path")).isEqualTo("/after/" + i);
    }
  }
}
