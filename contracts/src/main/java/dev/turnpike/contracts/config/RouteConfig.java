package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One method on one resource of a deployed API.
 *
 * @param method GET, POST, ... or ANY
 * @param resourcePath e.g. {@code /pets/{petId}} or {@code /{proxy+}}
 * @param validation the request checks before the integration is called; null for none
 * @param authorization the authorizer callers must pass; null for none
 * @param cacheKeyParameters the request parameters that tell cached responses apart, as API
 *     Gateway's {@code cacheKeyParameters} name them ({@code method.request.path.x}, {@code
 *     method.request.querystring.x}, {@code method.request.header.x}); omitted from the JSON when
 *     empty, so routes without them are unchanged
 */
public record RouteConfig(
    String routeId,
    String method,
    String resourcePath,
    boolean apiKeyRequired,
    IntegrationConfig integration,
    RequestValidation validation,
    RouteAuthorization authorization,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> cacheKeyParameters) {
  public RouteConfig {
    cacheKeyParameters = cacheKeyParameters == null ? List.of() : List.copyOf(cacheKeyParameters);
  }

  /** A route whose cached responses, if any, are told apart by method and path alone. */
  public RouteConfig(
      String routeId,
      String method,
      String resourcePath,
      boolean apiKeyRequired,
      IntegrationConfig integration,
      RequestValidation validation,
      RouteAuthorization authorization) {
    this(
        routeId,
        method,
        resourcePath,
        apiKeyRequired,
        integration,
        validation,
        authorization,
        null);
  }

  /** A route without an authorizer. */
  public RouteConfig(
      String routeId,
      String method,
      String resourcePath,
      boolean apiKeyRequired,
      IntegrationConfig integration,
      RequestValidation validation) {
    this(routeId, method, resourcePath, apiKeyRequired, integration, validation, null, null);
  }

  /** A route without request validation or an authorizer. */
  public RouteConfig(
      String routeId,
      String method,
      String resourcePath,
      boolean apiKeyRequired,
      IntegrationConfig integration) {
    this(routeId, method, resourcePath, apiKeyRequired, integration, null, null, null);
  }

  /** This route with another integration (a stage's settings applied to it). */
  public RouteConfig withIntegration(IntegrationConfig other) {
    return new RouteConfig(
        routeId, method, resourcePath, apiKeyRequired, other, validation, authorization);
  }
}
