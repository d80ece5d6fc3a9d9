package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.http;
import static dev.turnpike.gateway.http.Fixtures.mock;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.CanaryConfig;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.StageCacheConfig;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.testkit.Await;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A stage's canary on a real gateway: the split over many callers, a caller's stickiness, what
 * every request knows of its side (mapping context, access log, usage event, meters), the stage
 * cache, and a promotion under load without a failed request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CanaryReleaseTest {
  /** Long enough that no caller's window ends during a test. */
  static final int STICKY_SECONDS = CanaryConfig.MAX_STICKINESS_SECONDS;

  GatewayRig gateway;
  HttpServer backend;
  final AtomicInteger backendCalls = new AtomicInteger();
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
                  backendCalls.incrementAndGet();
                  request
                      .response()
                      .putHeader("content-type", "text/plain")
                      .end(
                          "release="
                              + request.getHeader("x-release")
                              + " canary="
                              + request.getHeader("x-canary")
                              + " color="
                              + request.getHeader("x-color")
                              + " size="
                              + request.getHeader("x-size"));
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

  @BeforeEach
  void freshStage() {
    stage = "c" + ++stages;
    gateway.events.clear();
    backendCalls.set(0);
  }

  // --- snapshots ------------------------------------------------------------------------------

  static RouteConfig who(String release) {
    return route("GET", "/who", false, mock(200, release));
  }

  RouteConfig echo(String release) {
    return new RouteConfig(
        "r-echo",
        "GET",
        "/echo",
        false,
        http(
            "GET",
            "http://127.0.0.1:" + backend.actualPort() + "/echo",
            Map.of(
                "integration.request.header.x-release", "'" + release + "'",
                "integration.request.header.x-canary", "context.isCanaryRequest",
                "integration.request.header.x-color", "stageVariables.color",
                "integration.request.header.x-size", "stageVariables.size")));
  }

  DeploymentSnapshot snapshot(
      String deploymentId, Map<String, String> variables, RouteConfig... routes) {
    return Fixtures.snapshot(stage)
        .deploymentId(deploymentId)
        .stageVariables(variables)
        .accessLogFields(List.of("requestId", "stage", "route", "status", "isCanaryRequest"))
        .routes(List.of(routes))
        .build();
  }

  DeploymentSnapshot base() {
    return snapshot("dep-base", Map.of("color", "blue", "size", "m"), who("base"), echo("base"));
  }

  DeploymentSnapshot canaryDeployment() {
    // The stage's variables with the canary's override of one, as the control plane merges them.
    return snapshot(
        "dep-canary", Map.of("color", "green", "size", "m"), who("canary"), echo("canary"));
  }

  DeploymentSnapshot withCanary(double percent, boolean useStageCache) {
    return base().toBuilder()
        .canary(new CanaryConfig(percent, useStageCache, STICKY_SECONDS, canaryDeployment()))
        .build();
  }

  void load(DeploymentSnapshot snapshot) {
    gateway.load(List.of(snapshot), List.of(), List.of());
  }

  String url(String path) {
    return "/acme/pets/" + stage + path;
  }

  /** One request on its own, answered by the body or "failed". */
  String ask(String path, String apiKey) {
    try {
      GatewayRig.Response response =
          gateway.get(url(path), apiKey == null ? Map.of() : Map.of("x-api-key", apiKey));
      return response.status() == 200 ? response.body() : "failed";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends one request per key from 16 callers at once, and counts the answers by body. */
  Map<String, Integer> sideCounts(List<String> keys) {
    Map<String, Integer> counts = new java.util.concurrent.ConcurrentHashMap<>();
    try (var callers = java.util.concurrent.Executors.newFixedThreadPool(16)) {
      for (String key : keys) {
        callers.execute(() -> counts.merge(ask("/who", key), 1, Integer::sum));
      }
    }
    assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(keys.size());
    return counts;
  }

  static List<String> keys(String prefix, int n) {
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add(prefix + i);
    }
    return keys;
  }

  double counter(String name, String release) {
    Counter counter =
        gateway
            .meters
            .find(name)
            .tags("stage", stage, "release", release, "status", "2xx")
            .counter();
    return counter == null ? 0 : counter.count();
  }

  // --- tests ----------------------------------------------------------------------------------

  @Nested
  class Split {
    @Test
    void ten_percent_of_ten_thousand_callers_reach_the_canary_within_one_percent() {
      load(withCanary(10, true));
      Map<String, Integer> counts = sideCounts(keys("tpk_client_", 10_000));
      assertThat(counts.getOrDefault("failed", 0)).isZero();
      assertThat(counts.get("base") + counts.get("canary")).isEqualTo(10_000);
      assertThat(counts.get("canary")).isBetween(900, 1100);
    }

    @Test
    void a_share_to_a_tenth_of_a_percent_holds_over_ten_thousand_callers() {
      load(withCanary(37.5, true));
      Map<String, Integer> counts = sideCounts(keys("other-client-", 10_000));
      assertThat(counts.get("canary")).isBetween(3650, 3850);
    }

    @Test
    void zero_percent_serves_the_base_alone_and_a_hundred_the_canary_alone() {
      load(withCanary(0, true));
      assertThat(sideCounts(keys("k", 200))).containsOnlyKeys("base");
      load(withCanary(100, true));
      assertThat(sideCounts(keys("k", 200))).containsOnlyKeys("canary");
    }

    @Test
    void a_stage_without_a_canary_serves_its_deployment_and_says_nothing_of_a_canary()
        throws Exception {
      load(base());
      assertThat(ask("/who", "k1")).isEqualTo("base");
      assertThat(ask("/echo", "k1")).contains("canary=false");
      Await.until(
          Duration.ofSeconds(5), () -> !logLines("GET /echo").isEmpty(), "the access-log line");
      String line = lastLogLine("GET /echo");
      assertThat(line).doesNotContain("isCanaryRequest");
    }
  }

  @Nested
  class Refusals {
    @Test
    void a_canary_of_another_stage_is_not_served_and_the_base_serves_every_caller() {
      String own = stage;
      stage = "elsewhere";
      DeploymentSnapshot foreign = canaryDeployment();
      stage = own;
      load(base().toBuilder().canary(new CanaryConfig(50, true, STICKY_SECONDS, foreign)).build());
      assertThat(sideCounts(keys("refused-", 200))).containsOnlyKeys("base");
    }
  }

  @Nested
  class Stickiness {
    @Test
    void a_caller_stays_on_its_side_request_after_request() {
      load(withCanary(50, true));
      List<String> keys = keys("sticky-", 200);
      Map<String, String> first = new HashMap<>();
      for (String key : keys) {
        first.put(key, ask("/who", key));
      }
      assertThat(first.values()).contains("base", "canary");
      for (int round = 0; round < 3; round++) {
        for (String key : keys) {
          assertThat(ask("/who", key)).as(key).isEqualTo(first.get(key));
        }
      }
    }

    @Test
    void a_caller_without_a_key_sticks_by_its_source_address() throws Exception {
      load(withCanary(50, true));
      String first = gateway.get(url("/who"), Map.of()).body();
      for (int i = 0; i < 50; i++) {
        assertThat(gateway.get(url("/who"), Map.of()).body()).isEqualTo(first);
      }
    }

    @Test
    void a_caller_keeps_its_side_when_the_share_grows() {
      // Raising the share moves base callers to the canary; none of the canary's go back.
      load(withCanary(20, true));
      List<String> keys = keys("grow-", 2000);
      Map<String, String> before = new HashMap<>();
      for (String key : keys) {
        before.put(key, ask("/who", key));
      }
      load(withCanary(60, true));
      for (String key : keys) {
        if (before.get(key).equals("canary")) {
          assertThat(ask("/who", key)).as(key).isEqualTo("canary");
        }
      }
    }
  }

  @Nested
  class EveryRequestKnowsItsSide {
    @Test
    void mappings_see_is_canary_request_and_the_canary_variable_overrides() {
      load(withCanary(50, true));
      int canary = 0;
      for (String key : keys("echo-", 100)) {
        String body = ask("/echo", key);
        if (body.startsWith("release=canary")) {
          canary++;
          assertThat(body).isEqualTo("release=canary canary=true color=green size=m");
        } else {
          assertThat(body).isEqualTo("release=base canary=false color=blue size=m");
        }
      }
      assertThat(canary).isBetween(20, 80);
    }

    @Test
    void usage_events_access_log_and_meters_name_the_side() {
      load(withCanary(50, true));
      Map<String, String> sides = new HashMap<>();
      for (String key : keys("metered-", 100)) {
        sides.put(key, ask("/who", key));
      }
      long canary = sides.values().stream().filter("canary"::equals).count();
      Await.until(Duration.ofSeconds(5), () -> stageEvents().size() >= 100, "usage events");
      List<UsageEvent> events = stageEvents();
      assertThat(events).hasSize(100);
      assertThat(events.stream().filter(UsageEvent::canary).count()).isEqualTo(canary);
      assertThat(events).allMatch(e -> e.status() == 200);
      assertThat(counter("turnpike.gateway.requests", "canary")).isEqualTo(canary);
      assertThat(counter("turnpike.gateway.requests", "base")).isEqualTo(100 - canary);
      Await.until(
          Duration.ofSeconds(5),
          () -> logLines("GET /who").size() >= 100,
          () -> "100 access-log lines, have: " + gateway.accessLogOut);
      List<String> lines = logLines("GET /who");
      assertThat(lines.stream().filter(l -> l.contains("\"isCanaryRequest\":true")).count())
          .isEqualTo(canary);
      assertThat(lines.stream().filter(l -> l.contains("\"isCanaryRequest\":false")).count())
          .isEqualTo(100 - canary);
    }
  }

  @Nested
  class StageCache {
    DeploymentSnapshot cached(boolean useStageCache) {
      // Every caller shares entries; /who, which tells the sides apart, is not cached.
      StageCacheConfig cache =
          new StageCacheConfig(
              true,
              1024 * 1024,
              300,
              Map.of("/who/GET", new StageCacheConfig.MethodCacheSetting(false, null)),
              true,
              true,
              null,
              0);
      return withCanary(50, useStageCache).toBuilder().cache(cache).build();
    }

    /** Canary callers (by key) and base callers, found by asking an uncached route. */
    Map<String, List<String>> callersBySide() {
      Map<String, List<String>> bySide = new HashMap<>();
      for (String key : keys("cache-", 40)) {
        bySide.computeIfAbsent(ask("/who", key), s -> new ArrayList<>()).add(key);
      }
      return bySide;
    }

    @Test
    void a_canary_without_the_stage_cache_neither_reads_nor_writes_it() {
      load(cached(false));
      Map<String, List<String>> bySide = callersBySide();
      backendCalls.set(0);
      String base = bySide.get("base").get(0);
      String canary = bySide.get("canary").get(0);
      // The base fills the cache; the canary does not read it, nor write it for the base.
      assertThat(ask("/echo", base)).startsWith("release=base");
      assertThat(ask("/echo", canary)).startsWith("release=canary");
      assertThat(ask("/echo", canary)).startsWith("release=canary");
      assertThat(ask("/echo", base)).startsWith("release=base");
      assertThat(backendCalls.get()).isEqualTo(3);
    }

    @Test
    void a_canary_with_the_stage_cache_shares_it_with_the_base() {
      load(cached(true));
      Map<String, List<String>> bySide = callersBySide();
      String canary = bySide.get("canary").get(0);
      String base = bySide.get("base").get(0);
      // Whatever side asked first, the other side is answered from the shared cache.
      String first = ask("/echo", canary);
      assertThat(ask("/echo", base)).isEqualTo(first);
    }
  }

  @Nested
  class Promotion {
    @Test
    void promoting_under_continuous_load_fails_no_request() throws Exception {
      load(withCanary(30, true));
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger sent = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      AtomicInteger canaryAfter = new AtomicInteger();
      AtomicBoolean promoted = new AtomicBoolean();
      List<Thread> callers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        callers.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      int i = 0;
                      while (running.get()) {
                        boolean afterPromotion = promoted.get();
                        String body = ask("/who", "load-" + thread + "-" + i++);
                        sent.incrementAndGet();
                        if (body.equals("failed")) {
                          failed.incrementAndGet();
                        } else if (afterPromotion && body.equals("canary")) {
                          canaryAfter.incrementAndGet();
                        }
                      }
                    }));
      }
      Await.until(Duration.ofSeconds(10), () -> sent.get() >= 500, "load before promotion");
      // What the control plane publishes on promotion: the canary's deployment as the stage's,
      // with the merged variables, and no canary.
      load(canaryDeployment());
      promoted.set(true);
      int atPromotion = sent.get();
      Await.until(
          Duration.ofSeconds(10), () -> sent.get() >= atPromotion + 500, "load after promotion");
      running.set(false);
      for (Thread caller : callers) {
        caller.join(10_000);
      }
      assertThat(failed.get()).isZero();
      assertThat(canaryAfter.get()).isGreaterThan(400);
      assertThat(sideCounts(keys("after-", 100))).containsOnlyKeys("canary");
    }
  }

  /** This test's events: an earlier test's last ones may be recorded after it ended. */
  List<UsageEvent> stageEvents() {
    return gateway.events.stream().filter(e -> stage.equals(e.stage())).toList();
  }

  List<String> logLines(String route) {
    return java.util.Arrays.stream(gateway.accessLogOut.toString().split("\n"))
        .filter(line -> line.contains("\"stage\":\"" + stage + "\",\"route\":\"" + route + "\""))
        .toList();
  }

  String lastLogLine(String route) {
    List<String> lines = logLines(route);
    return lines.get(lines.size() - 1);
  }
}
