package dev.turnpike.controlplane.api;

import dev.turnpike.controlplane.api.Integrations.IntegrationInput;
import dev.turnpike.controlplane.api.Integrations.IntegrationResponseInput;
import dev.turnpike.controlplane.problem.Validation;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an integration's mapping fields (templates, passthrough, content handling, integration
 * responses) with {@link MappingRules}, each problem at its JSON pointer in the request body.
 */
final class IntegrationMappingRules {
  /** Integration responses per integration: API Gateway keys them by status, so at most ~500. */
  static final int MAX_RESPONSES = 100;

  private IntegrationMappingRules() {}

  static void validate(Validation v, IntegrationInput in) {
    String type = in.type();
    if ("http_proxy".equals(type) || Integrations.AWS_PROXY.equals(type)) {
      String reason =
          "is not applied to a "
              + type
              + " integration: the request and the response pass through (use http, mock or aws"
              + " to map them)";
      v.forbidden("/requestTemplates", in.requestTemplates(), reason);
      v.forbidden("/passthroughBehavior", in.passthroughBehavior(), reason);
      v.forbidden("/contentHandling", in.contentHandling(), reason);
      v.forbidden("/integrationResponses", in.integrationResponses(), reason);
      return;
    }
    templates(v, "/requestTemplates/", in.requestTemplates());
    if (in.passthroughBehavior() != null
        && MappingRules.passthroughBehavior(in.passthroughBehavior()) == null) {
      v.add("/passthroughBehavior", MappingRules.PASSTHROUGH_RULE);
    }
    contentHandling(v, "/contentHandling", in.contentHandling());
    responses(v, in.integrationResponses());
  }

  private static void responses(Validation v, List<IntegrationResponseInput> responses) {
    if (responses == null) {
      return;
    }
    if (responses.size() > MAX_RESPONSES) {
      v.add("/integrationResponses", "may hold at most " + MAX_RESPONSES + " responses");
      return;
    }
    Set<String> patterns = new HashSet<>();
    for (int i = 0; i < responses.size(); i++) {
      String at = "/integrationResponses/" + i;
      IntegrationResponseInput response = responses.get(i);
      if (response == null) {
        v.add(at, "must be an object");
        continue;
      }
      if (v.required(at + "/statusCode", response.statusCode())) {
        v.range(at + "/statusCode", response.statusCode(), 100, 599);
      }
      String pattern = response.selectionPattern();
      String problem = MappingRules.selectionPatternProblem(pattern);
      if (problem != null) {
        v.add(at + "/selectionPattern", problem);
      }
      String key = pattern == null || pattern.isEmpty() ? "" : pattern;
      if (!patterns.add(key)) {
        v.add(
            at + "/selectionPattern",
            key.isEmpty()
                ? "another response is already the default (the one without a selectionPattern)"
                : "another response already has this selectionPattern");
      }
      Map<String, String> parameters = response.responseParameters();
      if (parameters != null) {
        parameters.forEach(
            (target, source) -> {
              String refused = MappingRules.responseParameterProblem(target, source);
              if (refused != null) {
                v.add(at + "/responseParameters/" + Integrations.escape(target), refused);
              }
            });
      }
      templates(v, at + "/responseTemplates/", response.responseTemplates());
      contentHandling(v, at + "/contentHandling", response.contentHandling());
    }
  }

  private static void templates(Validation v, String pointer, Map<String, String> templates) {
    if (templates == null) {
      return;
    }
    templates.forEach(
        (contentType, template) -> {
          String at = pointer + Integrations.escape(contentType);
          String problem = MappingRules.contentTypeProblem(contentType);
          if (problem == null) {
            problem = MappingRules.templateProblem(template);
          }
          if (problem != null) {
            v.add(at, problem);
          }
        });
  }

  private static void contentHandling(Validation v, String pointer, String value) {
    if (value != null && MappingRules.contentHandling(value) == null) {
      v.add(pointer, MappingRules.CONTENT_HANDLING_RULE);
    }
  }
}
