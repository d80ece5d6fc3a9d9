package dev.turnpike.gateway.http;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.gateway.integration.IntegrationFactory;
import dev.turnpike.gateway.integration.UpstreamClients;
import dev.turnpike.gateway.quota.LocalQuotaCounter;
import dev.turnpike.gateway.routing.GatewayAddressParser;
import dev.turnpike.gateway.runtime.GatewayRuntime;
import dev.turnpike.gateway.runtime.LimiterRegistry;
import dev.turnpike.gateway.runtime.RuntimeCompiler;
import dev.turnpike.gateway.usage.UsageEventSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real gateway listener on a free port, serving a runtime compiled from contract records, with
 * the usage events it emits recorded. Config comes straight from records here; the Kafka path is
 * tested with the node.
 */
final class GatewayRig implements AutoCloseable {
  static final String DOMAIN = "gw.test";

  final Vertx vertx = Vertx.vertx();
  final ConcurrentLinkedQueue<UsageEvent> events = new ConcurrentLinkedQueue<>();
  final StringWriter accessLogOut = new StringWriter();
  final AccessLog accessLog =
      new AccessLog(
          List.of("requestId", "tenant", "route", "status", "outcome", "keyPrefix"),
          accessLogOut,
          1000);
  final LocalQuotaCounter quotas = new LocalQuotaCounter();
  private final AtomicReference<GatewayRuntime> runtime =
      new AtomicReference<>(GatewayRuntime.EMPTY);
  private final RuntimeCompiler compiler;
  private final UpstreamClients upstreams = new UpstreamClients(vertx, 50);
  private final HttpClient client;
  private final int port;

  GatewayRig(long maxBodyBytes) throws Exception {
    compiler =
        new RuntimeCompiler(
            new LimiterRegistry(1),
            new IntegrationFactory(upstreams),
            new SimpleMeterRegistry(),
            new ThrottleLimit(10_000, 5_000));
    UsageEventSink sink = events::add;
    GatewayRequestHandler handler =
        new GatewayRequestHandler(
            runtime::get,
            new GatewayAddressParser(DOMAIN),
            quotas,
            sink,
            accessLog,
            maxBodyBytes,
            "test-node",
            Clock.systemUTC());
    GatewayVerticle verticle =
        new GatewayVerticle(
            new HttpServerOptions()
                .setPort(0)
                .setHost("127.0.0.1")
                .setMaxInitialLineLength(2048)
                .setMaxHeaderSize(8192),
            handler);
    await(vertx.deployVerticle(verticle));
    port = verticle.actualPort();
    client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(port)
                .setMaxHeaderSize(64 * 1024));
  }

  int port() {
    return port;
  }

  void load(
      Collection<DeploymentSnapshot> deployments,
      Collection<KeyRecord> keys,
      Collection<PlanRecord> plans) {
    Map<String, KeyRecord> byHash = new java.util.HashMap<>();
    keys.forEach(key -> byHash.put(key.keyHash(), key));
    runtime.set(compiler.compile(deployments, byHash, plans, runtime.get().configVersion() + 1));
  }

  record Response(int status, MultiMap headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  Response call(HttpMethod method, String uri, Map<String, String> headers, Buffer body)
      throws Exception {
    return call(client, new RequestOptions().setMethod(method).setURI(uri), headers, body);
  }

  Response get(String uri, Map<String, String> headers) throws Exception {
    return call(HttpMethod.GET, uri, headers, null);
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
    await(upstreams.close());
    await(vertx.close());
  }
}
