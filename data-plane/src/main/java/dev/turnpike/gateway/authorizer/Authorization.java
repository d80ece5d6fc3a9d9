package dev.turnpike.gateway.authorizer;

import java.util.Map;

/**
 * Who an authorizer found the caller to be, carried to the backend (parameter mappings, the
 * function event's {@code requestContext.authorizer}), the access log and the usage event.
 *
 * @param principalId the caller: a JWT's {@code sub}, a Lambda authorizer's {@code principalId}
 * @param claims a JWT's claims (values as the token had them); empty for Lambda authorizers
 * @param context a Lambda authorizer's {@code context} (string, number and boolean values); empty
 *     for JWT
 * @param usageIdentifierKey the API key a Lambda authorizer chose for the usage plan (key source
 *     {@code AUTHORIZER}); null otherwise
 */
public record Authorization(
    String principalId,
    Map<String, Object> claims,
    Map<String, Object> context,
    String usageIdentifierKey) {
  public Authorization {
    claims = claims == null ? Map.of() : claims;
    context = context == null ? Map.of() : context;
  }
}
