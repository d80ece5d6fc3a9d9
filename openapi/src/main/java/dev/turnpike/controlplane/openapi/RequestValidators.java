package dev.turnpike.controlplane.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.controlplane.api.ResourcePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * API Gateway's request validators: named in {@code x-amazon-apigateway-request-validators}, chosen
 * for the whole API or per operation by {@code x-amazon-apigateway-request-validator}.
 */
final class RequestValidators {
  static final String DEFINITIONS = "x-amazon-apigateway-request-validators";
  static final String SELECTOR = "x-amazon-apigateway-request-validator";
  private static final Set<String> SETTINGS =
      Set.of("validateRequestBody", "validateRequestParameters");

  private record Checks(boolean parameters, boolean body) {}

  private final Map<String, Checks> byName;
  private final String defaultName;
  private final BodySchemas bodySchemas;

  private RequestValidators(Map<String, Checks> byName, String defaultName, Node document) {
    this.byName = byName;
    this.defaultName = defaultName;
    this.bodySchemas = new BodySchemas(document);
  }

  static RequestValidators read(Node document) {
    Map<String, Checks> byName = new LinkedHashMap<>();
    for (var entry : document.member(DEFINITIONS).members()) {
      Node validator = entry.getValue().object();
      for (var setting : validator.members()) {
        if (!SETTINGS.contains(setting.getKey())) {
          setting.getValue().warn("is not a validator setting Turnpike knows; it is ignored");
        }
      }
      Boolean parameters = validator.member("validateRequestParameters").bool();
      Boolean body = validator.member("validateRequestBody").bool();
      byName.put(
          entry.getKey(), new Checks(Boolean.TRUE.equals(parameters), Boolean.TRUE.equals(body)));
    }
    Node selector = document.member(SELECTOR);
    String defaultName = selector.text();
    if (defaultName != null && !byName.containsKey(defaultName)) {
      selector.error(unknown(defaultName));
      defaultName = null;
    }
    return new RequestValidators(byName, defaultName, document);
  }

  /**
   * @param resourcePath a valid resource path
   * @return the operation's validator, or null when it has none or it checks nothing
   */
  RequestValidator forOperation(
      Node operation, String resourcePath, List<Parameters.Parameter> parameters) {
    Node selector = operation.member(SELECTOR);
    String name = selector.isMissing() ? defaultName : selector.text();
    if (name == null) {
      return null;
    }
    Checks checks = byName.get(name);
    if (checks == null) {
      selector.error(unknown(name));
      return null;
    }
    if (!checks.parameters() && !checks.body()) {
      return null;
    }
    List<String> required = new ArrayList<>();
    if (checks.parameters()) {
      // A path variable is always a required parameter, declared or not, as in API Gateway.
      for (ResourcePath.Segment segment : ResourcePath.parse(resourcePath)) {
        if (segment.isVariable()) {
          required.add("method.request.path." + segment.variable());
        }
      }
      for (Parameters.Parameter parameter : parameters) {
        String location =
            switch (parameter.in()) {
              case "query" -> "querystring";
              case "header" -> "header";
              default -> null;
            };
        if (parameter.required() && location != null) {
          required.add("method.request." + location + "." + parameter.name());
        }
      }
    }
    JsonNode bodySchema = checks.body() ? bodySchemas.jsonBodySchema(operation) : null;
    return new RequestValidator(name, checks.parameters(), checks.body(), required, bodySchema);
  }

  private static String unknown(String name) {
    return "names no validator in /" + DEFINITIONS + " ('" + name + "')";
  }
}
