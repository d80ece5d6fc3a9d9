package dev.turnpike.gateway.config;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.turnpike.egress.MachineNetwork;
import dev.turnpike.gateway.authorizer.impl.Authorizers;
import dev.turnpike.gateway.cache.ResponseCaches;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.UpstreamClients;
import dev.turnpike.gateway.integration.impl.IntegrationFactory;
import dev.turnpike.gateway.node.ConfigApplier;
import dev.turnpike.gateway.node.NodeSettings;
import dev.turnpike.gateway.observability.RouteMeterBudget;
import dev.turnpike.gateway.quota.LocalQuotaCounter;
import dev.turnpike.gateway.runtime.GatewayRuntime;
import dev.turnpike.gateway.runtime.LimiterRegistry;
import dev.turnpike.gateway.runtime.RuntimeCompiler;
import dev.turnpike.gateway.template.TemplateRenderer;
import dev.turnpike.gateway.upstream.UpstreamRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The config side of one gateway node, wired as {@link dev.turnpike.gateway.node.GatewayNode} wires
 * it (the same compiler parts from the default {@link NodeSettings}, a Prometheus registry, the
 * node's {@link ConfigApplier} as the feed's listener), without its listeners, usage publisher or
 * membership. The listener is wrapped to time each state it applies and to tell a waiting benchmark
 * the moment the runtime serves what it waits for.
 */
final class ScaleNode implements ConfigListener, AutoCloseable {
  private final NodeSettings settings = NodeSettings.fromEnvironment(Map.of());
  private final Vertx vertx =
      Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.eventLoops()));
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final UpstreamClients upstreams =
      new UpstreamClients(vertx, settings.upstreamConnectionsPerTenant(), settings.secrets());
  private final AtomicReference<GatewayRuntime> runtime =
      new AtomicReference<>(GatewayRuntime.EMPTY);
  private final ConfigApplier applier;
  private final CountDownLatch firstState = new CountDownLatch(1);
  private final AtomicReference<Awaited> awaited = new AtomicReference<>();
  private volatile long firstStateAtNanos;
  private volatile long lastAcceptNanos;
  private ConfigFeed feed;

  /** What a benchmark waits for: done with {nanoTime when live, nanos the listener took}. */
  private record Awaited(Predicate<GatewayRuntime> live, CompletableFuture<long[]> done) {}

  ScaleNode() {
    EgressGuard egress =
        new EgressGuard(vertx, settings.egress().policy(MachineNetwork.SYSTEM, List.of()));
    RuntimeCompiler compiler =
        new RuntimeCompiler(
            new LimiterRegistry(settings.nodeCount()),
            new IntegrationFactory(
                upstreams,
                egress,
                TemplateRenderer.pool(
                    vertx, Math.max(2, Runtime.getRuntime().availableProcessors()))),
            Authorizers.on(vertx, upstreams, egress, Clock.systemUTC(), metrics),
            metrics,
            settings.accountLimit(),
            settings.tenants(),
            settings.maxInFlightPerTenant(),
            new ResponseCaches(settings.responseCache(), Ticker.systemTicker()),
            new UpstreamRegistry(upstreams, egress, metrics, settings.upstream()),
            settings.webSocket(),
            new RouteMeterBudget(settings.routeMetrics()));
    this.applier = new ConfigApplier(compiler, runtime, new LocalQuotaCounter());
  }

  ConfigFeed start(ConfigFeedConfig config) {
    feed = ConfigFeed.start(config, this, metrics);
    return feed;
  }

  @Override
  public void accept(ConfigState state, ConfigChanges changes) {
    long started = System.nanoTime();
    applier.accept(state, changes);
    long now = System.nanoTime();
    lastAcceptNanos = now - started;
    if (firstState.getCount() > 0) {
      firstStateAtNanos = now;
      firstState.countDown();
    }
    Awaited waiting = awaited.get();
    if (waiting != null && waiting.live().test(runtime.get())) {
      awaited.compareAndSet(waiting, null);
      waiting.done().complete(new long[] {now, lastAcceptNanos});
    }
  }

  /**
   * Completes once a state applied after this call makes {@code live} hold, with the time it did
   * and how long the listener took on that state.
   */
  CompletableFuture<long[]> await(Predicate<GatewayRuntime> live) {
    Awaited waiting = new Awaited(live, new CompletableFuture<>());
    awaited.set(waiting);
    return waiting.done();
  }

  void awaitFirstState() throws InterruptedException {
    if (!firstState.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the node got no state within 10 minutes");
    }
  }

  long firstStateAtNanos() {
    return firstStateAtNanos;
  }

  long lastAcceptNanos() {
    return lastAcceptNanos;
  }

  /**
   * The CPU time the feed thread has used: on a loaded machine the wall time mostly measures the
   * neighbours, this the work; -1 when the thread is gone.
   */
  long feedCpuNanos() {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals(ConfigFeed.THREAD_NAME)) {
        return ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.threadId());
      }
    }
    return -1;
  }

  GatewayRuntime runtime() {
    return runtime.get();
  }

  @Override
  public void close() {
    if (feed != null) {
      feed.close();
    }
    upstreams.close().await();
    vertx.close().await();
    metrics.close();
  }
}
