package dev.turnpike.controlplane.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.turnpike.contracts.config.ContentHandling;
import dev.turnpike.contracts.config.IntegrationResponse;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.PassthroughBehavior;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A backend routes can point at. The mapping fields carry API Gateway's names for them.
 *
 * @param type {@code http}, {@code http_proxy}, {@code mock}, {@code aws_proxy} or {@code aws}
 * @param uri for {@code aws_proxy} and {@code aws}, the Lambda invocation ARN an imported document
 *     carried (kept for export), or null
 * @param mock the fixed response, for {@code mock} only (a mock may instead answer with its
 *     integration responses)
 * @param function for {@code aws_proxy} and {@code aws} only: the function it invokes, a Lambda
 *     function name, optionally {@code name:alias}, possibly holding {@code ${stageVariables.x}}
 * @param payloadFormatVersion for {@code aws_proxy} only: {@code 1.0} or {@code 2.0}
 * @param requestTemplates Velocity mapping templates by Content-Type, for {@code http}, {@code
 *     mock} and {@code aws}
 * @param passthroughBehavior what a body without a template for its type does; null for API
 *     Gateway's default, {@code when_no_match}
 * @param contentHandling how the request body changes between text and binary; null for as it is
 * @param integrationResponses the integration responses, in the order their selection patterns are
 *     tried
 * @param tlsConfig for {@code http} and {@code http_proxy}: TLS to the backend beyond the defaults,
 *     null for none
 * @param cacheKeyParameters API Gateway's {@code cacheKeyParameters}: the request values ({@code
 *     method.request.{path|querystring|header}.NAME}) that tell its routes' cached responses apart
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
    @JsonInclude(JsonInclude.Include.NON_NULL) String payloadFormatVersion,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> requestTemplates,
    @JsonInclude(JsonInclude.Include.NON_NULL) PassthroughBehavior passthroughBehavior,
    @JsonInclude(JsonInclude.Include.NON_NULL) ContentHandling contentHandling,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<IntegrationResponse> integrationResponses,
    @JsonInclude(JsonInclude.Include.NON_NULL) IntegrationTlsConfig tlsConfig,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> cacheKeyParameters) {
  /** What the API tells an owner along with an integration that skips backend verification. */
  public static final String INSECURE_WARNING =
      "tlsConfig.insecureSkipVerification is on: the gateway accepts any certificate for any name"
          + " from this backend, so anyone on the path can read and change its traffic. Use"
          + " trustedCaPem instead for a private CA.";

  public Integration {
    cacheKeyParameters = cacheKeyParameters == null ? List.of() : List.copyOf(cacheKeyParameters);
    requestParameters = Map.copyOf(requestParameters);
    requestTemplates = requestTemplates == null ? Map.of() : Map.copyOf(requestTemplates);
    integrationResponses =
        integrationResponses == null ? List.of() : List.copyOf(integrationResponses);
  }

  /** An integration with the default TLS to its backend and without cache key parameters. */
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
      Instant createdAt,
      String function,
      String payloadFormatVersion,
      Map<String, String> requestTemplates,
      PassthroughBehavior passthroughBehavior,
      ContentHandling contentHandling,
      List<IntegrationResponse> integrationResponses) {
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
        function,
        payloadFormatVersion,
        requestTemplates,
        passthroughBehavior,
        contentHandling,
        integrationResponses,
        null,
        List.of());
  }

  /** Warnings about this integration's settings, in the API's answers; empty for none. */
  @JsonProperty("warnings")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public List<String> warnings() {
    return tlsConfig != null && tlsConfig.insecureSkipVerification()
        ? List.of(INSECURE_WARNING)
        : List.of();
  }

  /** The same integration with other TLS settings (null, or defaults, for none). */
  public Integration withTlsConfig(IntegrationTlsConfig tls) {
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
        createdAt,
        function,
        payloadFormatVersion,
        requestTemplates,
        passthroughBehavior,
        contentHandling,
        integrationResponses,
        tls == null || tls.isDefault() ? null : tls,
        cacheKeyParameters);
  }

  /** The same integration with these cache key parameters. */
  public Integration withCacheKeyParameters(List<String> parameters) {
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
        createdAt,
        function,
        payloadFormatVersion,
        requestTemplates,
        passthroughBehavior,
        contentHandling,
        integrationResponses,
        tlsConfig,
        parameters);
  }

  /** An integration without mapping templates or integration responses. */
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
      Instant createdAt,
      String function,
      String payloadFormatVersion) {
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
        function,
        payloadFormatVersion,
        Map.of(),
        null,
        null,
        List.of());
  }

  /** An integration of any type but {@code aws_proxy} and {@code aws}, without mappings. */
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
        payloadFormatVersion,
        requestTemplates,
        passthroughBehavior,
        contentHandling,
        integrationResponses,
        tlsConfig,
        cacheKeyParameters);
  }

  /** The same integration with these mappings. */
  public Integration withMappings(
      Map<String, String> requestTemplates,
      PassthroughBehavior passthroughBehavior,
      ContentHandling contentHandling,
      List<IntegrationResponse> integrationResponses) {
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
        createdAt,
        function,
        payloadFormatVersion,
        requestTemplates,
        passthroughBehavior,
        contentHandling,
        integrationResponses,
        tlsConfig,
        cacheKeyParameters);
  }
}
