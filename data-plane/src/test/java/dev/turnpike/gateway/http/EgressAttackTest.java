package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.http;
import static dev.turnpike.gateway.http.Fixtures.proxy;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tenants try to reach what is not theirs through their own integrations: the platform's admin
 * port, loopback in every spelling, a name resolving to loopback, the cloud metadata service, a
 * redirect to an internal address. A real gateway listener, a real backend recording what reached
 * it, on free ports.
 */
class EgressAttackTest {
  /** A hosts file of the gateway's resolver: evil.test is the attacker's name for loopback. */
  static final String HOSTS = "127.0.0.1 localhost\n127.0.0.1 evil.test\n127.0.0.1 friendly.test\n";

  final Vertx servers = Vertx.vertx();

  /** A stand-in for the gateway's admin port: {@code /metrics} is what the attacks want. */
  RecordingBackend admin;

  /** A backend of the tenant's own. */
  RecordingBackend backend;

  GatewayRig gateway;

  @BeforeEach
  void startServers() throws Exception {
    admin = RecordingBackend.start(servers);
    backend = RecordingBackend.start(servers);
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    admin.close();
    backend.close();
    GatewayRig.await(servers.close());
  }

  /** A gateway whose egress settings are {@code egress} (the gateway's own variables). */
  GatewayRig gateway(Map<String, String> egress) throws Exception {
    gateway = GatewayRig.builder().egress(egress).hosts(HOSTS).start();
    return gateway;
  }

  static DeploymentSnapshot proxying(String uri) {
    return deployment("prod", List.of(route("ANY", "/{proxy+}", false, proxy(uri))));
  }

  /** Asserts the client got API Gateway's configuration error and nothing of the target. */
  static void assertRefused(GatewayRig.Response response) {
    assertThat(response.status()).isEqualTo(500);
    assertThat(response.headers().get("x-amzn-ErrorType"))
        .isEqualTo("InternalServerErrorException");
    assertThat(response.json().encode()).isEqualTo("{\"message\":\"Internal server error\"}");
  }

  @Nested
  class Strict_policy {
    @BeforeEach
    void start() throws Exception {
      gateway(Map.of());
    }

    @Test
    void refuses_http_proxy_to_the_admin_port_on_loopback() throws Exception {
      gateway.load(
          List.of(proxying("http://127.0.0.1:" + admin.port() + "/{proxy}")), List.of(), List.of());

      assertRefused(gateway.get("/acme/pets/prod/metrics", Map.of()));
      assertThat(admin.received()).isEmpty();
      assertThat(gateway.events)
          .extracting(event -> event.outcome())
          .containsExactly(Outcome.CONFIGURATION_ERROR);
    }

    @Test
    void refuses_ipv6_loopback() throws Exception {
      gateway.load(
          List.of(proxying("http://[::1]:" + admin.port() + "/{proxy}")), List.of(), List.of());

      assertRefused(gateway.get("/acme/pets/prod/metrics", Map.of()));
      assertThat(admin.received()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"2130706433", "0177.0.0.1", "0x7f.0.0.1", "127.1", "[::ffff:127.0.0.1]"})
    void refuses_loopback_in_other_spellings(String host) throws Exception {
      gateway.load(
          List.of(proxying("http://" + host + ":" + admin.port() + "/{proxy}")),
          List.of(),
          List.of());

      assertRefused(gateway.get("/acme/pets/prod/metrics", Map.of()));
      assertThat(admin.received()).isEmpty();
    }

    @Test
    void refuses_a_name_that_resolves_to_loopback() throws Exception {
      gateway.load(
          List.of(proxying("http://evil.test:" + admin.port() + "/{proxy}")), List.of(), List.of());

      assertRefused(gateway.get("/acme/pets/prod/metrics", Map.of()));
      assertThat(admin.received()).isEmpty();
    }

    @Test
    void refuses_a_name_given_by_a_stage_variable_that_resolves_to_loopback() throws Exception {
      DeploymentSnapshot deployment =
          withStageVariables(
              proxying("http://${stageVariables.host}/{proxy}"),
              Map.of("host", "evil.test:" + admin.port()));
      gateway.load(List.of(deployment), List.of(), List.of());

      assertRefused(gateway.get("/acme/pets/prod/metrics", Map.of()));
      assertThat(admin.received()).isEmpty();
    }

    @Test
    void refuses_the_metadata_service_even_with_the_header_it_asks_for() throws Exception {
      IntegrationConfig metadata =
          http(
              "GET",
              "http://169.254.169.254/computeMetadata/v1/instance/service-accounts/default/token",
              Map.of("integration.request.header.Metadata-Flavor", "'Google'"));
      gateway.load(
          List.of(deployment("prod", List.of(route("GET", "/token", false, metadata)))),
          List.of(),
          List.of());

      long started = System.nanoTime();
      assertRefused(gateway.get("/acme/pets/prod/token", Map.of()));
      // Refused before any connection is tried, not after the connect timeout.
      assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(900);
    }

    @Test
    void answers_with_the_owners_override_of_the_configuration_error() throws Exception {
      DeploymentSnapshot plain = proxying("http://127.0.0.1:" + admin.port() + "/{proxy}");
      DeploymentSnapshot overridden =
          deployment(
              "prod",
              plain.routes(),
              Map.of(),
              null,
              Map.of(),
              Map.of(
                  "API_CONFIGURATION_ERROR",
                  new GatewayResponseConfig(502, Map.of("x-owner", "yes"), "{\"oops\":true}")));
      gateway.load(List.of(overridden), List.of(), List.of());

      GatewayRig.Response response = gateway.get("/acme/pets/prod/metrics", Map.of());
      assertThat(response.status()).isEqualTo(502);
      assertThat(response.headers().get("x-owner")).isEqualTo("yes");
      assertThat(response.body()).isEqualTo("{\"oops\":true}");
      assertThat(admin.received()).isEmpty();
    }
  }

  @Nested
  class Trial_policy {
    @BeforeEach
    void start() throws Exception {
      // The admin stand-in is one of the platform's listeners; the tenant's backend is not.
      gateway(
          Map.of(
              "TURNPIKE_EGRESS_POLICY",
              "trial",
              "TURNPIKE_EGRESS_PLATFORM_LISTENERS",
              "127.0.0.1:" + admin.port()));
    }

    @Test
    void reaches_a_loopback_backend_by_address_and_by_name() throws Exception {
      gateway.load(
          List.of(proxying("http://friendly.test:" + backend.port() + "/{proxy}")),
          List.of(),
          List.of());
      assertThat(gateway.get("/acme/pets/prod/a", Map.of()).status()).isEqualTo(200);

      gateway.load(
          List.of(proxying("http://127.0.0.1:" + backend.port() + "/{proxy}")),
          List.of(),
          List.of());
      assertThat(gateway.get("/acme/pets/prod/b", Map.of()).status()).isEqualTo(200);
      assertThat(backend.received()).containsExactly("/a", "/b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "[::1]", "evil.test", "0x7f.1"})
    void still_refuses_the_platforms_own_listeners(String host) throws Exception {
      gateway.load(
          List.of(proxying("http://" + host + ":" + admin.port() + "/{proxy}")),
          List.of(),
          List.of());

      assertRefused(gateway.get("/acme/pets/prod/metrics", Map.of()));
      assertThat(admin.received()).isEmpty();
    }

    @Test
    void refuses_the_gateways_own_port() throws Exception {
      gateway.load(
          List.of(proxying("http://127.0.0.1:" + gateway.port() + "/acme/pets/prod/{proxy}")),
          List.of(),
          List.of());

      assertRefused(gateway.get("/acme/pets/prod/again", Map.of()));
      // Usage events are recorded as a response ends, maybe after the client has its answer.
      Await.until(
          Duration.ofSeconds(10), () -> !gateway.events.isEmpty(), "the client's usage event");
      assertThat(gateway.events).hasSize(1);
    }

    @Test
    void relays_a_redirect_to_an_internal_address_without_following_it() throws Exception {
      String internal = "http://127.0.0.1:" + admin.port() + "/metrics";
      gateway.load(
          List.of(proxying("http://127.0.0.1:" + backend.port() + "/{proxy}")),
          List.of(),
          List.of());

      GatewayRig.Response response =
          gateway.get(
              "/acme/pets/prod/redirect?to="
                  + java.net.URLEncoder.encode(internal, java.nio.charset.StandardCharsets.UTF_8),
              Map.of());

      assertThat(response.status()).isEqualTo(302);
      assertThat(response.headers().get("location")).isEqualTo(internal);
      assertThat(backend.received()).containsExactly("/redirect");
      assertThat(admin.received()).isEmpty();
    }
  }

  @Nested
  class Grants {
    @Test
    void an_operator_allow_list_admits_a_non_public_backend_on_its_ports_only() throws Exception {
      gateway(Map.of("TURNPIKE_EGRESS_ALLOW", "127.0.0.0/8:" + backend.port()));
      gateway.load(
          List.of(
              proxying("http://127.0.0.1:" + backend.port() + "/{proxy}"),
              otherStage("beta", proxying("http://127.0.0.1:" + admin.port() + "/{proxy}"))),
          List.of(),
          List.of());

      assertThat(gateway.get("/acme/pets/prod/granted", Map.of()).status()).isEqualTo(200);
      assertRefused(gateway.get("/acme/pets/beta/not-granted", Map.of()));
      assertThat(backend.received()).containsExactly("/granted");
      assertThat(admin.received()).isEmpty();
    }

    @Test
    void a_tenant_grant_admits_the_backend_for_that_tenant_only() throws Exception {
      gateway(
          Map.of(
              "TURNPIKE_EGRESS_TENANT_ALLOW",
              Fixtures.TENANT_ID + "=127.0.0.1/32:" + backend.port()));
      String uri = "http://127.0.0.1:" + backend.port() + "/{proxy}";
      gateway.load(
          List.of(proxying(uri), ofTenant(Fixtures.OTHER_TENANT_ID, "globex", proxying(uri))),
          List.of(),
          List.of());

      assertThat(gateway.get("/acme/pets/prod/acme", Map.of()).status()).isEqualTo(200);
      assertRefused(gateway.get("/globex/pets/prod/globex", Map.of()));
      assertThat(backend.received()).containsExactly("/acme");
    }
  }

  @Nested
  class Dns_rebinding {
    @Test
    void connects_to_the_address_it_checked_and_looks_the_name_up_once_per_call() throws Exception {
      try (RecordingBackend secret = RecordingBackend.startOn(servers, "127.0.0.1", 0);
          RecordingBackend granted = RecordingBackend.startOn(servers, "127.0.0.2", secret.port());
          ScriptedDns dns = ScriptedDns.answering("127.0.0.2", "127.0.0.1")) {
        // The attacker's name server answers the granted address once, then loopback, with a
        // TTL of 0: a gateway that looked the name up again at connect would reach the secret.
        gateway =
            GatewayRig.builder()
                .egress(Map.of("TURNPIKE_EGRESS_ALLOW", "127.0.0.2/32:" + secret.port()))
                .dns(
                    new AddressResolverOptions()
                        .setServers(List.of(dns.server()))
                        // No cache at all: every lookup the gateway makes reaches the name server.
                        .setCacheMaxTimeToLive(0)
                        .setHostsValue(Buffer.buffer("127.0.0.1 localhost\n"))
                        .setSearchDomains(List.of())
                        .setNdots(1)
                        .setOptResourceEnabled(false))
                .start();
        gateway.load(
            List.of(proxying("http://rebind.test:" + secret.port() + "/{proxy}")),
            List.of(),
            List.of());

        assertThat(gateway.get("/acme/pets/prod/first", Map.of()).status()).isEqualTo(200);
        assertRefused(gateway.get("/acme/pets/prod/second", Map.of()));

        assertThat(granted.received()).containsExactly("/first");
        assertThat(secret.received()).as("the rebound address").isEmpty();
        assertThat(dns.aQueries()).as("A queries: one per call, none at connect").isEqualTo(2);
      }
    }
  }

  static DeploymentSnapshot withStageVariables(DeploymentSnapshot d, Map<String, String> vars) {
    return d.toBuilder().stageVariables(vars).build();
  }

  static DeploymentSnapshot otherStage(String stage, DeploymentSnapshot d) {
    return d.toBuilder().stage(stage).deploymentId("dep-" + stage).build();
  }

  static DeploymentSnapshot ofTenant(String tenantId, String slug, DeploymentSnapshot d) {
    return d.toBuilder()
        .tenantId(tenantId)
        .tenantSlug(slug)
        .apiId("api-" + slug)
        .deploymentId("dep-" + slug)
        .deployedAt(Instant.now())
        .build();
  }
}
