package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.mock;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.EdgeConfig;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.gateway.forwarding.TrustedProxies;
import dev.turnpike.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Resource policies on the caller's address: checked right after the stage is known, before the
 * route's authorizer and key, answered as API Gateway answers an explicit deny.
 */
class ResourcePolicyTest {
  static final String DENIED =
      "User is not authorized to access this resource with an explicit deny";

  /** The tests' client is 127.0.0.1, the peer the gateway sees. */
  static DeploymentSnapshot guarded(List<String> allow, List<String> deny) {
    return deployment(
            "prod",
            List.of(
                route("GET", "/open", false, mock(200, "{\"ok\":true}")),
                route("GET", "/keyed", true, mock(200, "{\"ok\":true}"))))
        .toBuilder()
        .edge(new EdgeConfig(null, new SourceIpPolicy(allow, deny), null))
        .build();
  }

  static void load(GatewayRig rig, DeploymentSnapshot deployment) {
    rig.load(
        List.of(
            AccessLogTest.withAccessLogFields(
                deployment, List.of("route", "status", "outcome", "sourceIp"))),
        List.of(),
        List.of());
  }

  static void assertDenied(GatewayRig.Response response) {
    assertThat(response.status()).isEqualTo(403);
    assertThat(response.json().getString("message")).isEqualTo(DENIED);
    assertThat(response.headers().get("x-amzn-ErrorType")).isEqualTo("ForbiddenException");
  }

  @Nested
  class OnThePeerAddress {
    @Test
    void an_allowed_caller_is_served() throws Exception {
      try (GatewayRig rig = GatewayRig.builder().maxBodyBytes(1024).start()) {
        load(rig, guarded(List.of("127.0.0.0/8"), List.of()));

        assertThat(rig.get("/acme/pets/prod/open", Map.of()).status()).isEqualTo(200);
      }
    }

    @Test
    void a_caller_outside_the_allow_rules_is_refused() throws Exception {
      try (GatewayRig rig = GatewayRig.builder().maxBodyBytes(1024).start()) {
        load(rig, guarded(List.of("203.0.113.0/24"), List.of()));

        assertDenied(rig.get("/acme/pets/prod/open", Map.of()));
      }
    }

    @Test
    void deny_wins_over_a_broader_allow() throws Exception {
      try (GatewayRig rig = GatewayRig.builder().maxBodyBytes(1024).start()) {
        load(rig, guarded(List.of("127.0.0.0/8"), List.of("127.0.0.1/32")));

        assertDenied(rig.get("/acme/pets/prod/open", Map.of()));
      }
    }

    @Test
    void a_denied_client_spoofing_x_forwarded_for_from_an_untrusted_peer_is_still_denied()
        throws Exception {
      try (GatewayRig rig = GatewayRig.builder().maxBodyBytes(1024).start()) {
        load(rig, guarded(List.of("203.0.113.0/24"), List.of("127.0.0.1")));

        assertDenied(
            rig.get(
                "/acme/pets/prod/open",
                Map.of("X-Forwarded-For", "203.0.113.9", "Forwarded", "for=203.0.113.9")));
      }
    }

    @Test
    void the_policy_answers_before_the_key_is_asked_for() throws Exception {
      try (GatewayRig rig = GatewayRig.builder().maxBodyBytes(1024).start()) {
        load(rig, guarded(List.of(), List.of("127.0.0.1")));

        // Without the policy this route would answer 403 Forbidden for the missing key.
        assertDenied(rig.get("/acme/pets/prod/keyed", Map.of()));
      }
    }

    @Test
    void a_refused_call_is_logged_and_metered_as_other_refused_calls_are() throws Exception {
      try (GatewayRig rig = GatewayRig.builder().maxBodyBytes(1024).start()) {
        load(rig, guarded(List.of(), List.of("127.0.0.1")));

        assertDenied(rig.get("/acme/pets/prod/open", Map.of()));

        Await.until(
            Duration.ofSeconds(10),
            () -> !rig.events.isEmpty(),
            () -> "a usage event for the refused call");
        UsageEvent event = rig.events.peek();
        assertThat(event.status()).isEqualTo(403);
        assertThat(event.outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(event.apiId()).isEqualTo(Fixtures.API_ID);
        Await.until(
            Duration.ofSeconds(10),
            () -> !AccessLogTest.lines(rig).isEmpty(),
            () -> "an access-log line, have: " + rig.accessLogOut);
        var line = AccessLogTest.lines(rig).getFirst();
        assertThat(line.getInteger("status")).isEqualTo(403);
        assertThat(line.getString("sourceIp")).isEqualTo("127.0.0.1");
      }
    }

    @Test
    void the_owner_may_override_the_answer_as_access_denied() throws Exception {
      try (GatewayRig rig = GatewayRig.builder().maxBodyBytes(1024).start()) {
        DeploymentSnapshot overridden =
            deployment(
                    "prod",
                    List.of(route("GET", "/open", false, mock(200, "{}"))),
                    Map.of(),
                    null,
                    Map.of(),
                    Map.of(
                        "ACCESS_DENIED",
                        new GatewayResponseConfig(
                            404,
                            Map.of(),
                            "{\"error\":\"no\",\"why\":$context.error.messageString}")))
                .toBuilder()
                .edge(
                    new EdgeConfig(null, new SourceIpPolicy(List.of(), List.of("127.0.0.1")), null))
                .build();
        load(rig, overridden);

        GatewayRig.Response response = rig.get("/acme/pets/prod/open", Map.of());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().getString("why")).isEqualTo(DENIED);
      }
    }
  }

  @Nested
  class BehindATrustedFrontProxy {
    final TrustedProxies front = TrustedProxies.of(List.of("127.0.0.0/8"));

    @Test
    void the_client_it_reports_is_the_address_checked() throws Exception {
      try (GatewayRig rig = GatewayRig.builder().trustedProxies(front).start()) {
        load(rig, guarded(List.of(), List.of("6.6.6.0/24")));

        assertDenied(rig.get("/acme/pets/prod/open", Map.of("X-Forwarded-For", "6.6.6.6")));
        assertThat(rig.get("/acme/pets/prod/open", Map.of("X-Forwarded-For", "1.1.1.1")).status())
            .isEqualTo(200);
      }
    }

    @Test
    void an_ipv4_mapped_ipv6_client_cannot_dodge_an_ipv4_deny() throws Exception {
      try (GatewayRig rig = GatewayRig.builder().trustedProxies(front).start()) {
        load(rig, guarded(List.of(), List.of("6.6.6.0/24")));

        assertDenied(rig.get("/acme/pets/prod/open", Map.of("X-Forwarded-For", "::ffff:6.6.6.6")));
        assertDenied(
            rig.get("/acme/pets/prod/open", Map.of("X-Forwarded-For", "[::ffff:6.6.6.6]:4711")));
      }
    }

    @Test
    void a_client_claiming_to_be_an_allowed_address_left_of_the_proxy_is_not_believed()
        throws Exception {
      try (GatewayRig rig = GatewayRig.builder().trustedProxies(front).start()) {
        load(rig, guarded(List.of("1.1.1.1"), List.of()));

        // 1.1.1.1 is what the client wrote; 6.6.6.6 is what the trusted proxy saw.
        assertDenied(
            rig.get("/acme/pets/prod/open", Map.of("X-Forwarded-For", "1.1.1.1, 6.6.6.6")));
      }
    }
  }
}
