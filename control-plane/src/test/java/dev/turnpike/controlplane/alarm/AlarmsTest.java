package dev.turnpike.controlplane.alarm;

import static dev.turnpike.db.Tables.ALARMS;
import static dev.turnpike.db.Tables.ALARM_HISTORY;
import static dev.turnpike.db.Tables.AUDIT_LOG;
import static dev.turnpike.db.Tables.USAGE_AGGREGATES;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
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

  /** A server the policy does not grant: a platform-internal service as far as tenants know. */
  HttpServer internal;

  BlockingQueue<String> internalCalls = new LinkedBlockingQueue<>();
  EgressPolicy policy;

  @BeforeAll
  void start(TestDatabase db) throws IOException {
    receiver = server(received);
    internal = server(internalCalls);
    String grant = "127.0.0.1/32:" + receiver.getAddress().getPort();
    cp =
        TestControlPlane.start(
            db,
            null,
            Map.of("TURNPIKE_EGRESS_ALLOW", grant, "TURNPIKE_CP_ALARM_INTERVAL_SECONDS", "0"));
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

  private static HttpServer server(BlockingQueue<String> into) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
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
        JsonObject firing = new JsonObject(await(received, "the firing call"));
        assertThat(firing.getString("alarmId")).isEqualTo(id);
        assertThat(firing.getString("state")).isEqualTo("firing");
        assertThat(firing.getString("previousState")).isEqualTo("ok");
        assertThat(firing.getDouble("value")).isEqualTo(21.0);

        ApiClient.Answer shown = api.get(token, alarms(tenant, apiId) + "/" + id);
        assertThat(shown.json().getString("state")).isEqualTo("firing");

        // The window moves past the failing minutes.
        clock.advance(Duration.ofMinutes(10));
        assertThat(mine(evaluator.round(), tenant)).hasSize(1);
        JsonObject resolved = new JsonObject(await(received, "the resolving call"));
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

  /** The round's transitions of this test's tenant: other tests' alarms share the database. */
  static List<AlarmEvaluator.Transition> mine(List<AlarmEvaluator.Transition> all, String tenant) {
    return all.stream().filter(t -> t.tenantId().toString().equals(tenant)).toList();
  }

  AlarmEvaluator evaluator(MutableClock clock) {
    return new AlarmEvaluator(
        system,
        new WebhookSender(policy, MachineNetwork.SYSTEM, Duration.ofSeconds(2)),
        clock,
        new AlarmEvaluator.Config(Duration.ofSeconds(60), 1000, 2, 10, 1, Duration.ofMillis(10)));
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
