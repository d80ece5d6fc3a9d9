package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The backend of one route.
 *
 * @param uri backend URI; may hold {@code {pathParam}} and {@code ${stageVariables.x}}
 * @param requestParameters API Gateway style mappings, e.g. {@code
 *     integration.request.header.x-user} to {@code method.request.querystring.user}
 * @param mock the fixed response, for {@link IntegrationType#MOCK} only
 * @param function the function to invoke, for {@link IntegrationType#AWS_PROXY} only (in a
 *     deployment's record, resolved; in an export of the draft, its name and payload version with
 *     no invoke URL); omitted from the JSON when absent, so records of other types are unchanged
 */
public record IntegrationConfig(
    IntegrationType type,
    String httpMethod,
    String uri,
    int connectTimeoutMillis,
    int timeoutMillis,
    Map<String, String> requestParameters,
    MockResponse mock,
    @JsonInclude(JsonInclude.Include.NON_NULL) FunctionTarget function) {
  public IntegrationConfig {
    type = type == null ? IntegrationType.UNKNOWN : type;
    requestParameters = requestParameters == null ? Map.of() : Map.copyOf(requestParameters);
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
