package dev.turnpike.gateway.routing;

import java.util.Map;

/**
 * The outcome of {@link RouteTable#match}: a route was found, nothing matched (API Gateway answers
 * 403 {@code Missing Authentication Token}), or the path could not be decoded (answer 400).
 *
 * @param <T> the value stored with each route
 */
public sealed interface RouteMatch<T>
    permits RouteMatch.Found, RouteMatch.NotFound, RouteMatch.MalformedPath {

  /**
   * A route matched.
   *
   * @param value the value registered for the matched resource and method (or its ANY)
   * @param resourcePath the matched resource as declared, e.g. {@code /pets/{petId}}
   * @param pathParameters percent-decoded values of the resource's variables; a greedy {@code
   *     {proxy+}} holds the rest of the path without its leading slash
   * @param greedyParameter the name of the resource's {@code {name+}} variable, whose value may
   *     span segments; null when it has none
   */
  record Found<T>(
      T value, String resourcePath, Map<String, String> pathParameters, String greedyParameter)
      implements RouteMatch<T> {}

  /** No resource and method match the request. */
  record NotFound<T>() implements RouteMatch<T> {}

  /**
   * The request matched a route but a path parameter holds invalid percent-encoding or invalid
   * UTF-8, so the request is the client's fault.
   *
   * @param reason a client-safe explanation naming the parameter
   */
  record MalformedPath<T>(String reason) implements RouteMatch<T> {}
}
