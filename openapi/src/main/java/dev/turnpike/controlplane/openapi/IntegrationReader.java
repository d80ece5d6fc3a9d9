package dev.turnpike.controlplane.openapi;

import static dev.turnpike.controlplane.openapi.IntegrationChecks.httpMethod;
import static dev.turnpike.controlplane.openapi.IntegrationChecks.orDefault;
import static dev.turnpike.controlplane.openapi.IntegrationChecks.requestParameters;
import static dev.turnpike.controlplane.openapi.IntegrationChecks.timeout;
import static dev.turnpike.controlplane.openapi.IntegrationChecks.type;
import static dev.turnpike.controlplane.openapi.IntegrationChecks.uri;

import dev.turnpike.contracts.config.ContentHandling;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationResponse;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.PassthroughBehavior;
import dev.turnpike.controlplane.api.IntegrationTimeouts;
import dev.turnpike.controlplane.function.FunctionNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an operation's integration from {@code x-amazon-apigateway-integration} (API Gateway's
 * names, as an export carries them) or hands it to {@link TurnpikeIntegrationReader}. API Gateway
 * fields Turnpike cannot apply are warnings; those whose loss would change what the method does are
 * errors.
 */
final class IntegrationReader {
  static final String AWS = "x-amazon-apigateway-integration";

  /** A mock's request template that only selects a status, as API Gateway's console writes. */
  private static final Pattern STATUS_ONLY =
      Pattern.compile("^\\s*\\{\\s*\"statusCode\"\\s*:\\s*\\d{3}\\s*}\\s*$");

  private static final Pattern CACHE_KEY_PARAMETER =
      Pattern.compile("^method\\.request\\.(path|querystring|header)\\.[^.\\s][^\\s]{0,127}$");

  private static final Set<String> AWS_FIELDS =
      Set.of(
          "type",
          "httpMethod",
          "uri",
          "requestParameters",
          "requestTemplates",
          "responses",
          "timeoutInMillis",
          "connectTimeoutMillis",
          "passthroughBehavior",
          "connectionType",
          "connectionId",
          "cacheNamespace",
          "cacheKeyParameters",
          "contentHandling",
          "credentials",
          "tlsConfig",
          "payloadFormatVersion");

  private IntegrationReader() {}

  /**
   * @return the integration, or null when the operation has none or it has problems (recorded)
   */
  static IntegrationSpec read(Node operation) {
    Node aws = operation.member(AWS);
    Node own = operation.member(TurnpikeIntegrationReader.FIELD);
    if (!aws.isMissing() && !own.isMissing()) {
      own.error("use x-amazon-apigateway-integration or x-turnpike-integration, not both");
      return null;
    }
    if (aws.isMissing() && own.isMissing()) {
      operation.error(
          "has no integration: add x-amazon-apigateway-integration (type http, http_proxy, mock,"
              + " aws_proxy or aws)"
              + " or x-turnpike-integration");
      return null;
    }
    Node integration = (aws.isMissing() ? own : aws).object();
    if (!integration.isObject()) {
      return null;
    }
    int errorsBefore = operation.findings().errorCount();
    IntegrationSpec spec =
        aws.isMissing() ? TurnpikeIntegrationReader.read(integration) : fromAws(integration);
    if (spec != null && !aws.isMissing()) {
      spec =
          spec.withCacheKeyParameters(cacheKeyParameters(integration.member("cacheKeyParameters")));
    }
    return operation.findings().errorCount() == errorsBefore ? spec : null;
  }

  /**
   * Response caching: API Gateway's {@code cacheKeyParameters}, each naming a path, query-string or
   * header value of the method request. ({@code cacheNamespace} is accepted as it is: Turnpike's
   * cache keys already hold the resource path, which is API Gateway's default namespace.)
   */
  private static List<String> cacheKeyParameters(Node parameters) {
    List<String> read = new ArrayList<>();
    for (Node parameter : parameters.elements()) {
      String text = parameter.text();
      if (text == null) {
        continue;
      }
      if (!CACHE_KEY_PARAMETER.matcher(text).matches()) {
        parameter.error(
            "must name a method request value: method.request.path.NAME,"
                + " method.request.querystring.NAME or method.request.header.NAME");
      } else if (!read.contains(text)) {
        read.add(text);
      }
    }
    return read;
  }

  private static IntegrationSpec fromAws(Node n) {
    String type = type(n.member("type"));
    Integer timeout = timeout(n.member("timeoutInMillis"));
    Integer connectTimeout = timeout(n.member("connectTimeoutMillis"));
    Map<String, String> parameters = requestParameters(n.member("requestParameters"));
    Node connectionType = n.member("connectionType");
    String connection = connectionType.text();
    if (connection != null && !connection.equalsIgnoreCase("INTERNET")) {
      connectionType.error(
          "connection type "
              + connection
              + " is not supported here: VPC links have no counterpart in Turnpike; use INTERNET"
              + " with a URI the gateway can reach");
    }
    PassthroughBehavior passthrough = MappingReader.passthrough(n.member("passthroughBehavior"));
    warnUnapplied(n);
    if (type == null) {
      return null;
    }
    int connectMillis = orDefault(connectTimeout, IntegrationChecks.DEFAULT_CONNECT_TIMEOUT_MS);
    int timeoutMillis = orDefault(timeout, IntegrationTimeouts.MAX_MS);
    if (type.equals("aws_proxy") || type.equals("http_proxy")) {
      warnProxyMappings(n, type);
    }
    if (type.equals("aws_proxy")) {
      return awsProxy(n, connectMillis, timeoutMillis);
    }
    if (type.equals("http_proxy")) {
      return new IntegrationSpec(
              type,
              httpMethod(n.member("httpMethod")),
              uri(n.member("uri")),
              connectMillis,
              timeoutMillis,
              parameters,
              null)
          .withTls(TlsConfigReader.read(n.member("tlsConfig"), type));
    }
    if (type.equals("mock") && isLiteralMock(n, passthrough)) {
      // A mock answering one fixed response stays one: any gateway can serve it as it is.
      return new IntegrationSpec(
          type,
          null,
          null,
          connectMillis,
          timeoutMillis,
          parameters,
          mockFromResponses(n.member("responses")));
    }
    Map<String, String> templates = MappingReader.templates(n.member("requestTemplates"));
    ContentHandling handling = MappingReader.contentHandling(n.member("contentHandling"));
    List<IntegrationResponse> responses = MappingReader.responses(n.member("responses"));
    if (type.equals("http") && isBareDefault(responses)) {
      // What Turnpike's own export writes for an http integration without responses (and what
      // it always served): the backend's answer passes through.
      responses = List.of();
    }
    if (type.equals("mock") && n.member("responses").object().members().isEmpty()) {
      n.member("responses")
          .error(
              "a mock with request templates needs integration responses (at least a default"
                  + " one) to answer with; API Gateway answers such a mock with 500");
      return null;
    }
    IntegrationSpec spec =
        switch (type) {
          case "mock" ->
              new IntegrationSpec(type, null, null, connectMillis, timeoutMillis, parameters, null);
          case "aws" -> aws(n, connectMillis, timeoutMillis);
          default ->
              new IntegrationSpec(
                  type,
                  httpMethod(n.member("httpMethod")),
                  uri(n.member("uri")),
                  connectMillis,
                  timeoutMillis,
                  parameters,
                  null);
        };
    // when_no_match is the default: kept as absent, so an export (which always spells it out)
    // imports back as the same integration.
    PassthroughBehavior kept =
        passthrough == PassthroughBehavior.WHEN_NO_MATCH ? null : passthrough;
    return spec == null
        ? null
        : spec.withMappings(templates, kept, handling, responses)
            .withTls(TlsConfigReader.read(n.member("tlsConfig"), type));
  }

  private static boolean isBareDefault(List<IntegrationResponse> responses) {
    if (responses.size() != 1) {
      return false;
    }
    IntegrationResponse only = responses.getFirst();
    return only.isDefault()
        && only.statusCode() == 200
        && only.responseParameters().isEmpty()
        && only.responseTemplates().isEmpty()
        && only.contentHandling() == null;
  }

  /**
   * Whether a mock is one fixed answer: at most a default response of literal headers and a JSON
   * body without template code, selected by a request template that only names a status.
   */
  private static boolean isLiteralMock(Node n, PassthroughBehavior passthrough) {
    if (!n.member("contentHandling").isMissing()
        || (passthrough != null && passthrough != PassthroughBehavior.WHEN_NO_MATCH)) {
      return false;
    }
    Map<String, String> requestTemplates = n.member("requestTemplates").strings();
    if (requestTemplates != null) {
      for (var template : requestTemplates.entrySet()) {
        if (!template.getKey().equals("application/json")
            || !STATUS_ONLY.matcher(template.getValue()).matches()) {
          return false;
        }
      }
    }
    List<Map.Entry<String, Node>> responses = n.member("responses").object().members();
    if (responses.isEmpty()) {
      return true;
    }
    if (responses.size() > 1 || !responses.getFirst().getKey().equals(MappingReader.DEFAULT)) {
      return false;
    }
    Node response = responses.getFirst().getValue().object();
    if (!response.member("contentHandling").isMissing()) {
      return false;
    }
    Map<String, String> parameters = response.member("responseParameters").strings();
    if (parameters != null) {
      for (var parameter : parameters.entrySet()) {
        String source = parameter.getValue();
        if (!parameter.getKey().startsWith("method.response.header.")
            || source.length() < 2
            || !source.startsWith("'")
            || !source.endsWith("'")) {
          return false;
        }
      }
    }
    Map<String, String> templates = response.member("responseTemplates").strings();
    if (templates != null) {
      for (var template : templates.entrySet()) {
        if (!template.getKey().equals("application/json")
            || ResponseParts.hasTemplateCode(template.getValue())) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * A Lambda proxy integration (REST's aws_proxy, the HTTP API's AWS_PROXY): its uri names the
   * function by ARN, which Turnpike resolves to a registered function when deploying.
   */
  private static IntegrationSpec awsProxy(Node n, int connectTimeout, int timeout) {
    Node version = n.member("payloadFormatVersion");
    String payload = version.text();
    if (payload != null
        && !payload.equals(FunctionTarget.PAYLOAD_1_0)
        && !payload.equals(FunctionTarget.PAYLOAD_2_0)) {
      version.error("must be 1.0 or 2.0");
    }
    String uri = n.member("uri").text();
    String function = function(n, "aws_proxy");
    Node parameters = n.member("requestParameters");
    if (!parameters.value().isEmpty()) {
      parameters.warn("is not applied: a function's event carries the whole request");
    }
    return IntegrationSpec.awsProxy(uri, function, payload, connectTimeout, timeout);
  }

  /**
   * A Lambda (non-proxy) integration: the request template makes the function's payload and the
   * integration responses shape its result; its uri names the function as aws_proxy's does.
   */
  private static IntegrationSpec aws(Node n, int connectTimeout, int timeout) {
    String uri = n.member("uri").text();
    String function = function(n, "aws");
    Node parameters = n.member("requestParameters");
    if (!parameters.value().isEmpty()) {
      parameters.warn("is not applied: the request template makes the function's payload");
    }
    if (!n.member("payloadFormatVersion").isMissing()) {
      n.member("payloadFormatVersion").warn("is not applied: it is for aws_proxy integrations");
    }
    return new IntegrationSpec(
        "aws", "POST", uri, connectTimeout, timeout, Map.of(), null, function, null);
  }

  /** The function a Lambda integration's uri names; null (an error recorded) when it names none. */
  private static String function(Node n, String type) {
    Node method = n.member("httpMethod");
    if (method.text() != null && !method.text().equalsIgnoreCase("POST")) {
      method.error("must be POST for " + type + ": API Gateway invokes functions with POST");
    }
    Node uriNode = n.member("uri");
    String uri = uriNode.text();
    String function = FunctionNames.fromUri(uri);
    if (uri == null && uriNode.isMissing()) {
      uriNode.error("is required for " + type + " integrations: the function's invocation ARN");
    } else if (function == null) {
      uriNode.error(
          "must be a Lambda invocation URI,"
              + " arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/"
              + "arn:aws:lambda:{region}:{account}:function:{name}[:{alias}]/invocations, or a"
              + " function ARN; the function name and alias may hold ${stageVariables.name}"
              + (type.equals("aws")
                  ? " (aws integrations with AWS services other than Lambda are not supported"
                      + " here: they have no target in Turnpike)"
                  : ""));
    }
    return function;
  }

  /** A proxy passes the request and the response through: their mappings are not applied. */
  private static void warnProxyMappings(Node n, String type) {
    if (!n.member("requestTemplates").value().isEmpty()) {
      n.member("requestTemplates")
          .warn("is not applied to an " + type + " integration: the request passes through");
    }
    if (!n.member("contentHandling").isMissing()) {
      n.member("contentHandling").warn("is not applied: bodies pass through as they are");
    }
    warnResponseMappings(n.member("responses"));
  }

  /** Fields the gateway does not apply are named; the caching fields are read (see above). */
  private static void warnUnapplied(Node n) {
    if (!n.member("credentials").isMissing()) {
      n.member("credentials").warn("is not applied: HTTP integrations are called without IAM");
    }
    for (var member : n.members()) {
      if (!AWS_FIELDS.contains(member.getKey())) {
        member.getValue().warn("is not an integration field Turnpike knows; it is ignored");
      }
    }
  }

  private static void warnResponseMappings(Node responses) {
    for (var response : responses.object().members()) {
      Node mapping = response.getValue().object();
      boolean maps =
          !mapping.member("responseTemplates").value().isEmpty()
              || !mapping.member("responseParameters").value().isEmpty();
      if (!response.getKey().equals("default") || maps) {
        mapping.warn(
            "is not applied: the backend's status, headers and body pass through unchanged");
      }
    }
  }

  private static MockResponse mockFromResponses(Node responses) {
    Node all = responses.object();
    Node chosen = all.member("default").object();
    if (chosen.isMissing()) {
      if (!all.members().isEmpty()) {
        all.warn("a mock answers with its default response; there is none, so it answers 200");
      }
      return new MockResponse(200, Map.of(), "");
    }
    Node statusCode = chosen.member("statusCode");
    Integer status = statusCode.integer();
    if (status != null && (status < 100 || status > 599)) {
      statusCode.error("must be between 100 and 599");
    }
    return new MockResponse(
        status == null ? 200 : status,
        ResponseParts.literalHeaders(
            chosen.member("responseParameters"), "method.response.header."),
        ResponseParts.jsonBody(chosen.member("responseTemplates"), false));
  }
}
