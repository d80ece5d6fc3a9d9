package dev.turnpike.portal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything the portal is configured with, read once at start. See {@link #fromEnvironment(Map)}
 * for the variable names and defaults.
 *
 * @param publicUrl the portal's address as browsers reach it (the OIDC redirect URI is derived from
 *     it); null to use {@code http://localhost:<port>} once the port is known
 * @param hostDomain with {@code portal.example.com}, {@code acme.portal.example.com} serves tenant
 *     {@code acme}'s portal; null for path-style portals only ({@code /portal/acme})
 * @param gatewayUrl the gateway's base URL, for the try-it panel's calls
 * @param oidcInternalUrl the identity provider's realm as the portal reaches it, when that is not
 *     the issuer's address browsers use (inside a container network); null: the issuer's. The
 *     portal's own calls to the provider (discovery, token) go there; browsers are still sent to
 *     the issuer's address
 */
public record PortalSettings(
    String host,
    int port,
    String controlPlaneUrl,
    String oidcIssuer,
    String oidcInternalUrl,
    String clientId,
    String clientSecret,
    String publicUrl,
    String hostDomain,
    String gatewayUrl,
    Duration sessionTimeout,
    boolean cacheTemplates) {

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
        controlPlaneUrl,
        oidcIssuer,
        oidcInternalUrl,
        clientId,
        clientSecret,
        "http://localhost:" + actualPort,
        hostDomain,
        gatewayUrl,
        sessionTimeout,
        cacheTemplates);
  }

  /**
   * Reads the variables below; defaults in brackets, required ones marked so.
   *
   * <ul>
   *   <li>{@code TURNPIKE_PORTAL_HOST} [0.0.0.0], {@code TURNPIKE_PORTAL_PORT} [8082]
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
   *   <li>{@code TURNPIKE_PORTAL_SESSION_TIMEOUT_MINUTES} [30]
   *   <li>{@code TURNPIKE_PORTAL_CACHE_TEMPLATES} [true]
   * </ul>
   *
   * @throws IllegalArgumentException naming every missing or invalid variable
   */
  public static PortalSettings fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    String host = env.getOrDefault("TURNPIKE_PORTAL_HOST", "0.0.0.0");
    int port = integer(env, problems, "TURNPIKE_PORTAL_PORT", 8082, 0, 65_535);
    String controlPlane =
        url(env, problems, "TURNPIKE_PORTAL_CONTROL_PLANE_URL", "http://localhost:8081", true);
    String issuer = url(env, problems, "TURNPIKE_PORTAL_OIDC_ISSUER", null, true);
    String internal = url(env, problems, "TURNPIKE_PORTAL_OIDC_INTERNAL_URL", null, false);
    String clientId = env.getOrDefault("TURNPIKE_PORTAL_CLIENT_ID", "turnpike-portal");
    if (clientId.isBlank()) {
      problems.add("TURNPIKE_PORTAL_CLIENT_ID must not be blank");
    }
    String secret = env.get("TURNPIKE_PORTAL_CLIENT_SECRET");
    if (secret == null || secret.isBlank()) {
      problems.add("TURNPIKE_PORTAL_CLIENT_SECRET is required: the portal client's secret");
    }
    String publicUrl = url(env, problems, "TURNPIKE_PORTAL_PUBLIC_URL", null, false);
    String domain = env.get("TURNPIKE_PORTAL_HOST_DOMAIN");
    if (domain != null
        && !domain.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
      problems.add(
          "TURNPIKE_PORTAL_HOST_DOMAIN must be a lower-case DNS name like portal.example.com, was '"
              + domain
              + "'");
    }
    String gateway =
        url(env, problems, "TURNPIKE_PORTAL_GATEWAY_URL", "http://localhost:8080", true);
    int timeout = integer(env, problems, "TURNPIKE_PORTAL_SESSION_TIMEOUT_MINUTES", 30, 1, 1440);
    String cache = env.getOrDefault("TURNPIKE_PORTAL_CACHE_TEMPLATES", "true");
    if (!cache.equals("true") && !cache.equals("false")) {
      problems.add("TURNPIKE_PORTAL_CACHE_TEMPLATES must be true or false, was '" + cache + "'");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "developer portal settings are invalid: " + String.join("; ", problems));
    }
    return new PortalSettings(
        host,
        port,
        strip(controlPlane),
        strip(issuer),
        strip(internal),
        clientId,
        secret,
        publicUrl == null ? null : strip(publicUrl),
        domain,
        strip(gateway),
        Duration.ofMinutes(timeout),
        Boolean.parseBoolean(cache));
  }

  private static int integer(
      Map<String, String> env, List<String> problems, String key, int fallback, int min, int max) {
    String value = env.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.strip());
      if (parsed < min || parsed > max) {
        problems.add(key + " must be between " + min + " and " + max + ", was " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      problems.add(key + " must be a whole number, was '" + value + "'");
      return fallback;
    }
  }

  private static String url(
      Map<String, String> env, List<String> problems, String key, String fallback, boolean req) {
    String value = env.getOrDefault(key, fallback);
    if (value == null) {
      if (req) {
        problems.add(key + " is required: an absolute http(s) URL");
      }
      return null;
    }
    try {
      URI uri = new URI(value);
      if (!uri.isAbsolute()
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        problems.add(key + " must be an absolute http(s) URL, was '" + value + "'");
      }
    } catch (URISyntaxException e) {
      problems.add(key + " must be an absolute http(s) URL, was '" + value + "'");
    }
    return value;
  }

  private static String strip(String url) {
    return url == null ? null : url.replaceAll("/+$", "");
  }
}
