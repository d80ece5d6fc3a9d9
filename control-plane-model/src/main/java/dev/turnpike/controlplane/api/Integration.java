package dev.turnpike.controlplane.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.turnpike.contracts.config.MockResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A backend routes can point at.
 *
 * @param type {@code http}, {@code http_proxy}, {@code mock} or {@code aws_proxy}
 * @param uri for {@code aws_proxy}, the Lambda invocation ARN an imported document carried (kept
 *     for export), or null
 * @param mock the fixed response, for {@code mock} only
 * @param function for {@code aws_proxy} only: the function it invokes, a Lambda function name,
 *     optionally {@code name:alias}, possibly holding {@code ${stageVariables.x}}
 * @param payloadFormatVersion for {@code aws_proxy} only: {@code 1.0} or {@code 2.0}
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
    Instant createdAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String function,
    @JsonInclude(JsonInclude.Include.NON_NULL) String payloadFormatVersion) {
  public Integration {
    requestParameters = Map.copyOf(requestParameters);
  }

  /** An integration of any type but {@code aws_proxy}. */
  public Integration(
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
    this(
        id,
        apiId,
        type,
        httpMethod,
        uri,
        connectTimeoutMillis,
        timeoutMillis,
        requestParameters,
        mock,
        createdAt,
        null,
        null);
  }

  /** The same integration with another creation time. */
  public Integration withCreatedAt(Instant at) {
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
        at,
        function,
        payloadFormatVersion);
  }
}
