package dev.turnpike.controlplane.api;

import dev.turnpike.contracts.config.MockResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A backend routes can point at.
 *
 * @param type {@code http}, {@code http_proxy} or {@code mock}
 * @param mock the fixed response, for {@code mock} only
 */
public record Integration(
    UUID id,
    UUID apiId,
    String type,
    String httpMethod,
    String uri,
    int connectTimeoutMillis,
    int timeoutMillis,
    Map<String, String> requestParameters,
    MockResponse mock,
    Instant createdAt) {
  public Integration {
    requestParameters = Map.copyOf(requestParameters);
  }
}
