package dev.turnpike.controlplane.alarm;

import static dev.turnpike.db.Tables.ALARMS;
import static dev.turnpike.db.Tables.ALARM_HISTORY;
import static dev.turnpike.db.Tables.APIS;
import static dev.turnpike.db.Tables.AUDIT_LOG;
import static dev.turnpike.db.Tables.TENANTS;
import static dev.turnpike.db.Tables.USAGE_AGGREGATES;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.controlplane.alarm.impl.AlarmEvaluator;
import dev.turnpike.controlplane.alarm.impl.WebhookSender;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.egress.AllowRule;
import dev.turnpike.egress.EgressPolicy;
import dev.turnpike.egress.MachineNetwork;
import dev.turnpike.testkit.MutableClock;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Alarms on a real database: the management API, its checks (the egress policy's among them),
 * tenant isolation, and the evaluator walking an alarm from ok to firing and back with a real
 * webhook receiver.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlarmsTest {
  TestControlPlane cp;
  ApiClient api;
  DSLContext owner;
  DSLContext system;
  String token;
  Fixture fx;
  HttpServer receiver;
  BlockingQueue<String> received = new LinkedBlockingQueue<>();

  /** The operator's key: signing secrets are sealed under it. */
  String secretKey = SealedSecrets.newBase64Key();

  /** A server the policy does not grant: a platform-internal service as far as tenants know. */
  HttpServer internal;

  BlockingQueue<String> internalCalls = new LinkedBlockingQueue<>();
  EgressPolicy policy;

  @BeforeAll
  void start(TestDatabase db) throws IOException {
    receiver = server(received, new LinkedBlockingQueue<>());
    internal = server(internalCalls, new LinkedBlockingQueue<>());
    String grant = "127.0.0.1/32:" + receiver.getAddress().getPort();
    cp =
        TestControlPlane.start(
            db,
            null,
            Map.of(
                "TURNPIKE_EGRESS_ALLOW",
                grant,
                "TURNPIKE_CP_ALARM_INTERVAL_SECONDS",
                "0",
                "TURNPIKE_SECRET_KEY",
                secretKey));
    policy =
        new EgressPolicy(
            EgressPolicy.Mode.STRICT,
            List.of(AllowRule.parse(grant)),
            Map.of(),
            List.of(),
            Set.of());
    api = cp.client();
    owner = db.ownerDsl();
    system = cp.controlPlane().database().system();
    token = cp.token("owner-" + UUID.randomUUID());
    fx = new Fixture(api, token);
  }

  static HttpServer server(BlockingQueue<String> into, BlockingQueue<String> signaturesInto)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String signature = exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER);
          signaturesInto.add(signature == null ? "none" : signature);
          into.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    return server;
  }

  @AfterAll
  void stop() {
    cp.close();
    receiver.stop(0);
    internal.stop(0);
  }

  static String alarms(String tenant, String apiId) {
    return "/v1/tenants/" + tenant + "/apis/" + apiId + "/alarms";
  }

  String receiverUrl() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  JsonObject alarm(String name, String webhookUrl) {
    return new JsonObject()
        .put("name", name)
        .put("stage", "prod")
        .put("metric", "error_rate_5xx")
        .put("comparison", "gt")
        .put("threshold", 10.0)
        .put("windowMinutes", 5)
        .put("webhookUrl", webhookUrl);
  }

  @Nested
  class Management {
    @Test
    void an_alarm_is_created_listed_changed_and_deleted_with_an_audit_trail() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);

      ApiClient.Answer created =
          api.post(token, alarms(tenant, apiId), alarm("5xx", receiverUrl()));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      String id = created.json().getString("id");
      assertThat(created.json().getString("state")).isEqualTo("ok");
      assertThat(created.json().getBoolean("enabled")).isTrue();

      ApiClient.Answer changed =
          api.put(
              token,
              alarms(tenant, apiId) + "/" + id,
              alarm("5xx", receiverUrl()).put("threshold", 25.0).put("enabled", false));
      assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
      assertThat(changed.json().getDouble("threshold")).isEqualTo(25.0);
      assertThat(changed.json().getBoolean("enabled")).isFalse();

      ApiClient.Answer listed = api.get(token, alarms(tenant, apiId));
      assertThat(listed.items())
          .extracting(o -> ((JsonObject) o).getString("id"))
          .containsExactly(id);

      assertThat(api.delete(token, alarms(tenant, apiId) + "/" + id).status()).isEqualTo(204);
      assertThat(api.get(token, alarms(tenant, apiId) + "/" + id).status()).isEqualTo(404);
      assertThat(
              owner
                  .select(AUDIT_LOG.ACTION)
                  .from(AUDIT_LOG)
                  .where(AUDIT_LOG.ENTITY_ID.eq(id))
                  .orderBy(AUDIT_LOG.ID)
                  .fetch(AUDIT_LOG.ACTION))
          .containsExactly("alarm.create", "alarm.update", "alarm.delete");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        value = {
          "unknown metric | metric | p99 | /metric | must be one of",
          "unknown comparison | comparison | above | /comparison | must be one of",
          "no stage | stage | '' | /stage | ",
          "ftp webhook | webhookUrl | ftp://hooks.example.com/x | /webhookUrl | http or https",
          "credentials in webhook | webhookUrl | https://u:p@hooks.example.com/ | /webhookUrl | "
              + "credentials"
        })
    void a_bad_field_is_a_400_naming_it(
        String ignored, String field, String value, String pointer, String message) {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);

      ApiClient.Answer answer =
          api.post(token, alarms(tenant, apiId), alarm("a", receiverUrl()).put(field, value));

      assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
      assertThat(answer.body()).contains(pointer).contains(message == null ? "" : message);
    }

    @Test
    void a_window_beyond_a_day_and_a_negative_threshold_are_400s() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);

      ApiClient.Answer answer =
          api.post(
              token,
              alarms(tenant, apiId),
              alarm("a", receiverUrl()).put("windowMinutes", 1441).put("threshold", -1));

      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.body()).contains("/windowMinutes").contains("/threshold");
    }
  }

  @Nested
  class Attacks {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
      "http://127.0.0.1:1/",
      "http://localhost:8080/admin",
      "http://169.254.169.254/latest/meta-data/",
      "http://[::1]/",
      "http://10.0.0.7:9200/",
      "http://192.168.1.1/",
      "http://metadata.google.internal/"
    })
    void a_webhook_at_a_platform_internal_address_is_refused_at_save(String url) {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);

      ApiClient.Answer answer = api.post(token, alarms(tenant, apiId), alarm("a", url));

      assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
      assertThat(answer.body()).contains("/webhookUrl").contains("egress policy");
      assertThat(owner.fetchCount(ALARMS, ALARMS.API_ID.eq(UUID.fromString(apiId)))).isZero();
    }

    @Test
    void the_policy_granting_one_port_refuses_another_service_on_the_same_host() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);

      ApiClient.Answer answer = api.post(token, alarms(tenant, apiId), alarm("a", internalUrl()));

      assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    }

    @Test
    void a_stored_webhook_that_now_points_inside_is_never_called_and_its_refusal_recorded()
        throws InterruptedException {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String id =
          api.post(token, alarms(tenant, apiId), alarm("a", receiverUrl())).json().getString("id");
      // As if the URL had been saved under an older, looser policy.
      owner
          .update(ALARMS)
          .set(ALARMS.WEBHOOK_URL, internalUrl())
          .set(ALARMS.METRIC, "requests")
          .set(ALARMS.COMPARISON, "ge")
          .set(ALARMS.THRESHOLD, 0.0)
          .where(ALARMS.ID.eq(UUID.fromString(id)))
          .execute();

      try (AlarmEvaluator evaluator = evaluator(new MutableClock(Instant.now()))) {
        evaluator.round();
        String outcome =
            await(
                () ->
                    owner
                        .select(ALARM_HISTORY.WEBHOOK)
                        .from(ALARM_HISTORY)
                        .where(ALARM_HISTORY.ALARM_ID.eq(UUID.fromString(id)))
                        .fetchOne(ALARM_HISTORY.WEBHOOK),
                "the call's outcome");
        assertThat(outcome).startsWith("failed: refused by the egress policy");
      }
      assertThat(internalCalls.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    String internalUrl() {
      return "http://127.0.0.1:" + internal.getAddress().getPort() + "/";
    }
  }

  @Nested
  class Isolation {
    @Test
    void another_tenant_can_neither_read_nor_change_nor_delete_an_alarm() {
      String tenantA = fx.tenant();
      String apiA = fx.api(tenantA);
      String id =
          api.post(token, alarms(tenantA, apiA), alarm("mine", receiverUrl()))
              .json()
              .getString("id");
      String tokenB = cp.token("stranger-" + UUID.randomUUID());
      String tenantB = new Fixture(api, tokenB).tenant();

      // Through A's tenant: B is no member.
      assertThat(api.get(tokenB, alarms(tenantA, apiA)).status()).isEqualTo(404);
      assertThat(api.get(tokenB, alarms(tenantA, apiA) + "/" + id + "/history").status())
          .isEqualTo(404);
      // Through B's own tenant, naming A's API and alarm: row-level security hides them.
      assertThat(api.get(tokenB, alarms(tenantB, apiA) + "/" + id).status()).isEqualTo(404);
      assertThat(
              api.put(tokenB, alarms(tenantB, apiA) + "/" + id, alarm("theirs", receiverUrl()))
                  .status())
          .isEqualTo(404);
      assertThat(api.delete(tokenB, alarms(tenantB, apiA) + "/" + id).status()).isEqualTo(404);
      assertThat(api.post(tokenB, alarms(tenantB, apiA), alarm("x", receiverUrl())).status())
          .isEqualTo(404);

      ApiClient.Answer still = api.get(token, alarms(tenantA, apiA) + "/" + id);
      assertThat(still.status()).isEqualTo(200);
      assertThat(still.json().getString("name")).isEqualTo("mine");
    }
  }

  @Nested
  class Evaluation {
    @Test
    void an_alarm_fires_and_resolves_calling_its_webhook_each_time_and_keeps_the_history()
        throws InterruptedException {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String id =
          api.post(token, alarms(tenant, apiId), alarm("5xx", receiverUrl()))
              .json()
              .getString("id");
      // Another tenant's failing stage of the same name must not count towards this alarm.
      String otherTenant = fx.tenant();
      MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MINUTES));
      meter(otherTenant, apiId, clock.instant(), 100, 100);
      meter(tenant, apiId, clock.instant(), 100, 2);

      try (AlarmEvaluator evaluator = evaluator(clock)) {
        assertThat(mine(evaluator.round(), tenant)).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        meter(tenant, apiId, clock.instant(), 100, 40);
        assertThat(mine(evaluator.round(), tenant)).hasSize(1);
        JsonObject firing = callOf(id, "the firing call");
        assertThat(firing.getString("alarmId")).isEqualTo(id);
        assertThat(firing.getString("state")).isEqualTo("firing");
        assertThat(firing.getString("previousState")).isEqualTo("ok");
        assertThat(firing.getDouble("value")).isEqualTo(21.0);

        ApiClient.Answer shown = api.get(token, alarms(tenant, apiId) + "/" + id);
        assertThat(shown.json().getString("state")).isEqualTo("firing");

        // The window moves past the failing minutes.
        clock.advance(Duration.ofMinutes(10));
        assertThat(mine(evaluator.round(), tenant)).hasSize(1);
        JsonObject resolved = callOf(id, "the resolving call");
        assertThat(resolved.getString("state")).isEqualTo("ok");
        assertThat(resolved.getDouble("value")).isEqualTo(0.0);
      }
      List<String> outcomes =
          await(
              () -> {
                ApiClient.Answer history =
                    api.get(token, alarms(tenant, apiId) + "/" + id + "/history");
                List<String> webhooks =
                    history.items().stream()
                        .map(o -> ((JsonObject) o).getString("webhook"))
                        .toList();
                return webhooks.size() == 2 && !webhooks.contains("pending") ? webhooks : null;
              },
              "both calls recorded");
      assertThat(outcomes).containsExactly("delivered 204", "delivered 204");
      ApiClient.Answer history = api.get(token, alarms(tenant, apiId) + "/" + id + "/history");
      assertThat(history.items())
          .extracting(o -> ((JsonObject) o).getString("to"))
          .containsExactly("ok", "firing");
    }

    @Test
    void a_disabled_alarm_is_not_evaluated() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String id =
          api.post(
                  token,
                  alarms(tenant, apiId),
                  alarm("off", receiverUrl())
                      .put("metric", "requests")
                      .put("comparison", "ge")
                      .put("threshold", 0)
                      .put("enabled", false))
              .json()
              .getString("id");

      try (AlarmEvaluator evaluator = evaluator(new MutableClock(Instant.now()))) {
        evaluator.round();
      }

      assertThat(api.get(token, alarms(tenant, apiId) + "/" + id).json().getString("state"))
          .isEqualTo("ok");
    }
  }

  /**
   * Judging through Prometheus's HTTP API: a fake Prometheus on port 0 records the queries it gets
   * and answers in the real API's shape.
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class ThroughPrometheus {
    Vertx vertx;
    io.vertx.core.http.HttpServer prometheus;
    final BlockingQueue<io.vertx.core.MultiMap> queries = new LinkedBlockingQueue<>();

    /** Status and body of the next answers; null never answers. */
    volatile Map.Entry<Integer, String> answer;

    /** How long the answers take. */
    volatile long delayMillis;

    @BeforeAll
    void startPrometheus() {
      vertx = Vertx.vertx();
      prometheus =
          vertx
              .createHttpServer()
              .requestHandler(
                  request -> {
                    if (!request.path().equals("/api/v1/query")) {
                      request.response().setStatusCode(404).end();
                      return;
                    }
                    queries.add(request.params());
                    Map.Entry<Integer, String> a = answer;
                    if (a == null) {
                      return;
                    }
                    Runnable end =
                        () ->
                            request
                                .response()
                                .setStatusCode(a.getKey())
                                .putHeader("Content-Type", "application/json")
                                .end(a.getValue());
                    if (delayMillis > 0) {
                      vertx.setTimer(delayMillis, id -> end.run());
                    } else {
                      end.run();
                    }
                  })
              .listen(0, "127.0.0.1")
              .await();
    }

    @AfterAll
    void stopPrometheus() {
      vertx.close().await();
    }

    AlarmEvaluator evaluator(MutableClock clock, Duration timeout) {
      queries.clear();
      return new AlarmEvaluator(
          system,
          "http://127.0.0.1:" + prometheus.actualPort(),
          timeout,
          new WebhookSender(policy, MachineNetwork.SYSTEM, Duration.ofSeconds(2)),
          secrets(),
          clock,
          config(2, 1, Duration.ofDays(30), 10));
    }

    static String vector(String value) {
      return new JsonObject()
          .put("status", "success")
          .put(
              "data",
              new JsonObject()
                  .put("resultType", "vector")
                  .put(
                      "result",
                      new io.vertx.core.json.JsonArray()
                          .add(
                              new JsonObject()
                                  .put("metric", new JsonObject())
                                  .put(
                                      "value",
                                      new io.vertx.core.json.JsonArray()
                                          .add(1765108800.5)
                                          .add(value)))))
          .encode();
    }

    /** This tenant's query of the round: other tests' alarms are judged in it too. */
    io.vertx.core.MultiMap queryOf(String tenantSlug) throws InterruptedException {
      while (true) {
        io.vertx.core.MultiMap q = queries.poll(10, TimeUnit.SECONDS);
        assertThat(q).as("the query of tenant " + tenantSlug).isNotNull();
        if (q.get("query").contains("\"" + tenantSlug + "\"")) {
          return q;
        }
      }
    }

    String slug(String tenant) {
      return owner
          .select(TENANTS.SLUG)
          .from(TENANTS)
          .where(TENANTS.ID.eq(UUID.fromString(tenant)))
          .fetchSingle(TENANTS.SLUG);
    }

    String apiSlug(String apiId) {
      return owner
          .select(APIS.SLUG)
          .from(APIS)
          .where(APIS.ID.eq(UUID.fromString(apiId)))
          .fetchSingle(APIS.SLUG);
    }

    @Test
    void an_alarm_fires_on_the_value_prometheus_answers_for_the_platforms_query()
        throws InterruptedException {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String id =
          api.post(
                  token,
                  alarms(tenant, apiId),
                  alarm("p", receiverUrl()).put("threshold", 5.0).put("windowMinutes", 15))
              .json()
              .getString("id");
      answer = Map.entry(200, vector("12.5"));
      MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

      try (AlarmEvaluator evaluator = evaluator(clock, Duration.ofSeconds(2))) {
        assertThat(mine(evaluator.round(), tenant)).hasSize(1);
      } finally {
        disable(id);
      }

      io.vertx.core.MultiMap q = queryOf(slug(tenant));
      String scope =
          "tenant=\"" + slug(tenant) + "\",api=\"" + apiSlug(apiId) + "\",stage=\"prod\"";
      assertThat(q.get("query"))
          .isEqualTo(
              "100 * sum(increase(turnpike_gateway_requests_total{"
                  + scope
                  + ",status=\"5xx\"}[15m])) / sum(increase(turnpike_gateway_requests_total{"
                  + scope
                  + "}[15m]))");
      assertThat(q.get("time")).isEqualTo(Long.toString(clock.instant().getEpochSecond()));
      ApiClient.Answer shown = api.get(token, alarms(tenant, apiId) + "/" + id);
      assertThat(shown.json().getString("state")).isEqualTo("firing");
      assertThat(shown.json().getDouble("stateValue")).isEqualTo(12.5);
    }

    @Test
    void a_failing_or_silent_prometheus_puts_the_alarm_in_insufficient_data_with_the_reason()
        throws InterruptedException {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String first =
          api.post(token, alarms(tenant, apiId), alarm("one", receiverUrl()))
              .json()
              .getString("id");
      String second =
          api.post(token, alarms(tenant, apiId), alarm("two", receiverUrl()))
              .json()
              .getString("id");
      MutableClock clock = new MutableClock(Instant.now());
      try {
        answer =
            Map.entry(
                503,
                new JsonObject()
                    .put("status", "error")
                    .put("errorType", "unavailable")
                    .put("error", "storage is starting")
                    .encode());
        try (AlarmEvaluator evaluator = evaluator(clock, Duration.ofSeconds(2))) {
          assertThat(mine(evaluator.round(), tenant)).hasSize(2);
        }
        // Prometheus down: the round's other alarms are not queried.
        assertThat(queries).hasSize(1);
        JsonObject transition =
            api.get(token, alarms(tenant, apiId) + "/" + first + "/history")
                .items()
                .getJsonObject(0);
        assertThat(transition.getString("from")).isEqualTo("ok");
        assertThat(transition.getString("to")).isEqualTo("insufficient_data");
        assertThat(transition.getValue("value")).isNull();
        assertThat(transition.getString("reason")).contains("503").contains("storage is starting");

        // Back to a value, then a Prometheus that never answers: bounded by the timeout.
        answer = Map.entry(200, vector("0"));
        clock.advance(Duration.ofMinutes(1));
        try (AlarmEvaluator evaluator = evaluator(clock, Duration.ofSeconds(2))) {
          assertThat(mine(evaluator.round(), tenant)).hasSize(2);
        }
        answer = null;
        clock.advance(Duration.ofMinutes(1));
        long started = System.nanoTime();
        try (AlarmEvaluator evaluator = evaluator(clock, Duration.ofMillis(300))) {
          assertThat(mine(evaluator.round(), tenant)).hasSize(2);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(queries).hasSize(1);
        ApiClient.Answer history =
            api.get(token, alarms(tenant, apiId) + "/" + second + "/history");
        assertThat(history.items())
            .extracting(o -> ((JsonObject) o).getString("to"))
            .containsExactly("insufficient_data", "ok", "insufficient_data");
        assertThat(history.items().getJsonObject(0).getString("reason"))
            .contains("no answer within 300 ms");
        assertThat(api.get(token, alarms(tenant, apiId) + "/" + second).json().getString("state"))
            .isEqualTo("insufficient_data");
      } finally {
        disable(first);
        disable(second);
      }
    }

    @Test
    void a_round_that_reads_slowly_stops_at_half_an_interval_and_leaves_the_rest_for_the_next() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      List<String> ids = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ids.add(
            api.post(token, alarms(tenant, apiId), alarm("slow" + i, receiverUrl()))
                .json()
                .getString("id"));
      }
      answer = Map.entry(200, vector("0"));
      delayMillis = 700;
      queries.clear();
      try (AlarmEvaluator evaluator =
          new AlarmEvaluator(
              system,
              "http://127.0.0.1:" + prometheus.actualPort(),
              Duration.ofSeconds(5),
              new WebhookSender(policy, MachineNetwork.SYSTEM, Duration.ofSeconds(2)),
              secrets(),
              new MutableClock(Instant.now()),
              new AlarmEvaluator.Config(
                  Duration.ofSeconds(2),
                  1000,
                  2,
                  1,
                  10,
                  1,
                  Duration.ofMillis(10),
                  Duration.ofDays(30),
                  10))) {
        evaluator.round();
      } finally {
        delayMillis = 0;
        ids.forEach(AlarmsTest.this::disable);
      }

      // 700 ms a query, a second of the round's time: two queries at most, whoever's alarms.
      assertThat(queries.size()).isBetween(1, 2);
      assertThat(
              owner.fetchCount(
                  ALARMS,
                  ALARMS
                      .ID
                      .in(ids.stream().map(UUID::fromString).toList())
                      .and(ALARMS.EVALUATED_AT.isNull())))
          .isGreaterThanOrEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        quoteCharacter = '`',
        value = {
          "prod\",tenant=~\".+",
          "prod\"} or turnpike_gateway_requests_total{tenant=~\".*",
          "prod\\\",tenant!=\""
        })
    void a_stage_name_made_to_widen_the_query_selects_only_its_own_tenants_series(String stage)
        throws InterruptedException {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String id =
          api.post(token, alarms(tenant, apiId), alarm("x", receiverUrl())).json().getString("id");
      // The API refuses such a stage name; as if saved before it did.
      owner
          .update(ALARMS)
          .set(ALARMS.STAGE, stage)
          .where(ALARMS.ID.eq(UUID.fromString(id)))
          .execute();
      answer = Map.entry(200, vector("0"));

      try (AlarmEvaluator evaluator =
          evaluator(new MutableClock(Instant.now()), Duration.ofSeconds(2))) {
        evaluator.round();
      } finally {
        disable(id);
      }

      String query = queryOf(slug(tenant)).get("query");
      List<List<PromQlSelectors.Matcher>> selectors = PromQlSelectors.of(query);
      assertThat(selectors).as(query).hasSize(2);
      for (List<PromQlSelectors.Matcher> matchers : selectors) {
        assertThat(matchers.subList(0, 3))
            .as(query)
            .containsExactly(
                new PromQlSelectors.Matcher("tenant", "=", slug(tenant)),
                new PromQlSelectors.Matcher("api", "=", apiSlug(apiId)),
                new PromQlSelectors.Matcher("stage", "=", stage));
        assertThat(matchers.subList(3, matchers.size()))
            .as(query)
            .allSatisfy(m -> assertThat(m.name()).isEqualTo("status"));
      }
    }
  }

  @Nested
  class Signing {
    @Test
    void the_secret_is_shown_once_sealed_at_rest_and_every_call_carries_a_signature_it_verifies()
        throws IOException, InterruptedException {
      BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
      BlockingQueue<String> headers = new LinkedBlockingQueue<>();
      HttpServer own = server(bodies, headers);
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);

      ApiClient.Answer created =
          api.post(token, alarms(tenant, apiId), alarm("signed", receiverUrl()));

      String secret = created.json().getString("signingSecret");
      assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
      String id = created.json().getString("id");
      ApiClient.Answer shown = api.get(token, alarms(tenant, apiId) + "/" + id);
      assertThat(shown.json().containsKey("signingSecret")).isFalse();
      assertThat(shown.json().getBoolean("signed")).isTrue();
      assertThat(api.get(token, alarms(tenant, apiId)).body()).doesNotContain(secret);
      String stored =
          owner
              .select(ALARMS.SIGNING_SECRET)
              .from(ALARMS)
              .where(ALARMS.ID.eq(UUID.fromString(id)))
              .fetchSingle(ALARMS.SIGNING_SECRET);
      assertThat(stored).startsWith("v1:").doesNotContain(secret.substring(6));
      assertThat(
              owner
                  .select(AUDIT_LOG.AFTER)
                  .from(AUDIT_LOG)
                  .where(AUDIT_LOG.ENTITY_ID.eq(id))
                  .fetch()
                  .toString())
          .doesNotContain(secret.substring(6));

      firesAtOnce(id, "http://127.0.0.1:" + own.getAddress().getPort() + "/hook");
      MutableClock clock = new MutableClock(Instant.now());
      try (AlarmEvaluator evaluator =
          evaluatorAllowing(clock, config(2, 1, Duration.ofDays(30), 10), own)) {
        evaluator.round();
        String body = await(bodies, "the signed call");
        String header = await(headers, "its signature");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Duration tolerance = WebhookSignature.DEFAULT_TOLERANCE;

        assertThat(header).startsWith("t=" + clock.instant().getEpochSecond() + ",v1=");
        assertThat(WebhookSignature.verify(secret, header, bytes, clock.instant(), tolerance))
            .isTrue();
        byte[] tampered = body.replace("firing", "ok").getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.verify(secret, header, tampered, clock.instant(), tolerance))
            .isFalse();

        // A rotated secret signs the next call; the old one no longer verifies.
        ApiClient.Answer rotated =
            api.post(token, alarms(tenant, apiId) + "/" + id + "/signing-secret", new JsonObject());
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String next = rotated.json().getString("signingSecret");
        assertThat(next).startsWith("whsec_").isNotEqualTo(secret);
        owner
            .update(ALARMS)
            .set(ALARMS.COMPARISON, "lt")
            .where(ALARMS.ID.eq(UUID.fromString(id)))
            .execute();
        clock.advance(Duration.ofMinutes(1));
        evaluator.round();
        byte[] second = await(bodies, "the resolving call").getBytes(StandardCharsets.UTF_8);
        String secondHeader = await(headers, "its signature");
        assertThat(WebhookSignature.verify(next, secondHeader, second, clock.instant(), tolerance))
            .isTrue();
        assertThat(
                WebhookSignature.verify(secret, secondHeader, second, clock.instant(), tolerance))
            .isFalse();
      } finally {
        disable(id);
        own.stop(0);
      }
    }
  }

  @Nested
  class FairDelivery {
    @Test
    void a_tenant_whose_receiver_hangs_does_not_delay_another_tenants_call()
        throws IOException, InterruptedException {
      Vertx vertx = Vertx.vertx();
      AtomicInteger hung = new AtomicInteger();
      // Takes every request and never answers.
      io.vertx.core.http.HttpServer hanging =
          vertx
              .createHttpServer()
              .requestHandler(request -> hung.incrementAndGet())
              .listen(0, "127.0.0.1")
              .await();
      BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
      HttpServer prompt = server(bodies, new LinkedBlockingQueue<>());
      String tenantA = fx.tenant();
      String apiA = fx.api(tenantA);
      String tenantB = fx.tenant();
      String apiB = fx.api(tenantB);
      List<String> ids = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String id =
            api.post(token, alarms(tenantA, apiA), alarm("a" + i, receiverUrl()))
                .json()
                .getString("id");
        firesAtOnce(id, "http://127.0.0.1:" + hanging.actualPort() + "/hang");
        ids.add(id);
      }
      String idB =
          api.post(token, alarms(tenantB, apiB), alarm("b", receiverUrl())).json().getString("id");
      firesAtOnce(idB, "http://127.0.0.1:" + prompt.getAddress().getPort() + "/hook");
      ids.add(idB);
      // B's alarm is judged after all of A's, so its call is handed to the pool last.
      owner
          .update(ALARMS)
          .set(
              ALARMS.EVALUATED_AT,
              Instant.now().minus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC))
          .where(ALARMS.ID.eq(UUID.fromString(idB)))
          .execute();
      // Two threads, one per tenant: A's hanging calls would hold both in a first-come pool.
      WebhookSender slow =
          new WebhookSender(
              grant(hanging.actualPort(), prompt.getAddress().getPort()),
              MachineNetwork.SYSTEM,
              Duration.ofSeconds(30));
      long started = System.nanoTime();
      try (AlarmEvaluator evaluator =
          new AlarmEvaluator(
              system,
              slow,
              secrets(),
              new MutableClock(Instant.now()),
              config(2, 1, Duration.ofDays(30), 10))) {
        List<AlarmEvaluator.Transition> round = evaluator.round();
        assertThat(mine(round, tenantA)).hasSize(4);
        assertThat(mine(round, tenantB)).hasSize(1);

        JsonObject call = new JsonObject(await(bodies, "tenant B's call"));

        assertThat(call.getString("alarmId")).isEqualTo(idB);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .isLessThan(Duration.ofSeconds(10));
        // A holds one thread at a time: its other calls wait in its own queue.
        await(() -> hung.get() > 0 ? hung.get() : null, "A's first call to hang");
        assertThat(hung.get()).isEqualTo(1);
      } finally {
        ids.forEach(AlarmsTest.this::disable);
        hanging.close().await();
        vertx.close().await();
        prompt.stop(0);
      }
    }
  }

  @Nested
  class Pruning {
    @Test
    void history_past_the_retention_is_deleted_in_bounded_batches_and_the_rest_kept() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String id =
          api.post(token, alarms(tenant, apiId), alarm("old", receiverUrl()))
              .json()
              .getString("id");
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      for (int i = 0; i < 25; i++) {
        history(tenant, id, now.minus(Duration.ofDays(31)).minusSeconds(i));
      }
      history(tenant, id, now.minus(Duration.ofDays(29)));
      history(tenant, id, now);

      try (AlarmEvaluator evaluator =
          new AlarmEvaluator(
              system,
              new WebhookSender(policy, MachineNetwork.SYSTEM, Duration.ofSeconds(2)),
              secrets(),
              new MutableClock(now),
              config(2, 1, Duration.ofDays(30), 2))) {
        // Ten statements of two rows at most in one round.
        assertThat(evaluator.prune()).isEqualTo(20);
        assertThat(historyOf(id)).isEqualTo(7);

        assertThat(evaluator.prune()).isEqualTo(5);
        assertThat(evaluator.prune()).isZero();
      }
      assertThat(
              owner
                  .select(ALARM_HISTORY.AT)
                  .from(ALARM_HISTORY)
                  .where(ALARM_HISTORY.ALARM_ID.eq(UUID.fromString(id)))
                  .fetch(ALARM_HISTORY.AT))
          .allSatisfy(at -> assertThat(at.toInstant()).isAfter(now.minus(Duration.ofDays(30))))
          .hasSize(2);
    }

    void history(String tenant, String alarmId, Instant at) {
      owner
          .insertInto(ALARM_HISTORY)
          .set(ALARM_HISTORY.ID, UUID.randomUUID())
          .set(ALARM_HISTORY.TENANT_ID, UUID.fromString(tenant))
          .set(ALARM_HISTORY.ALARM_ID, UUID.fromString(alarmId))
          .set(ALARM_HISTORY.AT, at.atOffset(ZoneOffset.UTC))
          .set(ALARM_HISTORY.FROM_STATE, "ok")
          .set(ALARM_HISTORY.TO_STATE, "firing")
          .set(ALARM_HISTORY.VALUE, 1.0)
          .execute();
    }

    int historyOf(String alarmId) {
      return owner.fetchCount(ALARM_HISTORY, ALARM_HISTORY.ALARM_ID.eq(UUID.fromString(alarmId)));
    }
  }

  /**
   * Makes a saved alarm fire at its next evaluation (1 request or more, there being none, is turned
   * into 0 or more) and points it at {@code url}, as if saved under a looser policy.
   */
  void firesAtOnce(String alarmId, String url) {
    owner
        .update(ALARMS)
        .set(ALARMS.WEBHOOK_URL, url)
        .set(ALARMS.METRIC, "requests")
        .set(ALARMS.COMPARISON, "ge")
        .set(ALARMS.THRESHOLD, 0.0)
        .setNull(ALARMS.EVALUATED_AT)
        .where(ALARMS.ID.eq(UUID.fromString(alarmId)))
        .execute();
  }

  /** Keeps a test's alarm out of later tests' rounds. */
  void disable(String alarmId) {
    owner
        .update(ALARMS)
        .set(ALARMS.ENABLED, false)
        .where(ALARMS.ID.eq(UUID.fromString(alarmId)))
        .execute();
  }

  static EgressPolicy grant(int... ports) {
    return new EgressPolicy(
        EgressPolicy.Mode.STRICT,
        java.util.Arrays.stream(ports).mapToObj(p -> AllowRule.parse("127.0.0.1/32:" + p)).toList(),
        Map.of(),
        List.of(),
        Set.of());
  }

  AlarmEvaluator evaluatorAllowing(
      MutableClock clock, AlarmEvaluator.Config config, HttpServer receiverServer) {
    return new AlarmEvaluator(
        system,
        new WebhookSender(
            grant(receiverServer.getAddress().getPort()),
            MachineNetwork.SYSTEM,
            Duration.ofSeconds(2)),
        secrets(),
        clock,
        config);
  }

  /** The round's transitions of this test's tenant: other tests' alarms share the database. */
  static List<AlarmEvaluator.Transition> mine(List<AlarmEvaluator.Transition> all, String tenant) {
    return all.stream().filter(t -> t.tenantId().toString().equals(tenant)).toList();
  }

  AlarmEvaluator evaluator(MutableClock clock) {
    return new AlarmEvaluator(
        system,
        new WebhookSender(policy, MachineNetwork.SYSTEM, Duration.ofSeconds(2)),
        secrets(),
        clock,
        config(2, 1, Duration.ofDays(30), 1000));
  }

  SigningSecrets secrets() {
    return new SigningSecrets(SealedSecrets.fromBase64Key(secretKey));
  }

  static AlarmEvaluator.Config config(
      int threads, int perTenant, Duration retention, int pruneBatch) {
    return new AlarmEvaluator.Config(
        Duration.ofSeconds(60),
        1000,
        threads,
        perTenant,
        10,
        1,
        Duration.ofMillis(10),
        retention,
        pruneBatch);
  }

  /** Metering's minute bucket of one stage. */
  void meter(String tenant, String apiId, Instant minute, long calls, long serverErrors) {
    owner
        .insertInto(USAGE_AGGREGATES)
        .set(USAGE_AGGREGATES.TENANT_ID, UUID.fromString(tenant))
        .set(USAGE_AGGREGATES.GRANULARITY, "minute")
        .set(USAGE_AGGREGATES.BUCKET_START, minute.atOffset(ZoneOffset.UTC))
        .set(USAGE_AGGREGATES.API_ID, apiId)
        .set(USAGE_AGGREGATES.STAGE, "prod")
        .set(USAGE_AGGREGATES.KEY_ID, "")
        .set(USAGE_AGGREGATES.APP_ID, "")
        .set(USAGE_AGGREGATES.PLAN_ID, "")
        .set(USAGE_AGGREGATES.CALLS, calls)
        .set(USAGE_AGGREGATES.ERRORS_5XX, serverErrors)
        .execute();
  }

  /**
   * The receiver's next call about this alarm: rounds judge every test's alarms, so others' calls
   * may come in between.
   */
  JsonObject callOf(String alarmId, String what) throws InterruptedException {
    while (true) {
      JsonObject call = new JsonObject(await(received, what));
      if (alarmId.equals(call.getString("alarmId"))) {
        return call;
      }
    }
  }

  static String await(BlockingQueue<String> queue, String what) throws InterruptedException {
    String value = queue.poll(10, TimeUnit.SECONDS);
    assertThat(value).as(what).isNotNull();
    return value;
  }

  static <T> T await(Supplier<T> probe, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null && !"pending".equals(value)) {
        return value;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
