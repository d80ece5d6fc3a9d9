package dev.turnpike.contracts.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.re2j.Pattern;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How API Gateway picks among an integration's mapping templates and responses, in one place for
 * the gateway (which applies them to calls) and the control plane (whose test invocation shows what
 * a call would do): the request template by Content-Type and the passthrough behaviour, the
 * response template by Accept, the integration response by selection pattern, and a mock's status
 * from its request template's output.
 */
public final class TemplateRules {
  /** The type a body without Content-Type is templated as, and the response templates' default. */
  public static final String JSON = "application/json";

  /** The most characters of a status or error message a selection pattern is matched against. */
  public static final int MAX_SELECTION_INPUT = 1024;

  /** A mock's status when its request template's output names none (or none usable). */
  public static final int DEFAULT_MOCK_STATUS = 200;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TemplateRules() {}

  /** What a request body does: rendered by the template of {@code type}, passed, or refused. */
  public record RequestChoice(Decision decision, String type) {}

  public enum Decision {
    RENDER,
    PASS_THROUGH,
    /** 415 Unsupported Media Type. */
    UNSUPPORTED
  }

  /**
   * As the developer guide tabulates it: the Content-Type without parameters, in lower case ({@code
   * application/json} when absent), picks the template; without one {@code when_no_match} passes
   * the body through, {@code when_no_templates} only when there are no templates at all, {@code
   * never} refuses it.
   *
   * @param templateTypes the types the integration has templates for, as {@link #essence} keys them
   */
  public static RequestChoice requestTemplate(
      Set<String> templateTypes, PassthroughBehavior behavior, String contentType) {
    String type = essence(contentType);
    if (type == null) {
      type = JSON;
    }
    if (templateTypes.contains(type)) {
      return new RequestChoice(Decision.RENDER, type);
    }
    PassthroughBehavior rule = behavior == null ? PassthroughBehavior.WHEN_NO_MATCH : behavior;
    boolean passes =
        switch (rule) {
          case WHEN_NO_MATCH -> true;
          case WHEN_NO_TEMPLATES -> templateTypes.isEmpty();
          case NEVER -> false;
        };
    return new RequestChoice(passes ? Decision.PASS_THROUGH : Decision.UNSUPPORTED, type);
  }

  /**
   * The response template for a client's Accept: the first listed type there is a template for,
   * else {@code application/json}'s; null when neither (the body passes through).
   */
  public static String responseTemplate(Set<String> templateTypes, String accept) {
    if (templateTypes.isEmpty()) {
      return null;
    }
    if (accept != null) {
      for (String range : accept.split(",")) {
        String type = essence(range);
        if (type != null && templateTypes.contains(type)) {
          return type;
        }
      }
    }
    return templateTypes.contains(JSON) ? JSON : null;
  }

  /** {@code Application/JSON; charset=utf-8} is {@code application/json}; null for none. */
  public static String essence(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String type =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .trim()
            .toLowerCase(Locale.ROOT);
    return type.isEmpty() ? null : type;
  }

  /**
   * A mock's status from its request template's output, {@code {"statusCode": 404}}: {@value
   * #DEFAULT_MOCK_STATUS} without a usable one, as a mock without a template answers.
   */
  public static int mockStatus(byte[] requestTemplateOutput) {
    if (requestTemplateOutput == null || requestTemplateOutput.length == 0) {
      return DEFAULT_MOCK_STATUS;
    }
    try {
      JsonNode status = MAPPER.readTree(requestTemplateOutput).get("statusCode");
      if (status == null) {
        return DEFAULT_MOCK_STATUS;
      }
      int code = status.isNumber() ? status.asInt() : Integer.parseInt(status.asText().trim());
      return code >= 100 && code <= 599 ? code : DEFAULT_MOCK_STATUS;
    } catch (IOException | NumberFormatException e) {
      return DEFAULT_MOCK_STATUS;
    }
  }

  /**
   * An integration response's {@code selectionPattern}, compiled once: a tenant's regular
   * expression matched against the whole status or error message ({@code String.matches}' sense),
   * on RE2/J with the program bounded by {@link ValidationPattern}'s rule and the text cut to
   * {@value #MAX_SELECTION_INPUT} characters, so matching costs a bounded number of steps whatever
   * the tenant wrote and the backend answered.
   */
  public static final class SelectionPattern {
    private final Pattern pattern;

    private SelectionPattern(Pattern pattern) {
      this.pattern = pattern;
    }

    /**
     * @throws IllegalArgumentException for a pattern RE2 cannot run or that is too complex
     */
    public static SelectionPattern compile(String source) {
      ValidationPattern.compile(source);
      return new SelectionPattern(Pattern.compile(source));
    }

    public boolean matches(String text) {
      String bounded =
          text.length() > MAX_SELECTION_INPUT ? text.substring(0, MAX_SELECTION_INPUT) : text;
      return pattern.matches(bounded);
    }
  }

  /**
   * The index of the integration response a status or error message selects: the first whose
   * pattern matches it whole, else the default one (no pattern); -1 for neither, which API Gateway
   * answers as a configuration error. For one-off use (the control plane's test); the gateway
   * compiles the patterns once per deployment.
   */
  public static int selectResponse(List<IntegrationResponse> responses, String selector) {
    int fallback = -1;
    for (int i = 0; i < responses.size(); i++) {
      IntegrationResponse response = responses.get(i);
      if (response.isDefault()) {
        fallback = fallback < 0 ? i : fallback;
      } else if (selector != null
          && SelectionPattern.compile(response.selectionPattern()).matches(selector)) {
        return i;
      }
    }
    return fallback;
  }
}
