package dev.turnpike.controlplane.api;

import dev.turnpike.contracts.config.PassthroughBehavior;
import java.util.Locale;
import java.util.Map;

/**
 * Which request template a body's Content-Type picks, or what its passthrough behaviour does
 * without one, as API Gateway's developer guide tabulates it: the type without parameters, in lower
 * case ({@code application/json} when absent), picks the template; without one {@code
 * when_no_match} passes the body through, {@code when_no_templates} only when there are no
 * templates at all, {@code never} refuses it with 415.
 *
 * <p>The gateway applies the same rule in {@code data-plane} ({@code RequestTemplates}); the
 * control plane may not depend on the gateway, so the test invocation has this copy of it.
 */
public final class RequestTemplateChoice {
  static final String JSON = "application/json";

  /** What a body does: {@code template} names the chosen template's type, for RENDER only. */
  public record Choice(Decision decision, String contentType, String template) {}

  public enum Decision {
    RENDER,
    PASS_THROUGH,
    UNSUPPORTED
  }

  private RequestTemplateChoice() {}

  public static Choice choose(
      Map<String, String> templates, PassthroughBehavior behavior, String contentType) {
    String type = essence(contentType);
    if (type == null) {
      type = JSON;
    }
    if (templates.containsKey(type)) {
      return new Choice(Decision.RENDER, type, type);
    }
    PassthroughBehavior rule = behavior == null ? PassthroughBehavior.WHEN_NO_MATCH : behavior;
    boolean passes =
        switch (rule) {
          case WHEN_NO_MATCH -> true;
          case WHEN_NO_TEMPLATES -> templates.isEmpty();
          case NEVER -> false;
        };
    return new Choice(passes ? Decision.PASS_THROUGH : Decision.UNSUPPORTED, type, null);
  }

  /** {@code Application/JSON; charset=utf-8} is {@code application/json}; null for none. */
  static String essence(String contentType) {
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
}
