package dev.turnpike.gateway.routing;

/**
 * One route of a deployment: a method on a resource, and what to do when it matches.
 *
 * @param httpMethod GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or ANY (case ignored)
 * @param resourcePath e.g. {@code /}, {@code /pets/{petId}/toys} or {@code /{proxy+}}
 * @param value what the caller stores with the route, e.g. its integration and policies
 */
public record RouteDefinition<T>(String httpMethod, String resourcePath, T value) {}
