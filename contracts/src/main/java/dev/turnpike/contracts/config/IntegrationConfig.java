package dev.turnpike.contracts.config;

import java.util.Map;

/**
 * The backend of one route.
 *
 * @param uri backend URI; may hold {@code {pathParam}} and {@code ${stageVariables.x}}
 * @param requestParameters API Gateway style mappings, e.g. {@code
 *     integration.request.header.x-user} to {@code method.request.querystring.user}
 * @param mock the fixed response, for {@link IntegrationType#MOCK} only
 * @param function the function to invoke, for {@link IntegrationType#AWS_PROXY} only
 */
public record IntegrationConfig(
    IntegrationType type,
    String httpMethod,
    String uri,
    int connectTimeoutMillis,
    int timeoutMillis,
    Map<String, String> requestParameters,
    MockResponse mock,
    FunctionTarget function) {
  public IntegrationConfig {
    type = type == null ? IntegrationType.UNKNOWN : type;
    requestParameters = requestParameters == null ? Map.of() : Map.copyOf(requestParameters);
  }

  /** An integration that is not a function's. */
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
   * A Lambda proxy integration ({@code aws_proxy}) to {@code function}, waiting at most {@code
   * timeoutMillis} (API Gateway's {@code timeoutInMillis}; 0 for its default of 29 s).
   */
  public static IntegrationConfig awsProxy(FunctionTarget function, int timeoutMillis) {
    return new IntegrationConfig(
        IntegrationType.AWS_PROXY, "POST", null, 0, timeoutMillis, null, null, function);
  }
}
