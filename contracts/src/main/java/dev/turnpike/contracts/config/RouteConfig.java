package dev.turnpike.contracts.config;

/**
 * One method on one resource of a deployed API.
 *
 * @param method GET, POST, ... or ANY
 * @param resourcePath e.g. {@code /pets/{petId}} or {@code /{proxy+}}
 * @param validation the request checks before the integration is called; null for none
 * @param authorization the authorizer callers must pass; null for none
 */
public record RouteConfig(
    String routeId,
    String method,
    String resourcePath,
    boolean apiKeyRequired,
    IntegrationConfig integration,
    RequestValidation validation,
    RouteAuthorization authorization) {
  /** A route without an authorizer. */
  public RouteConfig(
      String routeId,
      String method,
      String resourcePath,
      boolean apiKeyRequired,
      IntegrationConfig integration,
      RequestValidation validation) {
    this(routeId, method, resourcePath, apiKeyRequired, integration, validation, null);
  }

  /** A route without request validation or an authorizer. */
  public RouteConfig(
      String routeId,
      String method,
      String resourcePath,
      boolean apiKeyRequired,
      IntegrationConfig integration) {
    this(routeId, method, resourcePath, apiKeyRequired, integration, null, null);
  }

  /** This route with another integration (a stage's settings applied to it). */
  public RouteConfig withIntegration(IntegrationConfig other) {
    return new RouteConfig(
        routeId, method, resourcePath, apiKeyRequired, other, validation, authorization);
  }
}
