package dev.turnpike.controlplane.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.AuthorizerType;
import dev.turnpike.controlplane.function.FunctionNames;

/**
 * Writes an authorizer as API Gateway exports one: a JWT authorizer as an HTTP API's {@code oauth2}
 * scheme, a Lambda TOKEN or REQUEST authorizer as a REST API's {@code apiKey} scheme of auth type
 * {@code custom}, each with its {@code x-amazon-apigateway-authorizer}. {@link SecurityRules} reads
 * them back as the same authorizers.
 */
final class AuthorizerWriter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String HEADER_SOURCE = "method.request.header.";

  private AuthorizerWriter() {}

  static ObjectNode scheme(AuthorizerConfig authorizer) {
    ObjectNode scheme = NODES.objectNode();
    ObjectNode out = NODES.objectNode();
    out.put("type", authorizer.type().name().toLowerCase(java.util.Locale.ROOT));
    String sources = String.join(", ", authorizer.identitySources());
    if (authorizer.type() == AuthorizerType.JWT) {
      scheme.put("type", "oauth2");
      scheme.putObject("flows");
      out.put("identitySource", sources);
      ObjectNode jwt = out.putObject("jwtConfiguration");
      jwt.put("issuer", authorizer.jwt().issuer());
      ArrayNode audience = jwt.putArray("audience");
      authorizer.jwt().audience().forEach(audience::add);
      scheme.set(SecurityRules.AUTHORIZER, out);
      return scheme;
    }
    scheme.put("type", "apiKey");
    String first =
        authorizer.identitySources().isEmpty() ? "" : authorizer.identitySources().get(0);
    // API Gateway names the token's header here; a REQUEST authorizer's scheme names none.
    scheme.put(
        "name",
        authorizer.type() == AuthorizerType.TOKEN && first.startsWith(HEADER_SOURCE)
            ? first.substring(HEADER_SOURCE.length())
            : "Unused");
    scheme.put("in", "header");
    scheme.put(SecurityRules.AUTH_TYPE, "custom");
    out.put(
        "authorizerUri",
        authorizer.function() != null
            ? FunctionNames.invocationUri(authorizer.function().name())
            : authorizer.endpointUrl());
    out.put("authorizerResultTtlInSeconds", authorizer.resultTtlSeconds());
    if (!sources.isEmpty()) {
      out.put("identitySource", sources);
    }
    if (authorizer.identityValidationExpression() != null) {
      out.put("identityValidationExpression", authorizer.identityValidationExpression());
    }
    if (authorizer.type() == AuthorizerType.REQUEST) {
      out.put("authorizerPayloadFormatVersion", authorizer.payloadFormatVersion());
      if (authorizer.simpleResponses()) {
        out.put("enableSimpleResponses", true);
      }
    }
    if (authorizer.timeoutMillis() != AuthorizerConfig.DEFAULT_TIMEOUT_MILLIS) {
      out.put(SecurityRules.TIMEOUT, authorizer.timeoutMillis());
    }
    scheme.set(SecurityRules.AUTHORIZER, out);
    return scheme;
  }
}
