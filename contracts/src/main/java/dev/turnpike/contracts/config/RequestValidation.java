package dev.turnpike.contracts.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What the gateway checks on a route's requests before calling the integration, as API Gateway's
 * request validators do.
 *
 * @param requiredParameters {@code method.request.{path|querystring|header}.NAME}, each of which
 *     must be present and non-empty; a missing one answers 400 {@code Missing required request
 *     parameters: [..]}
 * @param bodySchema the JSON Schema (draft 4, as API Gateway models are; {@code $ref}s resolved) a
 *     JSON body must satisfy, or null when the body is not validated; a body that fails answers 400
 *     {@code Invalid request body}
 */
public record RequestValidation(List<String> requiredParameters, JsonNode bodySchema) {
  public RequestValidation {
    requiredParameters = requiredParameters == null ? List.of() : List.copyOf(requiredParameters);
    // JSON's null arrives as a NullNode: it means no schema, the same as an absent one.
    bodySchema =
        bodySchema == null || bodySchema.isNull() || bodySchema.isMissingNode() ? null : bodySchema;
  }
}
