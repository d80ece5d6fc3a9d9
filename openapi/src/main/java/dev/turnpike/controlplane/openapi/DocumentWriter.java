package dev.turnpike.controlplane.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.BackendTls;
import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationResponse;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.controlplane.api.ResourcePath;
import dev.turnpike.controlplane.function.FunctionNames;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes an API definition as API Gateway exports one: OpenAPI 3.0.1 with the {@code
 * x-amazon-apigateway-*} extensions, so the document imports back here, or into API Gateway, as the
 * same routes and integrations. The definition is either the API's current draft or a deployment's
 * frozen snapshot; {@link OpenApiExport} turns each into the same {@link Export}.
 */
final class DocumentWriter {
  static final String API_KEY_SCHEME = "api_key";
  private static final List<String> METHOD_ORDER =
      List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * @param version {@code info.version}: when the definition last changed
   * @param serverUrl {@code servers[0].url}, holding a {@code {basePath}} variable
   * @param basePath the variable's default: the stage name
   * @param authorizers the API's authorizers, each a security scheme named after it
   * @param sourceIpPolicy written as {@code x-amazon-apigateway-policy}, null for none
   * @param minimumCompressionSize written as {@code x-amazon-apigateway-minimum-compression-size}
   * @param cors the API's CORS configuration, null for none
   */
  record Export(
      String title,
      String description,
      String version,
      String apiKeySource,
      List<Operation> operations,
      Map<String, GatewayResponseConfig> gatewayResponses,
      List<String> binaryMediaTypes,
      String serverUrl,
      String basePath,
      List<AuthorizerConfig> authorizers,
      SourceIpPolicy sourceIpPolicy,
      Integer minimumCompressionSize,
      CorsConfiguration cors) {
    /** An export without a resource policy, compression or CORS. */
    Export(
        String title,
        String description,
        String version,
        String apiKeySource,
        List<Operation> operations,
        Map<String, GatewayResponseConfig> gatewayResponses,
        List<String> binaryMediaTypes,
        String serverUrl,
        String basePath,
        List<AuthorizerConfig> authorizers) {
      this(
          title,
          description,
          version,
          apiKeySource,
          operations,
          gatewayResponses,
          binaryMediaTypes,
          serverUrl,
          basePath,
          authorizers,
          null,
          null,
          null);
    }
  }

  /**
   * One method on one resource and what serves it.
   *
   * @param validator the request checks, null for none
   * @param authorizer the name of the authorizer callers must pass, null for none
   * @param scopes the scopes a JWT authorizer requires of the method
   */
  record Operation(
      String method,
      String resourcePath,
      boolean apiKeyRequired,
      IntegrationConfig integration,
      RequestValidator validator,
      String authorizer,
      List<String> scopes,
      List<String> cacheKeyParameters) {
    Operation {
      cacheKeyParameters = cacheKeyParameters == null ? List.of() : cacheKeyParameters;
    }

    /** An operation whose integration names no cache key parameters. */
    Operation(
        String method,
        String resourcePath,
        boolean apiKeyRequired,
        IntegrationConfig integration,
        RequestValidator validator,
        String authorizer,
        List<String> scopes) {
      this(method, resourcePath, apiKeyRequired, integration, validator, authorizer, scopes, null);
    }
  }

  private DocumentWriter() {}

  static ObjectNode write(Export export) {
    ObjectNode root = NODES.objectNode();
    root.put("openapi", "3.0.1");
    ObjectNode info = root.putObject("info");
    info.put("title", export.title());
    if (export.description() != null && !export.description().isBlank()) {
      info.put("description", export.description());
    }
    info.put("version", export.version());
    ObjectNode server = root.putArray("servers").addObject();
    server.put("url", export.serverUrl());
    server.putObject("variables").putObject("basePath").put("default", export.basePath());

    ObjectNode paths = root.putObject("paths");
    Map<String, RequestValidator> validatorsByName = new TreeMap<>();
    boolean anyKey = false;
    List<Operation> routes =
        export.operations().stream()
            .sorted(
                Comparator.comparing(Operation::resourcePath)
                    .thenComparing(r -> METHOD_ORDER.indexOf(r.method())))
            .toList();
    for (Operation route : routes) {
      RequestValidator validator = route.validator();
      if (validator != null) {
        validatorsByName.putIfAbsent(validator.name(), validator);
      }
      anyKey |= route.apiKeyRequired();
      ObjectNode item =
          paths.get(route.resourcePath()) instanceof ObjectNode existing
              ? existing
              : paths.putObject(route.resourcePath());
      String key =
          route.method().equals("ANY")
              ? DocumentMapper.ANY_METHOD
              : route.method().toLowerCase(Locale.ROOT);
      item.set(key, operation(route));
    }
    if (anyKey || !export.authorizers().isEmpty()) {
      ObjectNode schemes = root.putObject("components").putObject("securitySchemes");
      if (anyKey) {
        ObjectNode scheme = schemes.putObject(API_KEY_SCHEME);
        scheme.put("type", "apiKey");
        scheme.put("name", SecurityRules.API_KEY_HEADER);
        scheme.put("in", "header");
      }
      export.authorizers().stream()
          .sorted(Comparator.comparing(AuthorizerConfig::name))
          .forEach(a -> schemes.set(a.name(), AuthorizerWriter.scheme(a)));
    }
    root.put(DocumentMapper.API_KEY_SOURCE, export.apiKeySource());
    if (!validatorsByName.isEmpty()) {
      ObjectNode validators = root.putObject(RequestValidators.DEFINITIONS);
      validatorsByName.forEach(
          (name, v) ->
              validators
                  .putObject(name)
                  .put("validateRequestBody", v.validateBody())
                  .put("validateRequestParameters", v.validateParameters()));
    }
    if (!export.gatewayResponses().isEmpty()) {
      ObjectNode responses = root.putObject(GatewayResponsesReader.FIELD);
      new TreeMap<>(export.gatewayResponses())
          .forEach((type, response) -> responses.set(type, gatewayResponse(response)));
    }
    if (!export.binaryMediaTypes().isEmpty()) {
      ArrayNode types = root.putArray(DocumentMapper.BINARY_MEDIA_TYPES);
      export.binaryMediaTypes().forEach(types::add);
    }
    if (export.minimumCompressionSize() != null) {
      root.put(DocumentMapper.MINIMUM_COMPRESSION_SIZE, export.minimumCompressionSize());
    }
    ObjectNode policy = ResourcePolicyReader.write(export.sourceIpPolicy());
    if (policy != null) {
      root.set(ResourcePolicyReader.FIELD, policy);
    }
    CorsExtension.write(root, export.cors());
    return root;
  }

  private static ObjectNode operation(Operation route) {
    IntegrationConfig integration = route.integration();
    RequestValidator validator = route.validator();
    ObjectNode operation = NODES.objectNode();
    ArrayNode parameters = NODES.arrayNode();
    for (ResourcePath.Segment segment : ResourcePath.parse(route.resourcePath())) {
      if (segment.isVariable()) {
        parameters.add(parameter(segment.variable(), "path"));
      }
    }
    if (validator != null) {
      for (String required : validator.requiredParameters()) {
        if (required.startsWith("method.request.querystring.")) {
          parameters.add(parameter(required.substring(27), "query"));
        } else if (required.startsWith("method.request.header.")) {
          parameters.add(parameter(required.substring(22), "header"));
        }
      }
    }
    if (!parameters.isEmpty()) {
      operation.set("parameters", parameters);
    }
    if (validator != null && validator.bodySchema() != null) {
      // The model the gateway checks bodies against, written out whole so a re-import checks the
      // same; its references were inlined on import.
      operation
          .putObject("requestBody")
          .put("required", true)
          .putObject("content")
          .putObject("application/json")
          .set("schema", validator.bodySchema().deepCopy());
    }
    MockResponse mock = integration.mock();
    String status = mock == null ? "200" : Integer.toString(mock.statusCode());
    ObjectNode response = operation.putObject("responses").putObject(status);
    response.put("description", status + " response");
    if (mock != null && !mock.headers().isEmpty()) {
      ObjectNode headers = response.putObject("headers");
      new TreeMap<>(mock.headers())
          .keySet()
          .forEach(name -> headers.putObject(name).putObject("schema").put("type", "string"));
    }
    if (route.apiKeyRequired() || route.authorizer() != null) {
      // One requirement naming both: a caller needs the key and must pass the authorizer.
      ObjectNode requirement = operation.putArray("security").addObject();
      if (route.apiKeyRequired()) {
        requirement.putArray(API_KEY_SCHEME);
      }
      if (route.authorizer() != null) {
        ArrayNode scopes = requirement.putArray(route.authorizer());
        route.scopes().forEach(scopes::add);
      }
    }
    if (validator != null) {
      operation.put(RequestValidators.SELECTOR, validator.name());
    }
    ObjectNode written = integration(integration);
    if (!route.cacheKeyParameters().isEmpty()) {
      // Response caching: the request values that tell cached responses apart, as AWS exports.
      route.cacheKeyParameters().forEach(written.putArray("cacheKeyParameters")::add);
    }
    operation.set(IntegrationReader.AWS, written);
    return operation;
  }

  private static ObjectNode parameter(String name, String in) {
    ObjectNode parameter = NODES.objectNode();
    parameter.put("name", name);
    parameter.put("in", in);
    parameter.put("required", true);
    parameter.putObject("schema").put("type", "string");
    return parameter;
  }

  private static ObjectNode integration(IntegrationConfig integration) {
    ObjectNode out = NODES.objectNode();
    // API Gateway's exports spell the type in lower case: http_proxy, http, mock, aws_proxy, aws.
    out.put("type", integration.type().name().toLowerCase(Locale.ROOT));
    MockResponse mock = integration.mock();
    IntegrationType type = integration.type();
    if (type == IntegrationType.AWS_PROXY || type == IntegrationType.AWS) {
      // As API Gateway exports a Lambda integration: the invocation ARN as the uri.
      out.put("httpMethod", "POST");
      out.put("uri", functionUri(integration));
      if (type == IntegrationType.AWS_PROXY
          && integration.function() != null
          && FunctionTarget.PAYLOAD_2_0.equals(integration.function().payloadFormatVersion())) {
        out.put("payloadFormatVersion", FunctionTarget.PAYLOAD_2_0);
      }
    } else if (type != IntegrationType.MOCK) {
      out.put("httpMethod", integration.httpMethod());
      out.put("uri", integration.uri());
      out.put("connectionType", "INTERNET");
    }
    if (!integration.requestParameters().isEmpty()) {
      ObjectNode parameters = out.putObject("requestParameters");
      new TreeMap<>(integration.requestParameters()).forEach(parameters::put);
    }
    if (!integration.requestTemplates().isEmpty()) {
      ObjectNode templates = out.putObject("requestTemplates");
      new TreeMap<>(integration.requestTemplates()).forEach(templates::put);
    } else if (mock != null) {
      out.putObject("requestTemplates")
          .put("application/json", "{\"statusCode\": " + mock.statusCode() + "}");
    }
    out.put("passthroughBehavior", integration.passthrough().name().toLowerCase(Locale.ROOT));
    if (integration.contentHandling() != null) {
      out.put("contentHandling", integration.contentHandling().name());
    }
    out.put("timeoutInMillis", integration.timeoutMillis());
    if (integration.connectTimeoutMillis() != IntegrationChecks.DEFAULT_CONNECT_TIMEOUT_MS) {
      // Not an API Gateway field: Turnpike's own, written only when it is not the default.
      out.put("connectTimeoutMillis", integration.connectTimeoutMillis());
    }
    BackendTls tls = integration.tls();
    if (tls != null
        && (tls.insecureSkipVerification()
            || tls.serverNameToVerify() != null
            || tls.trustedCaPem() != null)) {
      ObjectNode tlsConfig = out.putObject("tlsConfig");
      if (tls.insecureSkipVerification()) {
        tlsConfig.put("insecureSkipVerification", true);
      }
      if (tls.serverNameToVerify() != null) {
        tlsConfig.put("serverNameToVerify", tls.serverNameToVerify());
      }
      if (tls.trustedCaPem() != null) {
        // Not an API Gateway field: Turnpike's own, for a backend under a private CA.
        tlsConfig.put("trustedCaPem", tls.trustedCaPem());
      }
    }
    ObjectNode responses = out.putObject("responses");
    if (!integration.responses().isEmpty()) {
      integration
          .responses()
          .forEach(
              r ->
                  responses.set(
                      r.isDefault() ? MappingReader.DEFAULT : r.selectionPattern(),
                      integrationResponse(r)));
      return out;
    }
    ObjectNode response = responses.putObject("default");
    response.put("statusCode", mock == null ? "200" : Integer.toString(mock.statusCode()));
    if (mock != null) {
      if (!mock.headers().isEmpty()) {
        ObjectNode headers = response.putObject("responseParameters");
        new TreeMap<>(mock.headers())
            .forEach((name, value) -> headers.put("method.response.header." + name, quote(value)));
      }
      if (!mock.body().isEmpty()) {
        response.putObject("responseTemplates").put("application/json", mock.body());
      }
    }
    return out;
  }

  private static ObjectNode integrationResponse(IntegrationResponse response) {
    ObjectNode out = NODES.objectNode();
    out.put("statusCode", Integer.toString(response.statusCode()));
    if (!response.responseParameters().isEmpty()) {
      ObjectNode parameters = out.putObject("responseParameters");
      new TreeMap<>(response.responseParameters()).forEach(parameters::put);
    }
    if (!response.responseTemplates().isEmpty()) {
      ObjectNode templates = out.putObject("responseTemplates");
      new TreeMap<>(response.responseTemplates()).forEach(templates::put);
    }
    if (response.contentHandling() != null) {
      out.put("contentHandling", response.contentHandling().name());
    }
    return out;
  }

  /** The imported ARN when there is one; else API Gateway's invocation URI of the function. */
  private static String functionUri(IntegrationConfig integration) {
    if (integration.uri() != null || integration.function() == null) {
      return integration.uri();
    }
    return FunctionNames.invocationUri(integration.function().name());
  }

  private static ObjectNode gatewayResponse(GatewayResponseConfig config) {
    ObjectNode out = NODES.objectNode();
    if (config.statusCode() != null) {
      out.put("statusCode", config.statusCode().toString());
    }
    Map<String, String> parameters = new TreeMap<>(config.responseParameters());
    config
        .headers()
        .forEach(
            (name, value) ->
                parameters.putIfAbsent(GatewayResponsesReader.HEADER_PREFIX + name, quote(value)));
    if (!parameters.isEmpty()) {
      ObjectNode mappings = out.putObject("responseParameters");
      parameters.forEach(mappings::put);
    }
    Map<String, String> templates = new TreeMap<>(config.responseTemplates());
    if (config.body() != null) {
      // A literal body is what API Gateway calls a template without code.
      templates.putIfAbsent("application/json", config.body());
    }
    if (!templates.isEmpty()) {
      ObjectNode byType = out.putObject("responseTemplates");
      templates.forEach(byType::put);
    }
    return out;
  }

  private static String quote(String literal) {
    return "'" + literal + "'";
  }
}
