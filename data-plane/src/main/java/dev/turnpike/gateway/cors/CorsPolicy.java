package dev.turnpike.gateway.cors;

import dev.turnpike.contracts.config.CorsConfiguration;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Set;

/**
 * An API's CORS configuration compiled at deploy time: a set lookup for the origin and header
 * values joined once, so that a request pays for a hash lookup and a few header writes. Immutable;
 * shared by every event loop. A stage without CORS has no policy at all (null) and pays nothing.
 *
 * <p>As API Gateway's HTTP APIs do, the configured headers replace any CORS headers the backend
 * sent, and an origin that is not allowed gets no CORS headers (the browser then refuses the answer
 * to the page).
 */
public final class CorsPolicy {
  static final String ALLOW_ORIGIN = "access-control-allow-origin";
  static final String ALLOW_CREDENTIALS = "access-control-allow-credentials";
  static final String EXPOSE_HEADERS = "access-control-expose-headers";
  static final String ALLOW_METHODS = "access-control-allow-methods";
  static final String ALLOW_HEADERS = "access-control-allow-headers";
  static final String MAX_AGE = "access-control-max-age";
  static final String REQUEST_METHOD = "access-control-request-method";
  static final String REQUEST_HEADERS = "access-control-request-headers";
  static final String ORIGIN = "origin";
  static final String VARY = "vary";

  private static final List<String> CORS_HEADERS =
      List.of(
          ALLOW_ORIGIN, ALLOW_CREDENTIALS, EXPOSE_HEADERS, ALLOW_METHODS, ALLOW_HEADERS, MAX_AGE);

  private final Set<String> origins;
  private final boolean anyOrigin;
  private final boolean credentials;
  private final String allowMethods;
  private final String allowHeaders;
  private final String exposeHeaders;
  private final String maxAge;
  // With credentials a "*" is no wildcard to the browser (the Fetch standard reads it literally):
  // the preflight answers with what was asked instead, which is what the owner meant.
  private final boolean reflectMethods;
  private final boolean reflectHeaders;

  private CorsPolicy(CorsConfiguration config) {
    CorsConfiguration canonical = config.normalized();
    this.anyOrigin = canonical.anyOrigin();
    this.origins = Set.copyOf(canonical.allowOrigins());
    this.credentials = canonical.allowCredentials() && !anyOrigin;
    this.reflectMethods = credentials && canonical.allowMethods().contains(CorsConfiguration.ANY);
    this.reflectHeaders = credentials && canonical.allowHeaders().contains(CorsConfiguration.ANY);
    this.allowMethods = joined(canonical.allowMethods());
    this.allowHeaders = joined(canonical.allowHeaders());
    this.exposeHeaders = joined(canonical.exposeHeaders());
    this.maxAge =
        canonical.maxAgeSeconds() == null ? null : Integer.toString(canonical.maxAgeSeconds());
  }

  /** The stage's policy, or null when the API has no CORS configuration. */
  public static CorsPolicy compile(CorsConfiguration config) {
    return config == null ? null : new CorsPolicy(config);
  }

  /** Whether a page of {@code origin} may read this API's answers. */
  public boolean allows(String origin) {
    return origin != null && (anyOrigin || origins.contains(origin));
  }

  /**
   * Whether {@code request} is a CORS preflight: an {@code OPTIONS} with an {@code Origin} and the
   * method the page means to send.
   */
  public static boolean isPreflight(HttpServerRequest request) {
    return request.method() == HttpMethod.OPTIONS
        && request.getHeader(ORIGIN) != null
        && request.getHeader(REQUEST_METHOD) != null;
  }

  /** Answers a preflight: 204, with the CORS headers only when the origin is allowed. */
  public void answerPreflight(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    MultiMap headers = response.headers();
    String origin = request.getHeader(ORIGIN);
    headers.set(VARY, "Origin");
    if (allows(origin)) {
      putOriginHeaders(headers, origin);
      String methods = reflectMethods ? request.getHeader(REQUEST_METHOD) : allowMethods;
      if (methods != null) {
        headers.set(ALLOW_METHODS, methods);
      }
      String requested = request.getHeader(REQUEST_HEADERS);
      String allowed = reflectHeaders ? requested : allowHeaders;
      if (allowed != null && !allowed.isEmpty()) {
        headers.set(ALLOW_HEADERS, allowed);
      }
      if (maxAge != null) {
        headers.set(MAX_AGE, maxAge);
      }
    }
    response.setStatusCode(204).end();
  }

  /**
   * Replaces any CORS headers in {@code headers} with this API's for {@code origin}. The gateway
   * calls it as an answer's head is written, whoever wrote the rest (the backend, a mock, a gateway
   * error, a template), from the one head handler it shares with compression.
   */
  public void decorate(MultiMap headers, String origin) {
    for (int i = 0; i < CORS_HEADERS.size(); i++) {
      headers.remove(CORS_HEADERS.get(i));
    }
    addVaryOrigin(headers);
    if (allows(origin)) {
      putOriginHeaders(headers, origin);
      if (exposeHeaders != null) {
        headers.set(EXPOSE_HEADERS, exposeHeaders);
      }
    }
  }

  private void putOriginHeaders(MultiMap headers, String origin) {
    headers.set(ALLOW_ORIGIN, anyOrigin ? CorsConfiguration.ANY : origin);
    if (credentials) {
      headers.set(ALLOW_CREDENTIALS, "true");
    }
  }

  /**
   * The answer differs by origin, so caches must keep one per origin; a backend's own {@code Vary}
   * is kept and extended in one header line.
   */
  static void addVaryOrigin(MultiMap headers) {
    List<String> varies = headers.getAll(VARY);
    if (varies.isEmpty()) {
      headers.set(VARY, "Origin");
      return;
    }
    for (String vary : varies) {
      for (String token : vary.split(",")) {
        String name = token.trim();
        if (name.equals("*") || name.equalsIgnoreCase("origin")) {
          return;
        }
      }
    }
    headers.set(VARY, String.join(", ", varies) + ", Origin");
  }

  private static String joined(List<String> values) {
    return values.isEmpty() ? null : String.join(",", values);
  }

  @Override
  public String toString() {
    return "CorsPolicy[origins="
        + (anyOrigin ? "*" : origins)
        + ", credentials="
        + credentials
        + "]";
  }
}
