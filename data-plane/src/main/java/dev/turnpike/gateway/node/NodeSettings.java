package dev.turnpike.gateway.node;

import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.domain.DomainRules;
import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.egress.EgressSettings;
import dev.turnpike.gateway.bulkhead.RefusalPacingSettings;
import dev.turnpike.gateway.cache.ResponseCaches;
import dev.turnpike.gateway.cluster.MembershipSettings;
import dev.turnpike.gateway.forwarding.TrustedProxies;
import dev.turnpike.gateway.http.AccessLog;
import dev.turnpike.gateway.observability.RouteMetricsSettings;
import dev.turnpike.gateway.runtime.TenantScope;
import dev.turnpike.gateway.tracing.TracingSettings;
import dev.turnpike.gateway.upstream.UpstreamSettings;
import dev.turnpike.gateway.websocket.CallbackSettings;
import dev.turnpike.gateway.websocket.WebSocketSettings;
import dev.turnpike.listener.ListenerLimits;
import dev.turnpike.logging.LogSettings;
import dev.turnpike.settings.KafkaSecurity;
import dev.turnpike.settings.SettingsReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything a gateway node is configured with, read once at start from environment variables. See
 * {@link #fromEnvironment(Map)} for the names and defaults.
 *
 * @param port the API traffic port; 0 picks a free one
 * @param transport the Netty transport the event loops run on (never auto: auto's choice)
 * @param nodeCount how many nodes share the configured throttle limits, each enforcing 1/N: fixed
 *     with {@code TURNPIKE_GATEWAY_MEMBERSHIP=static}, otherwise only the count until the live one
 *     is learned
 * @param traffic what the traffic port allows each client (header read and idle timeouts, header
 *     size, connections)
 * @param admin the same for the admin port
 * @param tlsCertPath PEM certificate for TLS on the traffic port, null for plain HTTP (with h2c)
 * @param accessLogFields empty turns the access log off
 * @param refusalPacing when the refusals of a tenant that floods this node are held before their
 *     answers, so that a client sending as fast as it is answered slows down
 * @param maxValidatedBodyBytes the largest body a route with a body model reads whole to validate
 * @param trustedProxies front proxies whose forwarding headers are believed
 * @param secrets opens what the control plane sealed under the operator's key (custom domains'
 *     private keys, backend client certificates' keys); null when {@code TURNPIKE_SECRET_KEY} is
 *     not set, and then no custom domain is served
 * @param domainsPort the TLS port serving custom domains (and, with the node certificate, every
 *     other name); 0 picks a free one
 * @param responseCache the node's bounds on stage response caches
 * @param webSocket the node's limits on WebSocket connections
 * @param callbacks the @connections API's secret and the peers it forwards to
 * @param tracing where traces go and how many of them, at most (off without a collector)
 * @param membership how the node learns the live nodes it shares limits and callbacks with
 */
public record NodeSettings(
    String nodeId,
    String host,
    int port,
    int adminPort,
    String gatewayDomain,
    int eventLoops,
    EventLoopTransport transport,
    int nodeCount,
    int maxUriLength,
    ListenerLimits traffic,
    ListenerLimits admin,
    long maxBodyBytes,
    String tlsCertPath,
    String tlsKeyPath,
    String kafkaBootstrapServers,
    KafkaSecurity kafkaSecurity,
    Path dataDir,
    ThrottleLimit accountLimit,
    List<String> accessLogFields,
    int upstreamConnectionsPerTenant,
    long spoolMaxBytes,
    Duration coldStartGrace,
    TenantScope tenants,
    int maxInFlightPerTenant,
    RefusalPacingSettings refusalPacing,
    long maxValidatedBodyBytes,
    TrustedProxies trustedProxies,
    EgressSettings egress,
    SealedSecrets secrets,
    int domainsPort,
    ResponseCaches.Settings responseCache,
    UpstreamSettings upstream,
    WebSocketSettings webSocket,
    CallbackSettings callbacks,
    TracingSettings tracing,
    RouteMetricsSettings routeMetrics,
    String accessLogKafkaTopicPrefix,
    MembershipSettings membership) {

  /** The egress policy's variables, the control plane's too (it checks literal hosts at save). */
  static final EgressSettings.Keys EGRESS_KEYS =
      new EgressSettings.Keys(
          "TURNPIKE_EGRESS_POLICY",
          "TURNPIKE_EGRESS_ALLOW",
          "TURNPIKE_EGRESS_TENANT_ALLOW",
          "TURNPIKE_EGRESS_PLATFORM_LISTENERS");

  public NodeSettings {
    accessLogFields = List.copyOf(accessLogFields);
  }

  public boolean tls() {
    return tlsCertPath != null;
  }

  /** Whether the custom-domain listener runs: only with the key that opens their private keys. */
  public boolean servesDomains() {
    return secrets != null;
  }

  public Path snapshotFile() {
    return dataDir.resolve("config-snapshot.json");
  }

  public Path spoolDir() {
    return dataDir.resolve("usage-spool");
  }

  /**
   * Reads the {@code TURNPIKE_*} variables below; defaults in brackets.
   *
   * <ul>
   *   <li>{@code TURNPIKE_NODE_ID} [random], {@code TURNPIKE_GATEWAY_HOST} [0.0.0.0], {@code
   *       TURNPIKE_GATEWAY_PORT} [8080], {@code TURNPIKE_GATEWAY_ADMIN_PORT} [9090]
   *   <li>{@code TURNPIKE_GATEWAY_DOMAIN} [gateway.localhost]: hosts {@code
   *       {api}.{tenant}.<domain>}
   *   <li>{@code TURNPIKE_GATEWAY_EVENT_LOOPS} [cores], {@code TURNPIKE_GATEWAY_NODE_COUNT} [1;
   *       learned instead with {@code TURNPIKE_GATEWAY_MEMBERSHIP=kafka}]
   *   <li>{@code TURNPIKE_GATEWAY_TRANSPORT} [auto]: the event loops' Netty transport, {@code
   *       io_uring}, {@code epoll} or {@code nio}, or {@code auto}, the first of those the machine
   *       can run; a native one named explicitly that the machine cannot run stops the node with
   *       the reason (see {@link EventLoopTransport})
   *   <li>{@code TURNPIKE_GATEWAY_MAX_URI_LENGTH} [8192], {@code TURNPIKE_GATEWAY_MAX_BODY_BYTES}
   *       [10485760, API Gateway's 10 MB]
   *   <li>The traffic port's clients: {@code TURNPIKE_GATEWAY_HEADER_READ_TIMEOUT_MS} [10000],
   *       {@code TURNPIKE_GATEWAY_IDLE_TIMEOUT_MS} [60000], {@code
   *       TURNPIKE_GATEWAY_MAX_HEADER_BYTES} [16384], {@code TURNPIKE_GATEWAY_MAX_CONNECTIONS}
   *       [10000]; the admin port's: the same names with {@code TURNPIKE_GATEWAY_ADMIN_} [5000,
   *       30000, 8192, 64] (see {@link ListenerLimits})
   *   <li>{@code TURNPIKE_GATEWAY_TLS_CERT}, {@code TURNPIKE_GATEWAY_TLS_KEY}: PEM files, both or
   *       neither
   *   <li>{@code TURNPIKE_KAFKA_BOOTSTRAP_SERVERS} [localhost:9092], {@code
   *       TURNPIKE_GATEWAY_DATA_DIR} [.turnpike/gateway]
   *   <li>{@code TURNPIKE_KAFKA_SECURITY_PROTOCOL} [PLAINTEXT] and the SASL and TLS settings with
   *       it: see {@link KafkaSecurity#read}
   *   <li>{@code TURNPIKE_GATEWAY_ACCOUNT_RATE} [10000], {@code TURNPIKE_GATEWAY_ACCOUNT_BURST}
   *       [5000]: each tenant's account-wide limit, as API Gateway's defaults
   *   <li>{@code TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS} [all fields; "none" turns it off]
   *   <li>{@code TURNPIKE_GATEWAY_UPSTREAM_CONNECTIONS} [200 per tenant], {@code
   *       TURNPIKE_GATEWAY_SPOOL_MAX_BYTES} [268435456]
   *   <li>{@code TURNPIKE_GATEWAY_COLD_START_GRACE_MS} [10000]: how long a node that has a config
   *       snapshot on disk waits for Kafka before it serves from the snapshot
   *   <li>{@code TURNPIKE_GATEWAY_MAX_VALIDATED_BODY_BYTES} [1048576]: bodies checked against a
   *       model are read whole, so they have a smaller limit than streamed ones (413 above it)
   *   <li>{@code TURNPIKE_GATEWAY_TRUSTED_PROXIES} [none]: comma-separated CIDRs of front proxies
   *       whose {@code Forwarded} / {@code X-Forwarded-*} headers are kept and believed
   *   <li>{@code TURNPIKE_EGRESS_POLICY} [strict; trial for a one-machine platform], {@code
   *       TURNPIKE_EGRESS_ALLOW}, {@code TURNPIKE_EGRESS_TENANT_ALLOW}, {@code
   *       TURNPIKE_EGRESS_PLATFORM_LISTENERS}: what integrations may reach (see {@link
   *       EgressSettings})
   *   <li>{@code TURNPIKE_SECRET_KEY} [none]: the operator's key (32 bytes, base64), the control
   *       plane's too, which opens custom domains' private keys and backend client certificates'
   *       keys; without it no custom domain is served and the custom-domain port stays closed
   *   <li>{@code TURNPIKE_GATEWAY_DOMAINS_PORT} [8443]: the TLS port serving custom domains by SNI,
   *       with the node certificate ({@code TURNPIKE_GATEWAY_TLS_CERT}) for every other name
   *   <li>{@code TURNPIKE_GATEWAY_CACHE_MAX_STAGE_BYTES} [268435456]: the most memory one stage's
   *       response cache may take on this node, whatever capacity its owner set; {@code
   *       TURNPIKE_GATEWAY_CACHE_MAX_ENTRY_BYTES} [1048576]: larger responses pass uncached
   *   <li>{@code TURNPIKE_GATEWAY_UPSTREAM_BREAKER_FAILURES} [5], {@code
   *       TURNPIKE_GATEWAY_UPSTREAM_BREAKER_COOLDOWN_MS} [10000], {@code
   *       TURNPIKE_GATEWAY_UPSTREAM_RETRY_RATIO} [0.2], {@code
   *       TURNPIKE_GATEWAY_UPSTREAM_MIN_RETRIES_PER_SECOND} [5]: upstream targets' circuit breaker
   *       and retry budget (see {@link UpstreamSettings})
   *   <li>{@code TURNPIKE_GATEWAY_WEBSOCKET_*}: WebSocket APIs' frame, message, idle, lifetime,
   *       ping and send-queue limits (see {@link WebSocketSettings#read})
   *   <li>{@code TURNPIKE_GATEWAY_CALLBACK_SECRET} [a secret of this node alone], {@code
   *       TURNPIKE_GATEWAY_PEERS} [none]: the {@code @connections} API's tokens and the other nodes
   *       it forwards to (see {@link CallbackSettings})
   *   <li>{@code TURNPIKE_GATEWAY_TRACING_OTLP_ENDPOINT} [none: no traces], {@code
   *       TURNPIKE_GATEWAY_TRACING_OTLP_PROTOCOL} [http/protobuf; or grpc], {@code
   *       TURNPIKE_GATEWAY_TRACING_MAX_SAMPLE_RATE} [1.0], {@code
   *       TURNPIKE_GATEWAY_TRACING_RESPONSE_HEADER} [none], {@code
   *       TURNPIKE_GATEWAY_TRACING_EXPORT_DELAY_MS} [5000] (see {@link TracingSettings})
   *   <li>{@code TURNPIKE_GATEWAY_METRICS_ROUTES_PER_STAGE} [50], {@code
   *       TURNPIKE_GATEWAY_METRICS_ROUTES_PER_NODE} [2000]: routes with per-route meters; the
   *       others count as route {@code other} (see {@link RouteMetricsSettings})
   *   <li>{@code TURNPIKE_GATEWAY_ACCESS_LOG_KAFKA_TOPIC_PREFIX} [none]: also ship stages'
   *       owner-formatted access-log lines and execution-log lines to {@code <prefix>.<tenant
   *       slug>}
   *   <li>{@code TURNPIKE_GATEWAY_MEMBERSHIP} [kafka]: {@code kafka} learns the live nodes from
   *       their heartbeats on the topic {@code turnpike.gateway.nodes}, shares every limit among
   *       them and forwards {@code @connections} calls to them; {@code static} keeps {@code
   *       TURNPIKE_GATEWAY_NODE_COUNT} and {@code TURNPIKE_GATEWAY_PEERS}. With {@code kafka}:
   *       {@code TURNPIKE_GATEWAY_HEARTBEAT_MS} [2000], {@code TURNPIKE_GATEWAY_NODE_EXPIRY_MS}
   *       [4000], {@code TURNPIKE_GATEWAY_ADVERTISED_ADDRESS} [this machine's address and the
   *       traffic port] (see {@link MembershipSettings})
   * </ul>
   *
   * @throws IllegalArgumentException listing every invalid variable
   */
  public static NodeSettings fromEnvironment(Map<String, String> env) {
    SettingsReader read = new SettingsReader(env);
    String certPath = read.optional("TURNPIKE_GATEWAY_TLS_CERT");
    String keyPath = read.optional("TURNPIKE_GATEWAY_TLS_KEY");
    if ((certPath == null) != (keyPath == null)) {
      read.problem("TURNPIKE_GATEWAY_TLS_CERT and TURNPIKE_GATEWAY_TLS_KEY must be set together");
    }
    List<String> fields = read.list("TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", AccessLog.ALL_FIELDS);
    if (fields.equals(List.of("none"))) {
      fields = List.of();
    } else {
      for (String field : fields) {
        if (!AccessLog.ALL_FIELDS.contains(field)) {
          read.problem(
              "TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS: unknown field '"
                  + field
                  + "'; known: "
                  + AccessLog.ALL_FIELDS);
        }
      }
    }
    NodeSettings settings =
        new NodeSettings(
            read.string("TURNPIKE_NODE_ID", "gw-" + UUID.randomUUID().toString().substring(0, 8)),
            read.string("TURNPIKE_GATEWAY_HOST", "0.0.0.0"),
            read.integer("TURNPIKE_GATEWAY_PORT", 8080, 0, 65_535),
            read.integer("TURNPIKE_GATEWAY_ADMIN_PORT", 9090, 0, 65_535),
            read.string("TURNPIKE_GATEWAY_DOMAIN", DomainRules.DEFAULT_GATEWAY_DOMAIN),
            read.integer(
                "TURNPIKE_GATEWAY_EVENT_LOOPS",
                Runtime.getRuntime().availableProcessors(),
                1,
                1024),
            transport(read),
            read.integer("TURNPIKE_GATEWAY_NODE_COUNT", 1, 1, 10_000),
            read.integer("TURNPIKE_GATEWAY_MAX_URI_LENGTH", 8192, 256, 1 << 20),
            ListenerLimits.read(
                read,
                ListenerLimits.forPublic(10_000),
                "TURNPIKE_GATEWAY_HEADER_READ_TIMEOUT_MS",
                "TURNPIKE_GATEWAY_IDLE_TIMEOUT_MS",
                "TURNPIKE_GATEWAY_MAX_HEADER_BYTES",
                "TURNPIKE_GATEWAY_MAX_CONNECTIONS"),
            ListenerLimits.read(
                read,
                ListenerLimits.forAdmin(),
                "TURNPIKE_GATEWAY_ADMIN_HEADER_READ_TIMEOUT_MS",
                "TURNPIKE_GATEWAY_ADMIN_IDLE_TIMEOUT_MS",
                "TURNPIKE_GATEWAY_ADMIN_MAX_HEADER_BYTES",
                "TURNPIKE_GATEWAY_ADMIN_MAX_CONNECTIONS"),
            read.longValue("TURNPIKE_GATEWAY_MAX_BODY_BYTES", 10L * 1024 * 1024, 0, 1L << 40),
            certPath,
            keyPath,
            read.string("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
            read.kafkaSecurity(),
            read.path("TURNPIKE_GATEWAY_DATA_DIR", ".turnpike/gateway"),
            new ThrottleLimit(
                read.decimal("TURNPIKE_GATEWAY_ACCOUNT_RATE", 10_000, 0),
                read.integer("TURNPIKE_GATEWAY_ACCOUNT_BURST", 5_000, 0, Integer.MAX_VALUE)),
            fields,
            read.integer("TURNPIKE_GATEWAY_UPSTREAM_CONNECTIONS", 200, 1, 100_000),
            read.longValue(
                "TURNPIKE_GATEWAY_SPOOL_MAX_BYTES", 256L * 1024 * 1024, 1024 * 1024, 1L << 40),
            Duration.ofMillis(
                read.integer("TURNPIKE_GATEWAY_COLD_START_GRACE_MS", 10_000, 1, 3_600_000)),
            tenantScope(read.string("TURNPIKE_GATEWAY_TENANTS", "*")),
            read.integer("TURNPIKE_GATEWAY_TENANT_MAX_IN_FLIGHT", 10_000, 0, 1_000_000),
            RefusalPacingSettings.read(read),
            read.longValue(
                "TURNPIKE_GATEWAY_MAX_VALIDATED_BODY_BYTES", 1024 * 1024, 1024, 1L << 30),
            trustedProxies(read),
            EgressSettings.read(read, EGRESS_KEYS),
            secrets(read),
            read.integer("TURNPIKE_GATEWAY_DOMAINS_PORT", 8443, 0, 65_535),
            new ResponseCaches.Settings(
                read.longValue(
                    "TURNPIKE_GATEWAY_CACHE_MAX_STAGE_BYTES", 256L * 1024 * 1024, 0, 1L << 40),
                read.integer(
                    "TURNPIKE_GATEWAY_CACHE_MAX_ENTRY_BYTES", 1024 * 1024, 0, 64 * 1024 * 1024)),
            UpstreamSettings.read(read),
            WebSocketSettings.read(read),
            CallbackSettings.read(read),
            TracingSettings.read(read),
            RouteMetricsSettings.read(read),
            read.optional("TURNPIKE_GATEWAY_ACCESS_LOG_KAFKA_TOPIC_PREFIX"),
            MembershipSettings.read(read));
    // Logback applied these already (LogConfigurator); a bad one stops the service here.
    LogSettings.read(read);
    read.failOnProblems("gateway");
    return settings;
  }

  private static EventLoopTransport transport(SettingsReader read) {
    EventLoopTransport transport =
        EventLoopTransport.named(
            read.oneOf("TURNPIKE_GATEWAY_TRANSPORT", "auto", EventLoopTransport.NAMES));
    String why = transport.unavailability();
    if (why != null) {
      read.problem(
          "TURNPIKE_GATEWAY_TRANSPORT=" + transport.setting() + " cannot run here: " + why);
    }
    return transport.resolved();
  }

  private static SealedSecrets secrets(SettingsReader read) {
    String key = read.secret("TURNPIKE_SECRET_KEY", false);
    if (key == null || key.isBlank()) {
      return null;
    }
    try {
      return SealedSecrets.fromBase64Key(key);
    } catch (IllegalArgumentException e) {
      read.problem("TURNPIKE_SECRET_KEY: " + e.getMessage());
      return null;
    }
  }

  private static TrustedProxies trustedProxies(SettingsReader read) {
    try {
      return TrustedProxies.of(read.list("TURNPIKE_GATEWAY_TRUSTED_PROXIES", List.of()));
    } catch (IllegalArgumentException e) {
      read.problem("TURNPIKE_GATEWAY_TRUSTED_PROXIES: " + e.getMessage());
      return TrustedProxies.none();
    }
  }

  /**
   * {@code *} for a shared node, or the comma-separated ids of the tenants a dedicated node serves.
   */
  private static TenantScope tenantScope(String value) {
    if (value.strip().equals("*")) {
      return TenantScope.all();
    }
    java.util.Set<String> ids = new java.util.LinkedHashSet<>();
    for (String id : value.split(",")) {
      if (!id.isBlank()) {
        ids.add(id.strip());
      }
    }
    return ids.isEmpty() ? TenantScope.all() : TenantScope.only(ids);
  }
}
