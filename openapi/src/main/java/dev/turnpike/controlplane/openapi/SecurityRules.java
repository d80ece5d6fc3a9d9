package dev.turnpike.controlplane.openapi;

import java.util.Map;

/**
 * Decides from {@code security} requirements whether a method needs an API key. The one scheme
 * Turnpike enforces is API Gateway's: an {@code apiKey} scheme in the {@code x-api-key} header. Any
 * other scheme in use is an error, not a silent drop: importing a method without its authorizer
 * would leave it open.
 */
final class SecurityRules {
  static final String API_KEY_HEADER = "x-api-key";

  private final Node schemes;

  SecurityRules(Node document) {
    this.schemes = document.member("components").object().member("securitySchemes").object();
  }

  /**
   * @param security a {@code security} array; absent means none is required
   * @return whether any requirement names the API key scheme
   */
  boolean requiresApiKey(Node security) {
    boolean key = false;
    for (Node requirement : security.elements()) {
      for (Map.Entry<String, Node> entry : requirement.members()) {
        String name = entry.getKey();
        Node scheme = schemes.member(name);
        if (scheme.isMissing()) {
          entry.getValue().error("names no scheme in /components/securitySchemes");
        } else if (isApiKeyHeader(scheme)) {
          key = true;
        } else {
          entry.getValue().error(unsupported(name, scheme));
        }
      }
    }
    return key;
  }

  private static boolean isApiKeyHeader(Node scheme) {
    return "apiKey".equals(scheme.value().path("type").asText())
        && "header".equals(scheme.value().path("in").asText())
        && API_KEY_HEADER.equalsIgnoreCase(scheme.value().path("name").asText())
        && !scheme.value().has("x-amazon-apigateway-authtype")
        && !scheme.value().has("x-amazon-apigateway-authorizer");
  }

  private static String unsupported(String name, Node scheme) {
    String kind = scheme.value().path("type").asText("unknown");
    String authType = scheme.value().path("x-amazon-apigateway-authtype").asText("");
    return "security scheme '"
        + name
        + "' (type "
        + kind
        + (authType.isEmpty() ? "" : ", " + authType)
        + ") is not supported here: Turnpike enforces only API keys in the x-api-key header;"
        + " Lambda and Cognito authorizers, IAM and OAuth are not available, and importing the"
        + " method without them would leave it open";
  }
}
