package dev.turnpike.contracts.config;

/**
 * One method on one resource of a deployed API.
 *
 * @param method GET, POST, ... or ANY
 * @param resourcePath e.g. {@code /pets/{petId}} or {@code /{proxy+}}
 * @param validation the request checks before the integration is called; null for none
 */
public record RouteConfig(
    String routeId,
    String method,
    String resourcePath,
    boolean apiKeyRequired,
    IntegrationConfig integration,
    RequestValidation validation) {
  /** A route without request validation. */
  public RouteConfig(
      String routeId,
      String method,
      String resourcePath,
      boolean apiKeyRequired,
      IntegrationConfig integration) {
    this(routeId, method, resourcePath, apiKeyRequired, integration, null);
  }
}
