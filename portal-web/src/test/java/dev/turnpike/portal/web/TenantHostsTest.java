package dev.turnpike.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantHostsTest {
  Vertx vertx;
  HttpServer server;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(new TenantHosts("portal.test", "http://localhost:8082"));
    router.get("/portal/:tenant").handler(ctx -> ctx.end("catalog of " + ctx.pathParam("tenant")));
    router
        .get("/portal/:tenant/apps")
        .handler(
            ctx ->
                ctx.end("apps of " + ctx.pathParam("tenant") + " q=" + ctx.queryParams().get("q")));
    server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get();
  }

  @AfterAll
  void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  String get(String host, String path) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void serves_a_tenants_host_as_its_path_style_portal() throws IOException {
    assertThat(get("acme.portal.test:8082", "/"))
        .startsWith("HTTP/1.1 200")
        .endsWith("catalog of acme");
    assertThat(get("acme.portal.test", "/apps?q=1")).endsWith("apps of acme q=1");
  }

  /** On acme's host only acme's portal is served: another tenant's pages there are not found. */
  @Test
  void another_tenants_path_on_a_tenants_host_is_not_found() throws IOException {
    assertThat(get("acme.portal.test", "/portal/acme/apps")).endsWith("apps of acme q=null");
    for (String path :
        new String[] {
          "/portal/beta/apps",
          "/portal/beta",
          "/portal/beta/",
          "//portal/beta/apps",
          "/portal/%62eta/apps",
          "/portal/./beta/apps",
          "/static/../portal/beta/apps"
        }) {
      assertThat(get("acme.portal.test", path)).as(path).startsWith("HTTP/1.1 404");
    }
  }

  @Test
  void leaves_other_hosts_and_path_style_requests_alone() throws IOException {
    assertThat(get("localhost:8082", "/portal/beta/apps")).endsWith("apps of beta q=null");
    assertThat(get("localhost:8082", "/")).startsWith("HTTP/1.1 404");
    assertThat(get("evil.example.com", "/")).startsWith("HTTP/1.1 404");
  }
}
