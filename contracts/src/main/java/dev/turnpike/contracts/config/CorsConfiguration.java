package dev.turnpike.contracts.config;

import java.util.List;

/**
 * An API's CORS configuration as API Gateway's HTTP API {@code corsConfiguration}: the gateway
 * answers preflight requests itself and adds these headers to every response of the API.
 *
 * @param allowOrigins exact origins ({@code https://app.example.com}) or {@code *}
 * @param maxAgeSeconds how long a browser may cache a preflight answer; null to leave it out
 * @param allowCredentials refused together with an origin {@code *} (the Fetch standard forbids it)
 */
public record CorsConfiguration(
    List<String> allowOrigins,
    List<String> allowMethods,
    List<String> allowHeaders,
    List<String> exposeHeaders,
    Integer maxAgeSeconds,
    boolean allowCredentials) {
  public CorsConfiguration {
    allowOrigins = allowOrigins == null ? List.of() : List.copyOf(allowOrigins);
    allowMethods = allowMethods == null ? List.of() : List.copyOf(allowMethods);
    allowHeaders = allowHeaders == null ? List.of() : List.copyOf(allowHeaders);
    exposeHeaders = exposeHeaders == null ? List.of() : List.copyOf(exposeHeaders);
  }
}
