package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.http;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.UpstreamBalancing;
import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.contracts.config.UpstreamDiscovery;
import dev.turnpike.contracts.config.UpstreamHealthCheck;
import dev.turnpike.contracts.config.UpstreamTarget;
import dev.turnpike.egress.HostPort;
import dev.turnpike.gateway.http.UpstreamBackend.Mode;
import dev.turnpike.gateway.upstream.UpstreamSettings;
import dev.turnpike.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Integrations sending to an upstream of real backends on free ports that die, hang, fail and come
 * back: balancing by weight, the circuit breaker, active health checks, retries of idempotent
 * requests only, the fast answer when every target is down, the egress policy on every target and
 * probe, and the targets' meters.
 */
class UpstreamTargetsTest {
  static final UpstreamSettings SETTINGS = new UpstreamSettings(3, 60_000, 0.2, 5, 10);
  static final String HOSTS = "127.0.0.1 localhost\n127.0.0.1 evil.test\n";

  final Vertx servers = Vertx.vertx();
  final List<UpstreamBackend> backends = new ArrayList<>();
  // The breakers' clock: real time plus what a test skips forward.
  final AtomicLong skipped = new AtomicLong();
  GatewayRig gateway;

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    backends.forEach(UpstreamBackend::close);
    GatewayRig.await(servers.close());
  }

  UpstreamBackend backend(String name) throws Exception {
    UpstreamBackend backend = UpstreamBackend.start(servers, name);
    backends.add(backend);
    return backend;
  }

  GatewayRig gateway(Map<String, String> egress) throws Exception {
    gateway =
        GatewayRig.builder()
            .egress(egress)
            .hosts(HOSTS)
            .upstreams(SETTINGS, () -> System.nanoTime() + skipped.get())
            .start();
    return gateway;
  }

  /** A gateway whose upstreams' names {@code dns} answers, on real time. */
  GatewayRig gatewayDiscoveringFrom(ScriptedDns dns, Map<String, String> egress) throws Exception {
    gateway =
        GatewayRig.builder()
            .egress(egress)
            .hosts(HOSTS)
            .upstreams(
                new UpstreamSettings(3, 60_000, 0.2, 5, 10, HostPort.parse(dns.server())),
                System::nanoTime)
            .start();
    return gateway;
  }

  /** The trial egress policy: loopback targets are allowed, as on a one-machine platform. */
  GatewayRig gateway() throws Exception {
    return gateway(Map.of("TURNPIKE_EGRESS_POLICY", "trial"));
  }

  static IntegrationConfig upstreamProxy(int timeoutMillis) {
    return new IntegrationConfig(
        IntegrationType.HTTP_PROXY,
        "ANY",
        "upstream://shop/api/{proxy}",
        1000,
        timeoutMillis,
        Map.of(),
        null);
  }

  static DeploymentSnapshot deployed(UpstreamConfig upstream, int timeoutMillis) {
    return deployment(
            "prod", List.of(route("ANY", "/{proxy+}", false, upstreamProxy(timeoutMillis))))
        .toBuilder()
        .upstreams(List.of(upstream))
        .build();
  }

  static UpstreamConfig upstream(
      UpstreamBalancing balancing, UpstreamHealthCheck check, UpstreamTarget... targets) {
    return new UpstreamConfig("shop", balancing, List.of(targets), check);
  }

  static UpstreamTarget target(UpstreamBackend backend, int weight) {
    return new UpstreamTarget(backend.url(), weight);
  }

  static final UpstreamHealthCheck FAST_CHECK = new UpstreamHealthCheck("/health", 1000, 500, 1, 1);

  void load(UpstreamConfig upstream) {
    load(upstream, 29_000);
  }

  void load(UpstreamConfig upstream, int timeoutMillis) {
    gateway.load(List.of(deployed(upstream, timeoutMillis)), List.of(), List.of());
  }

  GatewayRig.Response get(String path) throws Exception {
    return gateway.get("/acme/pets/prod" + path, Map.of());
  }

  double gauge(String name, UpstreamBackend target) {
    return gauge(name, "127.0.0.1:" + target.port());
  }

  double gauge(String name, String target) {
    var gauge = gateway.meters.find(name).tag("upstream", "shop").tag("target", target).gauge();
    return gauge == null ? Double.NaN : gauge.value();
  }

  @Nested
  class Balancing {
    @Test
    void weighted_round_robin_honours_the_weights() throws Exception {
      gateway();
      UpstreamBackend heavy = backend("heavy");
      UpstreamBackend light = backend("light");
      load(upstream(UpstreamBalancing.ROUND_ROBIN, null, target(heavy, 3), target(light, 1)));

      int heavyAnswers = 0;
      for (int i = 0; i < 400; i++) {
        GatewayRig.Response response = get("/items/" + i);
        assertThat(response.status()).isEqualTo(200);
        if ("heavy".equals(response.headers().get("x-target"))) {
          heavyAnswers++;
        }
      }

      assertThat(heavyAnswers).isBetween(296, 304);
      assertThat(light.received()).hasSize(400 - heavyAnswers);
      assertThat(heavy.received()).first().isEqualTo("GET /api/items/0");
    }

    @Test
    void least_requests_sends_to_the_target_without_a_request_in_flight() throws Exception {
      gateway();
      UpstreamBackend stuck = backend("stuck");
      UpstreamBackend free = backend("free");
      stuck.mode(Mode.HANG);
      load(upstream(UpstreamBalancing.LEAST_REQUESTS, null, target(stuck, 1), target(free, 1)));
      HttpClient client = gateway.newClient(new HttpClientOptions());
      // One request at a time until one hangs on the stuck target: then it is the only request
      // in flight.
      List<Future<Integer>> pending = new ArrayList<>();
      Await.until(
          Duration.ofSeconds(10),
          () -> {
            if (!stuck.received().isEmpty()) {
              return true;
            }
            if (pending.isEmpty() || pending.getLast().isComplete()) {
              pending.add(
                  client
                      .request(HttpMethod.GET, "/acme/pets/prod/hang")
                      .compose(r -> r.send())
                      .compose(r -> r.body().map(b -> r.statusCode())));
            }
            return false;
          },
          "a request reaches the stuck target");

      for (int i = 0; i < 20; i++) {
        assertThat(get("/x").headers().get("x-target")).isEqualTo("free");
      }
    }
  }

  @Nested
  class Circuit_breaker {
    @Test
    void opens_after_consecutive_5xx_and_closes_after_a_successful_probe_request()
        throws Exception {
      gateway();
      UpstreamBackend flaky = backend("flaky");
      UpstreamBackend steady = backend("steady");
      flaky.mode(Mode.FAIL);
      load(upstream(UpstreamBalancing.ROUND_ROBIN, null, target(flaky, 1), target(steady, 1)));

      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        statuses.add(get("/a").status());
      }
      // Three 503s relayed (5xx is an answer, not repeated), then the breaker keeps flaky out.
      assertThat(statuses).filteredOn(s -> s == 503).hasSize(3);
      assertThat(flaky.received()).hasSize(3);
      assertThat(gauge("turnpike.gateway.upstream.target.breaker", flaky)).isEqualTo(2.0);
      assertThat(gauge("turnpike.gateway.upstream.target.breaker", steady)).isEqualTo(0.0);

      flaky.mode(Mode.OK);
      skipped.addAndGet(Duration.ofSeconds(61).toNanos());
      for (int i = 0; i < 10; i++) {
        assertThat(get("/b").status()).isEqualTo(200);
      }

      // Half-open let one request through; it succeeded, so flaky takes its share again.
      assertThat(gauge("turnpike.gateway.upstream.target.breaker", flaky)).isEqualTo(0.0);
      assertThat(flaky.received()).filteredOn(r -> r.endsWith("/api/b")).hasSizeGreaterThan(3);
    }

    @Test
    void a_failed_half_open_request_opens_the_breaker_again() throws Exception {
      gateway();
      UpstreamBackend flaky = backend("flaky");
      UpstreamBackend steady = backend("steady");
      flaky.mode(Mode.FAIL);
      load(upstream(UpstreamBalancing.ROUND_ROBIN, null, target(flaky, 1), target(steady, 1)));
      for (int i = 0; i < 10; i++) {
        get("/a");
      }
      assertThat(flaky.received()).hasSize(3);

      skipped.addAndGet(Duration.ofSeconds(61).toNanos());
      for (int i = 0; i < 10; i++) {
        get("/b");
      }

      assertThat(flaky.received()).hasSize(4);
      assertThat(gauge("turnpike.gateway.upstream.target.breaker", flaky)).isEqualTo(2.0);
    }
  }

  @Nested
  class Health_checks {
    @Test
    void move_traffic_away_from_a_failing_target_and_back_when_it_recovers() throws Exception {
      gateway();
      UpstreamBackend sick = backend("sick");
      UpstreamBackend well = backend("well");
      load(upstream(UpstreamBalancing.ROUND_ROBIN, FAST_CHECK, target(sick, 1), target(well, 1)));
      Await.until(Duration.ofSeconds(10), () -> sick.probes() > 0, "sick is probed");

      sick.health(503);
      Await.until(
          Duration.ofSeconds(10),
          () -> gauge("turnpike.gateway.upstream.target.healthy", sick) == 0.0,
          "sick is marked unhealthy");
      int before = sick.received().size();
      for (int i = 0; i < 10; i++) {
        assertThat(get("/c").headers().get("x-target")).isEqualTo("well");
      }
      assertThat(sick.received()).hasSize(before);

      sick.health(200);
      Await.until(
          Duration.ofSeconds(10),
          () -> gauge("turnpike.gateway.upstream.target.healthy", sick) == 1.0,
          "sick is healthy again");
      List<String> targets = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        targets.add(get("/d").headers().get("x-target"));
      }
      assertThat(targets).contains("sick", "well");
    }

    @Test
    void every_target_down_answers_504_at_once_instead_of_after_the_timeout() throws Exception {
      gateway();
      UpstreamBackend a = backend("a");
      UpstreamBackend b = backend("b");
      a.mode(Mode.HANG);
      b.mode(Mode.HANG);
      a.health(500);
      b.health(500);
      load(upstream(UpstreamBalancing.ROUND_ROBIN, FAST_CHECK, target(a, 1), target(b, 1)), 10_000);
      Await.until(
          Duration.ofSeconds(10),
          () ->
              gauge("turnpike.gateway.upstream.target.healthy", a) == 0.0
                  && gauge("turnpike.gateway.upstream.target.healthy", b) == 0.0,
          "both targets are unhealthy");

      long started = System.nanoTime();
      GatewayRig.Response response = get("/e");
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(response.status()).isEqualTo(504);
      assertThat(response.json().getString("message"))
          .isEqualTo("Network error communicating with endpoint");
      assertThat(took).isLessThan(Duration.ofSeconds(2));
      assertThat(a.received()).isEmpty();
      assertThat(b.received()).isEmpty();
    }

    @Test
    void a_hanging_target_fails_its_probes_and_never_gets_two_at_once() throws Exception {
      gateway();
      UpstreamBackend a = backend("a");
      UpstreamBackend b = backend("b");
      a.health(200);
      load(
          upstream(
              UpstreamBalancing.ROUND_ROBIN,
              new UpstreamHealthCheck("/hang-health", 1000, 1000, 1, 1),
              target(a, 1),
              target(b, 1)));
      // /hang-health is not /health: the backend records it and (in HANG mode) never answers.
      a.mode(Mode.HANG);
      b.mode(Mode.HANG);

      Await.until(
          Duration.ofSeconds(10),
          () -> gauge("turnpike.gateway.upstream.target.healthy", a) == 0.0,
          "a hanging probe counts as failed");
      assertThat(a.received()).filteredOn(r -> r.endsWith("/hang-health")).hasSizeLessThan(4);
    }
  }

  @Nested
  class Retries {
    @Test
    void a_get_to_a_dead_target_is_answered_by_another() throws Exception {
      gateway();
      UpstreamBackend dead = backend("dead");
      UpstreamBackend alive = backend("alive");
      load(upstream(UpstreamBalancing.ROUND_ROBIN, null, target(dead, 1), target(alive, 1)));
      dead.close();

      for (int i = 0; i < 10; i++) {
        GatewayRig.Response response = get("/f");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().get("x-target")).isEqualTo("alive");
      }
    }

    @Test
    void a_post_is_never_repeated_on_another_target() throws Exception {
      gateway();
      UpstreamBackend dead = backend("dead");
      UpstreamBackend alive = backend("alive");
      load(upstream(UpstreamBalancing.ROUND_ROBIN, null, target(dead, 1), target(alive, 1)));
      dead.close();

      // Round-robin with equal weights starts on the first target: the dead one.
      GatewayRig.Response response =
          gateway.call(HttpMethod.POST, "/acme/pets/prod/orders", Map.of(), Buffer.buffer("{}"));

      assertThat(response.status()).isEqualTo(504);
      assertThat(alive.received()).isEmpty();
      GatewayRig.Response next =
          gateway.call(HttpMethod.POST, "/acme/pets/prod/orders", Map.of(), Buffer.buffer("{}"));
      assertThat(next.status()).isEqualTo(200);
      assertThat(alive.received()).containsExactly("POST /api/orders");
    }

    @Test
    void a_get_that_timed_out_after_it_was_sent_is_not_repeated() throws Exception {
      gateway();
      UpstreamBackend slow = backend("slow");
      UpstreamBackend fast = backend("fast");
      slow.mode(Mode.HANG);
      load(upstream(UpstreamBalancing.ROUND_ROBIN, null, target(slow, 1), target(fast, 1)), 300);

      GatewayRig.Response response = get("/g");

      assertThat(response.status()).isEqualTo(504);
      assertThat(response.json().getString("message")).isEqualTo("Endpoint request timed out");
      assertThat(fast.received()).isEmpty();
    }

    @Test
    void no_request_is_lost_when_one_of_two_targets_is_killed_under_load() throws Exception {
      gateway();
      UpstreamBackend doomed = backend("doomed");
      UpstreamBackend survivor = backend("survivor");
      load(upstream(UpstreamBalancing.ROUND_ROBIN, null, target(doomed, 1), target(survivor, 1)));
      HttpClient client =
          servers.createHttpClient(
              new HttpClientOptions()
                  .setDefaultHost("127.0.0.1")
                  .setDefaultPort(gateway.port())
                  .setKeepAlive(true),
              new PoolOptions().setHttp1MaxSize(32));
      int total = 2_000;
      AtomicInteger sent = new AtomicInteger();
      List<Future<Integer>> statuses = new ArrayList<>();
      // 32 request loops; the target is killed when half the requests are out.
      List<Future<Void>> loops =
          IntStream.range(0, 32)
              .mapToObj(i -> loop(client, sent, total, statuses, doomed))
              .toList();
      GatewayRig.await(Future.all(loops));

      assertThat(statuses).hasSize(total);
      List<Integer> results = statuses.stream().map(f -> f.result()).toList();
      assertThat(results).allMatch(status -> status == 200);
      assertThat(doomed.received()).isNotEmpty();
      assertThat(survivor.received().size()).isGreaterThan(total / 2);
    }

    private Future<Void> loop(
        HttpClient client,
        AtomicInteger sent,
        int total,
        List<Future<Integer>> statuses,
        UpstreamBackend doomed) {
      int n = sent.getAndIncrement();
      if (n >= total) {
        return Future.succeededFuture();
      }
      if (n == total / 2) {
        servers.runOnContext(ignored -> doomed.killAsync());
      }
      Future<Integer> status =
          client
              .request(new RequestOptions().setURI("/acme/pets/prod/load/" + n))
              .compose(request -> request.send())
              .compose(response -> response.body().map(body -> response.statusCode()))
              .recover(error -> Future.succeededFuture(-1));
      synchronized (statuses) {
        statuses.add(status);
      }
      return status.compose(ignored -> loop(client, sent, total, statuses, doomed));
    }
  }

  @Nested
  class Egress {
    @Test
    void a_target_named_to_reach_loopback_is_refused_and_never_probed() throws Exception {
      gateway(Map.of());
      UpstreamBackend internal = backend("internal");
      load(
          upstream(
              UpstreamBalancing.ROUND_ROBIN,
              FAST_CHECK,
              new UpstreamTarget("http://evil.test:" + internal.port(), 1)));
      Await.until(
          Duration.ofSeconds(10),
          () ->
              gauge("turnpike.gateway.upstream.target.healthy", "evil.test:" + internal.port())
                  == 0.0,
          "the refused probe marks the target unhealthy");

      assertThat(internal.probes()).isZero();
      assertThat(internal.received()).isEmpty();
      GatewayRig.Response response = get("/h");
      // The refused target is unhealthy, so the upstream has none left: 504 at once.
      assertThat(response.status()).isEqualTo(504);
      assertThat(internal.received()).isEmpty();
    }

    @Test
    void a_literal_metadata_target_is_refused_with_the_configuration_error() throws Exception {
      gateway(Map.of());
      load(
          upstream(
              UpstreamBalancing.ROUND_ROBIN,
              null,
              new UpstreamTarget("http://169.254.169.254", 1)));

      GatewayRig.Response response = get("/latest/meta-data/");

      assertThat(response.status()).isEqualTo(500);
      assertThat(response.json().getString("message")).isEqualTo("Internal server error");
    }
  }

  @Nested
  class Dns_discovery {
    ScriptedDns dns;

    @AfterEach
    void stopDns() {
      if (dns != null) {
        dns.close();
      }
    }

    GatewayRig gatewayAsking(ScriptedDns dns, Map<String, String> egress) throws Exception {
      return gatewayDiscoveringFrom(dns, egress);
    }

    static UpstreamConfig discovered(int port, UpstreamHealthCheck check) {
      return new UpstreamConfig(
          "shop",
          UpstreamBalancing.ROUND_ROBIN,
          List.of(),
          check,
          new UpstreamDiscovery("shop.service.test", port, "http", 1, 1));
    }

    @Test
    void targets_follow_the_names_addresses_as_it_is_re_resolved() throws Exception {
      UpstreamBackend first = UpstreamBackend.startOn(servers, "first", "127.0.0.2", 0);
      backends.add(first);
      UpstreamBackend second =
          UpstreamBackend.startOn(servers, "second", "127.0.0.3", first.port());
      backends.add(second);
      // A stand-in DNS server: the first lookup answers 127.0.0.2, every later one 127.0.0.3.
      dns = ScriptedDns.answering("127.0.0.2", "127.0.0.3");
      gatewayAsking(dns, Map.of("TURNPIKE_EGRESS_POLICY", "trial"));
      load(discovered(first.port(), null));

      Await.until(
          Duration.ofSeconds(10),
          () ->
              !Double.isNaN(
                  gauge("turnpike.gateway.upstream.target.breaker", "127.0.0.2:" + first.port())),
          "the first address is a target");
      Await.until(
          Duration.ofSeconds(10),
          () -> {
            try {
              return "second".equals(get("/i").headers().get("x-target"));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          },
          "the re-resolved address takes the traffic");

      assertThat(dns.aQueries()).isGreaterThanOrEqualTo(2);
      assertThat(gauge("turnpike.gateway.upstream.target.breaker", "127.0.0.2:" + first.port()))
          .isNaN();
      for (int i = 0; i < 5; i++) {
        assertThat(get("/j").headers().get("x-target")).isEqualTo("second");
      }
    }

    @Test
    void an_address_record_is_looked_up_again_when_its_ttl_runs_out_not_after_refresh_seconds()
        throws Exception {
      UpstreamBackend first = UpstreamBackend.startOn(servers, "first", "127.0.0.2", 0);
      backends.add(first);
      UpstreamBackend second =
          UpstreamBackend.startOn(servers, "second", "127.0.0.3", first.port());
      backends.add(second);
      // A records with a TTL of 1 s: first 127.0.0.2, then 127.0.0.3; the owner's refresh interval
      // is an hour, so only the TTL can bring the second address within the poll.
      dns = ScriptedDns.answeringWithTtl(1, "127.0.0.2", "127.0.0.3");
      gatewayAsking(dns, Map.of("TURNPIKE_EGRESS_POLICY", "trial"));
      load(
          new UpstreamConfig(
              "shop",
              UpstreamBalancing.ROUND_ROBIN,
              List.of(),
              null,
              new UpstreamDiscovery("shop.service.test", first.port(), "http", 1, 3600)));

      Await.until(
          Duration.ofSeconds(10),
          () -> {
            try {
              return "second".equals(get("/t").headers().get("x-target"));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          },
          "the address the record's TTL brought takes the traffic");

      assertThat(dns.aQueries()).isGreaterThanOrEqualTo(2);
      assertThat(gauge("turnpike.gateway.upstream.target.breaker", "127.0.0.2:" + first.port()))
          .isNaN();
    }

    @Test
    void an_answer_pointing_at_loopback_is_refused_and_never_probed_or_reached() throws Exception {
      UpstreamBackend internal = UpstreamBackend.startOn(servers, "internal", "127.0.0.2", 0);
      backends.add(internal);
      dns = ScriptedDns.answering("127.0.0.2");
      gatewayAsking(dns, Map.of());
      load(discovered(internal.port(), FAST_CHECK));

      Await.until(
          Duration.ofSeconds(10),
          () ->
              gauge("turnpike.gateway.upstream.target.healthy", "127.0.0.2:" + internal.port())
                  == 0.0,
          "the discovered target fails its refused probe");

      assertThat(get("/k").status()).isEqualTo(504);
      assertThat(internal.probes()).isZero();
      assertThat(internal.received()).isEmpty();
    }
  }

  @Nested
  class Srv_discovery {
    ScriptedDns dns;

    @AfterEach
    void stopDns() {
      if (dns != null) {
        dns.close();
      }
    }

    void gatewayAsking(Map<String, String> egress) throws Exception {
      gatewayDiscoveringFrom(dns, egress);
    }

    static UpstreamConfig srv(UpstreamHealthCheck check, int refreshSeconds) {
      return new UpstreamConfig(
          "shop",
          UpstreamBalancing.ROUND_ROBIN,
          List.of(),
          check,
          UpstreamDiscovery.srv("_http._tcp.shop.test", "http", refreshSeconds));
    }

    UpstreamBackend backendOn(String name, String address) throws Exception {
      UpstreamBackend backend = UpstreamBackend.startOn(servers, name, address, 0);
      backends.add(backend);
      return backend;
    }

    void awaitTarget(String address, UpstreamBackend backend) {
      Await.until(
          Duration.ofSeconds(10),
          () ->
              !Double.isNaN(
                  gauge("turnpike.gateway.upstream.target.breaker", address + backend.port())),
          "the SRV record's target " + address + backend.port() + " is a target");
    }

    String servedBy(String path) {
      try {
        return get(path).headers().get("x-target");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    double discoveryMeter(String name) {
      var meter = gateway.meters.find(name).tag("upstream", "shop").meter();
      if (meter == null) {
        return Double.NaN;
      }
      return meter.measure().iterator().next().getValue();
    }

    @Test
    void each_records_port_and_weight_are_used_and_a_higher_priority_is_the_fallback()
        throws Exception {
      UpstreamBackend heavy = backendOn("heavy", "127.0.0.2");
      UpstreamBackend light = backendOn("light", "127.0.0.3");
      UpstreamBackend fallback = backendOn("fallback", "127.0.0.4");
      dns =
          ScriptedDns.serving(
              Map.of(
                  "heavy.shop.test", "127.0.0.2",
                  "light.shop.test", "127.0.0.3",
                  "fallback.shop.test", "127.0.0.4"),
              List.of(
                  List.of(
                      new ScriptedDns.Srv(10, 3, heavy.port(), "heavy.shop.test", 3600),
                      new ScriptedDns.Srv(10, 1, light.port(), "light.shop.test", 3600),
                      new ScriptedDns.Srv(20, 1, fallback.port(), "fallback.shop.test", 3600))));
      gatewayAsking(Map.of("TURNPIKE_EGRESS_POLICY", "trial"));
      load(srv(FAST_CHECK, 3600));
      awaitTarget("127.0.0.2:", heavy);
      awaitTarget("127.0.0.3:", light);
      awaitTarget("127.0.0.4:", fallback);

      Map<String, Integer> served = new java.util.HashMap<>();
      for (int i = 0; i < 400; i++) {
        served.merge(servedBy("/w" + i), 1, Integer::sum);
      }

      assertThat(served).containsOnly(Map.entry("heavy", 300), Map.entry("light", 100));
      heavy.health(503);
      light.health(503);
      Await.until(
          Duration.ofSeconds(10),
          () -> "fallback".equals(servedBy("/f")),
          "the priority-20 record takes the traffic when the priority-10 ones fail their checks");
      assertThat(dns.srvQueries()).isEqualTo(1);
    }

    @Test
    void the_records_are_looked_up_again_when_their_ttl_runs_out() throws Exception {
      UpstreamBackend first = backendOn("first", "127.0.0.2");
      UpstreamBackend second = backendOn("second", "127.0.0.3");
      dns =
          ScriptedDns.serving(
              Map.of("first.shop.test", "127.0.0.2", "second.shop.test", "127.0.0.3"),
              List.of(
                  List.of(new ScriptedDns.Srv(0, 1, first.port(), "first.shop.test", 1)),
                  List.of(new ScriptedDns.Srv(0, 1, second.port(), "second.shop.test", 1))));
      gatewayAsking(Map.of("TURNPIKE_EGRESS_POLICY", "trial"));
      // An hour between lookups at most: only the records' 1 s TTL can bring the second answer.
      load(srv(null, 3600));
      awaitTarget("127.0.0.2:", first);

      Await.until(
          Duration.ofSeconds(10),
          () -> "second".equals(servedBy("/t")),
          "the answer after the TTL takes the traffic");

      assertThat(dns.srvQueries()).isGreaterThanOrEqualTo(2);
      assertThat(gauge("turnpike.gateway.upstream.target.breaker", "127.0.0.2:" + first.port()))
          .isNaN();
      assertThat(discoveryMeter("turnpike.gateway.upstream.discovery.failing")).isZero();
    }

    @Test
    void a_failed_lookup_keeps_the_last_good_targets_and_says_so_in_the_metrics() throws Exception {
      UpstreamBackend only = backendOn("only", "127.0.0.2");
      List<ScriptedDns.Srv> good =
          List.of(new ScriptedDns.Srv(0, 1, only.port(), "only.shop.test", 1));
      java.util.ArrayList<List<ScriptedDns.Srv>> script = new java.util.ArrayList<>();
      script.add(good);
      // Every later lookup: SERVFAIL, as a name server that is down.
      script.add(null);
      dns = ScriptedDns.serving(Map.of("only.shop.test", "127.0.0.2"), script);
      gatewayAsking(Map.of("TURNPIKE_EGRESS_POLICY", "trial"));
      load(srv(null, 1));
      awaitTarget("127.0.0.2:", only);

      Await.until(
          Duration.ofSeconds(10),
          () -> discoveryMeter("turnpike.gateway.upstream.discovery.failing") == 1.0,
          "the failed lookup shows in the discovery meter");

      assertThat(discoveryMeter("turnpike.gateway.upstream.discovery.failures"))
          .isGreaterThanOrEqualTo(1.0);
      for (int i = 0; i < 5; i++) {
        assertThat(servedBy("/k" + i)).isEqualTo("only");
      }
    }

    @Test
    void a_record_pointing_at_loopback_is_refused_and_never_probed_or_reached() throws Exception {
      UpstreamBackend internal = backendOn("internal", "127.0.0.2");
      dns =
          ScriptedDns.serving(
              Map.of("internal.shop.test", "127.0.0.2"),
              List.of(
                  List.of(new ScriptedDns.Srv(0, 1, internal.port(), "internal.shop.test", 60))));
      gatewayAsking(Map.of());
      load(srv(FAST_CHECK, 60));

      Await.until(
          Duration.ofSeconds(10),
          () ->
              gauge("turnpike.gateway.upstream.target.healthy", "127.0.0.2:" + internal.port())
                  == 0.0,
          "the discovered target fails its refused probe");

      assertThat(get("/k").status()).isEqualTo(504);
      assertThat(internal.probes()).isZero();
      assertThat(internal.received()).isEmpty();
    }

    @Test
    void a_record_pointing_at_a_platform_listener_is_refused_under_the_trial_policy()
        throws Exception {
      UpstreamBackend admin = backendOn("admin", "127.0.0.2");
      dns =
          ScriptedDns.serving(
              Map.of("admin.shop.test", "127.0.0.2"),
              List.of(List.of(new ScriptedDns.Srv(0, 1, admin.port(), "admin.shop.test", 60))));
      gatewayAsking(
          Map.of(
              "TURNPIKE_EGRESS_POLICY",
              "trial",
              "TURNPIKE_EGRESS_PLATFORM_LISTENERS",
              "127.0.0.2:" + admin.port()));
      load(srv(FAST_CHECK, 60));

      Await.until(
          Duration.ofSeconds(10),
          () ->
              gauge("turnpike.gateway.upstream.target.healthy", "127.0.0.2:" + admin.port()) == 0.0,
          "the discovered platform listener fails its refused probe");

      assertThat(get("/admin").status()).isEqualTo(504);
      assertThat(admin.probes()).isZero();
      assertThat(admin.received()).isEmpty();
    }
  }

  @Nested
  class Configuration {
    @Test
    void an_integration_naming_a_missing_upstream_answers_500() throws Exception {
      gateway();
      gateway.load(
          List.of(
              deployment(
                  "prod",
                  List.of(
                      route("GET", "/x", false, http("GET", "upstream://nowhere/x", Map.of()))))),
          List.of(),
          List.of());

      assertThat(get("/x").status()).isEqualTo(500);
    }

    @Test
    void an_http_integration_sends_its_mapped_request_to_the_targets() throws Exception {
      gateway();
      UpstreamBackend only = backend("only");
      gateway.load(
          List.of(
              deployment(
                      "prod",
                      List.of(
                          route(
                              "GET",
                              "/pets/{id}",
                              false,
                              http(
                                  "GET",
                                  "upstream://shop/v1/pets/{id}",
                                  Map.of(
                                      "integration.request.path.id", "method.request.path.id")))))
                  .toBuilder()
                  .upstreams(
                      List.of(upstream(UpstreamBalancing.ROUND_ROBIN, null, target(only, 1))))
                  .build()),
          List.of(),
          List.of());

      GatewayRig.Response response = get("/pets/7");

      assertThat(response.status()).isEqualTo(200);
      assertThat(only.received()).containsExactly("GET /v1/pets/7");
    }
  }
}
