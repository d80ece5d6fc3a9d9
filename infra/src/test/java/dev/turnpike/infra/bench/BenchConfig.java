package dev.turnpike.infra.bench;

import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.AuthorizerType;
import dev.turnpike.contracts.config.CompressionConfig;
import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.EdgeConfig;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationResponse;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.JwtConfiguration;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.PassthroughBehavior;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.config.PlanStage;
import dev.turnpike.contracts.config.QuotaLimit;
import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.RouteAuthorization;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.StageCacheConfig;
import dev.turnpike.contracts.config.StageTracing;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.config.UpstreamBalancing;
import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.contracts.config.UpstreamTarget;
import dev.turnpike.contracts.config.WebSocketApiConfig;
import dev.turnpike.contracts.config.WebSocketRouteConfig;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's configuration, as the control plane would publish it: tenant {@code bench}, API
 * {@code bench} with four stages, two usage plans and the API keys.
 *
 * <ul>
 *   <li>{@code pass}: {@code ANY /{proxy+}}, http_proxy to the backend, no key: the gateway's
 *       routing and proxying alone.
 *   <li>{@code full}: the same route with a key required and the bench plan bound: key lookup,
 *       throttles, quota and a usage event per request.
 *   <li>{@code wide}: {@code GET /svc{i}/items/{id}} for {@code i < routeCount}, each key-required
 *       and proxying to {@code /items/{id}}, plus the key-required {@code ANY /{proxy+}}.
 *   <li>{@code limited}: {@code ANY /{proxy+}} under a plan with a low throttle, for the multi-node
 *       throttle accuracy check.
 *   <li>{@code fn}: {@code ANY /{proxy+}}, aws_proxy (payload 1.0) to a function whose Invoke API
 *       is the backend's (it answers a fixed Lambda proxy response), no key: the function
 *       integration's event encoding and response parsing against the passthrough's proxying.
 *   <li>{@code jwt}: the passthrough's route behind a JWT authorizer whose issuer ({@link
 *       BenchIssuer}) the backend serves as static files, no key: a token's RS256 signature and
 *       claims checked per request, its keys fetched once.
 *   <li>{@code gz}: {@code ANY /{proxy+}}, http_proxy to the backend's {@code /large} (a 3.8 KB
 *       JSON), the API's minimumCompressionSize 1024, no key: the passthrough's proxying plus gzip
 *       for a client that accepts it.
 *   <li>{@code lauth}: the passthrough's route behind a Lambda-style TOKEN authorizer whose
 *       endpoint is the backend's {@code /authorizer} (a fixed Allow policy), answers cached for
 *       300 s, no key: the cached decision per request, with the authorizer called about once.
 *   <li>{@code cached}: the passthrough's route with the stage cache on (TTL 3600 s): after the
 *       first request every one is a hit, answered from memory without calling the backend.
 *   <li>{@code two}: {@code ANY /{proxy+}}, http_proxy to {@code upstream://pair/{proxy}}, an
 *       upstream of two targets (the backend on two ports, equal weights, round-robin), no key:
 *       target picking, breaker bookkeeping and per-target egress admission against the
 *       passthrough's single origin.
 *   <li>{@code ws}: a WebSocket API stage with one two-way route, {@code echo} (selected by {@code
 *       $request.body.action}), whose {@code mock} integration answers {@link #WEBSOCKET_MESSAGE}:
 *       the gateway has no integration that answers a message with itself, so the load client sends
 *       that very message and both the gateway and the bare echo server answer its bytes. No {@code
 *       $connect} route and no key: the handshake and each message are the gateway's work alone
 *       (route selection, the mock's answer, a usage event per message).
 * </ul>
 *
 * A second tenant, {@code noisy}, has one API and stage ({@code /noisy/noisy/noisy}: the full
 * chain's route) under a plan with a low throttle ({@link #NOISY_THROTTLE}) and one key: the
 * bulkhead mode drives it far above that limit beside the bench tenant's steady traffic on the same
 * node.
 *
 * <p>The bench plan's per-key throttle (1,000/s, burst 500) and daily quota (10^9) are real limits
 * that are checked on every request but cannot be reached with thousands of keys in a short run.
 */
final class BenchConfig {
  static final String TENANT_ID = "t-bench";
  static final String TENANT_SLUG = "bench";
  static final String API_ID = "a-bench";
  static final String API_SLUG = "bench";
  static final String PASS = "pass";
  static final String FULL = "full";
  static final String WIDE = "wide";
  static final String LIMITED = "limited";
  static final String FUNCTION = "fn";
  static final String TEMPLATED = "tpl";
  static final String CACHED = "cached";

  /** The full chain with tracing at 1% and at 100% of requests (a no-op collector). */
  static final String TRACED_1 = "tr1";

  static final String TRACED_100 = "tr100";

  static final String COMPRESSED = "gz";
  static final String CORS = "cors";

  /** The origin the cors scenario's requests come from, and the only one its API allows. */
  static final String CORS_ORIGIN = "https://app.bench.example";

  static final String JWT = "jwt";
  static final String JWT_AUTHORIZER = "bench-jwt";
  static final String LAMBDA_AUTH = "lauth";
  static final String LAMBDA_AUTHORIZER = "bench-token";
  static final String UPSTREAM = "two";

  /** The WebSocket API stage, and its one route's key. */
  static final String WEBSOCKET = "ws";

  static final String WEBSOCKET_ROUTE = "echo";

  /**
   * What the websocket scenario's clients send, and the {@code echo} route's fixed answer: the
   * message the bare echo server sends back, so both servers answer the same 44 bytes.
   */
  static final String WEBSOCKET_MESSAGE = "{\"action\":\"echo\",\"data\":\"turnpike bench ws\"}";

  /** The bulkhead mode's other tenant, its API and stage. */
  static final String NOISY_TENANT_ID = "t-noisy";

  static final String NOISY = "noisy";
  static final String NOISY_API_ID = "a-noisy";
  static final String NOISY_PLAN = "plan-noisy";
  static final ThrottleLimit NOISY_THROTTLE = new ThrottleLimit(100, 50);

  static final String BENCH_PLAN = "plan-bench";
  static final String LIMITED_PLAN = "plan-limited";
  static final ThrottleLimit BENCH_KEY_THROTTLE = new ThrottleLimit(1_000, 500);
  static final QuotaLimit BENCH_QUOTA = new QuotaLimit(1_000_000_000L, 0, QuotaPeriod.DAY);

  private static final String KEY_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int KEY_LENGTH = 40;

  private final List<DeploymentSnapshot> deployments;
  private final List<PlanRecord> plans;
  private final List<KeyRecord> keyRecords;
  private final List<String> benchKeys;
  private final String limitedKey;
  private final String noisyKey;
  private final BenchIssuer issuer;

  private BenchConfig(
      List<DeploymentSnapshot> deployments,
      List<PlanRecord> plans,
      List<KeyRecord> keyRecords,
      List<String> benchKeys,
      String limitedKey,
      String noisyKey,
      BenchIssuer issuer) {
    this.deployments = deployments;
    this.plans = plans;
    this.keyRecords = keyRecords;
    this.benchKeys = benchKeys;
    this.limitedKey = limitedKey;
    this.noisyKey = noisyKey;
    this.issuer = issuer;
  }

  static BenchConfig generate(BenchOptions options) {
    SecureRandom random = new SecureRandom();
    String backend = options.backend().toString();
    Instant now = Instant.now();
    IntegrationConfig proxyAll = proxy("ANY", backend + "/{proxy}");
    BenchIssuer issuer = BenchIssuer.generate(backend);
    List<DeploymentSnapshot> deployments =
        List.of(
            deployment(
                PASS,
                now,
                List.of(new RouteConfig("pass-proxy", "ANY", "/{proxy+}", false, proxyAll))),
            deployment(
                FULL,
                now,
                List.of(new RouteConfig("full-proxy", "ANY", "/{proxy+}", true, proxyAll))),
            deployment(WIDE, now, wideRoutes(options.routeCount(), backend, proxyAll)),
            // The full chain with CORS: the same key-required route, every answer decorated.
            deployment(
                    CORS,
                    now,
                    List.of(new RouteConfig("cors-proxy", "ANY", "/{proxy+}", true, proxyAll)))
                .toBuilder()
                .edge(
                    new EdgeConfig(
                        new CorsConfiguration(
                            List.of(CORS_ORIGIN, "https://admin.bench.example"),
                            List.of("GET", "POST", "PUT", "DELETE"),
                            List.of("content-type", "x-api-key", "authorization"),
                            List.of("x-amzn-RequestId"),
                            600,
                            true),
                        null,
                        null))
                .build(),
            deployment(
                LIMITED,
                now,
                List.of(new RouteConfig("limited-proxy", "ANY", "/{proxy+}", true, proxyAll))),
            deployment(
                FUNCTION,
                now,
                List.of(
                    new RouteConfig(
                        "fn-proxy",
                        "ANY",
                        "/{proxy+}",
                        false,
                        IntegrationConfig.awsProxy(
                            new FunctionTarget("bench", backend, 0, FunctionTarget.PAYLOAD_1_0),
                            0)))),
            // The full chain again, traced: 1% and 100% of requests make spans.
            deployment(
                    TRACED_1,
                    now,
                    List.of(new RouteConfig("tr1-proxy", "ANY", "/{proxy+}", true, proxyAll)))
                .toBuilder()
                .tracing(new StageTracing(true, 1))
                .build(),
            deployment(
                    TRACED_100,
                    now,
                    List.of(new RouteConfig("tr100-proxy", "ANY", "/{proxy+}", true, proxyAll)))
                .toBuilder()
                .tracing(new StageTracing(true, 100))
                .build(),
            deployment(
                    CACHED,
                    now,
                    List.of(new RouteConfig("cached-proxy", "ANY", "/{proxy+}", false, proxyAll)))
                .toBuilder()
                .cache(
                    new StageCacheConfig(
                        true,
                        64L * 1024 * 1024,
                        StageCacheConfig.MAX_TTL_SECONDS,
                        Map.of(),
                        false,
                        true,
                        null,
                        0))
                .build(),
            deployment(
                    UPSTREAM,
                    now,
                    List.of(
                        new RouteConfig(
                            "two-proxy",
                            "ANY",
                            "/{proxy+}",
                            false,
                            proxy("ANY", "upstream://pair/{proxy}"))))
                .toBuilder()
                .upstreams(
                    List.of(
                        new UpstreamConfig(
                            "pair",
                            UpstreamBalancing.ROUND_ROBIN,
                            List.of(
                                new UpstreamTarget(backend, 1),
                                new UpstreamTarget(options.secondBackend().toString(), 1)),
                            null)))
                .build(),
            deployment(
                TEMPLATED,
                now,
                List.of(
                    new RouteConfig("tpl-mapped", "ANY", "/{proxy+}", false, templated(backend)))),
            deployment(
                    COMPRESSED,
                    now,
                    List.of(
                        new RouteConfig(
                            "gz-proxy",
                            "ANY",
                            "/{proxy+}",
                            false,
                            proxy("ANY", backend + "/large"))))
                .toBuilder()
                .edge(new EdgeConfig(null, null, new CompressionConfig(1024, false)))
                .build(),
            webSocket(now),
            authorized(
                JWT,
                now,
                proxyAll,
                AuthorizerConfig.jwt(
                    JWT_AUTHORIZER,
                    "bench users",
                    "$request.header.Authorization",
                    new JwtConfiguration(issuer.issuer(), List.of(BenchIssuer.AUDIENCE)))),
            authorized(
                LAMBDA_AUTH,
                now,
                proxyAll,
                new AuthorizerConfig(
                    LAMBDA_AUTHORIZER,
                    "bench tokens",
                    AuthorizerType.TOKEN,
                    List.of("method.request.header.Authorization"),
                    null,
                    null,
                    backend + "/authorizer",
                    2_000,
                    AuthorizerConfig.DEFAULT_RESULT_TTL_SECONDS,
                    null,
                    null,
                    false)));
    List<PlanRecord> plans =
        List.of(
            new PlanRecord(
                PlanRecord.SCHEMA_VERSION,
                TENANT_ID,
                BENCH_PLAN,
                "Bench",
                BENCH_KEY_THROTTLE,
                BENCH_QUOTA,
                List.of(
                    new PlanStage(API_ID, FULL, null, Map.of()),
                    new PlanStage(API_ID, CORS, null, Map.of()),
                    new PlanStage(API_ID, WIDE, null, Map.of()),
                    new PlanStage(API_ID, TRACED_1, null, Map.of()),
                    new PlanStage(API_ID, TRACED_100, null, Map.of()))),
            new PlanRecord(
                PlanRecord.SCHEMA_VERSION,
                TENANT_ID,
                LIMITED_PLAN,
                "Limited",
                new ThrottleLimit(options.limitedRate(), options.limitedBurst()),
                null,
                List.of(new PlanStage(API_ID, LIMITED, null, Map.of()))));
    List<KeyRecord> records = new ArrayList<>(options.keyCount() + 1);
    List<String> benchKeys = new ArrayList<>(options.keyCount());
    for (int i = 0; i < options.keyCount(); i++) {
      String key = newKey(random);
      benchKeys.add(key);
      records.add(keyRecord(key, "key-" + i, BENCH_PLAN));
    }
    String limitedKey = newKey(random);
    records.add(keyRecord(limitedKey, "key-limited", LIMITED_PLAN));
    String noisyKey = newKey(random);
    records.add(keyRecord(noisyKey, "key-noisy", NOISY_PLAN, NOISY_TENANT_ID));
    List<DeploymentSnapshot> withNoisy = new ArrayList<>(deployments);
    withNoisy.add(
        DeploymentSnapshot.builder()
            .tenantId(NOISY_TENANT_ID)
            .tenantSlug(NOISY)
            .apiId(NOISY_API_ID)
            .apiSlug(NOISY)
            .stage(NOISY)
            .deploymentId("dep-noisy")
            .hash("noisy-1")
            .deployedAt(now)
            .routes(List.of(new RouteConfig("noisy-proxy", "ANY", "/{proxy+}", true, proxyAll)))
            .build());
    List<PlanRecord> withNoisyPlan = new ArrayList<>(plans);
    withNoisyPlan.add(
        new PlanRecord(
            PlanRecord.SCHEMA_VERSION,
            NOISY_TENANT_ID,
            NOISY_PLAN,
            "Noisy",
            NOISY_THROTTLE,
            null,
            List.of(new PlanStage(NOISY_API_ID, NOISY, null, Map.of()))));
    return new BenchConfig(
        List.copyOf(withNoisy),
        List.copyOf(withNoisyPlan),
        List.copyOf(records),
        List.copyOf(benchKeys),
        limitedKey,
        noisyKey,
        issuer);
  }

  /** The {@code ws} stage: a WebSocket API whose two-way {@code echo} route answers the message. */
  private static DeploymentSnapshot webSocket(Instant at) {
    IntegrationConfig mock =
        new IntegrationConfig(
            IntegrationType.MOCK,
            null,
            null,
            0,
            0,
            Map.of(),
            new MockResponse(200, Map.of(), WEBSOCKET_MESSAGE));
    return deployment(WEBSOCKET, at, List.of()).toBuilder()
        .webSocket(
            new WebSocketApiConfig(
                WebSocketApiConfig.DEFAULT_SELECTION,
                List.of(new WebSocketRouteConfig(WEBSOCKET_ROUTE, false, null, mock, true))))
        .build();
  }

  /** The passthrough's route on {@code stage}, behind {@code authorizer}, no key. */
  private static DeploymentSnapshot authorized(
      String stage, Instant at, IntegrationConfig proxyAll, AuthorizerConfig authorizer) {
    DeploymentSnapshot plain =
        deployment(
            stage,
            at,
            List.of(
                new RouteConfig(
                    stage + "-proxy",
                    "ANY",
                    "/{proxy+}",
                    false,
                    proxyAll,
                    null,
                    new RouteAuthorization(authorizer.authorizerId(), List.of()))));
    return plain.toBuilder().authorizers(List.of(authorizer)).build();
  }

  List<DeploymentSnapshot> deployments() {
    return deployments;
  }

  List<PlanRecord> plans() {
    return plans;
  }

  List<KeyRecord> keyRecords() {
    return keyRecords;
  }

  /** The plain keys of the bench plan, which only the key file and the smoke checks see. */
  List<String> benchKeys() {
    return benchKeys;
  }

  String limitedKey() {
    return limitedKey;
  }

  /** The noisy tenant's one key, in its low-throttle plan. */
  String noisyKey() {
    return noisyKey;
  }

  /** The noisy tenant's stage, path style. */
  static String noisyPath() {
    return "/" + NOISY + "/" + NOISY + "/" + NOISY;
  }

  /** The JWT stage's issuer: its files for the backend and the token for wrk. */
  BenchIssuer issuer() {
    return issuer;
  }

  /** The path prefix of a stage in the gateway's path style. */
  static String stagePath(String stage) {
    return "/" + TENANT_SLUG + "/" + API_SLUG + "/" + stage;
  }

  private static List<RouteConfig> wideRoutes(
      int routeCount, String backend, IntegrationConfig proxyAll) {
    IntegrationConfig item = proxy("GET", backend + "/items/{id}");
    List<RouteConfig> routes = new ArrayList<>(routeCount + 1);
    for (int i = 0; i < routeCount; i++) {
      routes.add(new RouteConfig("wide-" + i, "GET", "/svc" + i + "/items/{id}", true, item));
    }
    routes.add(new RouteConfig("wide-proxy", "ANY", "/{proxy+}", true, proxyAll));
    return routes;
  }

  /**
   * The templated scenario's integration: an {@code http} (non-proxy) integration whose request
   * template makes the backend's body from the call and whose default response's template reshapes
   * the backend's JSON, the work a proxy-and-rewrite setup would otherwise do.
   */
  static IntegrationConfig templated(String backend) {
    return new IntegrationConfig(
        IntegrationType.HTTP,
        "ANY",
        backend + "/{proxy}",
        0,
        0,
        Map.of(),
        null,
        null,
        Map.of(
            "application/json",
            "{\"path\": \"$context.path\", \"id\": \"$input.params('id')\","
                + " \"caller\": \"$context.identity.sourceIp\"}"),
        PassthroughBehavior.WHEN_NO_MATCH,
        null,
        List.of(
            new IntegrationResponse(
                null,
                200,
                Map.of("method.response.header.x-bench", "'templated'"),
                Map.of(
                    "application/json",
                    "{\"name\": $input.json('$.name'), \"ok\": $input.json('$.ok'),"
                        + " \"stage\": \"$context.stage\"}"),
                null)));
  }

  private static IntegrationConfig proxy(String method, String uri) {
    return new IntegrationConfig(IntegrationType.HTTP_PROXY, method, uri, 0, 0, Map.of(), null);
  }

  private static DeploymentSnapshot deployment(String stage, Instant at, List<RouteConfig> routes) {
    return DeploymentSnapshot.builder()
        .tenantId(TENANT_ID)
        .tenantSlug(TENANT_SLUG)
        .apiId(API_ID)
        .apiSlug(API_SLUG)
        .stage(stage)
        .deploymentId("dep-bench-" + stage)
        .hash("bench-" + stage + "-" + routes.size())
        .deployedAt(at)
        .routes(routes)
        .build();
  }

  private static KeyRecord keyRecord(String key, String keyId, String planId) {
    return keyRecord(key, keyId, planId, TENANT_ID);
  }

  private static KeyRecord keyRecord(String key, String keyId, String planId, String tenantId) {
    return new KeyRecord(
        KeyRecord.SCHEMA_VERSION,
        ApiKeyHash.sha256Hex(key),
        keyId,
        key.substring(0, 8),
        tenantId,
        tenantId.equals(TENANT_ID) ? "app-bench" : "app-" + tenantId,
        List.of(planId),
        KeyStatus.ENABLED,
        null);
  }

  private static String newKey(SecureRandom random) {
    StringBuilder key = new StringBuilder(KEY_LENGTH);
    for (int i = 0; i < KEY_LENGTH; i++) {
      key.append(KEY_ALPHABET.charAt(random.nextInt(KEY_ALPHABET.length())));
    }
    return key.toString();
  }
}
