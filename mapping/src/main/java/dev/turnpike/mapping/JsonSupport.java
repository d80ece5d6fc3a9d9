package dev.turnpike.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.io.IOException;
import java.io.Writer;

/**
 * JSON as templates see it: text parsed into plain maps, lists, strings, numbers and booleans (the
 * only types a template may call methods on), JSONPath evaluated by Jayway's JsonPath as API
 * Gateway does, and values written back as JSON text, each within the rendering's budget.
 */
final class JsonSupport {
  /** Deeper documents are refused: VTL cannot use them and printing them costs stack. */
  static final int MAX_DEPTH = 200;

  private static final ObjectMapper MAPPER =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
              .streamWriteConstraints(
                  StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
              .build());

  private static final Configuration PATHS =
      Configuration.builder()
          .jsonProvider(new JacksonJsonProvider(MAPPER))
          .mappingProvider(new JacksonMappingProvider(MAPPER))
          .options(Option.SUPPRESS_EXCEPTIONS)
          .build();

  private JsonSupport() {}

  /**
   * @return the document as maps, lists and scalars
   * @throws IllegalArgumentException naming the problem when the text is not JSON
   */
  static Object parse(String text, RenderGuard guard) {
    if (text.length() > guard.budget().maxJsonChars()) {
      throw new BudgetExceeded(
          "JSON of more than " + guard.budget().maxJsonChars() + " characters is not parsed");
    }
    try {
      return MAPPER.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the text is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Evaluates a JSONPath on a parsed document: null when a definite path finds nothing, a list
   * (perhaps empty) for an indefinite one, as Jayway answers without exceptions.
   */
  static Object read(Object document, String path) {
    try {
      return JsonPath.using(PATHS).parse(document).read(path);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "'" + path + "' is not a JSONPath expression: " + e.getMessage(), e);
    }
  }

  /** The value as JSON text, refusing to write past the budget for values built on the way. */
  static String write(Object value, RenderGuard guard) {
    CountingWriter out = new CountingWriter(guard);
    try {
      MAPPER.writeValue(out, value);
    } catch (IOException e) {
      throw new IllegalArgumentException("the value cannot be written as JSON: " + e.getMessage());
    }
    return out.text.toString();
  }

  private static final class CountingWriter extends Writer {
    private final StringBuilder text = new StringBuilder();
    private final RenderGuard guard;

    CountingWriter(RenderGuard guard) {
      this.guard = guard;
    }

    @Override
    public void write(char[] chars, int offset, int length) {
      guard.value(text.length() + (long) length);
      text.append(chars, offset, length);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
