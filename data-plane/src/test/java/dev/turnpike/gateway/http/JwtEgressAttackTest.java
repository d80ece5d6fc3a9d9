package dev.turnpike.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.JwtConfiguration;
import dev.turnpike.contracts.config.RouteAuthorization;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.gateway.authorizer.jwt.TestIssuer;
import dev.turnpike.testkit.Await;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant points its JWT authorizer's issuer, or the issuer's {@code jwks_uri}, at what it must
 * not reach: loopback under the strict egress policy (by address and by a name resolving to it),
 * the gateway's own listener under any policy. The key fetch goes through the same egress policy as
 * integrations: nothing is fetched, and the tokens are refused.
 */
class JwtEgressAttackTest {
  final Vertx servers = Vertx.vertx();
  TestIssuer issuer;
  GatewayRig gateway;

  @BeforeEach
  void start() throws Exception {
    issuer = TestIssuer.start(servers);
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    issuer.close();
    GatewayRig.await(servers.close());
  }

  void deploy(String issuerUrl) {
    gateway.load(
        List.of(
            Fixtures.snapshot("prod")
                .deploymentId("dep-1")
                .routes(
                    List.of(
                        new RouteConfig(
                            "r-1",
                            "GET",
                            "/orders",
                            false,
                            Fixtures.mock(200, "{}"),
                            null,
                            new RouteAuthorization("jwt", List.of()))))
                .authorizers(
                    List.of(
                        AuthorizerConfig.jwt(
                            "jwt",
                            "users",
                            "$request.header.Authorization",
                            new JwtConfiguration(issuerUrl, List.of(TestIssuer.AUDIENCE)))))
                .build()),
        List.of(),
        List.of());
  }

  /** A token the issuer really signed, for the issuer URL the tenant configured. */
  int call(String issuerUrl) throws Exception {
    String token =
        TestIssuer.sign(
            issuer.rsa,
            com.nimbusds.jose.JWSAlgorithm.RS256,
            issuer.claims(gateway.authorizerClock.instant()).issuer(issuerUrl).build());
    return gateway
        .get("/acme/pets/prod/orders", Map.of("Authorization", "Bearer " + token))
        .status();
  }

  @Test
  void strict_policy_refuses_an_issuer_on_loopback() throws Exception {
    gateway = GatewayRig.builder().egress(Map.of()).hosts(EgressAttackTest.HOSTS).start();
    deploy(issuer.issuer());

    assertThat(call(issuer.issuer())).isEqualTo(401);
    assertThat(issuer.discoveryFetches.get()).isZero();
  }

  @Test
  void strict_policy_refuses_a_name_that_resolves_to_loopback() throws Exception {
    gateway = GatewayRig.builder().egress(Map.of()).hosts(EgressAttackTest.HOSTS).start();
    String evil = issuer.issuer().replace("127.0.0.1", "evil.test");
    deploy(evil);

    assertThat(call(evil)).isEqualTo(401);
    assertThat(issuer.discoveryFetches.get()).isZero();
  }

  @Test
  void a_granted_issuer_cannot_send_the_key_fetch_to_the_gateways_own_listener() throws Exception {
    // Trial: loopback is open to tenants, the platform's own listeners never are.
    gateway = GatewayRig.builder().start();
    issuer.jwksUri("http://127.0.0.1:" + gateway.port() + "/acme/pets/prod/orders");
    deploy(issuer.issuer());

    assertThat(call(issuer.issuer())).isEqualTo(401);
    assertThat(issuer.discoveryFetches.get()).isEqualTo(1);
    // The only request the gateway saw is the client's own: no key fetch reached it. Usage
    // events are recorded as a response ends, which may be after the client has its answer.
    Await.until(
        Duration.ofSeconds(10), () -> !gateway.events.isEmpty(), "the client's usage event");
    assertThat(gateway.events).hasSize(1);
  }
}
