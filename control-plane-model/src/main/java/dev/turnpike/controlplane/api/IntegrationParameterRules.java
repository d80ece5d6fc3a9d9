package dev.turnpike.controlplane.api;

import dev.turnpike.contracts.config.ContextVariables;
import java.util.regex.Pattern;

/**
 * The one rule for an integration's request parameter mappings, applied by the management API and
 * by the OpenAPI import alike, so a mapping one accepts the other accepts too. A {@code context.X}
 * source is accepted only when the gateway fills {@code X} ({@link ContextVariables}): a mapping of
 * a variable nobody fills would deploy and then answer 500 on every call.
 */
public final class IntegrationParameterRules {
  public static final String TARGET_RULE =
      "must be named integration.request.{path|querystring|header}.NAME";
  public static final String SOURCE_RULE =
      "must be method.request.{path|querystring|header}.NAME, a 'static' value, context.NAME or"
          + " stageVariables.NAME";

  private static final Pattern TARGET =
      Pattern.compile("^integration\\.request\\.(path|querystring|header)\\.[A-Za-z0-9_.-]+$");
  private static final Pattern SOURCE =
      Pattern.compile(
          "^(method\\.request\\.(path|querystring|header)\\.[A-Za-z0-9_.-]+"
              + "|'[^']*'"
              + "|context\\.[A-Za-z0-9_.]+"
              + "|stageVariables\\.[A-Za-z0-9_]+)$");
  private static final String CONTEXT = "context.";

  private IntegrationParameterRules() {}

  /**
   * @return why the mapping of {@code source} to {@code target} is refused, or null
   */
  public static String problem(String target, String source) {
    if (target == null || !TARGET.matcher(target).matches()) {
      return TARGET_RULE;
    }
    if (source == null || !SOURCE.matcher(source).matches()) {
      return SOURCE_RULE;
    }
    return contextProblem(source);
  }

  /**
   * @param source any mapping source; only {@code context.X} and {@code $context.X} are judged
   * @return why the gateway cannot fill the context variable the source names, or null
   */
  public static String contextProblem(String source) {
    if (source == null) {
      return null;
    }
    String plain = source.startsWith("$") ? source.substring(1) : source;
    if (!plain.startsWith(CONTEXT)) {
      return null;
    }
    String name = plain.substring(CONTEXT.length());
    if (ContextVariables.isFilled(name)) {
      return null;
    }
    return "names $context."
        + name
        + ", which the gateway does not fill; it fills "
        + String.join(", ", ContextVariables.NAMES)
        + ", and any name under "
        + String.join(" or ", ContextVariables.PREFIXES)
        + " (the $context variables of API Gateway's reference that Turnpike's gateway serves)";
  }
}
