package dev.turnpike.controlplane.openapi;

import dev.turnpike.contracts.config.ContentHandling;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationResponse;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.PassthroughBehavior;
import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.IntegrationTlsConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An integration as a document describes it, checked and ready to be stored.
 *
 * @param function for aws_proxy and aws only: the function its Lambda ARN names
 * @param payloadFormatVersion for aws_proxy only
 * @param responses the integration responses in the order they are tried
 * @param tls for http and http_proxy: the document's {@code tlsConfig}, null for none
 * @param cacheKeyParameters API Gateway's {@code cacheKeyParameters}
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
    String payloadFormatVersion,
    Map<String, String> requestTemplates,
    PassthroughBehavior passthroughBehavior,
    ContentHandling contentHandling,
    List<IntegrationResponse> responses,
    IntegrationTlsConfig tls,
    List<String> cacheKeyParameters) {
  IntegrationSpec {
    cacheKeyParameters = cacheKeyParameters == null ? List.of() : List.copyOf(cacheKeyParameters);
    requestParameters = Map.copyOf(requestParameters);
    requestTemplates = requestTemplates == null ? Map.of() : Map.copyOf(requestTemplates);
    responses = responses == null ? List.of() : List.copyOf(responses);
  }

  IntegrationSpec(
      String type,
      String httpMethod,
      String uri,
      int connectTimeoutMillis,
      int timeoutMillis,
      Map<String, String> requestParameters,
      MockResponse mock,
      String function,
      String payloadFormatVersion,
      Map<String, String> requestTemplates,
      PassthroughBehavior passthroughBehavior,
      ContentHandling contentHandling,
      List<IntegrationResponse> responses) {
    this(
        type,
        httpMethod,
        uri,
        connectTimeoutMillis,
        timeoutMillis,
        requestParameters,
        mock,
        function,
        payloadFormatVersion,
        requestTemplates,
        passthroughBehavior,
        contentHandling,
        responses,
        null,
        List.of());
  }

  /** The same integration with these TLS settings. */
  IntegrationSpec withTls(IntegrationTlsConfig tls) {
    return new IntegrationSpec(
        type,
        httpMethod,
        uri,
        connectTimeoutMillis,
        timeoutMillis,
        requestParameters,
        mock,
        function,
        payloadFormatVersion,
        requestTemplates,
        passthroughBehavior,
        contentHandling,
        responses,
        tls,
        cacheKeyParameters);
  }

  /** The same integration with these cache key parameters. */
  IntegrationSpec withCacheKeyParameters(List<String> parameters) {
    return new IntegrationSpec(
        type,
        httpMethod,
        uri,
        connectTimeoutMillis,
        timeoutMillis,
        requestParameters,
        mock,
        function,
        payloadFormatVersion,
        requestTemplates,
        passthroughBehavior,
        contentHandling,
        responses,
        tls,
        parameters);
  }

  IntegrationSpec(
      String type,
      String httpMethod,
      String uri,
      int connectTimeoutMillis,
      int timeoutMillis,
      Map<String, String> requestParameters,
      MockResponse mock,
      String function,
      String payloadFormatVersion) {
    this(
        type,
        httpMethod,
        uri,
        connectTimeoutMillis,
        timeoutMillis,
        requestParameters,
        mock,
        function,
        payloadFormatVersion,
        Map.of(),
        null,
        null,
        List.of());
  }

  /** The same integration with these mappings. */
  IntegrationSpec withMappings(
      Map<String, String> requestTemplates,
      PassthroughBehavior passthroughBehavior,
      ContentHandling contentHandling,
      List<IntegrationResponse> responses) {
    return new IntegrationSpec(
        type,
        httpMethod,
        uri,
        connectTimeoutMillis,
        timeoutMillis,
        requestParameters,
        mock,
        function,
        payloadFormatVersion,
        requestTemplates,
        passthroughBehavior,
        contentHandling,
        responses,
        tls,
        cacheKeyParameters);
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
        payloadFormatVersion,
        requestTemplates,
        passthroughBehavior,
        contentHandling,
        responses,
        tls == null || tls.isDefault() ? null : tls,
        cacheKeyParameters);
  }
}
