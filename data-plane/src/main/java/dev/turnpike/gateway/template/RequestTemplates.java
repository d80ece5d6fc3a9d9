package dev.turnpike.gateway.template;

import dev.turnpike.contracts.config.PassthroughBehavior;
import dev.turnpike.contracts.config.TemplateRules;
import dev.turnpike.mapping.MappingTemplate;
import java.util.Map;

/**
 * An integration's request templates by Content-Type and what a body without one does, as API
 * Gateway applies {@code passthroughBehavior}: the request's Content-Type (without parameters;
 * {@code application/json} when it has none) picks the template; with none for it, {@code
 * WHEN_NO_MATCH} passes the body through, {@code WHEN_NO_TEMPLATES} passes it only when the
 * integration has no templates at all, {@code NEVER} refuses it with 415. Compiled once per
 * deployment.
 */
public final class RequestTemplates {
  /** What to do with one request's body. */
  public sealed interface Selection {}

  /** Render {@code template}; the integration request's body is its output, of {@code type}. */
  public record Render(MappingTemplate template, String type) implements Selection {}

  /** Send the body as it came. */
  public record PassThrough() implements Selection {}

  /** Answer 415 Unsupported Media Type. */
  public record Unsupported() implements Selection {}

  private static final Selection PASS = new PassThrough();
  private static final Selection REFUSE = new Unsupported();

  private final Map<String, MappingTemplate> byType;
  private final PassthroughBehavior behavior;

  private RequestTemplates(Map<String, MappingTemplate> byType, PassthroughBehavior behavior) {
    this.byType = byType;
    this.behavior = behavior;
  }

  /**
   * @throws IllegalArgumentException naming the template that does not compile
   */
  public static RequestTemplates compile(
      Map<String, String> sources, PassthroughBehavior behavior) {
    return new RequestTemplates(
        CompiledTemplates.compile(sources, "request template"),
        behavior == null ? PassthroughBehavior.WHEN_NO_MATCH : behavior);
  }

  /** Whether every body passes through as it is (no templates, passthrough when none matches). */
  public boolean passesEverything() {
    return byType.isEmpty() && behavior != PassthroughBehavior.NEVER;
  }

  public Selection select(String contentType) {
    TemplateRules.RequestChoice choice =
        TemplateRules.requestTemplate(byType.keySet(), behavior, contentType);
    return switch (choice.decision()) {
      case RENDER -> new Render(byType.get(choice.type()), choice.type());
      case PASS_THROUGH -> PASS;
      case UNSUPPORTED -> REFUSE;
    };
  }
}
