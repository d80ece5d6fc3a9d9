package dev.turnpike.controlplane.openapi;

import dev.turnpike.controlplane.api.HttpMethods;
import dev.turnpike.controlplane.api.IntegrationParameterRules;
import dev.turnpike.controlplane.api.IntegrationTimeouts;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/**
 * The checks both integration extensions share, the same the management API applies to an
 * integration, so an imported one is one the API would have accepted.
 */
final class IntegrationChecks {
  static final int DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

  private IntegrationChecks() {}

  static String type(Node node) {
    String type = node.text();
    if (type == null) {
      if (node.isMissing()) {
        node.error("is required: http, http_proxy, mock, aws_proxy or aws");
      }
      return null;
    }
    String lower = type.toLowerCase(Locale.ROOT);
    return switch (lower) {
      case "http", "http_proxy", "mock", "aws_proxy", "aws" -> lower;
      default -> {
        node.error("must be http, http_proxy, mock, aws_proxy or aws, not " + type);
        yield null;
      }
    };
  }

  static String httpMethod(Node node) {
    String method = node.text();
    if (method == null) {
      if (node.isMissing()) {
        node.error("is required for http and http_proxy integrations");
      }
      return null;
    }
    String upper = method.toUpperCase(Locale.ROOT);
    if (!HttpMethods.ROUTE_METHODS.contains(upper)) {
      node.error(HttpMethods.RULE);
      return null;
    }
    return upper;
  }

  static String uri(Node node) {
    String uri = node.text();
    if (uri == null) {
      if (node.isMissing()) {
        node.error("is required for http and http_proxy integrations");
      }
      return null;
    }
    String refused = node.findings().targetProblem(uri);
    if (refused != null) {
      node.error(refused);
      return null;
    }
    if (!isBackendUri(uri)) {
      node.error(
          "must be an absolute http or https URL (it may hold {pathParameters} and"
              + " ${stageVariables.name})");
      return null;
    }
    return uri;
  }

  static Integer timeout(Node node) {
    Integer millis = node.integer();
    if (millis != null
        && (millis < IntegrationTimeouts.MIN_MS || millis > IntegrationTimeouts.MAX_MS)) {
      node.error(
          "must be between "
              + IntegrationTimeouts.MIN_MS
              + " and "
              + IntegrationTimeouts.MAX_MS
              + " milliseconds, was "
              + millis);
      return null;
    }
    return millis;
  }

  static Map<String, String> requestParameters(Node node) {
    Map<String, String> parameters = node.strings();
    if (parameters == null) {
      return Map.of();
    }
    parameters.forEach(
        (target, source) -> {
          String problem = IntegrationParameterRules.problem(target, source);
          if (problem != null) {
            node.member(target).error(problem);
          }
        });
    return parameters;
  }

  static boolean isBackendUri(String uri) {
    // Stage variables and path parameters are placeholders until the gateway fills them in.
    String probe =
        uri.replaceAll("\\$\\{stageVariables\\.[A-Za-z0-9_]+}", "x").replaceAll("\\{[^}/]+}", "x");
    try {
      URI parsed = new URI(probe);
      return ("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))
          && parsed.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
