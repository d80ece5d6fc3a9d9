package dev.turnpike.controlplane.openapi;

import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.controlplane.api.GatewayResponseTypes;
import dev.turnpike.controlplane.api.MappingRules;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads {@code x-amazon-apigateway-gateway-responses}: owner overrides of the gateway's errors. */
final class GatewayResponsesReader {
  static final String FIELD = "x-amazon-apigateway-gateway-responses";
  static final String HEADER_PREFIX = "gatewayresponse.header.";
  private static final Set<String> FIELDS =
      Set.of("statusCode", "responseParameters", "responseTemplates");

  private GatewayResponsesReader() {}

  /**
   * @return the overrides by response type, or null when the document has none
   */
  static Map<String, GatewayResponseConfig> read(Node document) {
    Node all = document.member(FIELD);
    if (all.isMissing()) {
      return null;
    }
    Map<String, GatewayResponseConfig> responses = new TreeMap<>();
    for (var entry : all.members()) {
      if (!GatewayResponseTypes.ALL.contains(entry.getKey())) {
        entry
            .getValue()
            .error(
                "is not a gateway response type (such as DEFAULT_4XX, THROTTLED or MISSING_AUTHENTICATION_TOKEN)");
        continue;
      }
      Node response = entry.getValue().object();
      for (var field : response.members()) {
        if (!FIELDS.contains(field.getKey())) {
          field.getValue().warn("is not a gateway response field Turnpike knows; it is ignored");
        }
      }
      Node statusCode = response.member("statusCode");
      Integer status = statusCode.integer();
      if (status != null && (status < 100 || status > 599)) {
        statusCode.error("must be between 100 and 599");
      }
      Node parameters = response.member("responseParameters");
      Map<String, String> headers = new TreeMap<>();
      Map<String, String> mappings = new TreeMap<>();
      Map<String, String> given = parameters.strings();
      if (given != null) {
        given.forEach(
            (target, source) -> {
              String problem = MappingRules.gatewayResponseParameterProblem(target, source);
              if (problem != null) {
                parameters.member(target).error(problem);
              } else if (source.startsWith("'")) {
                // A literal is a plain header, which every gateway sends as it is.
                headers.put(
                    target.substring(HEADER_PREFIX.length()),
                    source.substring(1, source.length() - 1));
              } else {
                mappings.put(target, source);
              }
            });
      }
      responses.put(
          entry.getKey(),
          new GatewayResponseConfig(
              status,
              headers,
              null,
              mappings,
              MappingReader.templates(response.member("responseTemplates"))));
    }
    return responses;
  }
}
