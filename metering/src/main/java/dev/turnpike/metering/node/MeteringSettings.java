package dev.turnpike.metering.node;

import dev.turnpike.listener.ListenerLimits;
import dev.turnpike.logging.LogSettings;
import dev.turnpike.metering.aggregation.ConsumerSettings;
import dev.turnpike.metering.standing.StandingRelaySettings;
import dev.turnpike.settings.KafkaSecurity;
import dev.turnpike.settings.SettingsReader;
import dev.turnpike.telemetry.ServiceTracing;
import dev.turnpike.telemetry.TraceExport;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything the metering service is configured with, read once at start. See {@link
 * #fromEnvironment(Map)} for the variable names and defaults.
 *
 * @param dbMeteringUser metering's own login (member of {@code turnpike_metering}, BYPASSRLS): it
 *     reaches only the tables metering reads and writes, not the control plane's
 * @param dbOwnerUser the schema owner; when set, metering migrates the schema at start (otherwise
 *     the control plane must have)
 * @param adminPort the port of {@code /health}, {@code /ready} and {@code /metrics}; 0 picks a free
 *     one, -1 turns the admin server off
 * @param admin what the admin port allows each client
 * @param dedupWindow how long counted event ids are remembered; a redelivery within it never counts
 *     twice
 * @param standingRelay how the relay of billing's standing decisions polls metering's outbox
 */
public record MeteringSettings(
    String dbUrl,
    String dbMeteringUser,
    String dbMeteringPassword,
    String dbOwnerUser,
    String dbOwnerPassword,
    int dbPoolSize,
    String kafkaBootstrapServers,
    KafkaSecurity kafkaSecurity,
    String consumerGroup,
    String instanceId,
    int maxPollRecords,
    int commitThreads,
    Duration pollTimeout,
    Duration sessionTimeout,
    Duration retryBackoffMax,
    boolean resetToEarliest,
    Duration dedupWindow,
    Duration purgeInterval,
    boolean createTopics,
    int topicPartitions,
    short replicationFactor,
    Duration kafkaTimeout,
    boolean quotaEnabled,
    StandingRelaySettings standingRelay,
    String adminHost,
    int adminPort,
    ListenerLimits admin,
    ServiceTracing tracing) {

  public static final String USAGE_GROUP_DEFAULT = "turnpike-metering";

  @Override
  public String toString() {
    // Passwords stay out of logs.
    return "MeteringSettings[dbUrl="
        + dbUrl
        + ", dbMeteringUser="
        + dbMeteringUser
        + ", migrates="
        + (dbOwnerUser != null)
        + ", kafka="
        + kafkaBootstrapServers
        + " "
        + kafkaSecurity
        + ", group="
        + consumerGroup
        + ", instance="
        + instanceId
        + ", maxPollRecords="
        + maxPollRecords
        + ", dedupWindow="
        + dedupWindow
        + ", quota="
        + quotaEnabled
        + ", standingRelay="
        + standingRelay
        + ", admin="
        + adminHost
        + ":"
        + adminPort
        + "]";
  }

  /** How the usage consumer reads {@code topic}. */
  public ConsumerSettings consumer(String topic) {
    return new ConsumerSettings(
        kafkaBootstrapServers,
        kafkaSecurity,
        topic,
        consumerGroup,
        instanceId,
        maxPollRecords,
        commitThreads,
        pollTimeout,
        sessionTimeout,
        Duration.ofMillis(100),
        retryBackoffMax,
        resetToEarliest);
  }

  /**
   * Reads the variables below; defaults in brackets, required ones marked so.
   *
   * <ul>
   *   <li>{@code TURNPIKE_DB_URL} (required, {@code jdbc:postgresql://...})
   *   <li>{@code TURNPIKE_DB_METERING_USER}, {@code TURNPIKE_DB_METERING_PASSWORD} (required): a
   *       login in role {@code turnpike_metering} with {@code BYPASSRLS} (the control plane's
   *       {@code TURNPIKE_DB_SYSTEM_USER} is not metering's)
   *   <li>{@code TURNPIKE_DB_OWNER_USER}, {@code TURNPIKE_DB_OWNER_PASSWORD} [unset]: when set,
   *       metering migrates the schema at start
   *   <li>{@code TURNPIKE_METERING_DB_POOL_SIZE} [6], at least the commit threads + 2
   *   <li>{@code TURNPIKE_KAFKA_BOOTSTRAP_SERVERS} [localhost:9092]
   *   <li>{@code TURNPIKE_KAFKA_SECURITY_PROTOCOL} [PLAINTEXT] and the SASL and TLS settings with
   *       it: see {@link KafkaSecurity#read}
   *   <li>{@code TURNPIKE_METERING_GROUP} [turnpike-metering]: the consumer group
   *   <li>{@code TURNPIKE_METERING_INSTANCE_ID} [unset]: Kafka static membership; a restarted
   *       instance with the same id gets its partitions back without waiting for its session to
   *       expire
   *   <li>{@code TURNPIKE_METERING_MAX_POLL_RECORDS} [10000]: the largest batch
   *   <li>{@code TURNPIKE_METERING_COMMIT_THREADS} [3]: partitions of one poll committed at once
   *   <li>{@code TURNPIKE_METERING_POLL_MS} [200]
   *   <li>{@code TURNPIKE_METERING_SESSION_TIMEOUT_MS} [45000]
   *   <li>{@code TURNPIKE_METERING_RETRY_BACKOFF_MAX_MS} [5000]: the longest pause between retries
   *       of a failed batch
   *   <li>{@code TURNPIKE_METERING_OFFSET_RESET} [earliest]: {@code earliest} or {@code latest},
   *       where a partition without a stored (or with a vanished) position starts
   *   <li>{@code TURNPIKE_METERING_DEDUP_WINDOW_MINUTES} [1440]
   *   <li>{@code TURNPIKE_METERING_PURGE_INTERVAL_SECONDS} [300]
   *   <li>{@code TURNPIKE_METERING_CREATE_TOPICS} [true], {@code
   *       TURNPIKE_METERING_TOPIC_PARTITIONS} [3], {@code TURNPIKE_METERING_REPLICATION_FACTOR}
   *       [1]: the usage and quota-state topics created at start when missing
   *   <li>{@code TURNPIKE_METERING_KAFKA_TIMEOUT_MS} [30000]: how long a quota-state publication or
   *       topic creation may take
   *   <li>{@code TURNPIKE_METERING_QUOTA_ENABLED} [true]
   *   <li>{@code TURNPIKE_METERING_STANDING_POLL_MS} [200], {@code
   *       TURNPIKE_METERING_STANDING_BATCH_SIZE} [500]: the standing relay (see {@link
   *       StandingRelaySettings})
   *   <li>{@code TURNPIKE_METERING_ADMIN_HOST} [0.0.0.0], {@code TURNPIKE_METERING_ADMIN_PORT}
   *       [8091]; {@code TURNPIKE_METERING_ADMIN_HEADER_READ_TIMEOUT_MS} [5000], {@code
   *       TURNPIKE_METERING_ADMIN_IDLE_TIMEOUT_MS} [30000], {@code
   *       TURNPIKE_METERING_ADMIN_MAX_HEADER_BYTES} [8192], {@code
   *       TURNPIKE_METERING_ADMIN_MAX_CONNECTIONS} [64]: what it allows each client (see {@link
   *       ListenerLimits})
   *   <li>{@code TURNPIKE_METERING_TRACING_OTLP_ENDPOINT} [none: no spans], {@code
   *       TURNPIKE_METERING_TRACING_OTLP_PROTOCOL} [http/protobuf; or grpc], {@code
   *       TURNPIKE_METERING_TRACING_SAMPLE_RATE} [1.0], {@code
   *       TURNPIKE_METERING_TRACING_EXPORT_DELAY_MS} [5000]: a span per committed usage batch (see
   *       {@link ServiceTracing})
   * </ul>
   *
   * @throws IllegalArgumentException naming every missing or invalid variable
   */
  public static MeteringSettings fromEnvironment(Map<String, String> env) {
    SettingsReader read = new SettingsReader(env);
    String dbUrl = read.required("TURNPIKE_DB_URL", "a jdbc:postgresql:// URL");
    if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
      read.problem("TURNPIKE_DB_URL must start with jdbc:postgresql:, was '" + dbUrl + "'");
    }
    String ownerUser = read.string("TURNPIKE_DB_OWNER_USER", null);
    int commitThreads = read.integer("TURNPIKE_METERING_COMMIT_THREADS", 3, 1, 64);
    int poolSize = read.integer("TURNPIKE_METERING_DB_POOL_SIZE", 6, 2, 200);
    if (poolSize < commitThreads + 2) {
      read.problem(
          "TURNPIKE_METERING_DB_POOL_SIZE must be at least TURNPIKE_METERING_COMMIT_THREADS + 2"
              + " (the quota worker and the purge need one each)");
    }
    int sessionMillis =
        read.integer("TURNPIKE_METERING_SESSION_TIMEOUT_MS", 45_000, 1_000, 1_800_000);
    MeteringSettings settings =
        new MeteringSettings(
            dbUrl,
            read.required("TURNPIKE_DB_METERING_USER", "a login in role turnpike_metering"),
            read.secret("TURNPIKE_DB_METERING_PASSWORD", true),
            ownerUser,
            read.secret("TURNPIKE_DB_OWNER_PASSWORD", ownerUser != null),
            poolSize,
            read.string("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
            read.kafkaSecurity(),
            read.string("TURNPIKE_METERING_GROUP", USAGE_GROUP_DEFAULT),
            read.string("TURNPIKE_METERING_INSTANCE_ID", null),
            read.integer("TURNPIKE_METERING_MAX_POLL_RECORDS", 10_000, 1, 1_000_000),
            commitThreads,
            read.millis("TURNPIKE_METERING_POLL_MS", 200, 1, 60_000),
            Duration.ofMillis(sessionMillis),
            read.millis("TURNPIKE_METERING_RETRY_BACKOFF_MAX_MS", 5_000, 100, 300_000),
            "earliest"
                .equals(
                    read.oneOf(
                        "TURNPIKE_METERING_OFFSET_RESET",
                        "earliest",
                        List.of("earliest", "latest"))),
            Duration.ofMinutes(
                read.integer("TURNPIKE_METERING_DEDUP_WINDOW_MINUTES", 1_440, 1, 525_600)),
            read.seconds("TURNPIKE_METERING_PURGE_INTERVAL_SECONDS", 300, 1, 86_400),
            read.bool("TURNPIKE_METERING_CREATE_TOPICS", true),
            read.integer("TURNPIKE_METERING_TOPIC_PARTITIONS", 3, 1, 10_000),
            (short) read.integer("TURNPIKE_METERING_REPLICATION_FACTOR", 1, 1, 32),
            read.millis("TURNPIKE_METERING_KAFKA_TIMEOUT_MS", 30_000, 1_000, 600_000),
            read.bool("TURNPIKE_METERING_QUOTA_ENABLED", true),
            StandingRelaySettings.read(read),
            read.string("TURNPIKE_METERING_ADMIN_HOST", "0.0.0.0"),
            read.integer("TURNPIKE_METERING_ADMIN_PORT", 8091, -1, 65_535),
            ListenerLimits.read(
                read,
                ListenerLimits.forAdmin(),
                "TURNPIKE_METERING_ADMIN_HEADER_READ_TIMEOUT_MS",
                "TURNPIKE_METERING_ADMIN_IDLE_TIMEOUT_MS",
                "TURNPIKE_METERING_ADMIN_MAX_HEADER_BYTES",
                "TURNPIKE_METERING_ADMIN_MAX_CONNECTIONS"),
            ServiceTracing.read(
                read,
                new TraceExport.Keys(
                    "TURNPIKE_METERING_TRACING_OTLP_ENDPOINT",
                    "TURNPIKE_METERING_TRACING_OTLP_PROTOCOL",
                    "TURNPIKE_METERING_TRACING_EXPORT_DELAY_MS"),
                "TURNPIKE_METERING_TRACING_SAMPLE_RATE"));
    // Logback applied these already (LogConfigurator); a bad one stops the service here.
    LogSettings.read(read);
    read.failOnProblems("metering");
    return settings;
  }
}
