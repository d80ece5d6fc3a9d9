package dev.turnpike.controlplane.console;

import dev.turnpike.settings.SettingsReader;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * How the owner console signs people in. The console is off, and says so on every page, until its
 * OIDC client is configured; a half-configured console stops the control plane at start instead.
 *
 * @param publicUrl the URL browsers reach the control plane at (scheme, host, port; no path), from
 *     which the OIDC redirect URI {@code <publicUrl>/console/callback} is made; null when the
 *     console is not configured
 * @param clientId the console's confidential client at the identity provider
 * @param clientSecret its secret; null when the console is not configured
 * @param oidcInternalUrl the identity provider's realm as this server reaches it, when that is not
 *     the issuer's address browsers use (inside a container network); null: the issuer's. The
 *     console's own calls to the provider (discovery, token) go there; browsers are still sent to
 *     the issuer's address
 * @param sessionIdle how long a console session lives without a request
 * @param sessionCheck how often a signed-in session is checked at the identity provider (by
 *     refreshing its tokens), so a session ended or a user disabled there loses the console too
 * @param gatewayUrl the gateways' public base URL (e.g. {@code https://api.example.com}), from
 *     which pages show a stage's full addresses; null: pages show the addresses' paths only
 */
public record ConsoleSettings(
    String publicUrl,
    String clientId,
    String clientSecret,
    String oidcInternalUrl,
    Duration sessionIdle,
    Duration sessionCheck,
    String gatewayUrl) {
  public static final String PUBLIC_URL = "TURNPIKE_CP_CONSOLE_PUBLIC_URL";
  public static final String CLIENT_ID = "TURNPIKE_CP_CONSOLE_CLIENT_ID";
  public static final String CLIENT_SECRET = "TURNPIKE_CP_CONSOLE_CLIENT_SECRET";
  public static final String OIDC_INTERNAL_URL = "TURNPIKE_CP_CONSOLE_OIDC_INTERNAL_URL";
  public static final String SESSION_IDLE_MINUTES = "TURNPIKE_CP_CONSOLE_SESSION_IDLE_MINUTES";
  public static final String SESSION_CHECK_SECONDS = "TURNPIKE_CP_CONSOLE_SESSION_CHECK_SECONDS";
  public static final String GATEWAY_URL = "TURNPIKE_CP_CONSOLE_GATEWAY_URL";

  public ConsoleSettings {
    if (publicUrl != null && publicUrl.endsWith("/")) {
      publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
    }
    if (oidcInternalUrl != null && oidcInternalUrl.endsWith("/")) {
      oidcInternalUrl = oidcInternalUrl.substring(0, oidcInternalUrl.length() - 1);
    }
    if (gatewayUrl != null && gatewayUrl.endsWith("/")) {
      gatewayUrl = gatewayUrl.substring(0, gatewayUrl.length() - 1);
    }
  }

  /**
   * Reads the console's variables; defaults in brackets. {@code TURNPIKE_CP_CONSOLE_PUBLIC_URL}
   * (the URL browsers reach this server at, e.g. http://localhost:8081) and {@code
   * TURNPIKE_CP_CONSOLE_CLIENT_SECRET} together switch it on (neither: the console explains it is
   * not configured), {@code TURNPIKE_CP_CONSOLE_CLIENT_ID} [turnpike-console], {@code
   * TURNPIKE_CP_CONSOLE_SESSION_IDLE_MINUTES} [30], {@code
   * TURNPIKE_CP_CONSOLE_SESSION_CHECK_SECONDS} [60]: how often a session is re-checked at the
   * identity provider, {@code TURNPIKE_CP_CONSOLE_OIDC_INTERNAL_URL} [the issuer]: the realm as
   * this server reaches it, for the console's own calls to the identity provider, {@code
   * TURNPIKE_CP_CONSOLE_GATEWAY_URL} [none]: where clients reach the gateways, for the addresses
   * pages show.
   *
   * @throws IllegalArgumentException listing every problem found
   */
  public static ConsoleSettings fromEnvironment(Map<String, String> env) {
    SettingsReader read = new SettingsReader(env);
    ConsoleSettings settings = read(read);
    read.failOnProblems("console");
    return settings;
  }

  private static ConsoleSettings read(SettingsReader read) {
    String publicUrl = read.url(PUBLIC_URL, null, false);
    String secret = read.unpublished(CLIENT_SECRET, read.string(CLIENT_SECRET, null));
    if (publicUrl != null && secret == null) {
      read.problem(
          CLIENT_SECRET
              + " is required when "
              + PUBLIC_URL
              + " is set: the console's OIDC client secret");
    }
    if (publicUrl == null && secret != null) {
      read.problem(
          PUBLIC_URL
              + " is required when "
              + CLIENT_SECRET
              + " is set: the URL browsers reach the control plane at");
    }
    if (publicUrl != null && hasPath(publicUrl)) {
      read.problem(PUBLIC_URL + " must have no path, was '" + publicUrl + "'");
    }
    return new ConsoleSettings(
        publicUrl,
        read.string(CLIENT_ID, "turnpike-console"),
        secret,
        read.url(OIDC_INTERNAL_URL, null, false),
        java.time.Duration.ofMinutes(read.integer(SESSION_IDLE_MINUTES, 30, 1, 24 * 60)),
        java.time.Duration.ofSeconds(read.integer(SESSION_CHECK_SECONDS, 60, 0, 3600)),
        read.url(GATEWAY_URL, null, false));
  }

  private static boolean hasPath(String url) {
    try {
      String path = new java.net.URI(url).getRawPath();
      return path != null && path.length() > 1;
    } catch (java.net.URISyntaxException e) {
      return false; // already reported as not a URL
    }
  }

  public boolean configured() {
    return publicUrl != null && clientSecret != null;
  }

  /** Cookies get the Secure flag when browsers reach the console over HTTPS. */
  public boolean secure() {
    return publicUrl != null && URI.create(publicUrl).getScheme().equals("https");
  }

  public String redirectUri() {
    return publicUrl + "/console/callback";
  }

  @Override
  public String toString() {
    // The secret stays out of logs.
    return "ConsoleSettings[publicUrl="
        + publicUrl
        + ", clientId="
        + clientId
        + ", oidcInternalUrl="
        + oidcInternalUrl
        + ", gatewayUrl="
        + gatewayUrl
        + ", configured="
        + configured()
        + "]";
  }
}
