package dev.turnpike.gateway.node;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.turnpike.egress.EgressPolicy;
import dev.turnpike.egress.HostPort;
import dev.turnpike.egress.MachineNetwork;
import dev.turnpike.gateway.admin.AdminVerticle;
import dev.turnpike.gateway.authorizer.impl.Authorizers;
import dev.turnpike.gateway.authorizer.jwt.JwksCache;
import dev.turnpike.gateway.bulkhead.RefusalPacing;
import dev.turnpike.gateway.cache.ResponseCaches;
import dev.turnpike.gateway.cluster.KafkaMembership;
import dev.turnpike.gateway.cluster.NodeDirectory;
import dev.turnpike.gateway.config.ConfigFeed;
import dev.turnpike.gateway.config.ConfigFeedConfig;
import dev.turnpike.gateway.config.ConfigTopics;
import dev.turnpike.gateway.domain.DomainCompiler;
import dev.turnpike.gateway.domain.DomainRegistry;
import dev.turnpike.gateway.domain.DomainTls;
import dev.turnpike.gateway.http.AccessLog;
import dev.turnpike.gateway.http.AccessLogShipper;
import dev.turnpike.gateway.http.ExecutionLog;
import dev.turnpike.gateway.http.GatewayRequestHandler;
import dev.turnpike.gateway.http.GatewayVerticle;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.UpstreamClients;
import dev.turnpike.gateway.integration.impl.IntegrationFactory;
import dev.turnpike.gateway.observability.RouteMeterBudget;
import dev.turnpike.gateway.quota.LocalQuotaCounter;
import dev.turnpike.gateway.routing.GatewayAddressParser;
import dev.turnpike.gateway.runtime.GatewayRuntime;
import dev.turnpike.gateway.runtime.LimiterRegistry;
import dev.turnpike.gateway.runtime.RuntimeCompiler;
import dev.turnpike.gateway.template.TemplateRenderer;
import dev.turnpike.gateway.throttle.DemandReport;
import dev.turnpike.gateway.tracing.GatewayTracer;
import dev.turnpike.gateway.upstream.UpstreamRegistry;
import dev.turnpike.gateway.usage.KafkaUsagePublisher;
import dev.turnpike.gateway.usage.UsagePublisherConfig;
import dev.turnpike.gateway.websocket.WebSocketGateway;
import dev.turnpike.listener.ListenerGuard;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway node: the traffic listener on every event loop, the admin port, the config feed from
 * Kafka and the usage publisher, wired together. Start with {@link #start}; {@link #close} stops
 * everything it started.
 */
public final class GatewayNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayNode.class);

  private final NodeSettings settings;
  private final Vertx vertx;
  private final PrometheusMeterRegistry metrics;
  private final AtomicReference<GatewayRuntime> runtime =
      new AtomicReference<>(GatewayRuntime.EMPTY);
  private final UpstreamClients upstreams;
  private final EgressGuard egress;
  private final JwksCache jwks;
  private final LocalQuotaCounter quotas = new LocalQuotaCounter();
  private final LimiterRegistry limiters;
  private final RuntimeCompiler compiler;
  private final ConfigApplier configApplier;
  private final DomainRegistry domains;
  private final ListenerGuard trafficGuard;
  private final ListenerGuard domainsGuard;
  private final ListenerGuard adminGuard;
  private final NodeDirectory nodes;
  private KafkaUsagePublisher usage;
  private volatile ConfigFeed feed;
  private volatile KafkaMembership membership;
  private AccessLog accessLog;
  private ExecutionLog executionLog;
  private AccessLogShipper accessLogShipper;
  private GatewayTracer tracer = GatewayTracer.OFF;
  private int port;
  private int adminPort;
  private int domainsPort = -1;

  static {
    // A node's TLS listeners, the traffic port's too, refuse client renegotiation; set before any
    // of them starts, as the JDK reads it once (GatewayMain sets it first thing as well).
    DomainTls.refuseClientRenegotiation();
  }

  private GatewayNode(NodeSettings settings) {
    this.settings = settings;
    String passedOver = EventLoopTransport.passedOver(settings.transport());
    if (!passedOver.isEmpty()) {
      // Only auto can land below io_uring without stopping: say why, as its CPU cost differs.
      LOG.info(
          "event loops on {}; transports preferred to it that cannot run here: {}",
          settings.transport().setting(),
          passedOver);
    }
    this.vertx =
        Vertx.builder()
            .with(new VertxOptions().setEventLoopPoolSize(settings.eventLoops()))
            .withTransport(settings.transport().vertxTransport())
            .build();
    this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.upstreams =
        new UpstreamClients(vertx, settings.upstreamConnectionsPerTenant(), settings.secrets());
    this.egress =
        new EgressGuard(vertx, settings.egress().policy(MachineNetwork.SYSTEM, List.of()));
    this.limiters = new LimiterRegistry(settings.nodeCount());
    this.nodes =
        new NodeDirectory(
            settings.nodeId(), settings.membership().expiry(), settings.callbacks().peers());
    Authorizers authorizers = Authorizers.on(vertx, upstreams, egress, Clock.systemUTC(), metrics);
    this.jwks = authorizers.jwks();
    this.compiler =
        new RuntimeCompiler(
            limiters,
            new IntegrationFactory(
                upstreams,
                egress,
                // Templates render off the event loops, on as many workers as there are cores:
                // rendering is CPU work, and more threads would only queue behind each other.
                TemplateRenderer.pool(
                    vertx, Math.max(2, Runtime.getRuntime().availableProcessors()))),
            authorizers,
            metrics,
            settings.accountLimit(),
            settings.tenants(),
            settings.maxInFlightPerTenant(),
            new ResponseCaches(settings.responseCache(), Ticker.systemTicker()),
            new UpstreamRegistry(upstreams, egress, metrics, settings.upstream()),
            settings.webSocket(),
            new RouteMeterBudget(settings.routeMetrics()));
    this.domains =
        new DomainRegistry(
            settings.servesDomains() ? new DomainCompiler(settings.secrets()) : null,
            settings.gatewayDomain(),
            metrics);
    this.configApplier = new ConfigApplier(compiler, runtime, quotas, domains);
    this.trafficGuard = new ListenerGuard("gateway traffic", settings.traffic());
    // The custom-domain port takes the traffic port's client limits, with its own count.
    this.domainsGuard = new ListenerGuard("gateway custom domains", settings.traffic());
    this.adminGuard = new ListenerGuard("gateway admin", settings.admin());
    listenerMetrics("traffic", trafficGuard);
    listenerMetrics("domains", domainsGuard);
    listenerMetrics("admin", adminGuard);
  }

  private void listenerMetrics(String listener, ListenerGuard guard) {
    Gauge.builder("turnpike.gateway.listener.connections", guard, ListenerGuard::openConnections)
        .description("Connections open on the listener")
        .tag("listener", listener)
        .register(metrics);
    FunctionCounter.builder(
            "turnpike.gateway.listener.refused", guard, ListenerGuard::refusedConnections)
        .description("Connections closed on arrival because the listener was at its cap")
        .tag("listener", listener)
        .register(metrics);
  }

  /** Starts a node; the future fails, and everything started is stopped, if any part fails. */
  public static Future<GatewayNode> start(NodeSettings settings) {
    GatewayNode node = new GatewayNode(settings);
    return node.startParts()
        .map(node)
        .recover(
            error -> {
              LOG.error("gateway node failed to start", error);
              // close() waits for Vert.x to stop, which an event loop must not do.
              Thread.ofPlatform().name("turnpike-gateway-abort").start(node::close);
              return Future.failedFuture(error);
            });
  }

  private Future<Void> startParts() {
    try {
      Files.createDirectories(settings.dataDir());
    } catch (IOException e) {
      return Future.failedFuture(
          new IllegalStateException(
              "cannot create TURNPIKE_GATEWAY_DATA_DIR " + settings.dataDir(), e));
    }
    usage =
        KafkaUsagePublisher.start(
            new UsagePublisherConfig(
                settings.kafkaBootstrapServers(),
                settings.spoolDir(),
                settings.spoolMaxBytes(),
                65_536,
                Duration.ofSeconds(2),
                settings.nodeId(),
                settings.kafkaSecurity().clientProperties()),
            metrics);
    accessLog =
        settings.accessLogFields().isEmpty()
            ? null
            : AccessLog.toStdout(settings.accessLogFields());
    // Execution logs cost a request nothing unless its stage logs; the writer waits idle until
    // then.
    executionLog = ExecutionLog.toStdout();
    FunctionCounter.builder(
            "turnpike.gateway.execution_log.dropped", executionLog, ExecutionLog::dropped)
        .description("Execution-log lines not written: queue full")
        .register(metrics);
    if (settings.accessLogKafkaTopicPrefix() != null) {
      accessLogShipper =
          new AccessLogShipper(
              settings.accessLogKafkaTopicPrefix(),
              settings.kafkaBootstrapServers(),
              settings.kafkaSecurity().clientProperties(),
              settings.nodeId(),
              65_536);
      if (accessLog != null) {
        accessLog.shipTo(accessLogShipper);
      }
      executionLog.shipTo(accessLogShipper);
      FunctionCounter.builder(
              "turnpike.gateway.access_log.kafka.dropped",
              accessLogShipper,
              AccessLogShipper::dropped)
          .description("Owner-formatted access-log lines not shipped to Kafka: queue full")
          .register(metrics);
      FunctionCounter.builder(
              "turnpike.gateway.access_log.kafka.failed",
              accessLogShipper,
              AccessLogShipper::failed)
          .description("Owner-formatted access-log lines the Kafka producer did not deliver")
          .register(metrics);
    }
    tracer = GatewayTracer.start(settings.tracing(), settings.nodeId());
    Gauge.builder("turnpike.gateway.config.routes.stages", runtime, r -> r.get().stages().size())
        .description("API stages this node serves")
        .register(metrics);
    RefusalPacing pacing = new RefusalPacing(settings.refusalPacing(), System::nanoTime);
    FunctionCounter.builder("turnpike.gateway.refusals.held", pacing, RefusalPacing::heldTotal)
        .description("refusals held before their answer because their tenant flooded this node")
        .register(metrics);
    vertx.setPeriodic(
        Duration.ofMinutes(1).toMillis(),
        ignored -> {
          pacing.evictIdle();
          limiters.evictIdle(System.nanoTime());
          quotas.evictExpired(System.currentTimeMillis());
          jwks.evictIdle(System.currentTimeMillis());
        });

    GatewayRequestHandler handler =
        new GatewayRequestHandler(
            runtime::get,
            new GatewayAddressParser(settings.gatewayDomain()),
            domains::current,
            quotas,
            usage,
            accessLog,
            settings.maxBodyBytes(),
            settings.maxValidatedBodyBytes(),
            settings.trustedProxies(),
            settings.nodeId(),
            Clock.systemUTC(),
            new WebSocketGateway(
                settings.webSocket(),
                usage,
                settings.nodeId(),
                Clock.systemUTC(),
                settings.callbacks().auth(),
                settings.membership().kafka() ? nodes.peers() : settings.callbacks().peers(),
                // Platform traffic between nodes, to addresses the operator listed or the nodes
                // announced: not a tenant's backend call, so not under the egress policy.
                settings.callbacks().peers().isEmpty() && !settings.membership().kafka()
                    ? null
                    : vertx.createHttpClient(
                        new io.vertx.core.http.HttpClientOptions().setConnectTimeout(2_000))),
            tracer,
            executionLog,
            pacing);
    // The config feed starts once the node's own ports are known: the egress policy refuses
    // them, and literal targets are judged when the first config is compiled.
    return deployTraffic(handler)
        .compose(ignored -> deployDomains(handler))
        .compose(ignored -> deployAdmin())
        .compose(ignored -> startFeed())
        .compose(ignored -> startMembership());
  }

  /**
   * With Kafka membership, the live node count and the demand the nodes report with their
   * heartbeats re-share the limits from now on.
   */
  private Future<Void> startMembership() {
    if (!settings.membership().kafka()) {
      return Future.succeededFuture();
    }
    // Off the event loop: finding this machine's address may ask DNS.
    return vertx.<Void>executeBlocking(
        () -> {
          String address = settings.membership().advertisedAddress();
          if (address == null) {
            try {
              address = new HostPort(advertisedHost(settings.host()), port).toString();
            } catch (java.net.UnknownHostException e) {
              throw new IllegalStateException(
                  "cannot tell this machine's address; set TURNPIKE_GATEWAY_ADVERTISED_ADDRESS", e);
            }
          }
          membership =
              KafkaMembership.start(
                  new KafkaMembership.Config(
                      settings.kafkaBootstrapServers(),
                      settings.kafkaSecurity().clientProperties(),
                      KafkaMembership.TOPIC,
                      settings.nodeId(),
                      address,
                      settings.membership().heartbeat(),
                      settings.membership().expiry(),
                      settings.nodeCount()),
                  nodes,
                  limiters::nodeCount,
                  new KafkaMembership.Traffic() {
                    @Override
                    public DemandReport sample(String nodeId) {
                      return limiters.sampleDemand(nodeId, System.nanoTime());
                    }

                    @Override
                    public void share(
                        int nodeCount, DemandReport own, Collection<DemandReport> others) {
                      limiters.shareByDemand(nodeCount, own, others);
                    }
                  },
                  metrics,
                  Clock.systemUTC());
          return null;
        });
  }

  /** The listener's host, or this machine's address when it listens on every interface. */
  private static String advertisedHost(String host) throws java.net.UnknownHostException {
    boolean wildcard = host.isBlank() || host.equals("0.0.0.0") || host.equals("::");
    return wildcard ? java.net.InetAddress.getLocalHost().getHostAddress() : host;
  }

  private Future<Void> startFeed() {
    List<HostPort> own = new ArrayList<>();
    own.add(new HostPort(settings.host(), port));
    own.add(new HostPort(settings.host(), adminPort));
    if (domainsPort > 0) {
      own.add(new HostPort(settings.host(), domainsPort));
    }
    egress.alsoRefuse(own);
    LOG.info("egress policy: {}", egress.policy().describe());
    if (egress.policy().mode() == EgressPolicy.Mode.TRIAL) {
      LOG.warn(
          "egress policy is trial: tenants' integrations may reach loopback and private addresses"
              + " (not the platform's listeners); never serve strangers with it");
    }
    feed =
        ConfigFeed.start(
            new ConfigFeedConfig(
                settings.kafkaBootstrapServers(),
                ConfigTopics.DEFAULT,
                settings.snapshotFile(),
                Duration.ofSeconds(30),
                settings.coldStartGrace(),
                Duration.ofMillis(500),
                Duration.ofSeconds(5),
                settings.kafkaSecurity().clientProperties()),
            configApplier,
            metrics);
    return Future.succeededFuture();
  }

  private Future<Void> deployTraffic(GatewayRequestHandler handler) {
    // Vert.x shares one listening socket among servers with the same port; a negative port means
    // "one random port, shared by every server asking for this same negative port".
    HttpServerOptions options =
        NodeListeners.traffic(settings, settings.port() == 0 ? -1 : settings.port());
    return deployOnEveryLoop(options, handler, trafficGuard)
        .onSuccess(actual -> port = actual)
        .mapEmpty();
  }

  /**
   * The custom-domain listener: TLS on its own port, every event loop, certificates by SNI. It runs
   * only when the node has the operator key that opens the domains' private keys.
   */
  private Future<Void> deployDomains(GatewayRequestHandler handler) {
    if (!settings.servesDomains()) {
      LOG.warn("TURNPIKE_SECRET_KEY is not set: custom domains are not served");
      return Future.succeededFuture();
    }
    HttpServerOptions options;
    try {
      options =
          NodeListeners.domains(
              settings,
              vertx,
              domains::current,
              settings.domainsPort() == 0 ? -2 : settings.domainsPort());
    } catch (Exception e) {
      return Future.failedFuture(
          new IllegalStateException("cannot read the node certificate for custom domains", e));
    }
    return deployOnEveryLoop(options, handler, domainsGuard)
        .onSuccess(actual -> domainsPort = actual)
        .mapEmpty();
  }

  /**
   * One listener per event loop on one shared port: the first to learn the port (when it was chosen
   * by the system), then the rest on it. The future holds the port.
   */
  private Future<Integer> deployOnEveryLoop(
      HttpServerOptions options, GatewayRequestHandler handler, ListenerGuard guard) {
    GatewayVerticle first = new GatewayVerticle(options, handler, guard);
    return vertx
        .deployVerticle(first)
        .compose(
            ignored -> {
              int more = settings.eventLoops() - 1;
              if (more == 0) {
                return Future.succeededFuture(first.actualPort());
              }
              return vertx
                  .deployVerticle(
                      () -> new GatewayVerticle(options, handler, guard),
                      new DeploymentOptions().setInstances(more))
                  .map(first.actualPort());
            });
  }

  private Future<Void> deployAdmin() {
    AdminVerticle admin =
        new AdminVerticle(
            NodeListeners.admin(settings), adminGuard, () -> feed != null && feed.ready(), metrics);
    return vertx
        .deployVerticle(admin)
        .onSuccess(ignored -> adminPort = admin.actualPort())
        .mapEmpty();
  }

  public int port() {
    return port;
  }

  public int adminPort() {
    return adminPort;
  }

  /** The custom-domain TLS port; -1 when the node serves no custom domains. */
  public int domainsPort() {
    return domainsPort;
  }

  /** The custom domains the node serves now. */
  public DomainRegistry domains() {
    return domains;
  }

  public boolean ready() {
    return feed != null && feed.ready();
  }

  public GatewayRuntime runtime() {
    return runtime.get();
  }

  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /** Stops listening first, then lets in-flight events reach the publisher, then the rest. */
  @Override
  public void close() {
    if (membership != null) {
      // First: the tombstone lets the other nodes take over this node's share at once.
      membership.close();
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      LOG.warn("vert.x did not close cleanly", e);
    }
    if (feed != null) {
      feed.close();
    }
    if (usage != null) {
      usage.close();
    }
    if (executionLog != null) {
      executionLog.close();
    }
    if (accessLog != null) {
      accessLog.close();
    }
    if (accessLogShipper != null) {
      accessLogShipper.close();
    }
    // After Vert.x: the last requests' spans are ended and go out with the final batch.
    tracer.close();
    metrics.close();
  }

  /** For logs: which ports and which Kafka. */
  public Map<String, Object> describe() {
    return Map.of(
        "nodeId",
        settings.nodeId(),
        "port",
        port,
        "adminPort",
        adminPort,
        "domainsPort",
        domainsPort,
        "kafka",
        settings.kafkaBootstrapServers(),
        "transport",
        settings.transport().setting());
  }
}
