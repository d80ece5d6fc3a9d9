package dev.turnpike.controlplane.openapi;

import static dev.turnpike.controlplane.openapi.IntegrationChecks.httpMethod;
import static dev.turnpike.controlplane.openapi.IntegrationChecks.orDefault;
import static dev.turnpike.controlplane.openapi.IntegrationChecks.requestParameters;
import static dev.turnpike.controlplane.openapi.IntegrationChecks.timeout;
import static dev.turnpike.controlplane.openapi.IntegrationChecks.type;
import static dev.turnpike.controlplane.openapi.IntegrationChecks.uri;

import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.controlplane.api.IntegrationTimeouts;
import dev.turnpike.controlplane.function.FunctionNames;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an operation's integration from {@code x-amazon-apigateway-integration} (API Gateway's
 * names, as an export carries them) or hands it to {@link TurnpikeIntegrationReader}. API Gateway
 * fields Turnpike cannot apply are warnings; those whose loss would change what the method does are
 * errors.
 */
final class IntegrationReader {
  static final String AWS = "x-amazon-apigateway-integration";

  private static final Set<String> PASSTHROUGH =
      Set.of("when_no_match", "when_no_templates", "never");
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
          "has no integration: add x-amazon-apigateway-integration (type http, http_proxy, mock or"
              + " aws_proxy)"
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
    return operation.findings().errorCount() == errorsBefore ? spec : null;
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
    Node passthrough = n.member("passthroughBehavior");
    String behavior = passthrough.text();
    if (behavior != null && !PASSTHROUGH.contains(behavior.toLowerCase(Locale.ROOT))) {
      passthrough.error("must be when_no_match, when_no_templates or never");
    }
    warnUnapplied(n);
    if (type == null) {
      return null;
    }
    if (type.equals("mock")) {
      return new IntegrationSpec(
          type,
          null,
          null,
          orDefault(connectTimeout, IntegrationChecks.DEFAULT_CONNECT_TIMEOUT_MS),
          orDefault(timeout, IntegrationTimeouts.MAX_MS),
          parameters,
          mockFromResponses(n.member("responses")));
    }
    if (type.equals("aws_proxy")) {
      return awsProxy(n, connectTimeout, timeout);
    }
    String httpMethod = httpMethod(n.member("httpMethod"));
    String uri = uri(n.member("uri"));
    warnResponseMappings(n.member("responses"));
    Map<String, String> templates = n.member("requestTemplates").strings();
    if (templates != null && !templates.isEmpty()) {
      n.member("requestTemplates")
          .warn("is not applied: the request body passes through to the backend unchanged");
    }
    return new IntegrationSpec(
        type,
        httpMethod,
        uri,
        orDefault(connectTimeout, IntegrationChecks.DEFAULT_CONNECT_TIMEOUT_MS),
        orDefault(timeout, IntegrationTimeouts.MAX_MS),
        parameters,
        null);
  }

  /**
   * A Lambda proxy integration (REST's aws_proxy, the HTTP API's AWS_PROXY): its uri names the
   * function by ARN, which Turnpike resolves to a registered function when deploying.
   */
  private static IntegrationSpec awsProxy(Node n, Integer connectTimeout, Integer timeout) {
    Node method = n.member("httpMethod");
    if (method.text() != null && !method.text().equalsIgnoreCase("POST")) {
      method.error("must be POST for aws_proxy: API Gateway invokes functions with POST");
    }
    Node version = n.member("payloadFormatVersion");
    String payload = version.text();
    if (payload != null
        && !payload.equals(FunctionTarget.PAYLOAD_1_0)
        && !payload.equals(FunctionTarget.PAYLOAD_2_0)) {
      version.error("must be 1.0 or 2.0");
    }
    Node uriNode = n.member("uri");
    String uri = uriNode.text();
    String function = FunctionNames.fromUri(uri);
    if (uri == null && uriNode.isMissing()) {
      uriNode.error("is required for aws_proxy integrations: the function's invocation ARN");
    } else if (function == null) {
      uriNode.error(
          "must be a Lambda invocation URI,"
              + " arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/"
              + "arn:aws:lambda:{region}:{account}:function:{name}[:{alias}]/invocations, or a"
              + " function ARN; the function name and alias may hold ${stageVariables.name}");
    }
    Node parameters = n.member("requestParameters");
    if (!parameters.value().isEmpty()) {
      parameters.warn("is not applied: a function's event carries the whole request");
    }
    if (!n.member("requestTemplates").value().isEmpty()) {
      n.member("requestTemplates").warn("is not applied to an aws_proxy integration");
    }
    warnResponseMappings(n.member("responses"));
    return IntegrationSpec.awsProxy(
        uri,
        function,
        payload,
        orDefault(connectTimeout, IntegrationChecks.DEFAULT_CONNECT_TIMEOUT_MS),
        orDefault(timeout, IntegrationTimeouts.MAX_MS));
  }

  /** Caching fields pass quietly: a cache is a stage setting, which an export does not carry. */
  private static void warnUnapplied(Node n) {
    if (!n.member("contentHandling").isMissing()) {
      n.member("contentHandling").warn("is not applied: bodies pass through as they are");
    }
    if (!n.member("credentials").isMissing()) {
      n.member("credentials").warn("is not applied: HTTP integrations are called without IAM");
    }
    if (!n.member("tlsConfig").isMissing()) {
      n.member("tlsConfig")
          .warn("is not applied: the gateway always verifies backend certificates");
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
