package dev.turnpike.gateway.authorizer.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.turnpike.egress.EgressPolicy;
import dev.turnpike.egress.EgressSettings;
import dev.turnpike.egress.MachineNetwork;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.IntegrationOwner;
import dev.turnpike.settings.SettingsReader;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.MutableClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** An issuer's keys as the node fetches, shares and refreshes them, against a real issuer. */
class JwksCacheTest {
  static final IntegrationOwner OWNER =
      new IntegrationOwner("t-acme", "acme", "pets", "prod", "authorizer jwt");

  final Vertx vertx = Vertx.vertx();
  final HttpClient client = vertx.createHttpClient();
  final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T05:00:00Z"));
  TestIssuer issuer;

  @BeforeEach
  void start() throws Exception {
    issuer = TestIssuer.start(vertx);
  }

  @AfterEach
  void stop() {
    issuer.close();
    vertx.close().await();
  }

  /** The one-machine trial policy: loopback (the test issuer) is reachable. */
  JwksCache cache(Duration minRefresh) {
    return cache(
        new EgressPolicy(EgressPolicy.Mode.TRIAL, List.of(), Map.of(), List.of(), Set.of()),
        minRefresh);
  }

  JwksCache cache(EgressPolicy policy, Duration minRefresh) {
    return new JwksCache(
        vertx,
        tenant -> client,
        new EgressGuard(vertx, policy),
        clock,
        new JwksCache.Settings(Duration.ofSeconds(5), minRefresh, Duration.ofHours(1)));
  }

  static JWSHeader header(String kid) {
    return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build();
  }

  /** Asks for the keys fitting {@code kid} on an event loop, as a request would. */
  Future<List<SigningKey>> lookUp(IssuerKeys keys, Context context, String kid) throws Exception {
    CompletableFuture<Future<List<SigningKey>>> asked = new CompletableFuture<>();
    context.runOnContext(ignored -> asked.complete(keys.candidates(header(kid))));
    return asked.get(10, TimeUnit.SECONDS);
  }

  static List<String> kids(Future<List<SigningKey>> keys) {
    return keys.toCompletionStage().toCompletableFuture().join().stream()
        .map(SigningKey::kid)
        .toList();
  }

  @Test
  void concurrent_lookups_of_an_unknown_key_wait_for_one_fetch() throws Exception {
    // No interval between fetches: only the single fetch in flight keeps this to one.
    IssuerKeys keys = cache(Duration.ZERO).keysOf(OWNER, issuer.issuer());
    issuer.hold();
    List<Future<List<SigningKey>>> waiting = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Context loop = i % 2 == 0 ? vertx.getOrCreateContext() : vertx.getOrCreateContext();
      waiting.add(lookUp(keys, loop, "rsa-1"));
    }
    Await.until(Duration.ofSeconds(10), () -> issuer.jwksFetches.get() == 1, "the key fetch");

    assertThat(waiting).noneMatch(Future::isComplete);
    issuer.release();
    for (Future<List<SigningKey>> answer : waiting) {
      assertThat(kids(answer)).containsExactly("rsa-1");
    }
    assertThat(issuer.discoveryFetches.get()).isEqualTo(1);
    assertThat(issuer.jwksFetches.get()).isEqualTo(1);
  }

  @Test
  void an_unknown_key_refreshes_the_set_at_most_once_per_interval() throws Exception {
    IssuerKeys keys = cache(Duration.ofSeconds(10)).keysOf(OWNER, issuer.issuer());
    Context loop = vertx.getOrCreateContext();
    assertThat(kids(lookUp(keys, loop, "rsa-1"))).containsExactly("rsa-1");
    assertThat(issuer.jwksFetches.get()).isEqualTo(1);

    RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
    issuer.publish(issuer.rsa, rotated);
    assertThat(kids(lookUp(keys, loop, "rsa-2"))).isEmpty();
    assertThat(issuer.jwksFetches.get()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(11));
    assertThat(kids(lookUp(keys, loop, "rsa-2"))).containsExactly("rsa-2");
    assertThat(issuer.jwksFetches.get()).isEqualTo(2);

    assertThat(kids(lookUp(keys, loop, "made-up"))).isEmpty();
    assertThat(kids(lookUp(keys, loop, "made-up-too"))).isEmpty();
    assertThat(issuer.jwksFetches.get()).isEqualTo(2);
    assertThat(kids(lookUp(keys, loop, "rsa-1"))).containsExactly("rsa-1");
  }

  @Test
  void is_shared_by_stages_of_a_tenant_but_not_across_tenants() {
    JwksCache cache = cache(Duration.ofSeconds(10));
    IntegrationOwner otherStage = new IntegrationOwner("t-acme", "acme", "pets", "dev", "jwt");
    IntegrationOwner otherTenant = new IntegrationOwner("t-globex", "globex", "x", "prod", "jwt");

    assertThat(cache.keysOf(otherStage, issuer.issuer()))
        .isSameAs(cache.keysOf(OWNER, issuer.issuer()));
    assertThat(cache.keysOf(otherTenant, issuer.issuer()))
        .isNotSameAs(cache.keysOf(OWNER, issuer.issuer()));
  }

  @Test
  void a_strict_egress_policy_keeps_the_fetch_off_a_loopback_issuer() throws Exception {
    IssuerKeys keys =
        cache(EgressPolicy.strict(), Duration.ofSeconds(10)).keysOf(OWNER, issuer.issuer());

    assertThat(kids(lookUp(keys, vertx.getOrCreateContext(), "rsa-1"))).isEmpty();
    assertThat(issuer.discoveryFetches.get()).isZero();
  }

  @Test
  void a_jwks_uri_the_policy_refuses_is_not_fetched() throws Exception {
    // The discovery document is on an address the tenant was granted; its jwks_uri is not.
    EgressPolicy grantsOnlyIssuerPort =
        new EgressPolicy(
            EgressPolicy.Mode.STRICT,
            List.of(dev.turnpike.egress.AllowRule.parse("127.0.0.1/32:" + port(issuer.issuer()))),
            Map.of(),
            List.of(),
            Set.of());
    try (TestIssuer internal = TestIssuer.start(vertx)) {
      issuer.jwksUri(internal.issuer() + "/keys");
      IssuerKeys keys =
          cache(grantsOnlyIssuerPort, Duration.ofSeconds(10)).keysOf(OWNER, issuer.issuer());

      assertThat(kids(lookUp(keys, vertx.getOrCreateContext(), "rsa-1"))).isEmpty();
      assertThat(issuer.discoveryFetches.get()).isEqualTo(1);
      assertThat(internal.jwksFetches.get()).isZero();
    }
  }

  /**
   * The issuer plays the platform's own Keycloak: a listener of the platform that the operator
   * opened to {@link #OWNER}'s tenant alone, by its exact address and port.
   */
  @Nested
  class Through_an_exact_listener_grant {
    static final String GATEWAY_ADMIN = "127.0.0.1:9";

    EgressPolicy grantedToAcme(String... moreListeners) {
      int port = port(issuer.issuer());
      List<String> listeners = new ArrayList<>(List.of("127.0.0.1:" + port, GATEWAY_ADMIN));
      listeners.addAll(List.of(moreListeners));
      SettingsReader read =
          new SettingsReader(
              Map.of(
                  "TURNPIKE_EGRESS_POLICY",
                  "trial",
                  "TURNPIKE_EGRESS_TENANT_ALLOW",
                  OWNER.tenantId() + "=127.0.0.1:" + port,
                  "TURNPIKE_EGRESS_PLATFORM_LISTENERS",
                  String.join(",", listeners)));
      EgressSettings settings =
          EgressSettings.read(
              read,
              new EgressSettings.Keys(
                  "TURNPIKE_EGRESS_POLICY",
                  "TURNPIKE_EGRESS_ALLOW",
                  "TURNPIKE_EGRESS_TENANT_ALLOW",
                  "TURNPIKE_EGRESS_PLATFORM_LISTENERS"));
      read.failOnProblems("test");
      return settings.policy(MachineNetwork.SYSTEM, List.of());
    }

    @Test
    void the_granted_tenant_fetches_the_keys() throws Exception {
      IssuerKeys keys =
          cache(grantedToAcme(), Duration.ofSeconds(10)).keysOf(OWNER, issuer.issuer());

      assertThat(kids(lookUp(keys, vertx.getOrCreateContext(), "rsa-1"))).containsExactly("rsa-1");
      assertThat(issuer.discoveryFetches.get()).isEqualTo(1);
    }

    @Test
    void another_tenant_cannot_use_the_grant() throws Exception {
      JwksCache cache = cache(grantedToAcme(), Duration.ofSeconds(10));
      IntegrationOwner globex = new IntegrationOwner("t-globex", "globex", "x", "prod", "jwt");

      assertThat(
              kids(
                  lookUp(
                      cache.keysOf(globex, issuer.issuer()), vertx.getOrCreateContext(), "rsa-1")))
          .isEmpty();
      // Nor by another spelling of the same listener.
      String spelled = "http://localhost:" + port(issuer.issuer());
      assertThat(kids(lookUp(cache.keysOf(globex, spelled), vertx.getOrCreateContext(), "rsa-1")))
          .isEmpty();
      assertThat(issuer.discoveryFetches.get()).isZero();
    }

    @Test
    void the_grant_opens_no_other_listener_as_jwks_uri() throws Exception {
      try (TestIssuer internal = TestIssuer.start(vertx)) {
        issuer.jwksUri(internal.issuer() + "/keys");
        IssuerKeys keys =
            cache(grantedToAcme("127.0.0.1:" + port(internal.issuer())), Duration.ofSeconds(10))
                .keysOf(OWNER, issuer.issuer());

        assertThat(kids(lookUp(keys, vertx.getOrCreateContext(), "rsa-1"))).isEmpty();
        assertThat(issuer.discoveryFetches.get()).isEqualTo(1);
        assertThat(internal.jwksFetches.get()).isZero();
      }
    }

    @Test
    void a_redirect_from_the_granted_listener_is_not_followed() throws Exception {
      // The granted port answers with a redirect to another loopback listener, which holds keys.
      try (TestIssuer internal = TestIssuer.start(vertx)) {
        HttpServer redirecting =
            vertx
                .createHttpServer()
                .requestHandler(
                    request ->
                        request
                            .response()
                            .setStatusCode(302)
                            .putHeader("location", internal.issuer() + request.uri())
                            .end())
                .listen(0, "127.0.0.1")
                .await();
        try {
          String granted = "http://127.0.0.1:" + redirecting.actualPort();
          SettingsReader read =
              new SettingsReader(
                  Map.of(
                      "TENANT_ALLOW", OWNER.tenantId() + "=127.0.0.1:" + redirecting.actualPort(),
                      "LISTENERS",
                          "127.0.0.1:"
                              + redirecting.actualPort()
                              + ",127.0.0.1:"
                              + port(internal.issuer())));
          EgressPolicy policy =
              EgressSettings.read(
                      read, new EgressSettings.Keys("MODE", "ALLOW", "TENANT_ALLOW", "LISTENERS"))
                  .policy(MachineNetwork.SYSTEM, List.of());
          read.failOnProblems("test");
          IssuerKeys keys = cache(policy, Duration.ofSeconds(10)).keysOf(OWNER, granted);

          assertThat(kids(lookUp(keys, vertx.getOrCreateContext(), "rsa-1"))).isEmpty();
          assertThat(internal.discoveryFetches.get()).isZero();
          assertThat(internal.jwksFetches.get()).isZero();
        } finally {
          redirecting.close().await();
        }
      }
    }
  }

  static int port(String url) {
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
  }
}
