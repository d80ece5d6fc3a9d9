package dev.turnpike.gateway.function;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.RouteConfig;
import java.util.List;

/**
 * What a function's event says about the route and stage it was called through, fixed per
 * deployment.
 *
 * @param httpMethod the route's method as deployed ({@code ANY} for any method)
 * @param resourcePath the route's resource, e.g. {@code /pets/{petId}}
 * @param apiKeyRequired whether the caller's key was checked, so the event may name it
 * @param binaryMediaTypes the API's binary media types: request bodies of these types reach the
 *     function base64-encoded
 */
public record FunctionRoute(
    String apiId,
    String stage,
    String httpMethod,
    String resourcePath,
    boolean apiKeyRequired,
    List<String> binaryMediaTypes) {
  public FunctionRoute {
    binaryMediaTypes = binaryMediaTypes == null ? List.of() : List.copyOf(binaryMediaTypes);
  }

  public static FunctionRoute of(DeploymentSnapshot deployment, RouteConfig route) {
    return new FunctionRoute(
        deployment.apiId(),
        deployment.stage(),
        route.method(),
        route.resourcePath(),
        route.apiKeyRequired(),
        deployment.binaryMediaTypes());
  }

  /** HTTP API's route key: {@code GET /pets/{petId}}. */
  String routeKey() {
    return httpMethod + " " + resourcePath;
  }
}
