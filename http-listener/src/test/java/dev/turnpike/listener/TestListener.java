package dev.turnpike.listener;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Guarded Vert.x HTTP servers on a loopback port for the guard's tests: {@code /} answers {@code
 * ok}, {@code /upload} reads the whole body and answers its length.
 */
final class TestListener implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final List<HttpServer> servers = new ArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  final ListenerGuard guard;

  TestListener(ListenerLimits limits) {
    this.guard = new ListenerGuard("test", limits);
  }

  /** Plain HTTP/1.x only: Vert.x announces each connection as it is accepted. */
  static HttpServerOptions http1() {
    return new HttpServerOptions().setHost("127.0.0.1").setPort(0).setHttp2ClearTextEnabled(false);
  }

  /**
   * Plain HTTP/1.x and h2c, Vert.x's default and the services' listeners: Vert.x announces a
   * connection once its first request's head or the HTTP/2 preface is in.
   */
  static HttpServerOptions h2c() {
    return http1().setHttp2ClearTextEnabled(true);
  }

  /** HTTPS with HTTP/1.1 and h2 through ALPN, as the gateway's traffic listener with TLS is. */
  static HttpServerOptions tls() {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    return new HttpServerOptions()
        .setHost("127.0.0.1")
        .setPort(0)
        .setSsl(true)
        .setUseAlpn(true)
        .setKeyCertOptions(
            new PemKeyCertOptions()
                .setCertPath(certificate.certificatePath())
                .setKeyPath(certificate.privateKeyPath()));
  }

  /** Starts one more server of this listener; returns its port. */
  int start(HttpServerOptions options) {
    HttpServer server = guard.createServer(vertx, options).requestHandler(this::handle);
    servers.add(await(server.listen()));
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    requests.incrementAndGet();
    if (request.path().equals("/upload")) {
      request
          .body()
          .onSuccess(body -> request.response().end(Integer.toString(body.length())))
          .onFailure(error -> request.response().setStatusCode(400).end());
    } else {
      request.response().end("ok");
    }
  }

  /** Requests that reached the handler. */
  int requests() {
    return requests.get();
  }

  Vertx vertx() {
    return vertx;
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** How {@code future} failed, or null if it succeeded. */
  static Throwable outcome(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
