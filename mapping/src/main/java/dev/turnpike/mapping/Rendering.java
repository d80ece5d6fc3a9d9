package dev.turnpike.mapping;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.velocity.Template;
import org.apache.velocity.app.event.EventCartridge;

/** One rendering: the variables a template sees, its run, and what it left in its overrides. */
final class Rendering {
  private Rendering() {}

  static Rendered run(Template template, TemplateInput input, RenderGuard guard) {
    GuardedContext context = new GuardedContext(guard);
    Map<Object, Object> contextVariable = ContextVariable.of(input.context());
    context.put("input", new InputVariable(input, guard));
    context.put("util", new UtilVariable(guard));
    context.put("context", contextVariable);
    context.put("stageVariables", new Structures.TemplateMap(input.stageVariables()));
    EventCartridge events = new EventCartridge();
    events.addReferenceInsertionEventHandler(new InsertionGuard(guard));
    events.attachToContext(context);

    BoundedWriter out = new BoundedWriter(guard);
    template.merge(context, out);
    if (guard.failure() != null) {
      return failed(guard.failure(), true);
    }
    Rendered response =
        overrides(out.text(), contextVariable.get(ContextVariable.RESPONSE_OVERRIDE), guard);
    if (!(response instanceof Rendered.Text text)) {
      return response;
    }
    Rendered.RequestOverride request =
        requestOverride(contextVariable.get(ContextVariable.REQUEST_OVERRIDE), guard);
    return request.isEmpty()
        ? text
        : new Rendered.Text(text.text(), text.statusOverride(), text.headerOverrides(), request);
  }

  /**
   * Reads {@code $context.requestOverride.header.X}, {@code .querystring.X} and {@code .path.X}
   * after the rendering.
   */
  private static Rendered.RequestOverride requestOverride(Object override, RenderGuard guard) {
    if (!(override instanceof Map<?, ?> values)) {
      return Rendered.RequestOverride.NONE;
    }
    return new Rendered.RequestOverride(
        strings(values.get("header"), guard),
        strings(values.get("querystring"), guard),
        strings(values.get("path"), guard));
  }

  private static Map<String, String> strings(Object values, RenderGuard guard) {
    Map<String, String> strings = new LinkedHashMap<>();
    if (values instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (entry.getKey() != null && entry.getValue() != null) {
          strings.put(String.valueOf(entry.getKey()), VtlText.of(entry.getValue(), guard));
        }
      }
    }
    return strings;
  }

  /** Reads {@code $context.responseOverride.status} and {@code .header.X} after the rendering. */
  private static Rendered overrides(String text, Object override, RenderGuard guard) {
    if (!(override instanceof Map<?, ?> values)) {
      return new Rendered.Text(text);
    }
    Integer status = null;
    Object statusValue = values.get("status");
    if (statusValue != null) {
      status = status(VtlText.of(statusValue, guard));
      if (status == null) {
        return new Rendered.Failed(
            "$context.responseOverride.status is not an HTTP status: " + statusValue);
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (values.get("header") instanceof Map<?, ?> headerValues) {
      for (Map.Entry<?, ?> header : headerValues.entrySet()) {
        if (header.getKey() != null && header.getValue() != null) {
          headers.put(String.valueOf(header.getKey()), VtlText.of(header.getValue(), guard));
        }
      }
    }
    return new Rendered.Text(text, status, headers);
  }

  private static Integer status(String text) {
    try {
      int status = Integer.parseInt(text.strip());
      return status >= 100 && status <= 599 ? status : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The failure as a value, flagged when the budget ended the rendering. */
  static Rendered.Failed failed(Throwable failure, boolean recorded) {
    return new Rendered.Failed(
        reason(failure, recorded),
        failure instanceof BudgetExceeded exceeded ? exceeded.overrun() : Rendered.Overrun.NONE);
  }

  /**
   * What to tell the log: a failure recorded by the rendering (a budget's end, an exception of
   * {@code $input} or {@code $util}) says it in its own words; one Velocity wrapped, in the words
   * of its innermost cause.
   */
  static String reason(Throwable failure, boolean recorded) {
    Throwable cause = failure;
    while (!recorded && cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return message == null ? "the template failed: " + cause.getClass().getSimpleName() : message;
  }
}
