package dev.turnpike.gateway.template;

import dev.turnpike.contracts.config.TemplateRules;
import dev.turnpike.mapping.MappingTemplate;
import dev.turnpike.mapping.TemplateSyntaxException;
import java.util.HashMap;
import java.util.Map;

/** Templates by content type, compiled once per deployment. */
final class CompiledTemplates {
  private CompiledTemplates() {}

  /**
   * @param what names the templates in an error, e.g. "request template"
   * @throws IllegalArgumentException naming the content type and the place of the first template
   *     that does not compile
   */
  static Map<String, MappingTemplate> compile(Map<String, String> sources, String what) {
    Map<String, MappingTemplate> compiled = new HashMap<>();
    sources.forEach(
        (type, source) -> {
          String key = TemplateRules.essence(type);
          if (key == null) {
            throw new IllegalArgumentException(what + " without a content type");
          }
          try {
            compiled.put(key, MappingTemplate.compile(source == null ? "" : source));
          } catch (TemplateSyntaxException e) {
            throw new IllegalArgumentException(
                what
                    + " for "
                    + type
                    + " does not compile at line "
                    + e.line()
                    + ", column "
                    + e.column()
                    + ": "
                    + e.getMessage(),
                e);
          }
        });
    return Map.copyOf(compiled);
  }
}
