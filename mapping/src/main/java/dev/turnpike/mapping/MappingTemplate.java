package dev.turnpike.mapping;

import java.io.StringReader;
import java.util.Objects;
import org.apache.velocity.Template;
import org.apache.velocity.runtime.RuntimeInstance;
import org.apache.velocity.runtime.parser.ParseException;

/**
 * One API Gateway mapping template, parsed once (at save for validation, at deployment for use) and
 * rendered any number of times, from any thread.
 */
public final class MappingTemplate {
  private final String source;
  private final Template template;

  private MappingTemplate(String source, Template template) {
    this.source = source;
    this.template = template;
  }

  /**
   * @throws TemplateSyntaxException naming the problem and where it is
   */
  public static MappingTemplate compile(String source) {
    Objects.requireNonNull(source, "source");
    RuntimeInstance runtime = Engine.runtime();
    Template template = new Template();
    template.setName("mapping template");
    template.setRuntimeServices(runtime);
    try {
      template.setData(runtime.parse(new StringReader(source), template));
    } catch (ParseException e) {
      int line = e.currentToken == null ? 0 : e.currentToken.next.beginLine;
      int column = e.currentToken == null ? 0 : e.currentToken.next.beginColumn;
      throw new TemplateSyntaxException(firstLine(e.getMessage()), line, column);
    }
    template.initDocument();
    return new MappingTemplate(source, template);
  }

  /** Renders with the engine's budget; failures are values. */
  public Rendered render(TemplateInput input) {
    throw new UnsupportedOperationException(
        "mapping templates do not render yet: the engine is being built (issue 16)");
  }

  public String source() {
    return source;
  }

  Template template() {
    return template;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "the template does not parse";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
