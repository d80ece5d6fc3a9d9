package dev.turnpike.mapping;

import java.util.Map;

/** The outcome of one rendering: a value, never an exception, so the gateway's loop stays clean. */
public sealed interface Rendered {
  /**
   * The template's output.
   *
   * @param statusOverride {@code $context.responseOverride.status} when a response template set it,
   *     else null
   * @param headerOverrides {@code $context.responseOverride.header.X} values a response template
   *     set, by header name
   * @param requestOverride what a request template set in {@code $context.requestOverride}
   */
  record Text(
      String text,
      Integer statusOverride,
      Map<String, String> headerOverrides,
      RequestOverride requestOverride)
      implements Rendered {
    public Text {
      headerOverrides = headerOverrides == null ? Map.of() : Map.copyOf(headerOverrides);
      requestOverride = requestOverride == null ? RequestOverride.NONE : requestOverride;
    }

    public Text(String text, Integer statusOverride, Map<String, String> headerOverrides) {
      this(text, statusOverride, headerOverrides, RequestOverride.NONE);
    }

    public Text(String text) {
      this(text, null, Map.of());
    }
  }

  /**
   * {@code $context.requestOverride.header.X}, {@code .querystring.X} and {@code .path.X}, which a
   * request template sets to change the integration request: by name, each value as the template
   * wrote it.
   */
  record RequestOverride(
      Map<String, String> headers, Map<String, String> querystring, Map<String, String> path) {
    public static final RequestOverride NONE = new RequestOverride(Map.of(), Map.of(), Map.of());

    public RequestOverride {
      headers = headers == null ? Map.of() : Map.copyOf(headers);
      querystring = querystring == null ? Map.of() : Map.copyOf(querystring);
      path = path == null ? Map.of() : Map.copyOf(path);
    }

    public boolean isEmpty() {
      return headers.isEmpty() && querystring.isEmpty() && path.isEmpty();
    }
  }

  /**
   * The template could not finish: it ran past its time or output budget, or failed on its input
   * (for instance {@code $util.parseJson} of text that is not JSON). The call answers 500
   * API_CONFIGURATION_ERROR; {@code reason} is for the log and the console's test, never the
   * caller.
   *
   * @param overrun which part of its {@link TemplateBudget}, if any, the rendering ran past: the
   *     same template may finish under a larger budget
   */
  record Failed(String reason, Overrun overrun) implements Rendered {
    public Failed {
      overrun = overrun == null ? Overrun.NONE : overrun;
    }

    public Failed(String reason) {
      this(reason, Overrun.NONE);
    }

    /** Whether the budget, not the input, ended the rendering. */
    public boolean overBudget() {
      return overrun != Overrun.NONE;
    }
  }

  /** What ended a failed rendering, when it was its budget. */
  enum Overrun {
    /** It failed on its input or its own logic; a larger budget would not help. */
    NONE,
    /**
     * It ran past its wall-clock time: the template's own work, or a thread that was not on a CPU
     * for part of it, which a loaded machine does to any rendering now and then.
     */
    TIME,
    /** It made more steps, output, values or JSON than the budget allows: its own work alone. */
    LIMIT
  }
}
