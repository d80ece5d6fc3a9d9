package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The backend of one route.
 *
 * @param uri backend URI; may hold {@code {pathParam}} and {@code ${stageVariables.x}}
 * @param requestParameters API Gateway style mappings, e.g. {@code
 *     integration.request.header.x-user} to {@code method.request.querystring.user}
 * @param mock the fixed response, for {@link IntegrationType#MOCK} only
 * @param function the function to invoke, for {@link IntegrationType#AWS_PROXY} and {@link
 *     IntegrationType#AWS} only (in a deployment's record, resolved; in an export of the draft, its
 *     name and payload version with no invoke URL); omitted from the JSON when absent, so records
 *     of other types are unchanged
 * @param requestTemplates Velocity mapping templates by Content-Type, for {@code http}, {@code
 *     mock} and {@code aws}: the one for the request's type renders the integration request's body
 *     (for {@code mock}, a JSON object whose {@code statusCode} picks the response)
 * @param passthroughBehavior what a body without a template for its type does; null reads as {@link
 *     PassthroughBehavior#WHEN_NO_MATCH}
 * @param contentHandling how the request body changes between text and binary; null for as it is
 * @param responses the integration responses of a non-proxy integration, in the order their
 *     patterns are tried (the default one anywhere); empty for a proxy integration, and for a
 *     {@code mock} still described by {@link #mock()}
 * @param tls TLS to an HTTP backend beyond the defaults (custom CA, name to verify, client
 *     certificate); null, and omitted from the JSON, for the defaults
 */
public record IntegrationConfig(
    IntegrationType type,
    String httpMethod,
    String uri,
    int connectTimeoutMillis,
    int timeoutMillis,
    Map<String, String> requestParameters,
    MockResponse mock,
    @JsonInclude(JsonInclude.Include.NON_NULL) FunctionTarget function,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> requestTemplates,
    @JsonInclude(JsonInclude.Include.NON_NULL) PassthroughBehavior passthroughBehavior,
    @JsonInclude(JsonInclude.Include.NON_NULL) ContentHandling contentHandling,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<IntegrationResponse> responses,
    @JsonInclude(JsonInclude.Include.NON_NULL) BackendTls tls) {
  public IntegrationConfig {
    type = type == null ? IntegrationType.UNKNOWN : type;
    requestParameters = requestParameters == null ? Map.of() : Map.copyOf(requestParameters);
    requestTemplates = requestTemplates == null ? Map.of() : Map.copyOf(requestTemplates);
    responses = responses == null ? List.of() : List.copyOf(responses);
  }

  /** An integration with the default TLS to its backend. */
  public IntegrationConfig(
      IntegrationType type,
      String httpMethod,
      String uri,
      int connectTimeoutMillis,
      int timeoutMillis,
      Map<String, String> requestParameters,
      MockResponse mock,
      FunctionTarget function,
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
        requestTemplates,
        passthroughBehavior,
        contentHandling,
        responses,
        null);
  }

  /** This integration with other TLS settings for its backend (null for the defaults). */
  public IntegrationConfig withTls(BackendTls tls) {
    return new IntegrationConfig(
        type,
        httpMethod,
        uri,
        connectTimeoutMillis,
        timeoutMillis,
        requestParameters,
        mock,
        function,
        requestTemplates,
        passthroughBehavior,
        contentHandling,
        responses,
        tls == null || tls.isDefault() ? null : tls);
  }

  /** An integration without templates or integration responses. */
  public IntegrationConfig(
      IntegrationType type,
      String httpMethod,
      String uri,
      int connectTimeoutMillis,
      int timeoutMillis,
      Map<String, String> requestParameters,
      MockResponse mock,
      FunctionTarget function) {
    this(
        type,
        httpMethod,
        uri,
        connectTimeoutMillis,
        timeoutMillis,
        requestParameters,
        mock,
        function,
        Map.of(),
        null,
        null,
        List.of(),
        null);
  }

  /** {@link #passthroughBehavior()}, with its default applied. */
  public PassthroughBehavior passthrough() {
    return passthroughBehavior == null ? PassthroughBehavior.WHEN_NO_MATCH : passthroughBehavior;
  }

  /** An integration of any type but {@link IntegrationType#AWS_PROXY}. */
  public IntegrationConfig(
      IntegrationType type,
      String httpMethod,
      String uri,
      int connectTimeoutMillis,
      int timeoutMillis,
      Map<String, String> requestParameters,
      MockResponse mock) {
    this(type, httpMethod, uri, connectTimeoutMillis, timeoutMillis, requestParameters, mock, null);
  }

  /**
   * A Lambda proxy integration, as API Gateway's {@code aws_proxy}: always a POST of the event.
   *
   * @param uri the integration's Lambda invocation ARN as an AWS export spells it, or null when the
   *     integration was made by naming the function
   */
  public static IntegrationConfig awsProxy(
      String uri, int connectTimeoutMillis, int timeoutMillis, FunctionTarget function) {
    return new IntegrationConfig(
        IntegrationType.AWS_PROXY,
        "POST",
        uri,
        connectTimeoutMillis,
        timeoutMillis,
        Map.of(),
        null,
        function);
  }

  /**
   * A Lambda proxy integration made by naming the function (no invocation ARN), waiting at most
   * {@code timeoutMillis} (API Gateway's {@code timeoutInMillis}; 0 for its default of 29 s).
   */
  public static IntegrationConfig awsProxy(FunctionTarget function, int timeoutMillis) {
    return awsProxy(null, 0, timeoutMillis, function);
  }
}
