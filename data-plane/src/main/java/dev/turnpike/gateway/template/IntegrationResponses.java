package dev.turnpike.gateway.template;

import dev.turnpike.contracts.config.ContentHandling;
import dev.turnpike.contracts.config.IntegrationResponse;
import dev.turnpike.contracts.config.ResponseParameterMapping;
import dev.turnpike.contracts.config.TemplateRules;
import dev.turnpike.mapping.MappingTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A non-proxy integration's responses, compiled once per deployment: the first whose selection
 * pattern matches the whole backend status (or function error message) answers, else the default
 * one (no pattern); with neither, the call is a configuration error, as API Gateway's "no match for
 * output mapping and no default output mapping configured".
 */
public final class IntegrationResponses {
  /** One integration response, ready to shape a method response. */
  public record Chosen(
      int statusCode,
      ResponseParameterMapping parameters,
      Map<String, MappingTemplate> templates,
      ContentHandling contentHandling) {}

  private record Candidate(TemplateRules.SelectionPattern pattern, Chosen response) {}

  public static final IntegrationResponses NONE = new IntegrationResponses(List.of(), null);

  private final List<Candidate> candidates;
  private final Chosen fallback;

  private IntegrationResponses(List<Candidate> candidates, Chosen fallback) {
    this.candidates = candidates;
    this.fallback = fallback;
  }

  /**
   * @throws IllegalArgumentException naming the response whose pattern, parameters or templates
   *     cannot be compiled
   */
  public static IntegrationResponses compile(List<IntegrationResponse> responses) {
    if (responses.isEmpty()) {
      return NONE;
    }
    List<Candidate> candidates = new ArrayList<>();
    Chosen fallback = null;
    for (IntegrationResponse response : responses) {
      String name =
          response.isDefault() ? "default response" : "response " + response.selectionPattern();
      if (response.statusCode() < 100 || response.statusCode() > 599) {
        throw new IllegalArgumentException(
            name + ": status must be 100..599, was " + response.statusCode());
      }
      Chosen chosen;
      try {
        chosen =
            new Chosen(
                response.statusCode(),
                ResponseParameterMapping.parse(response.responseParameters()),
                CompiledTemplates.compile(response.responseTemplates(), "response template"),
                response.contentHandling());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
      }
      if (response.isDefault()) {
        if (fallback == null) {
          fallback = chosen;
        }
      } else {
        TemplateRules.SelectionPattern pattern;
        try {
          pattern = TemplateRules.SelectionPattern.compile(response.selectionPattern());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        candidates.add(new Candidate(pattern, chosen));
      }
    }
    return new IntegrationResponses(List.copyOf(candidates), fallback);
  }

  public boolean isEmpty() {
    return candidates.isEmpty() && fallback == null;
  }

  /** The response for a backend status or error message; null when none matches, no default. */
  public Chosen select(String statusOrError) {
    for (Candidate candidate : candidates) {
      if (candidate.pattern().matches(statusOrError)) {
        return candidate.response();
      }
    }
    return fallback;
  }

  /** The default response alone (a function's answer without error); null without one. */
  public Chosen fallback() {
    return fallback;
  }
}
