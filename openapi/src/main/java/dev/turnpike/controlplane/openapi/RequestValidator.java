package dev.turnpike.controlplane.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contracts.config.RequestValidation;
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
 * @param bodySchema the operation's JSON request body schema with its {@code $ref}s resolved; null
 *     when the body is not validated or the operation has no JSON body model
 */
public record RequestValidator(
    String name,
    boolean validateParameters,
    boolean validateBody,
    List<String> requiredParameters,
    JsonNode bodySchema) {
  public RequestValidator {
    requiredParameters = requiredParameters == null ? List.of() : List.copyOf(requiredParameters);
    // JSON's null arrives as a NullNode: it means no schema, the same as an absent one.
    bodySchema =
        bodySchema == null || bodySchema.isNull() || bodySchema.isMissingNode() ? null : bodySchema;
  }

  /** What the gateway checks for this validator; null when it checks nothing. */
  public RequestValidation gatewayCheck() {
    List<String> parameters = validateParameters ? requiredParameters : List.of();
    JsonNode schema = validateBody ? bodySchema : null;
    return parameters.isEmpty() && schema == null
        ? null
        : new RequestValidation(parameters, schema);
  }
}
