package dev.turnpike.controlplane.openapi;

import java.util.List;

/**
 * What the gateway checks on a route's requests before calling the integration, as API Gateway's
 * request validators do; stored on the route.
 *
 * @param name the validator's name in the document, kept so an export names it the same
 * @param validateParameters whether the required parameters are checked
 * @param validateBody whether the body is checked
 * @param requiredParameters {@code method.request.{path|querystring|header}.NAME}; empty unless
 *     parameters are validated
 */
public record RequestValidator(
    String name,
    boolean validateParameters,
    boolean validateBody,
    List<String> requiredParameters) {
  public RequestValidator {
    requiredParameters = requiredParameters == null ? List.of() : List.copyOf(requiredParameters);
  }
}
