package dev.turnpike.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.AuthorizerType;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.StageTracing;
import dev.turnpike.contracts.config.WebSocketRouteConfig;
import dev.turnpike.controlplane.outbox.ConfigRecordLimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark must measure what it says: the config it publishes and the options it takes. */
class BenchConfigTest {

  @Nested
  class Config {
    private final BenchConfig config = BenchConfig.generate(options(50, 20));

    @Test
    void every_plain_key_is_an_enabled_key_of_the_bench_plan() {
      Map<String, KeyRecord> byHash =
          config.keyRecords().stream()
              .collect(Collectors.toMap(KeyRecord::keyHash, Function.identity()));
      assertThat(config.benchKeys()).hasSize(50).doesNotHaveDuplicates();
      for (String key : config.benchKeys()) {
        KeyRecord record = byHash.get(ApiKeyHash.sha256Hex(key));
        assertThat(record).as(key).isNotNull();
        assertThat(record.status()).isEqualTo(KeyStatus.ENABLED);
        assertThat(record.planIds()).containsExactly(BenchConfig.BENCH_PLAN);
        assertThat(record.tenantId()).isEqualTo(BenchConfig.TENANT_ID);
      }
      assertThat(byHash.get(ApiKeyHash.sha256Hex(config.limitedKey())).planIds())
          .containsExactly(BenchConfig.LIMITED_PLAN);
    }

    @Test
    void the_noisy_tenants_one_key_and_stage_are_its_own_under_its_low_throttle() {
      KeyRecord noisy =
          config.keyRecords().stream()
              .filter(k -> k.keyHash().equals(ApiKeyHash.sha256Hex(config.noisyKey())))
              .findFirst()
              .orElseThrow();
      assertThat(noisy.tenantId()).isEqualTo(BenchConfig.NOISY_TENANT_ID);
      assertThat(noisy.planIds()).containsExactly(BenchConfig.NOISY_PLAN);
      DeploymentSnapshot stage = stage(BenchConfig.NOISY);
      assertThat(stage.tenantId()).isEqualTo(BenchConfig.NOISY_TENANT_ID);
      assertThat(stage.routes()).allMatch(route -> route.apiKeyRequired());
      assertThat(config.plans())
          .filteredOn(plan -> plan.planId().equals(BenchConfig.NOISY_PLAN))
          .singleElement()
          .satisfies(
              plan -> {
                assertThat(plan.tenantId()).isEqualTo(BenchConfig.NOISY_TENANT_ID);
                assertThat(plan.throttle()).isEqualTo(BenchConfig.NOISY_THROTTLE);
              });
    }

    @Test
    void
        only_the_pass_function_templated_cached_compressed_and_authorizer_stages_serve_without_a_key() {
      for (DeploymentSnapshot deployment : config.deployments()) {
        boolean pass =
            deployment.stage().equals(BenchConfig.PASS)
                || deployment.stage().equals(BenchConfig.FUNCTION)
                || deployment.stage().equals(BenchConfig.TEMPLATED)
                || deployment.stage().equals(BenchConfig.CACHED)
                || deployment.stage().equals(BenchConfig.COMPRESSED)
                || deployment.stage().equals(BenchConfig.JWT)
                || deployment.stage().equals(BenchConfig.LAMBDA_AUTH)
                || deployment.stage().equals(BenchConfig.UPSTREAM);
        assertThat(deployment.routes())
            .as(deployment.stage())
            .allMatch(route -> route.apiKeyRequired() != pass);
      }
    }

    @Test
    void the_two_target_stage_proxies_to_an_upstream_of_the_backends_two_ports() {
      DeploymentSnapshot stage = stage(BenchConfig.UPSTREAM);
      assertThat(stage.routes().get(0).integration().uri()).isEqualTo("upstream://pair/{proxy}");
      assertThat(stage.upstream("pair").targets())
          .extracting(target -> target.url() + " " + target.weight())
          .containsExactly("http://127.0.0.1:20001 1", "http://127.0.0.1:20002 1");
      assertThat(stage.upstream("pair").problems()).isEmpty();
    }

    @Test
    void the_lambda_authorizer_stage_caches_the_backends_token_authorizer_answers() {
      DeploymentSnapshot stage = stage(BenchConfig.LAMBDA_AUTH);
      AuthorizerConfig authorizer = stage.authorizer(BenchConfig.LAMBDA_AUTHORIZER);
      assertThat(stage.routes().getFirst().authorization().authorizerId())
          .isEqualTo(BenchConfig.LAMBDA_AUTHORIZER);
      assertThat(authorizer.type()).isEqualTo(AuthorizerType.TOKEN);
      assertThat(authorizer.endpointUrl()).isEqualTo(options(50, 20).backend() + "/authorizer");
      assertThat(authorizer.resultTtlSeconds()).isEqualTo(300);
    }

    @Test
    void only_the_cached_stage_caches_responses() {
      for (DeploymentSnapshot deployment : config.deployments()) {
        assertThat(deployment.cache().enabled())
            .as(deployment.stage())
            .isEqualTo(deployment.stage().equals(BenchConfig.CACHED));
      }
      assertThat(stage(BenchConfig.CACHED).cache().ttlSeconds()).isEqualTo(3600);
    }

    @Test
    void the_compressed_stage_proxies_the_backends_large_body_and_compresses_it() {
      DeploymentSnapshot stage = stage(BenchConfig.COMPRESSED);
      assertThat(stage.routes().getFirst().integration().uri())
          .isEqualTo(options(50, 20).backend() + "/large");
      assertThat(stage.edge().compression().minimumCompressionSize()).isEqualTo(1024);
    }

    @Test
    void the_cors_stage_is_the_full_chain_with_cors_for_the_origin_wrk_sends() {
      DeploymentSnapshot cors = stage(BenchConfig.CORS);
      assertThat(cors.routes())
          .singleElement()
          .satisfies(r -> assertThat(r.apiKeyRequired()).isTrue());
      assertThat(cors.edge().cors().allowOrigins()).contains(BenchConfig.CORS_ORIGIN);
      assertThat(cors.edge().cors().problems()).isEmpty();
      assertThat(config.plans().getFirst().apiStages())
          .anyMatch(s -> s.stage().equals(BenchConfig.CORS));
    }

    @Test
    void the_templated_stage_maps_requests_and_responses_of_an_http_integration() {
      RouteConfig route = stage(BenchConfig.TEMPLATED).routes().getFirst();
      assertThat(route.integration().type()).isEqualTo(IntegrationType.HTTP);
      assertThat(route.integration().requestTemplates()).containsKey("application/json");
      assertThat(route.integration().responses())
          .singleElement()
          .satisfies(
              response -> {
                assertThat(response.isDefault()).isTrue();
                assertThat(response.responseTemplates()).containsKey("application/json");
              });
    }

    @Test
    void the_function_stage_invokes_the_backends_invoke_api_with_payload_1_0() {
      RouteConfig route = stage(BenchConfig.FUNCTION).routes().getFirst();
      assertThat(route.integration().type()).isEqualTo(IntegrationType.AWS_PROXY);
      assertThat(route.integration().function().invokeUrl())
          .isEqualTo(options(50, 20).backend().toString());
      assertThat(route.integration().function().payloadFormatVersion()).isEqualTo("1.0");
    }

    @Test
    void the_jwt_stage_trusts_the_issuer_the_backend_serves_and_its_token_verifies()
        throws Exception {
      DeploymentSnapshot jwt = stage(BenchConfig.JWT);
      AuthorizerConfig authorizer = jwt.authorizer(BenchConfig.JWT_AUTHORIZER);
      assertThat(jwt.routes().getFirst().authorization().authorizerId())
          .isEqualTo(BenchConfig.JWT_AUTHORIZER);
      assertThat(authorizer.jwt().issuer()).isEqualTo("http://127.0.0.1:20001/issuer");
      assertThat(authorizer.jwt().audience()).containsExactly(BenchIssuer.AUDIENCE);

      BenchIssuer issuer = config.issuer();
      assertThat(
              new io.vertx.core.json.JsonObject(issuer.discoveryDocument()).getString("jwks_uri"))
          .isEqualTo("http://127.0.0.1:20001/issuer/jwks.json");
      com.nimbusds.jwt.SignedJWT token =
          com.nimbusds.jwt.SignedJWT.parse(
              issuer.token(java.time.Instant.now(), java.time.Duration.ofMinutes(1)));
      com.nimbusds.jose.jwk.RSAKey published =
          com.nimbusds.jose.jwk.JWKSet.parse(issuer.jwks()).getKeys().getFirst().toRSAKey();
      assertThat(published.isPrivate()).isFalse();
      assertThat(token.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(published))).isTrue();
      assertThat(token.getJWTClaimsSet().getIssuer()).isEqualTo(authorizer.jwt().issuer());
    }

    @Test
    void the_wide_stage_has_the_requested_routes_plus_the_catch_all() {
      DeploymentSnapshot wide = stage(BenchConfig.WIDE);
      Set<String> paths =
          wide.routes().stream().map(RouteConfig::resourcePath).collect(Collectors.toSet());
      assertThat(wide.routes()).hasSize(21);
      assertThat(paths).contains("/svc0/items/{id}", "/svc19/items/{id}", "/{proxy+}");
    }

    @Test
    void a_ten_thousand_route_stage_fits_the_default_config_record_limit() {
      DeploymentSnapshot wide =
          BenchConfig.generate(options(1, 10_000)).deployments().stream()
              .filter(d -> d.stage().equals(BenchConfig.WIDE))
              .findFirst()
              .orElseThrow();
      ConfigRecordLimit.RecordSize size =
          ConfigRecordLimit.measure(
              Topics.deploymentKey(wide.tenantId(), wide.apiId(), wide.stage()),
              DeploymentSnapshot.CODEC.encode(wide));
      assertThat(ConfigRecordLimit.defaults().admits(size)).as(size.toString()).isTrue();
    }

    @Test
    void every_route_proxies_to_the_backend_its_upstream_or_invokes_it_as_a_function() {
      assertThat(config.deployments())
          .flatMap(DeploymentSnapshot::routes)
          .allMatch(
              route ->
                  route.integration().type() == IntegrationType.AWS_PROXY
                      ? route.integration().function().invokeUrl().equals("http://127.0.0.1:20001")
                      : route.integration().uri().startsWith("http://127.0.0.1:20001/")
                          || route.integration().uri().equals("upstream://pair/{proxy}"));
    }

    @Test
    void the_bench_plan_covers_the_key_stages_and_the_limited_plan_only_its_own() {
      Map<String, PlanRecord> plans =
          config.plans().stream()
              .collect(Collectors.toMap(PlanRecord::planId, Function.identity()));
      assertThat(plans.get(BenchConfig.BENCH_PLAN).apiStages())
          .extracting(stage -> stage.stage())
          .containsExactlyInAnyOrder(
              BenchConfig.FULL,
              BenchConfig.WIDE,
              BenchConfig.CORS,
              BenchConfig.TRACED_1,
              BenchConfig.TRACED_100);
      PlanRecord limited = plans.get(BenchConfig.LIMITED_PLAN);
      assertThat(limited.apiStages())
          .extracting(stage -> stage.stage())
          .containsExactly(BenchConfig.LIMITED);
      assertThat(limited.throttle().rateLimit()).isEqualTo(200);
      assertThat(limited.throttle().burstLimit()).isEqualTo(50);
    }

    @Test
    void the_traced_stages_are_the_full_chain_at_1_and_100_percent_and_no_other_traces() {
      assertThat(stage(BenchConfig.TRACED_1).tracing()).isEqualTo(new StageTracing(true, 1));
      assertThat(stage(BenchConfig.TRACED_100).tracing()).isEqualTo(new StageTracing(true, 100));
      assertThat(stage(BenchConfig.TRACED_100).routes().getFirst().apiKeyRequired()).isTrue();
      assertThat(stage(BenchConfig.FULL).tracing()).isNull();
    }

    @Test
    void the_websocket_stage_answers_its_echo_route_with_the_message_the_clients_send() {
      DeploymentSnapshot ws = stage(BenchConfig.WEBSOCKET);
      assertThat(ws.routes()).isEmpty();
      assertThat(ws.webSocket().problems()).isEmpty();
      assertThat(ws.webSocket().routeSelectionExpression()).isEqualTo("$request.body.action");
      WebSocketRouteConfig echo = ws.webSocket().route(BenchConfig.WEBSOCKET_ROUTE);
      assertThat(echo.twoWay()).isTrue();
      assertThat(echo.apiKeyRequired()).isFalse();
      assertThat(echo.integration().type()).isEqualTo(IntegrationType.MOCK);
      assertThat(echo.integration().mock().body()).isEqualTo(BenchConfig.WEBSOCKET_MESSAGE);
      assertThat(
              new io.vertx.core.json.JsonObject(BenchConfig.WEBSOCKET_MESSAGE).getString("action"))
          .isEqualTo(BenchConfig.WEBSOCKET_ROUTE);
      assertThat(ws.webSocket().route(WebSocketRouteConfig.CONNECT)).isNull();
      assertThat(config.deployments())
          .filteredOn(deployment -> deployment.webSocket() != null)
          .containsExactly(ws);
    }

    private DeploymentSnapshot stage(String name) {
      return config.deployments().stream()
          .filter(d -> d.stage().equals(name))
          .findFirst()
          .orElseThrow();
    }
  }

  @Nested
  class Options {
    @TempDir Path dir;

    @Test
    void reads_every_option(@TempDir Path work) throws Exception {
      Path classpath = Files.writeString(dir.resolve("gateway.cp"), "a.jar:b.jar\n");
      BenchOptions options =
          BenchOptions.parse(
              new String[] {
                "--work-dir", work.toString(),
                "--backend", "http://127.0.0.1:20001/",
                "--gateway-classpath-file", classpath.toString(),
                "--nodes", "2",
                "--event-loops", "2",
                "--keys", "100",
                "--routes", "10",
                "--limited-rate", "300",
                "--limited-burst", "60",
                "--gateway-jvm-options", " -Xmx512m  -XX:+UseParallelGC "
              });
      assertThat(options.backend().toString()).isEqualTo("http://127.0.0.1:20001");
      assertThat(options.gatewayClasspath()).isEqualTo("a.jar:b.jar");
      assertThat(options.nodes()).isEqualTo(2);
      assertThat(options.limitedRate()).isEqualTo(300);
      assertThat(options.gatewayJvmOptions()).containsExactly("-Xmx512m", "-XX:+UseParallelGC");
    }

    @Test
    void names_every_missing_or_bad_option_at_once() {
      assertThatThrownBy(
              () -> BenchOptions.parse(new String[] {"--nodes", "0", "--colour", "blue"}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--work-dir is required")
          .hasMessageContaining("--backend is required")
          .hasMessageContaining("--gateway-classpath-file is required")
          .hasMessageContaining("--nodes must be between 1 and 16")
          .hasMessageContaining("unknown options: [colour]");
    }

    @Test
    void reads_the_tls_nodes_certificate_and_key_and_refuses_one_without_the_other(
        @TempDir Path work) throws Exception {
      Path classpath = Files.writeString(dir.resolve("gateway.cp"), "a.jar\n");
      Path cert = Files.writeString(dir.resolve("cert.pem"), "cert");
      Path key = Files.writeString(dir.resolve("key.pem"), "key");
      String[] base = {
        "--work-dir", work.toString(),
        "--backend", "http://127.0.0.1:20001",
        "--gateway-classpath-file", classpath.toString()
      };

      BenchOptions plain = BenchOptions.parse(base);
      assertThat(plain.tls()).isFalse();
      BenchOptions tls =
          BenchOptions.parse(
              java.util.stream.Stream.concat(
                      java.util.Arrays.stream(base),
                      java.util.stream.Stream.of(
                          "--tls-cert", cert.toString(), "--tls-key", key.toString()))
                  .toArray(String[]::new));
      assertThat(tls.tls()).isTrue();
      assertThat(tls.tlsCert()).isEqualTo(cert.toAbsolutePath());
      assertThat(tls.tlsKey()).isEqualTo(key.toAbsolutePath());
      assertThatThrownBy(
              () ->
                  BenchOptions.parse(
                      java.util.stream.Stream.concat(
                              java.util.Arrays.stream(base),
                              java.util.stream.Stream.of("--tls-cert", cert.toString()))
                          .toArray(String[]::new)))
          .hasMessageContaining("--tls-cert and --tls-key go together");
    }

    @Test
    void reads_the_websocket_load_clients_options() {
      WebSocketLoadOptions options =
          WebSocketLoadOptions.parse(
              new String[] {
                "echo",
                "--url",
                "ws://127.0.0.1:20003/bench/bench/ws?x=1",
                "--go-file",
                "go",
                "--connections",
                "32",
                "--in-flight",
                "8",
                "--warmup",
                "0",
                "--duration",
                "5",
                "--source-addresses",
                "3"
              });
      assertThat(options.echo()).isTrue();
      assertThat(options.uri().getPort()).isEqualTo(20003);
      assertThat(options.path()).isEqualTo("/bench/bench/ws?x=1");
      assertThat(options.connections()).isEqualTo(32);
      assertThat(options.inFlight()).isEqualTo(8);
      assertThat(options.warmupSeconds()).isZero();
      assertThat(options.durationSeconds()).isEqualTo(5);
      assertThat(options.goFile()).isEqualTo(Path.of("go").toAbsolutePath());
      assertThat(options.sourceAddresses()).containsExactly("127.0.0.1", "127.0.0.2", "127.0.0.3");
      assertThat(options.message()).isEqualTo(BenchConfig.WEBSOCKET_MESSAGE);
    }

    @Test
    void an_idle_load_opens_ten_thousand_connections_from_one_address_unless_told() {
      WebSocketLoadOptions options =
          WebSocketLoadOptions.parse(
              new String[] {"idle", "--url", "ws://127.0.0.1:20003", "--go-file", "close"});
      assertThat(options.echo()).isFalse();
      assertThat(options.connections()).isEqualTo(10_000);
      assertThat(options.path()).isEqualTo("/");
      assertThat(options.sourceAddresses()).containsExactly("127.0.0.1");
      assertThat(options.handshakes()).isEqualTo(256);
    }

    @Test
    void the_load_client_names_every_bad_or_missing_option_at_once() {
      assertThatThrownBy(
              () ->
                  WebSocketLoadOptions.parse(
                      new String[] {
                        "flood",
                        "--url",
                        "http://127.0.0.1:1/",
                        "--in-flight",
                        "0",
                        "--source-addresses",
                        "255",
                        "--colour",
                        "blue"
                      }))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the first argument must be echo or idle, was flood")
          .hasMessageContaining("--url must be ws://host:port/path")
          .hasMessageContaining("--in-flight must be between 1 and 1000")
          .hasMessageContaining("--source-addresses must be between 1 and 254")
          .hasMessageContaining("--go-file is required")
          .hasMessageContaining("unknown options: [colour]");
    }

    @Test
    void refuses_a_backend_without_a_port() {
      assertThatThrownBy(
              () ->
                  BenchOptions.parse(
                      new String[] {
                        "--work-dir", dir.toString(),
                        "--backend", "http://localhost",
                        "--gateway-classpath-file", dir.resolve("missing.cp").toString()
                      }))
          .hasMessageContaining("--backend must be http://host:port")
          .hasMessageContaining("cannot be read");
    }
  }

  private static BenchOptions options(int keys, int routes) {
    return new BenchOptions(
        Path.of("/tmp/unused"),
        java.net.URI.create("http://127.0.0.1:20001"),
        "gateway.jar",
        1,
        1,
        keys,
        routes,
        200,
        50,
        List.of(),
        java.net.URI.create("http://127.0.0.1:20002"));
  }
}
