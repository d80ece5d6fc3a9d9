package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.http;
import static dev.turnpike.gateway.http.Fixtures.proxy;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.gateway.forwarding.TrustedProxies;
import dev.turnpike.testkit.Await;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What the backend learns about the caller: the gateway says what it saw, and a client can never
 * make it say something else unless it is a front proxy the operator trusts.
 */
class ForwardedHeadersTest {
  static final Map<String, String> SPOOFED =
      Map.of(
          "X-Forwarded-For", "6.6.6.6",
          "X-Forwarded-Proto", "https",
          "X-Forwarded-Host", "evil.example",
          "X-Forwarded-Port", "443",
          "Forwarded", "for=6.6.6.6;proto=https;host=evil.example",
          "X-Real-IP", "6.6.6.6");

  static void load(GatewayRig rig, TestBackend backend) {
    DeploymentSnapshot prod =
        deployment(
            "prod",
            List.of(
                route("GET", "/echo", false, proxy(backend.url() + "/echo")),
                route(
                    "GET",
                    "/mapped",
                    false,
                    http(
                        "GET",
                        backend.url() + "/mapped",
                        Map.of(
                            "integration.request.header.x-source-ip",
                            "context.identity.sourceIp")))));
    rig.load(
        List.of(AccessLogTest.withAccessLogFields(prod, List.of("route", "sourceIp"))),
        List.of(),
        List.of());
  }

  static String loggedSourceIp(GatewayRig rig, String route) {
    Await.until(
        Duration.ofSeconds(10),
        () -> AccessLogTest.lines(rig).stream().anyMatch(l -> route.equals(l.getString("route"))),
        () -> "an access-log line for " + route + ", have: " + rig.accessLogOut);
    return AccessLogTest.lines(rig).stream()
        .filter(l -> route.equals(l.getString("route")))
        .reduce((first, second) -> second)
        .map(l -> l.getString("sourceIp"))
        .orElseThrow();
  }

  @Nested
  class FromAnUntrustedPeer {
    @Test
    void client_sent_forwarding_headers_are_replaced_by_what_the_gateway_saw() throws Exception {
      try (GatewayRig rig = GatewayRig.builder().maxBodyBytes(1024).start();
          TestBackend backend = TestBackend.start(rig.vertx)) {
        load(rig, backend);

        var response = rig.get("/acme/pets/prod/echo", SPOOFED);

        assertThat(response.status()).isEqualTo(200);
        JsonObject headers = response.json().getJsonObject("headers");
        assertThat(headers.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(headers.getString("x-forwarded-proto")).isEqualTo("http");
        assertThat(headers.getString("x-forwarded-host")).isEqualTo("127.0.0.1:" + rig.port());
        assertThat(headers.fieldNames())
            .doesNotContain("forwarded", "x-forwarded-port", "x-real-ip");
        assertThat(loggedSourceIp(rig, "GET /echo")).isEqualTo("127.0.0.1");
      }
    }

    @Test
    void context_identity_source_ip_is_the_peer() throws Exception {
      try (GatewayRig rig = GatewayRig.builder().maxBodyBytes(1024).start();
          TestBackend backend = TestBackend.start(rig.vertx)) {
        load(rig, backend);

        var response = rig.get("/acme/pets/prod/mapped", SPOOFED);

        assertThat(response.status()).isEqualTo(200);
        JsonObject headers = response.json().getJsonObject("headers");
        assertThat(headers.getString("x-source-ip")).isEqualTo("127.0.0.1");
        assertThat(loggedSourceIp(rig, "GET /mapped")).isEqualTo("127.0.0.1");
      }
    }
  }

  @Nested
  class FromATrustedFrontProxy {
    static final TrustedProxies FRONT = TrustedProxies.of(List.of("127.0.0.0/8", "10.0.0.0/8"));

    @Test
    void its_chain_is_kept_and_the_client_is_the_right_most_untrusted_address() throws Exception {
      try (GatewayRig rig = GatewayRig.builder().trustedProxies(FRONT).start();
          TestBackend backend = TestBackend.start(rig.vertx)) {
        load(rig, backend);

        var response =
            rig.get(
                "/acme/pets/prod/echo",
                Map.of(
                    // 1.1.1.1 is what the client claimed; 6.6.6.6 is what the proxy saw.
                    "X-Forwarded-For", "1.1.1.1, 6.6.6.6, 10.0.0.2",
                    "X-Forwarded-Proto", "https",
                    "X-Forwarded-Host", "api.example.com",
                    "Forwarded", "for=6.6.6.6"));

        JsonObject headers = response.json().getJsonObject("headers");
        assertThat(headers.getString("x-forwarded-for"))
            .isEqualTo("1.1.1.1, 6.6.6.6, 10.0.0.2, 127.0.0.1");
        assertThat(headers.getString("x-forwarded-proto")).isEqualTo("https");
        assertThat(headers.getString("x-forwarded-host")).isEqualTo("api.example.com");
        assertThat(headers.getString("forwarded")).isEqualTo("for=6.6.6.6");
        assertThat(loggedSourceIp(rig, "GET /echo")).isEqualTo("6.6.6.6");
      }
    }

    @Test
    void context_identity_source_ip_is_the_client_it_reports() throws Exception {
      try (GatewayRig rig = GatewayRig.builder().trustedProxies(FRONT).start();
          TestBackend backend = TestBackend.start(rig.vertx)) {
        load(rig, backend);

        var response =
            rig.get("/acme/pets/prod/mapped", Map.of("X-Forwarded-For", "bogus, 6.6.6.6:4711"));

        assertThat(response.json().getJsonObject("headers").getString("x-source-ip"))
            .isEqualTo("6.6.6.6");
      }
    }

    @Test
    void without_forwarding_headers_it_says_what_the_gateway_saw() throws Exception {
      try (GatewayRig rig = GatewayRig.builder().trustedProxies(FRONT).start();
          TestBackend backend = TestBackend.start(rig.vertx)) {
        load(rig, backend);

        JsonObject headers =
            rig.get("/acme/pets/prod/echo", Map.of()).json().getJsonObject("headers");

        assertThat(headers.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(headers.getString("x-forwarded-proto")).isEqualTo("http");
        assertThat(headers.getString("x-forwarded-host")).isEqualTo("127.0.0.1:" + rig.port());
      }
    }
  }

  @Nested
  class WhenTheTrustedBlocksDoNotHoldThePeer {
    @Test
    void a_proxy_elsewhere_changes_nothing_for_this_peer() throws Exception {
      try (GatewayRig rig =
              GatewayRig.builder()
                  .trustedProxies(TrustedProxies.of(List.of("10.0.0.0/8")))
                  .start();
          TestBackend backend = TestBackend.start(rig.vertx)) {
        load(rig, backend);

        JsonObject headers =
            rig.get("/acme/pets/prod/echo", SPOOFED).json().getJsonObject("headers");

        assertThat(headers.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(headers.fieldNames()).doesNotContain("forwarded", "x-real-ip");
      }
    }
  }
}
