package dev.turnpike.gateway.authorizer.lambda;

import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.egress.EgressPolicy;
import dev.turnpike.egress.HostPort;
import dev.turnpike.gateway.authorizer.Authorization;
import dev.turnpike.gateway.authorizer.AuthorizationRequest;
import dev.turnpike.gateway.authorizer.Authorizer;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.UpstreamClients;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A listener on port 0 that runs every request through one authorizer, as the gateway's chain will,
 * and answers what it decided: 200 with the {@link Authorization} as JSON, or the failure's status
 * with its type in {@code x-failure} and its message. Paths {@code /pets/{petId}} match that
 * resource; any other path is its own resource.
 */
final class AuthorizerRig implements AutoCloseable {
  static final String TENANT_ID = "00000000-0000-0000-0000-00000000a11c";
  static final String API_ID = "a1b2c3";
  static final String STAGE = "prod";
  static final String ARN_PREFIX = "arn:aws:execute-api:us-east-1:123456789012:";
  static final Map<String, String> STAGE_VARIABLES = Map.of("env", "test");

  final Vertx vertx = Vertx.vertx();
  final UpstreamClients upstreams = new UpstreamClients(vertx, 20);
  final EgressGuard egress;
  final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T05:00:00Z"));
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final LambdaAuthorizers authorizers;
  final HttpServer server;
  // HTTP/1.1 as a browser or curl sends it: header names keep the case they were sent in.
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final java.util.concurrent.atomic.AtomicInteger served =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile Authorizer authorizer;

  /** The event loop thread each listener's requests ran on, by port. */
  final Map<Integer, String> loops = new java.util.concurrent.ConcurrentHashMap<>();

  /** Rewrites the method ARN the chain would pass, to break the request on purpose. */
  volatile java.util.function.UnaryOperator<String> arnRewrite = arn -> arn;

  record Response(int status, String failure, JsonObject body) {}

  AuthorizerRig(EgressPolicy policy, LambdaAuthorizers.Limits limits) {
    egress = new EgressGuard(vertx, policy);
    authorizers = new LambdaAuthorizers(upstreams, egress, clock, meters, limits);
    server = await(vertx.createHttpServer().requestHandler(this::serve).listen(0, "127.0.0.1"));
  }

  /** Loopback and private addresses allowed, as the one-machine platform has them. */
  static AuthorizerRig trial() {
    return new AuthorizerRig(trialPolicy(), LambdaAuthorizers.Limits.DEFAULT);
  }

  static EgressPolicy trialPolicy() {
    return new EgressPolicy(EgressPolicy.Mode.TRIAL, List.of(), Map.of(), List.of(), Set.of());
  }

  int port() {
    return server.actualPort();
  }

  /**
   * Another listener for the same authorizer, started by a verticle of its own so it serves on
   * another event loop, as a node's several verticle instances do.
   */
  int secondListener() {
    AtomicReference<HttpServer> started = new AtomicReference<>();
    await(
        vertx.deployVerticle(
            new VerticleBase() {
              @Override
              public Future<?> start() {
                return vertx
                    .createHttpServer()
                    .requestHandler(AuthorizerRig.this::serve)
                    .listen(0, "127.0.0.1")
                    .onSuccess(started::set);
              }
            }));
    return started.get().actualPort();
  }

  /** Refuses the rig's own listener too, as a node refuses its listeners. */
  void refuseOwnListener() {
    egress.alsoRefuse(List.of(new HostPort("127.0.0.1", port())));
  }

  static DeploymentSnapshot deployment() {
    return DeploymentSnapshot.builder()
        .tenantId(TENANT_ID)
        .tenantSlug("acme")
        .apiId(API_ID)
        .apiSlug("pets")
        .stage(STAGE)
        .deploymentId("dep-1")
        .hash("0".repeat(64))
        .deployedAt(Instant.parse("2026-12-06T00:00:00Z"))
        .stageVariables(STAGE_VARIABLES)
        .build();
  }

  LambdaAuthorizer use(AuthorizerConfig config) {
    LambdaAuthorizer created = authorizers.create(deployment(), config);
    authorizer = created;
    return created;
  }

  double counter(String name, String... tags) {
    return meters.get(name).tags(tags).counter().count();
  }

  private void serve(HttpServerRequest request) {
    served.incrementAndGet();
    String path = request.path();
    String resource = path;
    Map<String, String> pathParameters = Map.of();
    if (path.startsWith("/pets/") && path.indexOf('/', 6) < 0) {
      resource = "/pets/{petId}";
      pathParameters = Map.of("petId", path.substring(6));
    }
    String method = request.method().name();
    AuthorizationRequest call =
        new AuthorizationRequest(
            request,
            TENANT_ID,
            API_ID,
            STAGE,
            method,
            resource,
            pathParameters,
            STAGE_VARIABLES,
            "req-" + System.nanoTime(),
            "203.0.113.9",
            arnRewrite.apply(ARN_PREFIX + API_ID + "/" + STAGE + "/" + method + path),
            clock.millis());
    Thread loop = Thread.currentThread();
    loops.put(request.localAddress().port(), loop.getName());
    Future<Authorization> decided;
    try {
      decided = authorizer.authorize(call);
    } catch (RuntimeException e) {
      decided = Future.failedFuture(e);
    }
    decided.onComplete(
        (authorization, failure) -> {
          if (Thread.currentThread() != loop) {
            // A decision must come back on the request's own event loop.
            request.response().setStatusCode(598).end("{\"message\":\"wrong thread\"}");
          } else if (failure == null) {
            JsonObject body =
                new JsonObject()
                    .put("principalId", authorization.principalId())
                    .put("context", new JsonObject(new LinkedHashMap<>(authorization.context())))
                    .put("usageIdentifierKey", authorization.usageIdentifierKey());
            request.response().setStatusCode(200).end(body.encode());
          } else if (failure instanceof GatewayFailure gatewayFailure) {
            request
                .response()
                .setStatusCode(gatewayFailure.type().defaultStatus())
                .putHeader("x-failure", gatewayFailure.type().name())
                .end(new JsonObject().put("message", gatewayFailure.getMessage()).encode());
          } else {
            // Anything else breaks the Authorizer contract: make it loud.
            request
                .response()
                .setStatusCode(599)
                .end(new JsonObject().put("message", String.valueOf(failure)).encode());
          }
        });
  }

  Response call(String method, String pathAndQuery, Map<String, String> headers) throws Exception {
    return async(method, pathAndQuery, headers).get(30, TimeUnit.SECONDS);
  }

  CompletableFuture<Response> async(
      String method, String pathAndQuery, Map<String, String> headers) {
    return async(port(), method, pathAndQuery, headers);
  }

  CompletableFuture<Response> async(
      int port, String method, String pathAndQuery, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(request::header);
    return client
        .sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response ->
                new Response(
                    response.statusCode(),
                    response.headers().firstValue("x-failure").orElse(null),
                    new JsonObject(response.body())));
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    client.close();
    await(server.close());
    await(upstreams.close());
    await(vertx.close());
  }
}
