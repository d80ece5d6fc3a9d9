package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An API's CORS configuration as API Gateway's HTTP API {@code corsConfiguration}: the gateway
 * answers preflight requests itself and adds these headers to every response of the API.
 *
 * <p>The rules an owner's input must follow live here once ({@link #problems()}, {@link
 * #normalized()}): the control plane refuses what breaks them, the gateway compiles what passed.
 *
 * @param allowOrigins exact origins ({@code https://app.example.com}) or {@code *}
 * @param allowMethods methods a preflight allows, or {@code *}
 * @param allowHeaders request headers a preflight allows, or {@code *}
 * @param exposeHeaders response headers scripts may read, or {@code *}
 * @param maxAgeSeconds how long a browser may cache a preflight answer, -1 to 86400 as in API
 *     Gateway; null to leave it out. Named {@code maxAge} on the wire, as AWS names it.
 * @param allowCredentials refused together with an origin {@code *} (the Fetch standard forbids
 *     it); absent reads as false
 */
public record CorsConfiguration(
    List<String> allowOrigins,
    List<String> allowMethods,
    List<String> allowHeaders,
    List<String> exposeHeaders,
    @JsonProperty("maxAge") Integer maxAgeSeconds,
    Boolean allowCredentials) {
  public static final String ANY = "*";
  public static final int MIN_MAX_AGE = -1;
  public static final int MAX_MAX_AGE = 86_400;

  /** Bounds on what one API may configure, so its headers stay far below any header limit. */
  public static final int MAX_ENTRIES = 100;

  public static final int MAX_ENTRY_LENGTH = 256;

  /** The methods an HTTP API accepts in {@code allowMethods}. */
  public static final Set<String> METHODS =
      Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

  // scheme "://" host [":" port]: a DNS name, an IPv4 address or a bracketed IPv6 address; no
  // path, query, user info or trailing slash, as browsers serialize an origin.
  private static final Pattern ORIGIN =
      Pattern.compile(
          "^[a-z][a-z0-9+.-]*://"
              + "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
              + "|\\[[0-9a-f:.]+\\])"
              + "(?::([0-9]{1,5}))?$");

  // RFC 9110 token: the characters a header field name may have.
  private static final Pattern TOKEN = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$");

  public CorsConfiguration {
    allowOrigins = copy(allowOrigins);
    allowMethods = copy(allowMethods);
    allowHeaders = copy(allowHeaders);
    exposeHeaders = copy(exposeHeaders);
    // Optional on the wire, as in AWS: a primitive would make strict readers refuse its absence.
    allowCredentials = Boolean.TRUE.equals(allowCredentials);
  }

  /**
   * Null entries are kept, so that {@link #problems()} can name them instead of a parse failing.
   */
  private static List<String> copy(List<String> values) {
    if (values == null || values.isEmpty()) {
      return List.of();
    }
    // An immutable list may refuse even to be asked whether it holds null: copy, then look.
    List<String> copy = new ArrayList<>(values);
    return copy.contains(null) ? Collections.unmodifiableList(copy) : List.copyOf(copy);
  }

  /** Whether any origin is allowed ({@code *} among the origins). */
  public boolean anyOrigin() {
    return allowOrigins.contains(ANY);
  }

  /**
   * What is wrong with this configuration, by JSON pointer below the configuration ({@code
   * /allowOrigins/0}) with a message an owner can act on; empty when it may be saved and deployed.
   * Null entries are reported, never thrown on.
   */
  public Map<String, String> problems() {
    Map<String, String> problems = new LinkedHashMap<>();
    each(problems, "/allowOrigins", allowOrigins, CorsConfiguration::originProblem);
    each(problems, "/allowMethods", allowMethods, CorsConfiguration::methodProblem);
    each(problems, "/allowHeaders", allowHeaders, CorsConfiguration::headerProblem);
    each(problems, "/exposeHeaders", exposeHeaders, CorsConfiguration::headerProblem);
    if (maxAgeSeconds != null && (maxAgeSeconds < MIN_MAX_AGE || maxAgeSeconds > MAX_MAX_AGE)) {
      problems.put("/maxAge", "must be between -1 and 86400 seconds");
    }
    if (allowCredentials && allowOrigins.contains(ANY)) {
      problems.put(
          "/allowCredentials",
          "cannot be true when allowOrigins contains \"*\": the Fetch standard forbids credentials"
              + " with a wildcard origin; list the exact origins instead");
    }
    return problems;
  }

  /**
   * The same configuration in canonical form: origins lower-cased (browsers send them so), methods
   * upper-cased, duplicates dropped. Only meaningful for a configuration without {@link
   * #problems()}.
   */
  public CorsConfiguration normalized() {
    return new CorsConfiguration(
        distinct(allowOrigins, true, false),
        distinct(allowMethods, false, true),
        distinct(allowHeaders, false, false),
        distinct(exposeHeaders, false, false),
        maxAgeSeconds,
        allowCredentials);
  }

  private interface Rule {
    String problem(String value);
  }

  private static void each(
      Map<String, String> problems, String pointer, List<String> values, Rule rule) {
    if (values.size() > MAX_ENTRIES) {
      problems.put(pointer, "must have at most " + MAX_ENTRIES + " entries");
      return;
    }
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      String problem;
      if (value == null || value.isBlank()) {
        problem = "must not be empty";
      } else if (value.length() > MAX_ENTRY_LENGTH) {
        problem = "must be at most " + MAX_ENTRY_LENGTH + " characters";
      } else {
        problem = rule.problem(value);
      }
      if (problem != null) {
        problems.put(pointer + "/" + i, problem);
      }
    }
  }

  /** Null when {@code origin} is {@code *} or an origin as scheme://host[:port]. */
  public static String originProblem(String origin) {
    if (ANY.equals(origin)) {
      return null;
    }
    var matcher = ORIGIN.matcher(origin.toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      return "must be * or an origin as scheme://host[:port], without path or trailing slash";
    }
    String port = matcher.group(1);
    if (port != null) {
      int number = Integer.parseInt(port);
      if (number < 1 || number > 65_535) {
        return "port must be between 1 and 65535";
      }
    }
    return null;
  }

  private static String methodProblem(String method) {
    return ANY.equals(method) || METHODS.contains(method.toUpperCase(Locale.ROOT))
        ? null
        : "must be * or one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS";
  }

  private static String headerProblem(String header) {
    return TOKEN.matcher(header).matches() ? null : "must be * or a header field name";
  }

  private static List<String> distinct(List<String> values, boolean lower, boolean upper) {
    List<String> out = new ArrayList<>(values.size());
    for (String value : values) {
      String canonical =
          lower ? value.toLowerCase(Locale.ROOT) : upper ? value.toUpperCase(Locale.ROOT) : value;
      if (!out.contains(canonical)) {
        out.add(canonical);
      }
    }
    return out;
  }
}
