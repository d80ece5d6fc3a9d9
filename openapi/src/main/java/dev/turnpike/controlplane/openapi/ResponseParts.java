package dev.turnpike.controlplane.openapi;

import dev.turnpike.controlplane.limit.Limit;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parts of an API Gateway response mapping Turnpike serves: headers set to quoted literals and
 * the {@code application/json} template as the body. What else a mapping holds is a warning.
 */
final class ResponseParts {
  private static final Pattern TEMPLATE_CODE =
      Pattern.compile("\\$(input|context|util|stageVariables|method)\\b|#(set|if|foreach)\\b");

  private ResponseParts() {}

  /** Whether a template holds Velocity code, rather than being literal text. */
  static boolean hasTemplateCode(String template) {
    return TEMPLATE_CODE.matcher(template).find();
  }

  /**
   * @param prefix e.g. {@code method.response.header.}
   * @return header name to value, from mappings of the prefix to a literal
   */
  static Map<String, String> literalHeaders(Node parameters, String prefix) {
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, String> mappings = parameters.strings();
    if (mappings == null) {
      return headers;
    }
    mappings.forEach(
        (target, source) -> {
          Node at = parameters.member(target);
          if (!target.startsWith(prefix) || target.length() == prefix.length()) {
            at.warn("is not applied: only " + prefix + "NAME mappings are");
          } else if (source.length() >= 2 && source.startsWith("'") && source.endsWith("'")) {
            headers.put(
                target.substring(prefix.length()), source.substring(1, source.length() - 1));
          } else {
            at.warn(
                "is not applied: only quoted literal values ('text') are supported here, so the"
                    + " header is left out");
          }
        });
    return headers;
  }

  /**
   * @param errorMessage whether the gateway fills in {@code $context.error.message} and {@code
   *     $context.error.messageString}, as it does in gateway responses
   * @return the {@code application/json} template, or null when there is none
   */
  static String jsonBody(Node templates, boolean errorMessage) {
    Map<String, String> byType = templates.strings();
    if (byType == null) {
      return null;
    }
    byType.keySet().stream()
        .filter(type -> !type.equals("application/json"))
        .forEach(
            type ->
                templates
                    .member(type)
                    .warn("is not applied: only the application/json template is served"));
    String body = byType.get("application/json");
    if (body == null) {
      return null;
    }
    templates
        .member("application/json")
        .checkLimit(Limit.RESPONSE_BODY_BYTES, body.getBytes(StandardCharsets.UTF_8).length);
    String code =
        errorMessage
            ? body.replace("$context.error.messageString", "").replace("$context.error.message", "")
            : body;
    if (TEMPLATE_CODE.matcher(code).find()) {
      templates
          .member("application/json")
          .warn(
              "is served as literal text: mapping template expressions are not evaluated"
                  + (errorMessage ? " (except $context.error.message and messageString)" : ""));
    }
    return body;
  }
}
