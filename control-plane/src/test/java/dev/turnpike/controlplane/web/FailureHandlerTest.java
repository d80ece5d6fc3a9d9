package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a failure in a handler becomes on the wire, for failures no use case names. */
class FailureHandlerTest {
  private final Vertx vertx = Vertx.vertx();
  private HttpServer server;
  private volatile Throwable failure;

  @BeforeEach
  void start() throws Exception {
    Router router = Router.router(vertx);
    router.route("/fail").handler(ctx -> ctx.fail(failure));
    router.route().failureHandler(new FailureHandler());
    server = vertx.createHttpServer().requestHandler(router).listen(0).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private record Answer(int status, String retryAfter, JsonObject body) {}

  private Answer call() throws Exception {
    return vertx
        .createHttpClient()
        .request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/fail")
        .compose(request -> request.send())
        .compose(
            (HttpClientResponse response) ->
                response
                    .body()
                    .map(
                        body ->
                            new Answer(
                                response.statusCode(),
                                response.getHeader("Retry-After"),
                                body.toJsonObject())))
        .await(10, TimeUnit.SECONDS);
  }

  @Test
  void a_request_that_found_no_free_database_connection_is_a_503_to_retry() throws Exception {
    // What jOOQ throws when HikariCP's pool times out waiting for a connection.
    failure =
        new DataAccessException(
            "SQL [select 1]",
            new SQLTransientConnectionException(
                "pool - Connection is not available, request timed out after 30000ms."));

    Answer answer = call();

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.retryAfter()).isEqualTo("1");
    assertThat(answer.body().getString("type"))
        .isEqualTo("https://turnpike.dev/problems/unavailable");
    assertThat(answer.body().encode()).doesNotContain("Connection is not available");
  }

  @Test
  void any_other_database_failure_stays_a_500_that_names_no_cause() throws Exception {
    failure = new DataAccessException("SQL [select 1]", new SQLException("relation is broken"));

    Answer answer = call();

    assertThat(answer.status()).isEqualTo(500);
    assertThat(answer.retryAfter()).isNull();
    assertThat(answer.body().encode()).doesNotContain("relation is broken");
  }
}
