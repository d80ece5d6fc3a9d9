package dev.turnpike.mapping;

import java.io.StringReader;
import java.util.Objects;
import org.apache.velocity.Template;
import org.apache.velocity.runtime.RuntimeInstance;
import org.apache.velocity.runtime.parser.ParseException;
import org.apache.velocity.runtime.parser.node.Node;

/**
 * One API Gateway mapping template, parsed once (at save for validation, at deployment for use) and
 * rendered any number of times, from any thread.
 *
 * <p>What a rendering sees is API Gateway's: {@code $input} ({@link InputVariable}), {@code $util}
 * ({@link UtilVariable}), {@code $context} as nested maps with {@code responseOverride}, and {@code
 * $stageVariables}. Where API Gateway's behaviour is not Velocity 2's, this module takes API
 * Gateway's, as its guide documents it or as it was recorded answering:
 *
 * <ul>
 *   <li>JSON prints as json-smart's (JsonPath's provider) does: {@code {foo=bar}} for an object,
 *       {@code [{"foo":"bar"}]} for an array ({@link VtlText}, {@link JsonSupport});
 *   <li>a value that is not there prints nothing and equals the empty string ({@link Comparisons});
 *   <li>whitespace follows Velocity 1.x ({@code parser.space_gobbling = bc}): a {@code #set} line
 *       vanishes, other directive lines keep their indentation and lose their newline;
 *   <li>{@code $input.body} of an empty payload is {@code {}}, {@code $input.json} of a path that
 *       finds nothing is {@code ""};
 *   <li>an override set twice, a method that throws, a body or {@code $util.parseJson} text that
 *       does not parse: the rendering fails (a 500 on API Gateway).
 * </ul>
 *
 * <p>And what a tenant's template may do is bounded ({@link TemplateBudget}): it reaches no Java
 * class ({@link RestrictedUberspector}), no file ({@link TemplateChecks}), and a runaway one fails
 * within its time, output and step budget, checked cooperatively at every step, write and walk.
 */
public final class MappingTemplate {
  private final String source;
  private final Template template;

  private MappingTemplate(String source, Template template) {
    this.source = source;
    this.template = template;
  }

  /**
   * Parses and checks a template; the result is immutable and may be shared between threads.
   *
   * @throws TemplateSyntaxException naming the problem and where it is: a syntax error, or a
   *     directive templates may not use ({@code #include}, {@code #parse}, {@code #evaluate})
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
    Node root = (Node) template.getData();
    TemplateChecks.check(root);
    Literals.rewrite(root);
    template.initDocument();
    return new MappingTemplate(source, template);
  }

  /** Renders with {@link TemplateBudget#DEFAULT}; failures are values. */
  public Rendered render(TemplateInput input) {
    return render(input, TemplateBudget.DEFAULT);
  }

  /**
   * Renders on the calling thread within the budget. Never throws: a template that runs past its
   * budget, fails on its input ({@code $util.parseJson} of text that is not JSON, a JSONPath that
   * does not parse) or sets a response override that is not a status is a {@link Rendered.Failed}.
   * Any number of threads may render one template at once.
   */
  public Rendered render(TemplateInput input, TemplateBudget budget) {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(budget, "budget");
    RenderGuard guard = new RenderGuard(budget);
    guard.attach();
    try {
      return Rendering.run(template, input, guard);
    } catch (RuntimeException e) {
      // The first recorded failure is the cause; what Velocity wrapped it in is not.
      return guard.failure() != null
          ? Rendering.failed(guard.failure(), true)
          : Rendering.failed(e, false);
    } catch (StackOverflowError e) {
      // Worker threads may have deeper stacks than the thread that ran out: a budget, too.
      return new Rendered.Failed("the template nested too deeply", Rendered.Overrun.LIMIT);
    } finally {
      guard.detach();
    }
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
