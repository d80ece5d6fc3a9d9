package dev.turnpike.platform;

import dev.turnpike.settings.KafkaSecurity;
import dev.turnpike.settings.SettingsReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./turnpike up} runs, read from {@code TURNPIKE_*} variables (see {@link
 * #fromEnvironment}; {@code infra/README.md} lists them all). PostgreSQL, Kafka and Keycloak are
 * embedded unless a URL for an external one is set.
 *
 * @param root the Turnpike checkout: services run from its modules' build output
 * @param stateDir where everything the platform keeps lives (data, logs)
 * @param bindHost the address every local server listens on
 */
public record PlatformSettings(
    Path root,
    Path stateDir,
    String bindHost,
    Database database,
    Kafka kafka,
    Keycloak keycloak,
    Ports ports,
    boolean seedDemo,
    Duration startTimeout,
    List<String> serviceJvmOptions) {

  public PlatformSettings {
    serviceJvmOptions = List.copyOf(serviceJvmOptions);
  }

  /** The Turnpike database: embedded (data under the state folder) or an external server. */
  public record Database(String externalUrl, int embeddedPort, DatabaseLogins logins) {
    public boolean embedded() {
      return externalUrl == null;
    }

    public String jdbcUrl() {
      return embedded()
          ? "jdbc:postgresql://localhost:" + embeddedPort + "/" + EMBEDDED_DATABASE
          : externalUrl;
    }
  }

  /**
   * The logins the services use: the schema owner (migrations), the RLS-bound application login,
   * the control plane's cross-tenant system login (see the migrations' V1), metering's own login,
   * which reaches only metering's tables (V19), and the developer portal's session login, which
   * reaches only the portal's rows of {@code web_sessions} (V41; null with an external database
   * that names none: the portal then keeps its sessions in memory).
   */
  public record DatabaseLogins(
      String ownerUser,
      String ownerPassword,
      String appUser,
      String appPassword,
      String systemUser,
      String systemPassword,
      String meteringUser,
      String meteringPassword,
      String portalSessionsUser,
      String portalSessionsPassword) {
    @Override
    public String toString() {
      return "DatabaseLogins[owner="
          + ownerUser
          + ", app="
          + appUser
          + ", system="
          + systemUser
          + ", metering="
          + meteringUser
          + ", portalSessions="
          + portalSessionsUser
          + "]";
    }
  }

  /** Kafka: an embedded single-node KRaft broker, or external bootstrap servers. */
  public record Kafka(String externalBootstrapServers, int port, int controllerPort) {
    public boolean embedded() {
      return externalBootstrapServers == null;
    }

    public String bootstrapServers() {
      return embedded() ? "localhost:" + port : externalBootstrapServers;
    }
  }

  /** Keycloak: run from the Maven dist zip, or an external server that has the realm. */
  public record Keycloak(String externalUrl, int port, String realm) {
    public boolean embedded() {
      return externalUrl == null;
    }

    public String baseUrl() {
      return embedded() ? "http://localhost:" + port : externalUrl;
    }

    public String issuer() {
      return baseUrl() + "/realms/" + realm;
    }

    public String tokenEndpoint() {
      return issuer() + "/protocol/openid-connect/token";
    }
  }

  /** The ports of the servers the launcher starts itself. */
  public record Ports(
      int controlPlane,
      int gateway,
      int gatewayAdmin,
      int gatewayDomains,
      int metering,
      int billing,
      int portal,
      int demoBackend) {}

  static final String EMBEDDED_DATABASE = "turnpike";

  /**
   * Reads the settings; defaults in brackets.
   *
   * <ul>
   *   <li>{@code TURNPIKE_PLATFORM_DIR} [{@code <root>/.turnpike}], {@code TURNPIKE_PLATFORM_HOST}
   *       [127.0.0.1], {@code TURNPIKE_PLATFORM_START_TIMEOUT_SECONDS} [600], {@code
   *       TURNPIKE_PLATFORM_JVM_OPTIONS} [-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1],
   *       {@code TURNPIKE_DEMO_SEED} [true]
   *   <li>{@code TURNPIKE_DB_URL} [embedded PostgreSQL on {@code TURNPIKE_POSTGRES_PORT}, 5433];
   *       with an external URL, {@code TURNPIKE_DB_OWNER_USER}/{@code _PASSWORD}, {@code
   *       TURNPIKE_DB_USER}/{@code _PASSWORD}, {@code TURNPIKE_DB_SYSTEM_USER}/{@code _PASSWORD}
   *       and {@code TURNPIKE_DB_METERING_USER}/{@code _PASSWORD} are required, and {@code
   *       TURNPIKE_DB_PORTAL_SESSIONS_USER}/{@code _PASSWORD} optional (both or neither: without
   *       them the portal keeps its sessions in memory)
   *   <li>{@code TURNPIKE_KAFKA_BOOTSTRAP_SERVERS} [embedded broker on {@code TURNPIKE_KAFKA_PORT},
   *       9092, controller on {@code TURNPIKE_KAFKA_CONTROLLER_PORT}, 9093]
   *   <li>{@code TURNPIKE_KEYCLOAK_URL} [embedded Keycloak on {@code TURNPIKE_KEYCLOAK_PORT},
   *       8180], {@code TURNPIKE_KEYCLOAK_REALM} [turnpike]
   *   <li>{@code TURNPIKE_CP_PORT} [8081], {@code TURNPIKE_GATEWAY_PORT} [8080], {@code
   *       TURNPIKE_GATEWAY_ADMIN_PORT} [9090], {@code TURNPIKE_GATEWAY_DOMAINS_PORT} [8443], {@code
   *       TURNPIKE_METERING_ADMIN_PORT} [8091], {@code TURNPIKE_BILLING_PORT} [8083], {@code
   *       TURNPIKE_PORTAL_PORT} [8082], {@code TURNPIKE_DEMO_BACKEND_PORT} [8084]
   * </ul>
   *
   * @throws IllegalArgumentException naming every variable that is missing or wrong
   */
  public static PlatformSettings fromEnvironment(Map<String, String> env, Path root) {
    SettingsReader read = new SettingsReader(env);
    String stateDir = read.string("TURNPIKE_PLATFORM_DIR", root.resolve(".turnpike").toString());

    String dbUrl = read.optional("TURNPIKE_DB_URL");
    if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
      read.problem("TURNPIKE_DB_URL must start with jdbc:postgresql:, was '" + dbUrl + "'");
    }
    boolean externalDb = dbUrl != null;
    String why = "when TURNPIKE_DB_URL names an external database";
    DatabaseLogins logins =
        externalDb
            ? new DatabaseLogins(
                read.requiredIf(true, "TURNPIKE_DB_OWNER_USER", why),
                read.requiredIf(true, "TURNPIKE_DB_OWNER_PASSWORD", why),
                read.requiredIf(true, "TURNPIKE_DB_USER", why),
                read.requiredIf(true, "TURNPIKE_DB_PASSWORD", why),
                read.requiredIf(true, "TURNPIKE_DB_SYSTEM_USER", why),
                read.requiredIf(true, "TURNPIKE_DB_SYSTEM_PASSWORD", why),
                read.requiredIf(true, "TURNPIKE_DB_METERING_USER", why),
                read.requiredIf(true, "TURNPIKE_DB_METERING_PASSWORD", why),
                read.requiredIf(
                    read.optional("TURNPIKE_DB_PORTAL_SESSIONS_PASSWORD") != null,
                    "TURNPIKE_DB_PORTAL_SESSIONS_USER",
                    "when TURNPIKE_DB_PORTAL_SESSIONS_PASSWORD is set"),
                read.requiredIf(
                    read.optional("TURNPIKE_DB_PORTAL_SESSIONS_USER") != null,
                    "TURNPIKE_DB_PORTAL_SESSIONS_PASSWORD",
                    "when TURNPIKE_DB_PORTAL_SESSIONS_USER is set"))
            : EMBEDDED_LOGINS;
    if (!externalDb) {
      for (String key :
          List.of(
              "TURNPIKE_DB_OWNER_USER",
              "TURNPIKE_DB_USER",
              "TURNPIKE_DB_SYSTEM_USER",
              "TURNPIKE_DB_METERING_USER",
              "TURNPIKE_DB_PORTAL_SESSIONS_USER",
              "TURNPIKE_DB_OWNER_PASSWORD",
              "TURNPIKE_DB_PASSWORD",
              "TURNPIKE_DB_SYSTEM_PASSWORD",
              "TURNPIKE_DB_METERING_PASSWORD",
              "TURNPIKE_DB_PORTAL_SESSIONS_PASSWORD")) {
        if (read.optional(key) != null) {
          read.problem(
              key
                  + " is set but TURNPIKE_DB_URL is not: the embedded database has logins of its"
                  + " own; set TURNPIKE_DB_URL too to use an external database");
        }
      }
    }
    Database database = new Database(dbUrl, read.port("TURNPIKE_POSTGRES_PORT", 5433), logins);

    Kafka kafka =
        new Kafka(
            read.optional("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS"),
            read.port("TURNPIKE_KAFKA_PORT", 9092),
            read.port("TURNPIKE_KAFKA_CONTROLLER_PORT", 9093));
    // The services pass the security settings through to their clients; the embedded broker
    // speaks plaintext on loopback only, so any other protocol there cannot connect.
    KafkaSecurity kafkaSecurity = read.kafkaSecurity();
    if (kafka.embedded() && kafkaSecurity.protocol() != KafkaSecurity.Protocol.PLAINTEXT) {
      read.problem(
          KafkaSecurity.SECURITY_PROTOCOL
              + " is "
              + kafkaSecurity.protocol()
              + " but the embedded Kafka is plaintext: set TURNPIKE_KAFKA_BOOTSTRAP_SERVERS to a"
              + " Kafka of your own that uses it");
    }
    Keycloak keycloak =
        new Keycloak(
            read.httpUrl("TURNPIKE_KEYCLOAK_URL"),
            read.port("TURNPIKE_KEYCLOAK_PORT", 8180),
            read.string("TURNPIKE_KEYCLOAK_REALM", "turnpike"));
    Ports ports =
        new Ports(
            read.port("TURNPIKE_CP_PORT", 8081),
            read.port("TURNPIKE_GATEWAY_PORT", 8080),
            read.port("TURNPIKE_GATEWAY_ADMIN_PORT", 9090),
            read.port("TURNPIKE_GATEWAY_DOMAINS_PORT", 8443),
            read.port("TURNPIKE_METERING_ADMIN_PORT", 8091),
            read.port("TURNPIKE_BILLING_PORT", 8083),
            read.port("TURNPIKE_PORTAL_PORT", 8082),
            read.port("TURNPIKE_DEMO_BACKEND_PORT", 8084));
    PlatformSettings settings =
        new PlatformSettings(
            root,
            Path.of(stateDir).toAbsolutePath(),
            read.string("TURNPIKE_PLATFORM_HOST", "127.0.0.1"),
            database,
            kafka,
            keycloak,
            ports,
            read.bool("TURNPIKE_DEMO_SEED", true),
            Duration.ofSeconds(
                read.integer("TURNPIKE_PLATFORM_START_TIMEOUT_SECONDS", 600, 10, 3600)),
            Arrays.asList(
                read.string(
                        "TURNPIKE_PLATFORM_JVM_OPTIONS",
                        "-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
                    .split("\\s+")));
    read.failOnProblems("platform");
    return settings;
  }

  /**
   * The embedded database's logins. Its server accepts only local connections and keeps its data in
   * the state folder, so fixed local passwords are fine; an external database brings its own.
   */
  static final DatabaseLogins EMBEDDED_LOGINS =
      new DatabaseLogins(
          "turnpike_owner",
          "turnpike-local-owner",
          "turnpike_app_login",
          "turnpike-local-app",
          "turnpike_system_login",
          "turnpike-local-system",
          "turnpike_metering_login",
          "turnpike-local-metering",
          "turnpike_portal_sessions_login",
          "turnpike-local-portal-sessions");

  public Path logDir() {
    return stateDir.resolve("logs");
  }
}
