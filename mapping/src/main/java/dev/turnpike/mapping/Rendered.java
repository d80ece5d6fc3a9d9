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
   */
  record Text(String text, Integer statusOverride, Map<String, String> headerOverrides)
      implements Rendered {
    public Text {
      headerOverrides = headerOverrides == null ? Map.of() : Map.copyOf(headerOverrides);
    }

    public Text(String text) {
      this(text, null, Map.of());
    }
  }

  /**
   * The template could not finish: it ran past its time or output budget, or failed on its input
   * (for instance {@code $util.parseJson} of text that is not JSON). The call answers 500
   * API_CONFIGURATION_ERROR; {@code reason} is for the log and the console's test, never the
   * caller.
   */
  record Failed(String reason) implements Rendered {}
}
