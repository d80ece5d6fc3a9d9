package dev.turnpike.controlplane.openapi;

import dev.turnpike.controlplane.authorizer.AuthorizerRules;
import dev.turnpike.controlplane.authorizer.AuthorizerSpec;
import dev.turnpike.controlplane.authorizer.RouteAuthorizationRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code components.securitySchemes} and operations' {@code security}: API Gateway's API key
 * (an {@code apiKey} scheme in the {@code x-api-key} header) and its authorizers (a scheme with
 * {@code x-amazon-apigateway-authorizer} of type {@code jwt}, {@code token} or {@code request}).
 * Any other scheme in use is an error, not a silent drop: importing a method without its
 * authorization would leave it open.
 */
final class SecurityRules {
  static final String API_KEY_HEADER = "x-api-key";
  static final String AUTHORIZER = "x-amazon-apigateway-authorizer";
  static final String AUTH_TYPE = "x-amazon-apigateway-authtype";

  /** Turnpike's own field for an authorizer's timeout, which API Gateway's documents lack. */
  static final String TIMEOUT = "x-turnpike-timeoutInMillis";

  /**
   * What a method's {@code security} asks of its callers.
   *
   * @param authorizer the scheme naming its authorizer, or null
   */
  record Requirement(boolean apiKey, String authorizer, List<String> scopes) {
    static final Requirement NONE = new Requirement(false, null, List.of());
  }

  /** The authorizer's fields by the names the management API gives them. */
  private static final Map<String, String> DOCUMENT_FIELDS =
      Map.of(
          "identitySources", "identitySource",
          "jwt", "jwtConfiguration",
          "function", "authorizerUri",
          "endpointUrl", "authorizerUri",
          "resultTtlSeconds", "authorizerResultTtlInSeconds",
          "payloadFormatVersion", "authorizerPayloadFormatVersion",
          "simpleResponses", "enableSimpleResponses",
          "timeoutMillis", TIMEOUT);

  private final Node schemes;
  private final Map<String, ImportedAuthorizer> authorizers = new LinkedHashMap<>();
  private final Map<String, String> authorizationTypes = new LinkedHashMap<>();

  SecurityRules(Node document) {
    this.schemes = document.member("components").object().member("securitySchemes").object();
    for (Map.Entry<String, Node> scheme : schemes.members()) {
      Node extension = scheme.getValue().object().member(AUTHORIZER);
      if (!extension.isMissing() && isAuthorizerType(extension)) {
        readAuthorizer(scheme.getKey(), scheme.getValue(), extension.object());
      }
    }
  }

  /** The authorizers the document's schemes describe, well-formed ones only. */
  List<ImportedAuthorizer> authorizers() {
    return List.copyOf(authorizers.values());
  }

  /**
   * @param security a {@code security} array; absent means none is required
   */
  Requirement read(Node security) {
    boolean key = false;
    String authorizer = null;
    List<String> scopes = List.of();
    for (Node requirement : security.elements()) {
      for (Map.Entry<String, Node> entry : requirement.members()) {
        String name = entry.getKey();
        Node scheme = schemes.member(name);
        if (scheme.isMissing()) {
          entry.getValue().error("names no scheme in /components/securitySchemes");
        } else if (isApiKeyHeader(scheme)) {
          key = true;
        } else if (authorizationTypes.containsKey(name)) {
          if (authorizer != null && !authorizer.equals(name)) {
            entry
                .getValue()
                .error(
                    "names a second authorizer ("
                        + authorizer
                        + " and "
                        + name
                        + "): a method passes exactly one, as in API Gateway");
            continue;
          }
          authorizer = name;
          scopes = scopes(entry.getValue(), authorizationTypes.get(name));
        } else {
          entry.getValue().error(unsupported(name, scheme));
        }
      }
    }
    return new Requirement(key, authorizer, scopes);
  }

  private static List<String> scopes(Node node, String authorizationType) {
    List<String> scopes = new ArrayList<>();
    for (Node element : node.elements()) {
      String scope = element.text();
      if (scope != null) {
        scopes.add(scope);
      }
    }
    RouteAuthorizationRules.checkScopes(
        authorizationType,
        scopes,
        (field, message) -> {
          String index = field.contains("/") ? field.substring(field.indexOf('/') + 1) : null;
          if (index == null) {
            node.error(message);
          } else {
            node.findings().error(node.at().then(Integer.parseInt(index)), message);
          }
        });
    return scopes;
  }

  private static boolean isAuthorizerType(Node extension) {
    String type = extension.value().path("type").asText("").toLowerCase(Locale.ROOT);
    return type.equals(AuthorizerSpec.JWT)
        || type.equals(AuthorizerSpec.TOKEN)
        || type.equals(AuthorizerSpec.REQUEST);
  }

  private void readAuthorizer(String name, Node scheme, Node extension) {
    int errorsBefore = extension.findings().errorCount();
    if (!AuthorizerRules.isName(name)) {
      scheme.error(
          "names an authorizer, whose name " + AuthorizerRules.NAME_RULE + "; rename the scheme");
    }
    String type = extension.member("type").text().toLowerCase(Locale.ROOT);
    Node jwt = extension.member("jwtConfiguration").object();
    String uri = extension.member("authorizerUri").text();
    String endpoint = null;
    String function = null;
    if (uri != null && (uri.startsWith("http://") || uri.startsWith("https://"))) {
      endpoint = uri;
      String refused = extension.findings().targetProblem(uri);
      if (refused != null) {
        extension.member("authorizerUri").error(refused);
      }
    } else if (uri != null) {
      function = AuthorizerRules.functionReference(uri);
      if (function == null) {
        extension
            .member("authorizerUri")
            .error(
                "must be a Lambda function ARN or API Gateway invocation URI naming a function"
                    + " (arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/"
                    + "arn:aws:lambda:{region}:{account}:function:{name}/invocations), or an"
                    + " http(s) URL");
        function = uri;
      }
    }
    AuthorizerSpec spec =
        new AuthorizerSpec(
            type,
            identitySources(extension.member("identitySource"), type, scheme),
            jwt.isMissing() ? null : jwtConfiguration(jwt),
            function,
            endpoint,
            extension.member(TIMEOUT).integer(),
            extension.member("authorizerResultTtlInSeconds").integer(),
            extension.member("identityValidationExpression").text(),
            extension.member("authorizerPayloadFormatVersion").text(),
            extension.member("enableSimpleResponses").bool());
    for (Map.Entry<String, Node> member : extension.members()) {
      switch (member.getKey()) {
        case "type",
            "jwtConfiguration",
            "authorizerUri",
            "identitySource",
            "authorizerResultTtlInSeconds",
            "identityValidationExpression",
            "authorizerPayloadFormatVersion",
            "enableSimpleResponses",
            TIMEOUT -> {}
        case "authorizerCredentials" ->
            member
                .getValue()
                .warn(
                    "is not applied: Turnpike invokes the function registered under the"
                        + " authorizer's function name, without an IAM role");
        default -> member.getValue().warn("is not applied by Turnpike");
      }
    }
    AuthorizerSpec judged =
        AuthorizerRules.check(spec, (field, message) -> problem(extension, field, message));
    authorizationTypes.put(name, judged.authorizationType());
    if (extension.findings().errorCount() == errorsBefore) {
      authorizers.put(name, new ImportedAuthorizer(name, judged, extension.at()));
    }
  }

  /**
   * A REST API's identity sources are comma-separated in one string; a TOKEN authorizer without one
   * reads the header its {@code apiKey} scheme names, as API Gateway's own exports say it.
   */
  private static List<String> identitySources(Node node, String type, Node scheme) {
    String text = node.text();
    if (text == null || text.isBlank()) {
      String header = scheme.value().path("name").asText("");
      if (AuthorizerSpec.TOKEN.equals(type)
          && "header".equals(scheme.value().path("in").asText())
          && !header.isEmpty()) {
        return List.of("method.request.header." + header);
      }
      return List.of();
    }
    List<String> sources = new ArrayList<>();
    for (String source : text.split(",")) {
      sources.add(source.trim());
    }
    return sources;
  }

  private static dev.turnpike.contracts.config.JwtConfiguration jwtConfiguration(Node jwt) {
    List<String> audience = new ArrayList<>();
    Node node = jwt.member("audience");
    if (node.value().isTextual()) {
      audience.add(node.text());
    } else {
      for (Node element : node.elements()) {
        String text = element.text();
        if (text != null) {
          audience.add(text);
        }
      }
    }
    return new dev.turnpike.contracts.config.JwtConfiguration(
        jwt.member("issuer").text(), audience);
  }

  /** A problem the management API would name by field, said at its place in the document. */
  private static void problem(Node extension, String field, String message) {
    String first = field.contains("/") ? field.substring(0, field.indexOf('/')) : field;
    String rest = field.contains("/") ? field.substring(field.indexOf('/')) : "";
    String documentField = DOCUMENT_FIELDS.getOrDefault(first, first);
    if (first.equals("identitySources")) {
      // One comma-separated string in the document: the item is said in the message.
      extension
          .member(documentField)
          .error(rest.isEmpty() ? message : "item " + rest.substring(1) + " " + message);
      return;
    }
    if (first.equals("jwt") && rest.startsWith("/audience/")) {
      rest = "/audience";
    }
    Node at = extension.member(documentField);
    for (String step : rest.isEmpty() ? new String[0] : rest.substring(1).split("/")) {
      at = at.member(step);
    }
    at.error(message);
  }

  private static boolean isApiKeyHeader(Node scheme) {
    return "apiKey".equals(scheme.value().path("type").asText())
        && "header".equals(scheme.value().path("in").asText())
        && API_KEY_HEADER.equalsIgnoreCase(scheme.value().path("name").asText())
        && !scheme.value().has(AUTH_TYPE)
        && !scheme.value().has(AUTHORIZER);
  }

  private static String unsupported(String name, Node scheme) {
    String kind = scheme.value().path("type").asText("unknown");
    String authType = scheme.value().path(AUTH_TYPE).asText("");
    String authorizerType = scheme.value().path(AUTHORIZER).path("type").asText("");
    if (authorizerType.equalsIgnoreCase("cognito_user_pools")) {
      return "security scheme '"
          + name
          + "' is a Cognito user pool authorizer, which Turnpike does not run: define it as a"
          + " jwt authorizer instead (jwtConfiguration.issuer"
          + " https://cognito-idp.{region}.amazonaws.com/{userPoolId}, audience: the app client"
          + " ids), since importing the method without it would leave it open";
    }
    return "security scheme '"
        + name
        + "' (type "
        + kind
        + (authType.isEmpty() ? "" : ", " + authType)
        + (authorizerType.isEmpty() ? "" : ", authorizer " + authorizerType)
        + ") is not supported here: Turnpike enforces API keys in the x-api-key header and jwt,"
        + " token and request authorizers; IAM (SigV4), Cognito user pools and plain OAuth or"
        + " OpenID Connect schemes are not available, and importing the method without them would"
        + " leave it open";
  }
}
