package dev.turnpike.controlplane;

import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.controlplane.alarm.AlarmSettings;
import dev.turnpike.controlplane.domain.DomainSettings;
import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.outbox.ConfigRecordLimit;
import dev.turnpike.controlplane.tenant.AccountLimits;
import dev.turnpike.egress.EgressSettings;
import dev.turnpike.listener.ListenerLimits;
import dev.turnpike.logging.LogSettings;
import dev.turnpike.settings.KafkaSecurity;
import dev.turnpike.settings.SettingsReader;
import dev.turnpike.telemetry.ServiceTracing;
import dev.turnpike.telemetry.TraceExport;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the control plane is configured with, read once at start. See {@link
 * #fromEnvironment(Map)} for the variable names and defaults.
 *
 * @param port the management API port; 0 picks a free one
 * @param listener what that port (the API and the console) allows each client
 * @param dbOwnerUser the schema owner, used only to migrate at start
 * @param dbUser the RLS-bound application login (member of {@code turnpike_app})
 * @param dbSystemUser the cross-tenant login (member of {@code turnpike_system}, BYPASSRLS), used
 *     by the outbox relay only
 * @param oidcJwksUrl where the issuer publishes its signing keys
 * @param keyRotationGrace how long a rotated API key keeps working when the request names no grace
 *     period
 * @param outboxEnabled false runs the API without publishing (another instance relays)
 * @param configRecordLimit the largest config record a change may produce; deploys over it are
 *     refused, and the relay sizes its producer and the topics it creates for it
 * @param adminPort the port of {@code /metrics}, -1 for none
 * @param billingUrl metering's billing service, which opens checkout pages for paid plans; null
 *     when there is none, and then the portal cannot sell paid plans
 * @param billingToken the shared internal token the billing service expects
 * @param limits caps on tenants per user, keys per app and apps per developer
 * @param ownerLimits what owners may create: counts, sizes, document limits
 * @param domains custom domains: the secret key private keys are sealed with, and the resolvers
 *     ownership is checked against
 * @param tracing where the management API's spans go (docs/tracing.md); off without a collector
 */
public record ControlPlaneSettings(
    String host,
    int port,
    ListenerLimits listener,
    String dbUrl,
    String dbOwnerUser,
    String dbOwnerPassword,
    String dbUser,
    String dbPassword,
    String dbSystemUser,
    String dbSystemPassword,
    int dbPoolSize,
    String kafkaBootstrapServers,
    KafkaSecurity kafkaSecurity,
    int kafkaTopicPartitions,
    short kafkaReplicationFactor,
    String oidcIssuer,
    String oidcAudience,
    String oidcJwksUrl,
    Duration oidcLeeway,
    Duration jwksRefresh,
    Duration keyRotationGrace,
    Duration keyRotationMaxGrace,
    boolean outboxEnabled,
    Duration outboxPollInterval,
    int outboxBatchSize,
    Duration outboxDeliveryTimeout,
    ConfigRecordLimit configRecordLimit,
    String adminHost,
    int adminPort,
    int maxBodyBytes,
    String billingUrl,
    String billingToken,
    AccountLimits limits,
    EgressSettings egress,
    OwnerLimits ownerLimits,
    DomainSettings domains,
    AlarmSettings alarms,
    ServiceTracing tracing) {

  /**
   * Seals and opens what tenants upload under the operator's {@code TURNPIKE_SECRET_KEY}; null when
   * it is not set. One key for custom domains and backend client certificates.
   */
  public SealedSecrets secrets() {
    return domains.secrets();
  }

  /** The egress policy's variables: the gateway's, read here to check literal hosts at save. */
  static final EgressSettings.Keys EGRESS_KEYS =
      new EgressSettings.Keys(
          "TURNPIKE_EGRESS_POLICY",
          "TURNPIKE_EGRESS_ALLOW",
          "TURNPIKE_EGRESS_TENANT_ALLOW",
          "TURNPIKE_EGRESS_PLATFORM_LISTENERS");

  @Override
  public String toString() {
    // Passwords stay out of logs.
    return "ControlPlaneSettings[host="
        + host
        + ", port="
        + port
        + ", dbUrl="
        + dbUrl
        + ", dbUser="
        + dbUser
        + ", kafka="
        + kafkaBootstrapServers
        + " "
        + kafkaSecurity
        + ", issuer="
        + oidcIssuer
        + ", audience="
        + oidcAudience
        + ", jwks="
        + oidcJwksUrl
        + "]";
  }

  /**
   * Reads the variables below; defaults in brackets, required ones marked so.
   *
   * <ul>
   *   <li>{@code TURNPIKE_CP_HOST} [0.0.0.0], {@code TURNPIKE_CP_PORT} [8081]
   *   <li>{@code TURNPIKE_CP_HEADER_READ_TIMEOUT_MS} [10000], {@code TURNPIKE_CP_IDLE_TIMEOUT_MS}
   *       [60000], {@code TURNPIKE_CP_MAX_HEADER_BYTES} [16384], {@code
   *       TURNPIKE_CP_MAX_CONNECTIONS} [2000]: what the port allows each client (see {@link
   *       ListenerLimits})
   *   <li>{@code TURNPIKE_DB_URL} (required, {@code jdbc:postgresql://...})
   *   <li>{@code TURNPIKE_DB_OWNER_USER}, {@code TURNPIKE_DB_OWNER_PASSWORD} (required): migrations
   *   <li>{@code TURNPIKE_DB_USER}, {@code TURNPIKE_DB_PASSWORD} (required): the API's login
   *   <li>{@code TURNPIKE_DB_SYSTEM_USER}, {@code TURNPIKE_DB_SYSTEM_PASSWORD} (required): the
   *       outbox relay's login
   *   <li>{@code TURNPIKE_CP_DB_POOL_SIZE} [10]
   *   <li>{@code TURNPIKE_KAFKA_BOOTSTRAP_SERVERS} [localhost:9092], {@code
   *       TURNPIKE_CP_KAFKA_TOPIC_PARTITIONS} [3] and {@code TURNPIKE_CP_KAFKA_REPLICATION_FACTOR}
   *       [1] for config topics the relay creates when they are missing
   *   <li>{@code TURNPIKE_KAFKA_SECURITY_PROTOCOL} [PLAINTEXT] and the SASL and TLS settings with
   *       it: see {@link KafkaSecurity#read}
   *   <li>{@code TURNPIKE_CP_OIDC_ISSUER} (required), {@code TURNPIKE_CP_OIDC_AUDIENCE} (required),
   *       {@code TURNPIKE_CP_OIDC_JWKS_URL} [Keycloak's: issuer + /protocol/openid-connect/certs],
   *       {@code TURNPIKE_CP_OIDC_LEEWAY_SECONDS} [30], {@code
   *       TURNPIKE_CP_OIDC_JWKS_REFRESH_SECONDS} [300]
   *   <li>{@code TURNPIKE_CP_KEY_ROTATION_GRACE_SECONDS} [86400], {@code
   *       TURNPIKE_CP_KEY_ROTATION_MAX_GRACE_SECONDS} [2592000]
   *   <li>{@code TURNPIKE_CP_OUTBOX_ENABLED} [true], {@code TURNPIKE_CP_OUTBOX_POLL_MS} [250],
   *       {@code TURNPIKE_CP_OUTBOX_BATCH_SIZE} [500], {@code
   *       TURNPIKE_CP_OUTBOX_DELIVERY_TIMEOUT_MS} [30000]: how long a send may take before the
   *       relay starts the round over
   *   <li>{@code TURNPIKE_CP_MAX_CONFIG_RECORD_BYTES} [1000000]: the largest config record (a
   *       stage's deployment) as the relay sends it, zstd-compressed; {@code
   *       TURNPIKE_CP_MAX_CONFIG_RECORD_RAW_BYTES} [8388608]: the same before compression
   *   <li>{@code TURNPIKE_CP_ADMIN_HOST} [0.0.0.0], {@code TURNPIKE_CP_ADMIN_PORT} [-1: none]: the
   *       Prometheus {@code /metrics} of the outbox relay
   *   <li>{@code TURNPIKE_CP_MAX_BODY_BYTES} [1048576]
   *   <li>{@code TURNPIKE_CP_BILLING_URL} [none], and {@code TURNPIKE_CP_BILLING_TOKEN} (required
   *       with it): metering's billing service, for the portal's paid plans
   *   <li>The owner console reads its own {@code TURNPIKE_CP_CONSOLE_*} variables (module {@code
   *       console}, {@code ConsoleSettings})
   *   <li>Caps ({@link AccountLimits}): {@code TURNPIKE_CP_MAX_TENANTS_PER_USER} [5], {@code
   *       TURNPIKE_CP_DEFAULT_KEYS_PER_APP} [10], {@code TURNPIKE_CP_MAX_KEYS_PER_APP} [1000],
   *       {@code TURNPIKE_CP_DEFAULT_APPS_PER_DEVELOPER} [10], {@code
   *       TURNPIKE_CP_MAX_APPS_PER_DEVELOPER} [1000]
   *   <li>{@code TURNPIKE_EGRESS_POLICY} [strict], {@code TURNPIKE_EGRESS_ALLOW}, {@code
   *       TURNPIKE_EGRESS_TENANT_ALLOW}, {@code TURNPIKE_EGRESS_PLATFORM_LISTENERS}: the gateway's
   *       egress policy, which integrations saved or imported with a literal host must pass
   *   <li>{@code TURNPIKE_SECRET_KEY} [none], {@code TURNPIKE_CP_DOMAIN_DNS_SERVERS}, {@code
   *       TURNPIKE_CP_DOMAIN_DNS_TIMEOUT_MS}: custom domains, see {@link DomainSettings#read}
   *   <li>Owner limits ({@link OwnerLimits}), each {@code TURNPIKE_CP_LIMIT_*}: see {@link Limit}
   *       for the names, defaults and why
   *   <li>{@code TURNPIKE_SECRET_KEY} [none]: the operator's key (32 bytes, base64), the gateways'
   *       too, that seals tenants' private keys (custom domains', backend client certificates');
   *       without it they cannot be uploaded; read with the custom-domain settings
   *   <li>{@code TURNPIKE_CP_ALARM_*}: how owners' alarms are evaluated, see {@link
   *       AlarmSettings#read}
   *   <li>{@code TURNPIKE_CP_TRACING_OTLP_ENDPOINT} [none: no spans], {@code
   *       TURNPIKE_CP_TRACING_OTLP_PROTOCOL} [http/protobuf; or grpc], {@code
   *       TURNPIKE_CP_TRACING_SAMPLE_RATE} [1.0], {@code TURNPIKE_CP_TRACING_EXPORT_DELAY_MS}
   *       [5000]: a span per management API request (see {@link ServiceTracing})
   * </ul>
   *
   * @throws IllegalArgumentException naming every missing or invalid variable
   */
  public static ControlPlaneSettings fromEnvironment(Map<String, String> env) {
    SettingsReader read = new SettingsReader(env);
    String dbUrl = read.required("TURNPIKE_DB_URL", "a jdbc:postgresql:// URL");
    if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
      read.problem("TURNPIKE_DB_URL must start with jdbc:postgresql:, was '" + dbUrl + "'");
    }
    String issuer = read.url("TURNPIKE_CP_OIDC_ISSUER", null, true);
    String jwksDefault =
        issuer == null ? null : stripSlash(issuer) + "/protocol/openid-connect/certs";
    Duration grace =
        Duration.ofSeconds(
            read.integer("TURNPIKE_CP_KEY_ROTATION_GRACE_SECONDS", 86_400, 0, 365 * 86_400));
    Duration maxGrace =
        Duration.ofSeconds(
            read.integer(
                "TURNPIKE_CP_KEY_ROTATION_MAX_GRACE_SECONDS", 30 * 86_400, 0, 365 * 86_400));
    if (grace.compareTo(maxGrace) > 0) {
      read.problem(
          "TURNPIKE_CP_KEY_ROTATION_GRACE_SECONDS must not exceed"
              + " TURNPIKE_CP_KEY_ROTATION_MAX_GRACE_SECONDS");
    }
    String billingUrl = read.url("TURNPIKE_CP_BILLING_URL", null, false);
    ControlPlaneSettings settings =
        new ControlPlaneSettings(
            read.string("TURNPIKE_CP_HOST", "0.0.0.0"),
            read.integer("TURNPIKE_CP_PORT", 8081, 0, 65_535),
            ListenerLimits.read(
                read,
                ListenerLimits.forPublic(2_000),
                "TURNPIKE_CP_HEADER_READ_TIMEOUT_MS",
                "TURNPIKE_CP_IDLE_TIMEOUT_MS",
                "TURNPIKE_CP_MAX_HEADER_BYTES",
                "TURNPIKE_CP_MAX_CONNECTIONS"),
            dbUrl,
            read.required("TURNPIKE_DB_OWNER_USER", "the schema owner, for migrations"),
            read.secret("TURNPIKE_DB_OWNER_PASSWORD", true),
            read.required("TURNPIKE_DB_USER", "a login in role turnpike_app"),
            read.secret("TURNPIKE_DB_PASSWORD", true),
            read.required("TURNPIKE_DB_SYSTEM_USER", "a login in role turnpike_system"),
            read.secret("TURNPIKE_DB_SYSTEM_PASSWORD", true),
            read.integer("TURNPIKE_CP_DB_POOL_SIZE", 10, 1, 500),
            read.string("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
            read.kafkaSecurity(),
            read.integer("TURNPIKE_CP_KAFKA_TOPIC_PARTITIONS", 3, 1, 10_000),
            (short) read.integer("TURNPIKE_CP_KAFKA_REPLICATION_FACTOR", 1, 1, 32),
            issuer,
            read.required("TURNPIKE_CP_OIDC_AUDIENCE", "the audience tokens must be issued for"),
            read.url("TURNPIKE_CP_OIDC_JWKS_URL", jwksDefault, true),
            Duration.ofSeconds(read.integer("TURNPIKE_CP_OIDC_LEEWAY_SECONDS", 30, 0, 600)),
            Duration.ofSeconds(
                read.integer("TURNPIKE_CP_OIDC_JWKS_REFRESH_SECONDS", 300, 10, 86_400)),
            grace,
            maxGrace,
            read.bool("TURNPIKE_CP_OUTBOX_ENABLED", true),
            Duration.ofMillis(read.integer("TURNPIKE_CP_OUTBOX_POLL_MS", 250, 10, 60_000)),
            read.integer("TURNPIKE_CP_OUTBOX_BATCH_SIZE", 500, 1, 10_000),
            Duration.ofMillis(
                read.integer("TURNPIKE_CP_OUTBOX_DELIVERY_TIMEOUT_MS", 30_000, 1_000, 600_000)),
            configRecordLimit(read),
            read.string("TURNPIKE_CP_ADMIN_HOST", "0.0.0.0"),
            read.integer("TURNPIKE_CP_ADMIN_PORT", -1, -1, 65_535),
            read.integer("TURNPIKE_CP_MAX_BODY_BYTES", 1 << 20, 1024, 64 << 20),
            billingUrl,
            billingUrl == null ? null : read.secret("TURNPIKE_CP_BILLING_TOKEN", true),
            limits(read),
            EgressSettings.read(read, EGRESS_KEYS),
            OwnerLimits.read(read),
            DomainSettings.read(read),
            AlarmSettings.read(read),
            ServiceTracing.read(
                read,
                new TraceExport.Keys(
                    "TURNPIKE_CP_TRACING_OTLP_ENDPOINT",
                    "TURNPIKE_CP_TRACING_OTLP_PROTOCOL",
                    "TURNPIKE_CP_TRACING_EXPORT_DELAY_MS"),
                "TURNPIKE_CP_TRACING_SAMPLE_RATE"));
    // Logback applied these already (LogConfigurator); a bad one stops the service here.
    LogSettings.read(read);
    read.failOnProblems("control plane");
    return settings;
  }

  private static ConfigRecordLimit configRecordLimit(SettingsReader read) {
    int compressed =
        read.integer(
            "TURNPIKE_CP_MAX_CONFIG_RECORD_BYTES",
            ConfigRecordLimit.DEFAULT_MAX_COMPRESSED_BYTES,
            64 << 10,
            256 << 20);
    int raw =
        read.integer(
            "TURNPIKE_CP_MAX_CONFIG_RECORD_RAW_BYTES",
            ConfigRecordLimit.DEFAULT_MAX_ENCODED_BYTES,
            64 << 10,
            512 << 20);
    if (raw < compressed) {
      read.problem(
          "TURNPIKE_CP_MAX_CONFIG_RECORD_RAW_BYTES ("
              + raw
              + ") must be at least TURNPIKE_CP_MAX_CONFIG_RECORD_BYTES ("
              + compressed
              + "): a record is never smaller before compression");
      return ConfigRecordLimit.defaults();
    }
    return new ConfigRecordLimit(compressed, raw);
  }

  private static AccountLimits limits(SettingsReader read) {
    int tenants = read.integer(AccountLimits.MAX_TENANTS_PER_USER, 5, 1, 100_000);
    int maxKeys = read.integer(AccountLimits.MAX_KEYS_PER_APP, 1000, 1, 100_000);
    int keys = read.integer(AccountLimits.DEFAULT_KEYS_PER_APP, 10, 1, 100_000);
    int maxApps = read.integer(AccountLimits.MAX_APPS_PER_DEVELOPER, 1000, 1, 100_000);
    int apps = read.integer(AccountLimits.DEFAULT_APPS_PER_DEVELOPER, 10, 1, 100_000);
    if (keys > maxKeys) {
      read.problem(
          AccountLimits.DEFAULT_KEYS_PER_APP
              + " must not exceed "
              + AccountLimits.MAX_KEYS_PER_APP
              + " ("
              + maxKeys
              + "), was "
              + keys);
      keys = maxKeys;
    }
    if (apps > maxApps) {
      read.problem(
          AccountLimits.DEFAULT_APPS_PER_DEVELOPER
              + " must not exceed "
              + AccountLimits.MAX_APPS_PER_DEVELOPER
              + " ("
              + maxApps
              + "), was "
              + apps);
      apps = maxApps;
    }
    return new AccountLimits(tenants, keys, maxKeys, apps, maxApps);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
