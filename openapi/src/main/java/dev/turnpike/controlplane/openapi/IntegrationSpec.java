package dev.turnpike.controlplane.openapi;

import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.controlplane.api.Integration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An integration as a document describes it, checked and ready to be stored.
 *
 * @param function for aws_proxy only: the function its Lambda ARN names
 * @param payloadFormatVersion for aws_proxy only
 */
record IntegrationSpec(
    String type,
    String httpMethod,
    String uri,
    int connectTimeoutMillis,
    int timeoutMillis,
    Map<String, String> requestParameters,
    MockResponse mock,
    String function,
    String payloadFormatVersion) {
  IntegrationSpec {
    requestParameters = Map.copyOf(requestParameters);
  }

  IntegrationSpec(
      String type,
      String httpMethod,
      String uri,
      int connectTimeoutMillis,
      int timeoutMillis,
      Map<String, String> requestParameters,
      MockResponse mock) {
    this(
        type,
        httpMethod,
        uri,
        connectTimeoutMillis,
        timeoutMillis,
        requestParameters,
        mock,
        null,
        null);
  }

  /** A Lambda proxy integration: a POST of the event to the function its ARN names. */
  static IntegrationSpec awsProxy(
      String uri,
      String function,
      String payloadFormatVersion,
      int connectTimeoutMillis,
      int timeoutMillis) {
    return new IntegrationSpec(
        "aws_proxy",
        "POST",
        uri,
        connectTimeoutMillis,
        timeoutMillis,
        Map.of(),
        null,
        function,
        payloadFormatVersion == null ? FunctionTarget.PAYLOAD_1_0 : payloadFormatVersion);
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
        now,
        function,
        payloadFormatVersion);
  }
}
