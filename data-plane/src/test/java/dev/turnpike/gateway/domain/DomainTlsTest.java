package dev.turnpike.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.gateway.http.TlsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.security.cert.X509Certificate;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where the custom-domain listener's handshakes do their work. */
class DomainTlsTest {
  static final CertificateAuthority.Issued NODE =
      CertificateAuthority.create("TLS CA").server("node.gw.test");

  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void handshakes_run_off_the_event_loops() throws Exception {
    // The key manager reads the table during each handshake: the thread it reads on is the one
    // the handshake's work (key exchange, signature) runs on.
    Queue<String> handshakeThreads = new ConcurrentLinkedQueue<>();
    HttpServerOptions options =
        DomainTls.configure(
            new HttpServerOptions().setPort(0).setHost("127.0.0.1"),
            () -> {
              handshakeThreads.add(Thread.currentThread().getName());
              return DomainTable.EMPTY;
            },
            new X509Certificate[] {NODE.certificate()},
            NODE.key());
    HttpServer server =
        vertx
            .createHttpServer(options)
            .requestHandler(request -> request.response().end())
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);

    try (TlsClient client = TlsClient.connect(server.actualPort(), "node.gw.test")) {
      assertThat(client.get("node.gw.test", "/").status()).isEqualTo(200);
    }
    assertThat(handshakeThreads)
        .isNotEmpty()
        .noneMatch(thread -> thread.startsWith("vert.x-eventloop"));
  }
}
