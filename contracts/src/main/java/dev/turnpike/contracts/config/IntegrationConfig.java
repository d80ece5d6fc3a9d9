package dev.turnpike.contracts.config;

import java.util.Map;

/**
 * The backend of one route.
 *
 * @param uri backend URI; may hold {@code {pathParam}} and {@code ${stageVariables.x}}
 * @param requestParameters API Gateway style mappings, e.g. {@code
 *     integration.request.header.x-user} to {@code method.request.querystring.user}
 * @param mock the fixed response, for {@link IntegrationType#MOCK} only
 */
public record IntegrationConfig(
    IntegrationType type,
    String httpMethod,
    String uri,
    int connectTimeoutMillis,
    int timeoutMillis,
    Map<String, String> requestParameters,
    MockResponse mock) {
  public IntegrationConfig {
    type = type == null ? IntegrationType.UNKNOWN : type;
    requestParameters = requestParameters == null ? Map.of() : Map.copyOf(requestParameters);
  }
}
