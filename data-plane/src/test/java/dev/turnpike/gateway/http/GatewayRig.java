package dev.turnpike.gateway.http;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.domain.DomainRecord;
import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.egress.HostPort;
import dev.turnpike.egress.MachineNetwork;
import dev.turnpike.gateway.authorizer.impl.Authorizers;
import dev.turnpike.gateway.authorizer.jwt.JwksCache;
import dev.turnpike.gateway.authorizer.lambda.LambdaAuthorizers;
import dev.turnpike.gateway.bulkhead.RefusalPacing;
import dev.turnpike.gateway.cache.ResponseCaches;
import dev.turnpike.gateway.compression.ResponseCompression;
import dev.turnpike.gateway.domain.DomainCompiler;
import dev.turnpike.gateway.domain.DomainRegistry;
import dev.turnpike.gateway.domain.DomainTls;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.UpstreamClients;
import dev.turnpike.gateway.integration.impl.IntegrationFactory;
import dev.turnpike.gateway.node.NodeSettings;
import dev.turnpike.gateway.observability.RouteMeterBudget;
import dev.turnpike.gateway.observability.RouteMetricsSettings;
import dev.turnpike.gateway.quota.LocalQuotaCounter;
import dev.turnpike.gateway.routing.GatewayAddressParser;
import dev.turnpike.gateway.runtime.GatewayRuntime;
import dev.turnpike.gateway.runtime.LimiterRegistry;
import dev.turnpike.gateway.runtime.RuntimeCompiler;
import dev.turnpike.gateway.upstream.UpstreamRegistry;
import dev.turnpike.gateway.usage.UsageEventSink;
import dev.turnpike.gateway.websocket.CallbackAuth;
import dev.turnpike.gateway.websocket.WebSocketGateway;
import dev.turnpike.gateway.websocket.WebSocketSettings;
import dev.turnpike.listener.ListenerGuard;
import dev.turnpike.listener.ListenerLimits;
import dev.turnpike.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real gateway listener on a free port, serving a runtime compiled from contract records, with
 * the usage events it emits recorded. Config comes straight from records here; the Kafka path is
 * tested with the node.
 *
 * <p>A test sets it up through {@link #builder()} ({@link GatewayRigBuilder}) and calls it with
 * {@link #call}, {@link #get} and the {@code raw} methods ({@link ListenerClient}), or with a
 * Vert.x client from {@link #newClient}.
 */
final class GatewayRig implements AutoCloseable {

  static final String DOMAIN = "gw.test";

  final Vertx vertx;
  final ConcurrentLinkedQueue<UsageEvent> events = new ConcurrentLinkedQueue<>();
  final StringWriter accessLogOut = new StringWriter();
  final AccessLog accessLog =
      new AccessLog(
          List.of(
              "requestId",
              "tenant",
              "route",
              "status",
              "outcome",
              "keyPrefix",
              "clientCertSubject"),
          accessLogOut,
          1000);
  final StringWriter executionLogOut = new StringWriter();
  final ExecutionLog executionLog = new ExecutionLog(executionLogOut, 1000);
  final LocalQuotaCounter quotas = new LocalQuotaCounter();

  /** The authorizers' clock (token times, key refresh intervals); the rest runs on real time. */
  final MutableClock authorizerClock = new MutableClock(java.time.Instant.now());

  final JwksCache jwks;

  /** The stage caches' clock in nanoseconds: tests move it to expire entries, never sleep. */
  final AtomicLong cacheNanos = new AtomicLong();

  /** What the rig's node caches: 64 KiB bodies at most, so a test can send a larger one cheaply. */
  static final int MAX_CACHED_BODY_BYTES = 64 * 1024;

  /** The node's meters: the Lambda-style authorizers' cache and invocation counts among them. */
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private final AtomicReference<GatewayRuntime> runtime =
      new AtomicReference<>(GatewayRuntime.EMPTY);
  private final RuntimeCompiler compiler;
  private final UpstreamClients upstreams;
  private final int port;
  private final ListenerClient client;
  private final GatewayRequestHandler handler;

  /** Which of a flooding tenant's refusals the rig holds, and how many it holds now. */
  final RefusalPacing pacing;

  /** The node's WebSocket connections. */
  final WebSocketGateway webSockets;

  /** The operator key custom domains' private keys are sealed with in these tests. */
  final SealedSecrets secrets = SealedSecrets.fromBase64Key(SealedSecrets.newBase64Key());

  /** The custom domains the listeners serve; empty unless a test applies records. */
  final DomainRegistry domains = new DomainRegistry(new DomainCompiler(secrets), DOMAIN, meters);

  /** How a rig takes part in @connections across nodes: its id, the shared secret, its peers. */
  record WebSocketNode(String nodeId, CallbackAuth auth, Map<String, String> peers) {}

  /**
   * A rig as a node sets its gateway up, but for what a test changes: 1 MiB bodies, all tenants, no
   * in-flight limit, no trusted proxies, the trial egress policy (the tests' backends listen on
   * loopback), DNS for names, a node's listener, no tracing.
   */
  static GatewayRigBuilder builder() {
    return new GatewayRigBuilder();
  }

  GatewayRig(GatewayRigBuilder settings) throws Exception {
    Vertx vertx =
        Vertx.builder()
            .with(
                settings.dns == null
                    ? new VertxOptions()
                    : new VertxOptions().setAddressResolverOptions(settings.dns))
            .withTransport(settings.transport.vertxTransport())
            .build();
    WebSocketSettings webSocketSettings = settings.webSocketSettings;
    WebSocketNode webSocketNode = settings.webSocketNode;
    this.vertx = vertx;
    this.upstreams = new UpstreamClients(vertx, 50, settings.secrets);
    EgressGuard guard =
        new EgressGuard(
            vertx,
            NodeSettings.fromEnvironment(settings.egress)
                .egress()
                .policy(MachineNetwork.SYSTEM, List.of()));
    IntegrationFactory integrations = new IntegrationFactory(upstreams, guard);
    jwks =
        new JwksCache(
            vertx, upstreams::forTenant, guard, authorizerClock, JwksCache.Settings.DEFAULTS);
    compiler =
        new RuntimeCompiler(
            new LimiterRegistry(1),
            integrations,
            new Authorizers(
                jwks,
                new LambdaAuthorizers(upstreams, guard, authorizerClock, meters),
                authorizerClock),
            meters,
            settings.accountLimit,
            settings.tenants,
            settings.maxInFlightPerTenant,
            new ResponseCaches(
                new ResponseCaches.Settings(16L * 1024 * 1024, MAX_CACHED_BODY_BYTES),
                cacheNanos::get),
            new UpstreamRegistry(
                upstreams, guard, meters, settings.upstreamSettings, settings.nanoClock),
            webSocketSettings,
            new RouteMeterBudget(RouteMetricsSettings.DEFAULTS));
    UsageEventSink sink = events::add;
    webSockets =
        webSocketNode == null
            ? new WebSocketGateway(webSocketSettings, sink, "test-node", Clock.systemUTC())
            : new WebSocketGateway(
                webSocketSettings,
                sink,
                webSocketNode.nodeId(),
                Clock.systemUTC(),
                webSocketNode.auth(),
                webSocketNode.peers(),
                vertx.createHttpClient());
    pacing = new RefusalPacing(settings.refusalPacing, settings.pacingClock);
    handler =
        new GatewayRequestHandler(
            runtime::get,
            new GatewayAddressParser(DOMAIN),
            domains::current,
            quotas,
            sink,
            accessLog,
            settings.maxBodyBytes,
            settings.maxValidatedBodyBytes == null
                ? settings.maxBodyBytes
                : settings.maxValidatedBodyBytes,
            settings.trustedProxies,
            "test-node",
            Clock.systemUTC(),
            webSockets,
            settings.tracer,
            executionLog,
            pacing);
    GatewayVerticle verticle =
        new GatewayVerticle(
            // As a node's listener by default: compression on, each response opts in or out.
            settings.listener.apply(
                new HttpServerOptions()
                    .setPort(0)
                    .setHost("127.0.0.1")
                    .setMaxWebSocketFrameSize(webSocketSettings.maxFrameBytes())
                    .setMaxWebSocketMessageSize(webSocketSettings.maxMessageBytes())
                    .setMaxInitialLineLength(2048)),
            handler,
            new ListenerGuard(
                "test gateway",
                new ListenerLimits(Duration.ofSeconds(10), Duration.ofSeconds(60), 8192, 1000)));
    await(vertx.deployVerticle(verticle));
    port = verticle.actualPort();
    client = new ListenerClient(port);
    // As a node does: its own listener is refused, before any config is compiled.
    guard.alsoRefuse(List.of(new HostPort("127.0.0.1", port)));
  }

  int port() {
    return port;
  }

  /**
   * Starts the custom-domain TLS listener on a free port, as a node does, with {@code nodeChain}
   * (null for none) for names no domain matches.
   *
   * @return its port
   */
  int startDomainsListener(
      java.security.cert.X509Certificate[] nodeChain, java.security.PrivateKey nodeKey) {
    GatewayVerticle verticle =
        new GatewayVerticle(
            DomainTls.configure(
                ResponseCompression.onListener(
                    new HttpServerOptions().setPort(0).setHost("127.0.0.1")),
                domains::current,
                nodeChain,
                nodeKey),
            handler,
            new ListenerGuard(
                "test custom domains",
                new ListenerLimits(Duration.ofSeconds(10), Duration.ofSeconds(60), 8192, 1000)));
    await(vertx.deployVerticle(verticle));
    return verticle.actualPort();
  }

  /** Applies domain records as the feed would: {@code changed} names, records by name. */
  void applyDomains(Map<String, DomainRecord> records, java.util.Set<String> changed) {
    domains.apply(records, changed, false);
  }

  /** The node's upstream clients, whose compiled TLS options a test may compare. */
  UpstreamClients upstreams() {
    return upstreams;
  }

  /** The runtime the listener serves now. */
  GatewayRuntime runtime() {
    return runtime.get();
  }

  void load(
      Collection<DeploymentSnapshot> deployments,
      Collection<KeyRecord> keys,
      Collection<PlanRecord> plans) {
    Map<String, KeyRecord> byHash = new java.util.HashMap<>();
    keys.forEach(key -> byHash.put(key.keyHash(), key));
    runtime.set(compiler.compile(deployments, byHash, plans, runtime.get().configVersion() + 1));
  }

  /**
   * Starts a backend on a free loopback port of the rig's Vert.x, answering as {@code handler}
   * says.
   *
   * @return its base URL, {@code http://127.0.0.1:PORT}
   */
  String startBackend(Handler<HttpServerRequest> handler) {
    HttpServer backend =
        await(vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1"));
    return "http://127.0.0.1:" + backend.actualPort();
  }

  /**
   * Loads one API whose stage {@code prod} sends every method and path to the same path under
   * {@code backendUrl}: for tests of how a request reaches the backend, not of routing.
   */
  void proxyEverythingTo(String backendUrl) {
    load(
        List.of(
            Fixtures.deployment(
                "prod",
                List.of(
                    Fixtures.route(
                        "ANY", "/{proxy+}", false, Fixtures.proxy(backendUrl + "/{proxy}"))))),
        List.of(),
        List.of());
  }

  record Response(int status, MultiMap headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** Plain JDK client for API traffic: independent of the Vert.x stack under test. */
  Response call(HttpMethod method, String uri, Map<String, String> headers, Buffer body)
      throws Exception {
    return client.call(method, uri, headers, body);
  }

  Response get(String uri, Map<String, String> headers) throws Exception {
    return client.get(uri, headers);
  }

  /** See {@link ListenerClient#rawStatus}. */
  int rawStatus(String requestHead) throws java.io.IOException {
    return client.rawStatus(requestHead);
  }

  /** See {@link ListenerClient#raw}. */
  Response raw(String request) throws java.io.IOException {
    return client.raw(request);
  }

  /** A GET of {@code target} exactly as written, on a connection of its own. */
  Response rawGet(String target, Map<String, String> headers) throws java.io.IOException {
    return client.rawGet(target, headers);
  }

  static Response call(
      HttpClient client, RequestOptions options, Map<String, String> headers, Buffer body)
      throws Exception {
    return await(
        client
            .request(options)
            .compose(
                request -> {
                  headers.forEach(request::putHeader);
                  return body == null ? request.send() : request.send(body);
                })
            .compose(
                response ->
                    response
                        .body()
                        .map(
                            b ->
                                new Response(
                                    response.statusCode(), response.headers(), b.toString()))));
  }

  HttpClient newClient(HttpClientOptions options) {
    return vertx.createHttpClient(options.setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    accessLog.close();
    executionLog.close();
    await(upstreams.close());
    await(vertx.close());
  }
}
