package dev.turnpike.controlplane.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contracts.config.CompressionConfig;
import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.controlplane.api.PathConflicts;
import dev.turnpike.controlplane.api.ResourcePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns an OpenAPI 3.0 or 3.1 document into the API definition it describes: each path and
 * operation a route, its {@code x-amazon-apigateway-*} (or {@code x-turnpike-integration})
 * extensions the route's integration, validator and the API's settings. Every problem is recorded
 * with its JSON pointer; the result is only meaningful when there are none.
 */
final class DocumentMapper {
  static final String ANY_METHOD = "x-amazon-apigateway-any-method";
  static final String API_KEY_SOURCE = "x-amazon-apigateway-api-key-source";
  static final String BINARY_MEDIA_TYPES = "x-amazon-apigateway-binary-media-types";
  static final String MINIMUM_COMPRESSION_SIZE = "x-amazon-apigateway-minimum-compression-size";
  static final String AUTH = "x-amazon-apigateway-auth";
  static final String AWS_PREFIX = "x-amazon-apigateway-";

  private static final Pattern VERSION = Pattern.compile("3\\.[01]\\.\\d+");
  private static final Pattern MEDIA_TYPE = Pattern.compile("^[\\w.+*-]+/[\\w.+*-]+$");
  private static final Map<String, String> METHODS =
      Map.of(
          "get",
          "GET",
          "put",
          "PUT",
          "post",
          "POST",
          "delete",
          "DELETE",
          "options",
          "OPTIONS",
          "head",
          "HEAD",
          "patch",
          "PATCH",
          ANY_METHOD,
          "ANY");
  private static final Set<String> PATH_ITEM_FIELDS =
      Set.of("summary", "description", "servers", "parameters");
  private static final Set<String> ROOT_EXTENSIONS =
      Set.of(
          API_KEY_SOURCE,
          BINARY_MEDIA_TYPES,
          MINIMUM_COMPRESSION_SIZE,
          ResourcePolicyReader.FIELD,
          GatewayResponsesReader.FIELD,
          CorsExtension.FIELD,
          RequestValidators.DEFINITIONS,
          RequestValidators.SELECTOR);
  private static final Set<String> OPERATION_EXTENSIONS =
      Set.of(IntegrationReader.AWS, RequestValidators.SELECTOR, AUTH);

  private final Node document;
  private final SecurityRules security;
  private final RequestValidators validators;

  private DocumentMapper(Node document) {
    this.document = document;
    this.security = new SecurityRules(document);
    this.validators = RequestValidators.read(document);
  }

  /** Whether a path item's field is an operation (an HTTP method Turnpike routes). */
  static boolean isMethod(String field) {
    return METHODS.containsKey(field);
  }

  static ImportedApi map(JsonNode json, Findings findings) {
    Node document = new Node(json, Pointer.ROOT, findings);
    checkVersion(document);
    String apiKeySource = apiKeySource(document.member(API_KEY_SOURCE));
    List<String> binaryMediaTypes = binaryMediaTypes(document.member(BINARY_MEDIA_TYPES));
    Map<String, GatewayResponseConfig> gatewayResponses = GatewayResponsesReader.read(document);
    SourceIpPolicy sourceIpPolicy = ResourcePolicyReader.read(document);
    Integer minimumCompressionSize =
        minimumCompressionSize(document.member(MINIMUM_COMPRESSION_SIZE));
    CorsConfiguration cors = CorsExtension.read(document);
    checkRootExtensions(document);
    DocumentMapper mapper = new DocumentMapper(document);
    List<ImportedRoute> routes = mapper.routes();
    return new ImportedApi(
        apiKeySource,
        binaryMediaTypes,
        gatewayResponses,
        routes,
        mapper.security.authorizers(),
        sourceIpPolicy,
        minimumCompressionSize,
        cors);
  }

  private static Integer minimumCompressionSize(Node node) {
    Integer size = node.integer();
    String problem = CompressionConfig.minimumSizeProblem(size);
    if (problem != null) {
      node.error(problem);
      return null;
    }
    return size;
  }

  private static void checkVersion(Node document) {
    Node version = document.member("openapi");
    String text = version.text();
    if (version.isMissing()) {
      version.error(
          "is required: the document must be OpenAPI 3.0.x or 3.1.x"
              + (document.member("swagger").isMissing()
                  ? ""
                  : " (Swagger 2.0 is not supported; convert the document to OpenAPI 3)"));
    } else if (text != null && !VERSION.matcher(text).matches()) {
      version.error("must be 3.0.x or 3.1.x, was " + text);
    }
  }

  private static String apiKeySource(Node node) {
    String source = node.text();
    if (source == null) {
      return null;
    }
    String upper = source.toUpperCase(Locale.ROOT);
    if (!upper.equals("HEADER") && !upper.equals("AUTHORIZER")) {
      node.error("must be HEADER or AUTHORIZER");
      return null;
    }
    return upper;
  }

  private static List<String> binaryMediaTypes(Node node) {
    if (node.isMissing()) {
      return null;
    }
    List<String> types = new ArrayList<>();
    for (Node element : node.elements()) {
      String type = element.text();
      if (type == null) {
        continue;
      }
      // API Gateway escapes the slash as in a JSON pointer ("image~1png") in some places.
      String unescaped = type.replace("~1", "/");
      if (!MEDIA_TYPE.matcher(unescaped).matches()) {
        element.error("must be a media type such as image/png or */*");
      } else if (!types.contains(unescaped)) {
        types.add(unescaped);
      }
    }
    return types;
  }

  private static void checkRootExtensions(Node document) {
    for (var member : document.members()) {
      String key = member.getKey();
      if (!key.startsWith(AWS_PREFIX) || ROOT_EXTENSIONS.contains(key)) {
        continue;
      }
      member.getValue().warn("is not applied by Turnpike");
    }
  }

  private List<ImportedRoute> routes() {
    Node paths = document.member("paths");
    if (paths.isMissing()) {
      paths.error("is required: routes are made from paths");
      return List.of();
    }
    SecurityRules.Requirement byDefault = security.read(document.member("security"));
    List<ImportedRoute> routes = new ArrayList<>();
    PathConflicts validPaths = new PathConflicts();
    for (var entry : paths.members()) {
      String path = entry.getKey();
      if (path.startsWith("x-")) {
        continue;
      }
      Node item = entry.getValue().object();
      boolean validPath = checkPath(path, entry.getValue(), validPaths);
      if (!item.member("$ref").isMissing()) {
        item.member("$ref").error("path item references are not supported; write it out here");
        continue;
      }
      for (var member : item.members()) {
        String key = member.getKey();
        if (PATH_ITEM_FIELDS.contains(key) || key.equals("$ref")) {
          continue;
        }
        String method = METHODS.get(key);
        if (method != null) {
          ImportedRoute route =
              operation(path, validPath, method, item, member.getValue(), byDefault);
          if (route != null) {
            routes.add(route);
          }
        } else if (key.startsWith(AWS_PREFIX)) {
          member.getValue().warn("is not applied by Turnpike");
        } else if (!key.startsWith("x-")) {
          member
              .getValue()
              .error(
                  "'"
                      + key
                      + "' is not an HTTP method Turnpike routes: use get, put, post, delete,"
                      + " options, head, patch or x-amazon-apigateway-any-method (lower case)");
        }
      }
    }
    return routes;
  }

  /** Checks a path on its own and against the paths before it, as API Gateway's resources. */
  private static boolean checkPath(String path, Node at, PathConflicts validPaths) {
    List<ResourcePath.Segment> segments;
    try {
      segments = ResourcePath.parse(path);
    } catch (IllegalArgumentException e) {
      at.error("is not a valid resource path: " + e.getMessage());
      return false;
    }
    String conflict = validPaths.conflict(segments);
    if (conflict != null) {
      at.error(conflict);
      return false;
    }
    validPaths.add(path, segments);
    return true;
  }

  private ImportedRoute operation(
      String path,
      boolean validPath,
      String method,
      Node item,
      Node node,
      SecurityRules.Requirement byDefault) {
    Node operation = node.object();
    if (!operation.isObject()) {
      return null;
    }
    Node ownSecurity = operation.member("security");
    SecurityRules.Requirement requirement =
        ownSecurity.isMissing() ? byDefault : security.read(ownSecurity);
    checkAuthorization(operation.member(AUTH));
    for (var member : operation.members()) {
      if (member.getKey().startsWith(AWS_PREFIX)
          && !OPERATION_EXTENSIONS.contains(member.getKey())) {
        member.getValue().warn("is not applied by Turnpike");
      }
    }
    List<Parameters.Parameter> parameters = Parameters.of(document, item, operation);
    IntegrationSpec integration = IntegrationReader.read(operation);
    if (!validPath) {
      return null;
    }
    RequestValidator validator = validators.forOperation(operation, path, parameters);
    return integration == null
        ? null
        : new ImportedRoute(
            method,
            path,
            requirement.apiKey(),
            integration,
            validator,
            operation.at(),
            requirement.authorizer(),
            requirement.scopes());
  }

  private static void checkAuthorization(Node auth) {
    String type = auth.object().member("type").text();
    if (type != null && !type.equalsIgnoreCase("NONE")) {
      auth.member("type")
          .error(
              "authorization type "
                  + type
                  + " is not supported here: Turnpike enforces API keys and jwt, token and request"
                  + " authorizers (named in the operation's security), not IAM, and importing the"
                  + " method without it would leave it open");
    }
  }
}
