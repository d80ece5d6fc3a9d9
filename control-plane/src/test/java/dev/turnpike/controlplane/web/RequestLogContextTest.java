package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.webkit.Blocking;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * A management request's blocking work runs with its request id and tenant in the MDC, so every
 * line the use case logs carries them. The work here answers with the MDC it saw.
 */
class RequestLogContextTest {
  final Vertx vertx = Vertx.vertx();
  final Blocking blocking = new Blocking("test-blocking-");
  HttpServer server;
  HttpClient client;

  @BeforeEach
  void start() throws Exception {
    Http http = new Http(blocking, null);
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    router
        .get("/v1/tenants/:tenantId/probe")
        .handler(ctx -> http.blocking(ctx, 200, RequestLogContextTest::mdcSeen));
    router.get("/v1/probe").handler(ctx -> http.blocking(ctx, 200, RequestLogContextTest::mdcSeen));
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    blocking.close();
    await(vertx.close());
  }

  static Map<String, String> mdcSeen() {
    Map<String, String> seen = MDC.getCopyOfContextMap();
    return seen == null ? Map.of() : new HashMap<>(seen);
  }

  record Answer(String requestId, JsonObject mdc) {}

  Answer get(String path) throws Exception {
    return await(
        client
            .request(HttpMethod.GET, server.actualPort(), "127.0.0.1", path)
            .compose(request -> request.send())
            .compose(
                response ->
                    response
                        .body()
                        .map(
                            body ->
                                new Answer(
                                    response.getHeader(RequestIds.HEADER), body.toJsonObject()))));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Nested
  class Blocking_work {
    @Test
    void carries_the_request_id_and_the_tenant_of_the_path() throws Exception {
      String tenant = "0d5c6a8e-3f1b-4c2a-9e7d-2b4f6a8c0e1d";

      Answer answer = get("/v1/tenants/" + tenant + "/probe");

      assertThat(answer.mdc().getString("requestId")).isEqualTo(answer.requestId()).isNotNull();
      assertThat(answer.mdc().getString("tenant")).isEqualTo(tenant);
    }

    @Test
    void names_no_tenant_off_a_tenants_path_or_for_a_malformed_one() throws Exception {
      assertThat(get("/v1/probe").mdc().fieldNames()).containsExactly("requestId");
      assertThat(get("/v1/tenants/not-a-uuid%0Aforged/probe").mdc().fieldNames())
          .containsExactly("requestId");
    }

    @Test
    void never_carries_an_earlier_requests_fields() throws Exception {
      Answer first = get("/v1/tenants/0d5c6a8e-3f1b-4c2a-9e7d-2b4f6a8c0e1d/probe");
      Answer second = get("/v1/probe");

      assertThat(second.mdc().getString("requestId")).isNotEqualTo(first.requestId());
      assertThat(second.mdc().containsKey("tenant")).isFalse();
    }
  }
}
