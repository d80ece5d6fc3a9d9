package dev.turnpike.portal;

import dev.turnpike.listener.ListenerLimits;
import dev.turnpike.logging.LogSettings;
import dev.turnpike.portal.pages.TryItLimits;
import dev.turnpike.settings.SettingsReader;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the portal is configured with, read once at start. See {@link #fromEnvironment(Map)}
 * for the variable names and defaults.
 *
 * @param listener what the portal's port allows each client
 * @param publicUrl the portal's address as browsers reach it (the OIDC redirect URI is derived from
 *     it); null to use {@code http://localhost:<port>} once the port is known
 * @param hostDomain with {@code portal.example.com}, {@code acme.portal.example.com} serves tenant
 *     {@code acme}'s portal; null for path-style portals only ({@code /portal/acme})
 * @param gatewayUrl the gateway's base URL, for the try-it panel's calls
 * @param tryIt how much one try-it call may read and take, and how many a session may make
 * @param oidcInternalUrl the identity provider's realm as the portal reaches it, when that is not
 *     the issuer's address browsers use (inside a container network); null: the issuer's. The
 *     portal's own calls to the provider (discovery, token) go there; browsers are still sent to
 *     the issuer's address
 * @param sessionDatabase where the portal keeps its sessions, a login that reaches only the
 *     portal's rows of {@code web_sessions}; null: in this process's memory
 */
public record PortalSettings(
    String host,
    int port,
    ListenerLimits listener,
    String controlPlaneUrl,
    String oidcIssuer,
    String oidcInternalUrl,
    String clientId,
    String clientSecret,
    String publicUrl,
    String hostDomain,
    String gatewayUrl,
    TryItLimits tryIt,
    Duration sessionTimeout,
    boolean cacheTemplates,
    SessionDatabase sessionDatabase) {

  /**
   * The portal's sessions-only database login (migration V41's role turnpike_portal_sessions): not
   * the platform's data, which the portal reaches only through the control plane's API.
   */
  public record SessionDatabase(String jdbcUrl, String user, String password) {
    @Override
    public String toString() {
      return "SessionDatabase[" + jdbcUrl + ", user=" + user + "]";
    }
  }

  @Override
  public String toString() {
    return "PortalSettings[host="
        + host
        + ", port="
        + port
        + ", controlPlane="
        + controlPlaneUrl
        + ", issuer="
        + oidcIssuer
        + ", oidcInternalUrl="
        + oidcInternalUrl
        + ", clientId="
        + clientId
        + ", publicUrl="
        + publicUrl
        + ", hostDomain="
        + hostDomain
        + ", gateway="
        + gatewayUrl
        + ", sessions="
        + (sessionDatabase == null ? "in memory" : sessionDatabase)
        + "]";
  }

  /** The same settings with the public URL filled in from the port the server got. */
  public PortalSettings withPublicUrlFor(int actualPort) {
    if (publicUrl != null) {
      return this;
    }
    return new PortalSettings(
        host,
        port,
        listener,
        controlPlaneUrl,
        oidcIssuer,
        oidcInternalUrl,
        clientId,
        clientSecret,
        "http://localhost:" + actualPort,
        hostDomain,
        gatewayUrl,
        tryIt,
        sessionTimeout,
        cacheTemplates,
        sessionDatabase);
  }

  /**
   * Reads the variables below; defaults in brackets, required ones marked so.
   *
   * <ul>
   *   <li>{@code TURNPIKE_PORTAL_HOST} [0.0.0.0], {@code TURNPIKE_PORTAL_PORT} [8082]
   *   <li>{@code TURNPIKE_PORTAL_HEADER_READ_TIMEOUT_MS} [10000], {@code
   *       TURNPIKE_PORTAL_IDLE_TIMEOUT_MS} [60000], {@code TURNPIKE_PORTAL_MAX_HEADER_BYTES}
   *       [16384], {@code TURNPIKE_PORTAL_MAX_CONNECTIONS} [2000]: what the port allows each client
   *       (see {@link ListenerLimits})
   *   <li>{@code TURNPIKE_PORTAL_CONTROL_PLANE_URL} [http://localhost:8081]: the management API
   *   <li>{@code TURNPIKE_PORTAL_OIDC_ISSUER} (required): the Keycloak realm, e.g. {@code
   *       http://localhost:8180/realms/turnpike}
   *   <li>{@code TURNPIKE_PORTAL_OIDC_INTERNAL_URL} [the issuer]: the same realm as the portal
   *       reaches it, for its own calls to the identity provider (in a container network)
   *   <li>{@code TURNPIKE_PORTAL_CLIENT_ID} [turnpike-portal], {@code
   *       TURNPIKE_PORTAL_CLIENT_SECRET} (required)
   *   <li>{@code TURNPIKE_PORTAL_PUBLIC_URL} [http://localhost:&lt;port&gt;]
   *   <li>{@code TURNPIKE_PORTAL_HOST_DOMAIN} [none]: serve {@code <tenant>.<domain>} by host
   *   <li>{@code TURNPIKE_PORTAL_GATEWAY_URL} [http://localhost:8080]
   *   <li>{@code TURNPIKE_PORTAL_TRY_IT_MAX_BODY_BYTES} [65536], {@code
   *       TURNPIKE_PORTAL_TRY_IT_TIMEOUT_MS} [10000], {@code
   *       TURNPIKE_PORTAL_TRY_IT_CALLS_PER_MINUTE} [10]: the try-it panel's limits (see {@link
   *       TryItLimits})
   *   <li>{@code TURNPIKE_PORTAL_SESSION_TIMEOUT_MINUTES} [30]
   *   <li>{@code TURNPIKE_PORTAL_CACHE_TEMPLATES} [true]
   *   <li>{@code TURNPIKE_PORTAL_SESSION_DB_URL} [none], {@code TURNPIKE_PORTAL_SESSION_DB_USER},
   *       {@code TURNPIKE_PORTAL_SESSION_DB_PASSWORD}: all three or none; with them the sessions
   *       are in PostgreSQL, shared by every portal instance, else in this process's memory
   * </ul>
   *
   * @throws IllegalArgumentException naming every missing or invalid variable
   */
  public static PortalSettings fromEnvironment(Map<String, String> env) {
    SettingsReader read = new SettingsReader(env);
    String host = read.string("TURNPIKE_PORTAL_HOST", "0.0.0.0");
    int port = read.integer("TURNPIKE_PORTAL_PORT", 8082, 0, 65_535);
    ListenerLimits listener =
        ListenerLimits.read(
            read,
            ListenerLimits.forPublic(2_000),
            "TURNPIKE_PORTAL_HEADER_READ_TIMEOUT_MS",
            "TURNPIKE_PORTAL_IDLE_TIMEOUT_MS",
            "TURNPIKE_PORTAL_MAX_HEADER_BYTES",
            "TURNPIKE_PORTAL_MAX_CONNECTIONS");
    String controlPlane =
        read.url("TURNPIKE_PORTAL_CONTROL_PLANE_URL", "http://localhost:8081", true);
    String issuer = read.url("TURNPIKE_PORTAL_OIDC_ISSUER", null, true);
    String internal = read.url("TURNPIKE_PORTAL_OIDC_INTERNAL_URL", null, false);
    String clientId = read.string("TURNPIKE_PORTAL_CLIENT_ID", "turnpike-portal");
    String secret =
        read.unpublished(
            "TURNPIKE_PORTAL_CLIENT_SECRET",
            read.required("TURNPIKE_PORTAL_CLIENT_SECRET", "the portal client's secret"));
    String publicUrl = read.url("TURNPIKE_PORTAL_PUBLIC_URL", null, false);
    String domain = read.optional("TURNPIKE_PORTAL_HOST_DOMAIN");
    if (domain != null
        && !domain.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
      read.problem(
          "TURNPIKE_PORTAL_HOST_DOMAIN must be a lower-case DNS name like portal.example.com, was '"
              + domain
              + "'");
    }
    String gateway = read.url("TURNPIKE_PORTAL_GATEWAY_URL", "http://localhost:8080", true);
    TryItLimits tryIt =
        new TryItLimits(
            read.integer("TURNPIKE_PORTAL_TRY_IT_MAX_BODY_BYTES", 64 * 1024, 1024, 1 << 20),
            read.millis("TURNPIKE_PORTAL_TRY_IT_TIMEOUT_MS", 10_000, 100, 60_000),
            read.integer("TURNPIKE_PORTAL_TRY_IT_CALLS_PER_MINUTE", 10, 1, 600));
    int timeout = read.integer("TURNPIKE_PORTAL_SESSION_TIMEOUT_MINUTES", 30, 1, 1440);
    boolean cache = read.bool("TURNPIKE_PORTAL_CACHE_TEMPLATES", true);
    SessionDatabase sessionDatabase = sessionDatabase(read);
    // Logback applied these already (LogConfigurator); a bad one stops the service here.
    LogSettings.read(read);
    read.failOnProblems("developer portal");
    return new PortalSettings(
        host,
        port,
        listener,
        strip(controlPlane),
        strip(issuer),
        strip(internal),
        clientId,
        secret,
        publicUrl == null ? null : strip(publicUrl),
        domain,
        strip(gateway),
        tryIt,
        Duration.ofMinutes(timeout),
        cache,
        sessionDatabase);
  }

  /** All three variables or none: half a login would quietly leave the sessions in memory. */
  private static SessionDatabase sessionDatabase(SettingsReader read) {
    String url = read.optional("TURNPIKE_PORTAL_SESSION_DB_URL");
    String user = read.optional("TURNPIKE_PORTAL_SESSION_DB_USER");
    String password = read.secret("TURNPIKE_PORTAL_SESSION_DB_PASSWORD", false);
    boolean any = url != null || user != null || password != null;
    if (!any) {
      return null;
    }
    String why = "when any TURNPIKE_PORTAL_SESSION_DB_* is set (sessions in PostgreSQL)";
    read.requiredIf(true, "TURNPIKE_PORTAL_SESSION_DB_URL", why);
    read.requiredIf(true, "TURNPIKE_PORTAL_SESSION_DB_USER", why);
    if (password == null) {
      read.problem("TURNPIKE_PORTAL_SESSION_DB_PASSWORD is required " + why);
    }
    if (url != null && !url.startsWith("jdbc:postgresql:")) {
      read.problem(
          "TURNPIKE_PORTAL_SESSION_DB_URL must start with jdbc:postgresql:, was '" + url + "'");
    }
    return new SessionDatabase(url, user, password);
  }

  private static String strip(String url) {
    return url == null ? null : url.replaceAll("/+$", "");
  }
}
