package dev.turnpike.controlplane.openapi;

import static dev.turnpike.controlplane.openapi.IntegrationChecks.httpMethod;
import static dev.turnpike.controlplane.openapi.IntegrationChecks.orDefault;
import static dev.turnpike.controlplane.openapi.IntegrationChecks.requestParameters;
import static dev.turnpike.controlplane.openapi.IntegrationChecks.timeout;
import static dev.turnpike.controlplane.openapi.IntegrationChecks.type;
import static dev.turnpike.controlplane.openapi.IntegrationChecks.uri;

import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.controlplane.api.IntegrationTimeouts;
import dev.turnpike.controlplane.limit.Limit;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code x-turnpike-integration}: an integration in the management API's own names. Being
 * Turnpike's, it is read strictly: an unknown field is an error, not a warning.
 */
final class TurnpikeIntegrationReader {
  static final String FIELD = "x-turnpike-integration";

  private static final Set<String> FIELDS =
      Set.of(
          "type",
          "httpMethod",
          "uri",
          "connectTimeoutMillis",
          "timeoutMillis",
          "requestParameters",
          "mock");
  private static final Set<String> MOCK_FIELDS = Set.of("statusCode", "headers", "body");

  private TurnpikeIntegrationReader() {}

  static IntegrationSpec read(Node n) {
    for (var member : n.members()) {
      if (!FIELDS.contains(member.getKey())) {
        member.getValue().error("is not a field of x-turnpike-integration");
      }
    }
    String type = type(n.member("type"));
    Integer timeout = timeout(n.member("timeoutMillis"));
    Integer connectTimeout = timeout(n.member("connectTimeoutMillis"));
    Map<String, String> parameters = requestParameters(n.member("requestParameters"));
    if (type == null) {
      return null;
    }
    if (type.equals("aws_proxy") || type.equals("aws")) {
      n.member("type")
          .error(
              type
                  + " is read from x-amazon-apigateway-integration (with the function's"
                  + " Lambda ARN as uri), not from x-turnpike-integration");
      return null;
    }
    MockResponse mock = null;
    String httpMethod = null;
    String uri = null;
    if (type.equals("mock")) {
      forbid(n.member("httpMethod"), "must be absent for a mock integration");
      forbid(n.member("uri"), "must be absent for a mock integration");
      mock = mock(n.member("mock"));
    } else {
      forbid(n.member("mock"), "is only for a mock integration");
      httpMethod = httpMethod(n.member("httpMethod"));
      uri = uri(n.member("uri"));
    }
    return new IntegrationSpec(
        type,
        httpMethod,
        uri,
        orDefault(connectTimeout, IntegrationChecks.DEFAULT_CONNECT_TIMEOUT_MS),
        orDefault(timeout, IntegrationTimeouts.MAX_MS),
        parameters,
        mock);
  }

  private static MockResponse mock(Node node) {
    if (node.isMissing()) {
      node.error("is required for a mock integration");
      return null;
    }
    Node mock = node.object();
    if (!mock.isObject()) {
      return null;
    }
    for (var member : mock.members()) {
      if (!MOCK_FIELDS.contains(member.getKey())) {
        member.getValue().error("is not a field of a mock response (statusCode, headers, body)");
      }
    }
    Node statusCode = mock.member("statusCode");
    Integer status = statusCode.integer();
    if (statusCode.isMissing()) {
      statusCode.error("is required");
    } else if (status != null && (status < 100 || status > 599)) {
      statusCode.error("must be between 100 and 599");
    }
    Map<String, String> headers = mock.member("headers").strings();
    String body = mock.member("body").text();
    if (body != null) {
      mock.member("body")
          .checkLimit(Limit.RESPONSE_BODY_BYTES, body.getBytes(StandardCharsets.UTF_8).length);
    }
    return status == null ? null : new MockResponse(status, headers, body);
  }

  private static void forbid(Node node, String message) {
    if (!node.isMissing()) {
      node.error(message);
    }
  }
}
