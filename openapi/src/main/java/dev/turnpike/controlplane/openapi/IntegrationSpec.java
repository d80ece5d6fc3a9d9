package dev.turnpike.controlplane.openapi;

import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.controlplane.api.Integration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** An integration as a document describes it, checked and ready to be stored. */
record IntegrationSpec(
    String type,
    String httpMethod,
    String uri,
    int connectTimeoutMillis,
    int timeoutMillis,
    Map<String, String> requestParameters,
    MockResponse mock) {
  IntegrationSpec {
    requestParameters = Map.copyOf(requestParameters);
  }

  Integration toIntegration(UUID id, UUID apiId, Instant now) {
    return new Integration(
        id,
        apiId,
        type,
        httpMethod,
        uri,
        connectTimeoutMillis,
        timeoutMillis,
        requestParameters,
        mock,
        now);
  }
}
