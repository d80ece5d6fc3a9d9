package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.API_ID;
import static dev.turnpike.gateway.http.Fixtures.OTHER_TENANT_ID;
import static dev.turnpike.gateway.http.Fixtures.TENANT_ID;
import static dev.turnpike.gateway.http.Fixtures.dailyQuota;
import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.key;
import static dev.turnpike.gateway.http.Fixtures.plan;
import static dev.turnpike.gateway.http.Fixtures.proxy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.EdgeConfig;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.StageCacheConfig;
import dev.turnpike.contracts.config.StageCacheConfig.MethodCacheSetting;
import dev.turnpike.contracts.config.StageCacheConfig.UnauthorizedCacheControl;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.testkit.Await;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The stage cache against a real gateway and a backend that counts its calls: a hit never reaches
 * the backend, and still passes keys, throttles and quotas and is metered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponseCacheTest {
  static final String ALICE = "tpk_alice000000000000000000000000000000000";
  static final String BOB = "tpk_bob00000000000000000000000000000000000";

  GatewayRig gateway;
  HttpServer backend;
  final AtomicInteger backendCalls = new AtomicInteger();
  final Map<String, AtomicInteger> callsByPath = new ConcurrentHashMap<>();
  String stage;
  int stages;

  @BeforeAll
  void start() throws Exception {
    gateway = GatewayRig.builder().start();
    backend =
        gateway
            .vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  int call = backendCalls.incrementAndGet();
                  callsByPath
                      .computeIfAbsent(request.path(), ignored -> new AtomicInteger())
                      .incrementAndGet();
                  var response = request.response().putHeader("x-backend-call", "" + call);
                  if (request.path().startsWith("/status/")) {
                    response.setStatusCode(Integer.parseInt(request.path().substring(8)));
                    response.end("status " + call);
                  } else if (request.path().startsWith("/cors")) {
                    // A backend's own CORS answer, which the gateway's replaces.
                    response
                        .putHeader("access-control-allow-origin", "https://evil.example")
                        .end("cors " + call);
                  } else if (request.path().startsWith("/cookie")) {
                    response.putHeader("set-cookie", "session=" + call).end("cookie " + call);
                  } else if (request.path().startsWith("/bytes/")) {
                    int size = Integer.parseInt(request.path().substring(7));
                    response.end(Buffer.buffer(new byte[size]));
                  } else {
                    response
                        .putHeader("content-type", "text/plain")
                        .end("call " + call + " " + request.uri());
                  }
                })
            .listen(0)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() {
    gateway.close();
  }

  /** Each test on a stage of its own: caches outlive config swaps, as they do on a node. */
  @BeforeEach
  void freshStage() {
    stage = "s" + ++stages;
    gateway.events.clear();
    callsByPath.clear();
  }

  String backendUrl() {
    return "http://127.0.0.1:" + backend.actualPort();
  }

  static StageCacheConfig cache(
      Map<String, MethodCacheSetting> methods,
      boolean share,
      boolean requireAuthorization,
      UnauthorizedCacheControl strategy,
      long generation) {
    return new StageCacheConfig(
        true, 1024 * 1024, 300, methods, share, requireAuthorization, strategy, generation);
  }

  static StageCacheConfig cacheOn() {
    return cache(Map.of(), false, true, null, 0);
  }

  RouteConfig route(String method, String path, boolean keyRequired, List<String> keyParams) {
    return new RouteConfig(
        "r-" + method + path,
        method,
        path,
        keyRequired,
        proxy(backendUrl() + path),
        null,
        null,
        keyParams);
  }

  RouteConfig route(String method, String path) {
    return route(method, path, false, List.of());
  }

  void load(StageCacheConfig cache, RouteConfig... routes) {
    load(TENANT_ID, cache, List.of(), List.of(), routes);
  }

  void load(
      String tenant,
      StageCacheConfig cache,
      List<KeyRecord> keys,
      List<PlanRecord> plans,
      RouteConfig... routes) {
    gateway.load(List.of(snapshot(tenant, cache, routes)), keys, plans);
  }

  DeploymentSnapshot snapshot(String tenant, StageCacheConfig cache, RouteConfig... routes) {
    DeploymentSnapshot acme = deployment(stage, List.of(routes)).toBuilder().cache(cache).build();
    if (tenant.equals(TENANT_ID)) {
      return acme;
    }
    return DeploymentSnapshot.builder()
        .tenantId(tenant)
        .tenantSlug("globex")
        .apiId(API_ID)
        .apiSlug("pets")
        .stage(stage)
        .deploymentId("dep-globex")
        .hash("0".repeat(64))
        .deployedAt(Instant.now())
        .routes(List.of(routes))
        .cache(cache)
        .build();
  }

  String url(String path) {
    return "/acme/pets/" + stage + path;
  }

  GatewayRig.Response get(String path) throws Exception {
    return gateway.get(url(path), Map.of());
  }

  GatewayRig.Response get(String path, Map<String, String> headers) throws Exception {
    return gateway.get(url(path), headers);
  }

  int calls(String backendPath) {
    AtomicInteger count = callsByPath.get(backendPath);
    return count == null ? 0 : count.get();
  }

  double meter(String name) {
    var counter = gateway.meters.find(name).tag("stage", stage).counter();
    return counter == null ? 0 : counter.count();
  }

  @Nested
  class serves_from_memory {
    @Test
    void a_second_get_is_answered_without_calling_the_backend() throws Exception {
      load(cacheOn(), route("GET", "/a1"));

      GatewayRig.Response first = get("/a1");
      GatewayRig.Response second = get("/a1");

      assertThat(first.status()).isEqualTo(200);
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.body()).isEqualTo(first.body());
      assertThat(second.headers().get("content-type")).isEqualTo("text/plain");
      assertThat(second.headers().get(GatewayRequestHandler.REQUEST_ID_HEADER))
          .isNotEqualTo(first.headers().get(GatewayRequestHandler.REQUEST_ID_HEADER));
      assertThat(calls("/a1")).isEqualTo(1);
      assertThat(meter("turnpike.gateway.cache.hits")).isEqualTo(1);
      assertThat(meter("turnpike.gateway.cache.misses")).isEqualTo(1);
    }

    @Test
    void a_stage_with_its_cache_off_calls_the_backend_every_time() throws Exception {
      load(StageCacheConfig.OFF, route("GET", "/off"));

      get("/off");
      get("/off");

      assertThat(calls("/off")).isEqualTo(2);
    }

    @Test
    void cache_key_parameters_tell_entries_apart_and_other_parameters_do_not() throws Exception {
      load(
          cacheOn(),
          route(
              "GET",
              "/k1",
              false,
              List.of("method.request.querystring.page", "method.request.header.x-lang")));

      String first = get("/k1?page=1&noise=a", Map.of("x-lang", "en")).body();
      String noise = get("/k1?page=1&noise=b", Map.of("x-lang", "en")).body();
      String otherPage = get("/k1?page=2&noise=a", Map.of("x-lang", "en")).body();
      String otherHeader = get("/k1?page=1&noise=a", Map.of("x-lang", "fr")).body();

      assertThat(noise).isEqualTo(first);
      assertThat(otherPage).isNotEqualTo(first);
      assertThat(otherHeader).isNotEqualTo(first).isNotEqualTo(otherPage);
      assertThat(calls("/k1")).isEqualTo(3);
    }

    @Test
    void a_path_parameter_named_as_a_key_parameter_tells_entries_apart() throws Exception {
      load(cacheOn(), route("GET", "/p/{id}", false, List.of("method.request.path.id")));

      get("/p/1");
      get("/p/1");
      get("/p/2");

      assertThat(calls("/p/1")).isEqualTo(1);
      assertThat(calls("/p/2")).isEqualTo(1);
    }

    @Test
    void an_entry_expires_after_its_ttl_and_a_method_override_sets_its_own() throws Exception {
      load(
          cache(Map.of("/short/GET", new MethodCacheSetting(null, 10)), false, true, null, 0),
          route("GET", "/long"),
          route("GET", "/short"));
      get("/long");
      get("/short");

      gateway.cacheNanos.addAndGet(TimeUnit.SECONDS.toNanos(11));
      get("/long");
      get("/short");
      assertThat(calls("/long")).isEqualTo(1);
      assertThat(calls("/short")).isEqualTo(2);

      gateway.cacheNanos.addAndGet(TimeUnit.SECONDS.toNanos(300));
      get("/long");
      assertThat(calls("/long")).isEqualTo(2);
    }

    @Test
    void the_usage_event_and_access_log_say_which_calls_were_hits() throws Exception {
      load(cacheOn(), route("GET", "/u1"));

      get("/u1");
      get("/u1");

      // Only this route's events: an earlier test's last event may be recorded after it ended
      // (events are recorded as a response ends, which can follow the client's answer).
      Await.until(
          Duration.ofSeconds(10), () -> eventsOf("/u1").size() >= 2, "two usage events of /u1");
      List<UsageEvent> events = eventsOf("/u1");
      assertThat(events).hasSize(2);
      assertThat(events).extracting(UsageEvent::cacheHit).containsExactly(false, true);
      assertThat(events).extracting(UsageEvent::status).containsExactly(200, 200);
      assertThat(events.get(1).bytesOut()).isEqualTo(events.get(0).bytesOut()).isPositive();
    }
  }

  private List<UsageEvent> eventsOf(String path) {
    return gateway.events.stream()
        .filter(e -> e.routeKey() != null && e.routeKey().endsWith(" " + path))
        .toList();
  }

  @Nested
  class with_cors {
    static final String APP = "https://app.example";

    void loadWithCors(RouteConfig route) {
      DeploymentSnapshot snapshot =
          deployment(stage, List.of(route)).toBuilder()
              .cache(cacheOn())
              .edge(
                  new EdgeConfig(
                      new CorsConfiguration(
                          List.of(APP), List.of("GET"), List.of(), List.of(), 300, true),
                      null,
                      null))
              .build();
      gateway.load(List.of(snapshot), List.of(), List.of());
    }

    @Test
    void a_hit_for_an_allowed_origin_carries_the_cors_headers_and_vary_origin() throws Exception {
      loadWithCors(route("GET", "/cors1"));

      GatewayRig.Response miss = get("/cors1", Map.of("origin", APP));
      GatewayRig.Response hit = get("/cors1", Map.of("origin", APP));

      assertThat(calls("/cors1")).isEqualTo(1);
      assertThat(hit.body()).isEqualTo(miss.body());
      for (GatewayRig.Response response : List.of(miss, hit)) {
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().get("access-control-allow-origin")).isEqualTo(APP);
        assertThat(response.headers().get("access-control-allow-credentials")).isEqualTo("true");
        assertThat(response.headers().getAll("vary")).containsExactly("Origin");
      }
    }

    @Test
    void a_hit_for_another_origin_gets_no_allow_origin_from_the_stored_answer() throws Exception {
      loadWithCors(route("GET", "/cors2"));
      get("/cors2", Map.of("origin", APP));

      GatewayRig.Response other = get("/cors2", Map.of("origin", "https://evil.example"));
      GatewayRig.Response none = get("/cors2");

      assertThat(calls("/cors2")).isEqualTo(1);
      for (GatewayRig.Response response : List.of(other, none)) {
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().contains("access-control-allow-origin")).isFalse();
        assertThat(response.headers().contains("access-control-allow-credentials")).isFalse();
        assertThat(response.headers().getAll("vary")).containsExactly("Origin");
      }
    }
  }

  @Nested
  class every_integration_type_and_log {
    @Test
    void a_mock_response_is_cached_and_the_access_log_says_hit_or_miss() throws Exception {
      DeploymentSnapshot base =
          deployment(
                  stage,
                  List.of(
                      new RouteConfig(
                          "r-mock", "GET", "/mock", false, Fixtures.mock(200, "{\"a\":1}"))))
              .toBuilder()
              .cache(cacheOn())
              .build();
      DeploymentSnapshot logged =
          base.toBuilder().accessLogFields(List.of("requestId", "route", "cacheStatus")).build();
      gateway.load(List.of(logged), List.of(), List.of());

      GatewayRig.Response first = get("/mock");
      GatewayRig.Response second = get("/mock");

      assertThat(second.body()).isEqualTo(first.body()).isEqualTo("{\"a\":1}");
      assertThat(second.headers().get("x-mock")).isEqualTo("yes");
      assertThat(meter("turnpike.gateway.cache.hits")).isEqualTo(1);
      Await.until(
          Duration.ofSeconds(10),
          () -> gateway.accessLogOut.toString().contains("\"cacheStatus\":\"HIT\""),
          "an access log line with cacheStatus HIT");
      assertThat(gateway.accessLogOut.toString())
          .contains("\"route\":\"GET /mock\",\"cacheStatus\":\"MISS\"");
    }
  }

  @Nested
  class stores_only_what_may_be_shared {
    @Test
    void non_200_responses_are_not_stored() throws Exception {
      load(cacheOn(), route("GET", "/status/404"), route("GET", "/status/500"));

      assertThat(get("/status/404").status()).isEqualTo(404);
      assertThat(get("/status/404").status()).isEqualTo(404);
      get("/status/500");
      get("/status/500");

      assertThat(calls("/status/404")).isEqualTo(2);
      assertThat(calls("/status/500")).isEqualTo(2);
    }

    @Test
    void post_is_not_cached_unless_its_method_setting_enables_it() throws Exception {
      load(
          cache(Map.of("/on/POST", new MethodCacheSetting(true, null)), false, true, null, 0),
          route("POST", "/post"),
          route("POST", "/on"));

      gateway.call(HttpMethod.POST, url("/post"), Map.of(), Buffer.buffer("x"));
      gateway.call(HttpMethod.POST, url("/post"), Map.of(), Buffer.buffer("x"));
      gateway.call(HttpMethod.POST, url("/on"), Map.of(), Buffer.buffer("x"));
      gateway.call(HttpMethod.POST, url("/on"), Map.of(), Buffer.buffer("x"));

      assertThat(calls("/post")).isEqualTo(2);
      assertThat(calls("/on")).isEqualTo(1);
    }

    @Test
    void a_method_setting_can_turn_caching_off_for_a_get() throws Exception {
      load(
          cache(Map.of("/no/GET", new MethodCacheSetting(false, null)), false, true, null, 0),
          route("GET", "/no"));

      get("/no");
      get("/no");

      assertThat(calls("/no")).isEqualTo(2);
    }

    @Test
    void a_response_setting_a_cookie_is_not_stored() throws Exception {
      load(cacheOn(), route("GET", "/cookie"));

      GatewayRig.Response first = get("/cookie");
      GatewayRig.Response second = get("/cookie");

      assertThat(second.headers().get("set-cookie"))
          .startsWith("session=")
          .isNotEqualTo(first.headers().get("set-cookie"));
      assertThat(calls("/cookie")).isEqualTo(2);
    }

    @Test
    void a_body_above_the_entry_bound_passes_through_uncached() throws Exception {
      int size = GatewayRig.MAX_CACHED_BODY_BYTES + 1;
      String path = "/bytes/" + size;
      load(cacheOn(), route("GET", path));

      assertThat(get(path).body()).hasSize(size);
      assertThat(get(path).body()).hasSize(size);

      assertThat(calls(path)).isEqualTo(2);
    }
  }

  @Nested
  class keeps_callers_apart {
    void loadKeyed(boolean share, ThrottleLimit throttle, Long quota) {
      PlanRecord bound =
          plan("plan-" + stage, throttle, quota == null ? null : dailyQuota(quota), stage);
      load(
          TENANT_ID,
          cache(Map.of(), share, true, null, 0),
          List.of(
              key(
                  ALICE,
                  "key-alice-" + stage,
                  TENANT_ID,
                  KeyStatus.ENABLED,
                  List.of(bound.planId())),
              key(BOB, "key-bob-" + stage, TENANT_ID, KeyStatus.ENABLED, List.of(bound.planId()))),
          List.of(bound),
          route("GET", "/mine", true, List.of()));
    }

    @Test
    void different_keys_do_not_share_entries() throws Exception {
      loadKeyed(false, null, null);

      String alice = get("/mine", Map.of("x-api-key", ALICE)).body();
      String aliceAgain = get("/mine", Map.of("x-api-key", ALICE)).body();
      String bob = get("/mine", Map.of("x-api-key", BOB)).body();

      assertThat(aliceAgain).isEqualTo(alice);
      assertThat(bob).isNotEqualTo(alice);
      assertThat(calls("/mine")).isEqualTo(2);
    }

    @Test
    void keys_share_entries_when_the_owner_says_so() throws Exception {
      loadKeyed(true, null, null);

      String alice = get("/mine", Map.of("x-api-key", ALICE)).body();
      String bob = get("/mine", Map.of("x-api-key", BOB)).body();

      assertThat(bob).isEqualTo(alice);
      assertThat(calls("/mine")).isEqualTo(1);
    }

    @Test
    void a_cached_route_still_refuses_a_missing_or_unknown_key() throws Exception {
      loadKeyed(true, null, null);
      get("/mine", Map.of("x-api-key", ALICE));

      assertThat(get("/mine").status()).isEqualTo(403);
      assertThat(get("/mine", Map.of("x-api-key", ALICE + "x")).status()).isEqualTo(403);
    }

    @Test
    void hits_still_pass_the_throttle() throws Exception {
      loadKeyed(false, new ThrottleLimit(0.001, 1), null);

      assertThat(get("/mine", Map.of("x-api-key", ALICE)).status()).isEqualTo(200);
      assertThat(get("/mine", Map.of("x-api-key", ALICE)).status()).isEqualTo(429);
      assertThat(calls("/mine")).isEqualTo(1);
    }

    @Test
    void hits_still_count_against_the_quota() throws Exception {
      loadKeyed(false, null, 2L);

      assertThat(get("/mine", Map.of("x-api-key", ALICE)).status()).isEqualTo(200);
      assertThat(get("/mine", Map.of("x-api-key", ALICE)).status()).isEqualTo(200);
      assertThat(get("/mine", Map.of("x-api-key", ALICE)).status()).isEqualTo(429);
      assertThat(calls("/mine")).isEqualTo(1);
    }
  }

  /** Attacks: a cached answer for one tenant or key must never reach another. */
  @Nested
  class attacks {
    @Test
    void another_tenants_identical_path_never_gets_the_cached_answer() throws Exception {
      gateway.load(
          List.of(
              snapshot(TENANT_ID, cacheOn(), route("GET", "/shared")),
              snapshot(OTHER_TENANT_ID, cacheOn(), route("GET", "/shared"))),
          List.of(),
          List.of());

      String acme = gateway.get("/acme/pets/" + stage + "/shared", Map.of()).body();
      String globex = gateway.get("/globex/pets/" + stage + "/shared", Map.of()).body();

      assertThat(globex).isNotEqualTo(acme);
      assertThat(calls("/shared")).isEqualTo(2);
    }

    @Test
    void a_key_cannot_read_another_keys_entry_through_a_crafted_header() throws Exception {
      PlanRecord bound = plan("plan-" + stage, null, null, stage);
      load(
          TENANT_ID,
          cacheOn(),
          List.of(
              key(ALICE, "key-a", TENANT_ID, KeyStatus.ENABLED, List.of(bound.planId())),
              key(BOB, "key-b", TENANT_ID, KeyStatus.ENABLED, List.of(bound.planId()))),
          List.of(bound),
          route("GET", "/secret", true, List.of("method.request.header.x-tag")));

      String alice = get("/secret", Map.of("x-api-key", ALICE, "x-tag", "k5:key-a")).body();
      String bob = get("/secret", Map.of("x-api-key", BOB, "x-tag", "k5:key-a")).body();
      String bobPlain = get("/secret", Map.of("x-api-key", BOB, "x-tag", "")).body();

      assertThat(bob).isNotEqualTo(alice);
      assertThat(bobPlain).isNotEqualTo(alice);
      assertThat(calls("/secret")).isEqualTo(3);
    }
  }

  @Nested
  class invalidation {
    @Test
    void max_age_0_refreshes_the_entry_when_authorization_is_not_required() throws Exception {
      load(cache(Map.of(), false, false, null, 0), route("GET", "/r1"));

      String first = get("/r1").body();
      String refreshed = get("/r1", Map.of("cache-control", "max-age=0")).body();
      String after = get("/r1").body();

      assertThat(refreshed).isNotEqualTo(first);
      assertThat(after).isEqualTo(refreshed);
      assertThat(calls("/r1")).isEqualTo(2);
    }

    @Test
    void an_unidentified_caller_gets_403_under_fail_with_403() throws Exception {
      load(
          cache(Map.of(), false, true, UnauthorizedCacheControl.FAIL_WITH_403, 0),
          route("GET", "/r2"));
      get("/r2");

      assertThat(get("/r2", Map.of("cache-control", "max-age=0")).status()).isEqualTo(403);
      assertThat(calls("/r2")).isEqualTo(1);
    }

    @Test
    void an_unidentified_caller_is_served_the_entry_with_a_warning() throws Exception {
      load(
          cache(Map.of(), false, true, UnauthorizedCacheControl.SUCCEED_WITH_RESPONSE_HEADER, 0),
          route("GET", "/r3"));
      String first = get("/r3").body();

      GatewayRig.Response ignored = get("/r3", Map.of("cache-control", "no-store, max-age=0"));

      assertThat(ignored.body()).isEqualTo(first);
      assertThat(ignored.headers().get("warning")).startsWith("199 ");
      assertThat(get("/r3").headers().get("warning")).isNull();
      assertThat(calls("/r3")).isEqualTo(1);
    }

    @Test
    void an_unidentified_caller_is_served_the_entry_silently() throws Exception {
      load(
          cache(Map.of(), false, true, UnauthorizedCacheControl.SUCCEED_WITHOUT_RESPONSE_HEADER, 0),
          route("GET", "/r4"));
      String first = get("/r4").body();

      GatewayRig.Response ignored = get("/r4", Map.of("cache-control", "max-age=0"));

      assertThat(ignored.body()).isEqualTo(first);
      assertThat(ignored.headers().get("warning")).isNull();
      assertThat(calls("/r4")).isEqualTo(1);
    }

    @Test
    void a_caller_with_a_key_may_refresh_its_own_entry() throws Exception {
      PlanRecord bound = plan("plan-" + stage, null, null, stage);
      load(
          TENANT_ID,
          cache(Map.of(), false, true, UnauthorizedCacheControl.FAIL_WITH_403, 0),
          List.of(key(ALICE, "key-r5", TENANT_ID, KeyStatus.ENABLED, List.of(bound.planId()))),
          List.of(bound),
          route("GET", "/r5", true, List.of()));

      String first = get("/r5", Map.of("x-api-key", ALICE)).body();
      GatewayRig.Response refreshed =
          get("/r5", Map.of("x-api-key", ALICE, "cache-control", "max-age=0"));

      assertThat(refreshed.status()).isEqualTo(200);
      assertThat(refreshed.body()).isNotEqualTo(first);
      assertThat(calls("/r5")).isEqualTo(2);
    }

    @Test
    void a_flush_through_a_new_snapshot_drops_every_entry() throws Exception {
      load(cacheOn(), route("GET", "/f1"));
      String first = get("/f1").body();
      assertThat(get("/f1").body()).isEqualTo(first);

      load(cache(Map.of(), false, true, null, 1), route("GET", "/f1"));

      assertThat(get("/f1").body()).isNotEqualTo(first);
      assertThat(calls("/f1")).isEqualTo(2);
    }

    @Test
    void a_redeploy_without_a_flush_keeps_the_entries() throws Exception {
      load(cacheOn(), route("GET", "/f2"));
      String first = get("/f2").body();

      load(cacheOn(), route("GET", "/f2"));

      assertThat(get("/f2").body()).isEqualTo(first);
      assertThat(calls("/f2")).isEqualTo(1);
    }
  }
}
