package dev.turnpike.controlplane.openapi;

import dev.turnpike.contracts.config.ContentHandling;
import dev.turnpike.contracts.config.IntegrationResponse;
import dev.turnpike.contracts.config.PassthroughBehavior;
import dev.turnpike.controlplane.api.MappingRules;
import dev.turnpike.controlplane.limit.Limit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the mapping parts of {@code x-amazon-apigateway-integration} (request templates,
 * passthrough behaviour, content handling, integration responses) and of a gateway response, with
 * the management API's rules ({@link MappingRules}), so a template that does not compile is an
 * error at its pointer naming its line and column.
 */
final class MappingReader {
  /** The key of the integration response used when no selection pattern matches. */
  static final String DEFAULT = "default";

  private MappingReader() {}

  /**
   * @return the templates by content type; each is checked, compiled and bounded
   */
  static Map<String, String> templates(Node node) {
    Map<String, String> templates = node.strings();
    if (templates == null) {
      return Map.of();
    }
    templates.forEach(
        (contentType, template) -> {
          Node at = node.member(contentType);
          String problem = MappingRules.contentTypeProblem(contentType);
          if (problem == null) {
            problem = MappingRules.templateProblem(template);
          }
          if (problem != null) {
            at.error(problem);
          } else {
            at.checkLimit(
                Limit.RESPONSE_BODY_BYTES, template.getBytes(StandardCharsets.UTF_8).length);
          }
        });
    return templates;
  }

  static PassthroughBehavior passthrough(Node node) {
    String text = node.text();
    if (text == null) {
      return null;
    }
    PassthroughBehavior behavior = MappingRules.passthroughBehavior(text);
    if (behavior == null) {
      node.error(MappingRules.PASSTHROUGH_RULE);
    }
    return behavior;
  }

  static ContentHandling contentHandling(Node node) {
    String text = node.text();
    if (text == null) {
      return null;
    }
    ContentHandling handling = MappingRules.contentHandling(text);
    if (handling == null) {
      node.error(MappingRules.CONTENT_HANDLING_RULE);
    }
    return handling;
  }

  /**
   * @return the integration responses in the document's order, each keyed there by its selection
   *     pattern ({@code default} for the default one)
   */
  static List<IntegrationResponse> responses(Node node) {
    List<IntegrationResponse> responses = new ArrayList<>();
    for (var entry : node.object().members()) {
      String key = entry.getKey();
      Node response = entry.getValue().object();
      if (!response.isObject()) {
        entry.getValue().error("must be an object");
        continue;
      }
      String pattern = key.equals(DEFAULT) ? null : key;
      String problem = MappingRules.selectionPatternProblem(pattern);
      if (problem != null) {
        entry.getValue().error("is keyed by its selectionPattern, which " + problem);
      }
      Node statusCode = response.member("statusCode");
      Integer status = statusCode.integer();
      if (statusCode.isMissing()) {
        statusCode.error("is required");
      } else if (status != null && (status < 100 || status > 599)) {
        statusCode.error("must be between 100 and 599");
      }
      Node parameters = response.member("responseParameters");
      Map<String, String> mappings = parameters.strings();
      Map<String, String> kept = new LinkedHashMap<>();
      if (mappings != null) {
        mappings.forEach(
            (target, source) -> {
              String refused = MappingRules.responseParameterProblem(target, source);
              if (refused != null) {
                parameters.member(target).error(refused);
              } else {
                kept.put(target, source);
              }
            });
      }
      Map<String, String> templates = templates(response.member("responseTemplates"));
      ContentHandling handling = contentHandling(response.member("contentHandling"));
      for (var field : response.members()) {
        if (!List.of(
                "statusCode",
                "selectionPattern",
                "responseParameters",
                "responseTemplates",
                "contentHandling")
            .contains(field.getKey())) {
          field
              .getValue()
              .warn("is not an integration response field Turnpike knows; it is ignored");
        }
      }
      if (status != null) {
        responses.add(new IntegrationResponse(pattern, status, kept, templates, handling));
      }
    }
    return responses;
  }
}
