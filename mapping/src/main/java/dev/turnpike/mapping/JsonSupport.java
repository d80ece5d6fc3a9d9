package dev.turnpike.mapping;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import java.io.IOException;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONStyle;
import net.minidev.json.JSONValue;
import net.minidev.json.parser.JSONParser;
import net.minidev.json.parser.ParseException;

/**
 * JSON as API Gateway's templates see it: Jayway JsonPath with its default provider, json-smart.
 *
 * <p>Why json-smart rather than the Jackson the rest of Turnpike uses: API Gateway's observable
 * behaviour is json-smart's. A JSON object read by {@code $input.path} prints as {@code {foo=bar}}
 * (a {@code LinkedHashMap}) while an array prints as compact JSON, {@code [{"foo":"bar"}]}, with
 * {@code /} escaped as {@code \/} (json-smart's {@code JSONArray}), and an object holding an array
 * as {@code {foo=[{"nested":"bar"}]}}; those are the outputs recorded against API Gateway itself
 * (LocalStack's AWS-validated snapshot {@code test_input_path_template_formatting}). Jayway's
 * default parser is json-smart's permissive mode, so a body that is not JSON ({@code a=1&b=2})
 * reads as one string, which templates for form posts rely on ({@code
 * $input.path('$').split('&')}).
 */
final class JsonSupport {
  /** Deeper values are not printed: nothing real nests so deep, and printing costs stack. */
  static final int MAX_DEPTH = 400;

  private static final Configuration PATHS =
      Configuration.builder()
          .jsonProvider(TemplateJson.provider())
          .options(Option.SUPPRESS_EXCEPTIONS)
          .build();

  private JsonSupport() {}

  /**
   * The payload as {@code $input} reads it, parsed permissively as Jayway does.
   *
   * @throws IllegalArgumentException naming the problem when the text does not parse
   */
  static Object parseBody(String text, RenderGuard guard) {
    checkSize(text, guard);
    try {
      return PATHS.jsonProvider().parse(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the body is not JSON: " + e.getMessage(), e);
    }
  }

  /**
   * {@code $util.parseJson}: strict JSON (RFC 4627), with the same maps and arrays as the body.
   *
   * @throws IllegalArgumentException naming the problem when the text is not JSON
   */
  static Object parseStrict(String text, RenderGuard guard) {
    checkSize(text, guard);
    try {
      // A parser holds state: one per call.
      return new JSONParser(JSONParser.MODE_RFC4627).parse(text, TemplateJson.reader());
    } catch (ParseException | RuntimeException e) {
      throw new IllegalArgumentException("the text is not JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Evaluates a JSONPath on a parsed document: null when a definite path finds nothing, a list
   * (perhaps empty) for an indefinite one, as Jayway answers without exceptions. The values are the
   * document's own, so a template that changes what {@code $input.path} gave sees the change in
   * {@code $input.json}, as on API Gateway.
   */
  static Object read(Object document, String path) {
    try {
      return JsonPath.using(PATHS).parse(document).read(path);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          "'" + path + "' is not a JSONPath expression: " + e.getMessage(), e);
    }
  }

  /**
   * The value as compact JSON text, as Jayway's provider writes it ({@code /} not escaped),
   * refusing to write past the budget.
   */
  static String write(Object value, RenderGuard guard) {
    return write(value, JSONStyle.LT_COMPRESS, guard);
  }

  /** A json-smart array as it prints in a template: JSON with {@code /} escaped. */
  static String printArray(JSONArray array, RenderGuard guard) {
    return write(array, JSONStyle.NO_COMPRESS, guard);
  }

  private static String write(Object value, JSONStyle style, RenderGuard guard) {
    BoundedText out = new BoundedText(guard);
    try {
      JSONValue.writeJSONString(value, out, style);
    } catch (IOException e) {
      throw new IllegalArgumentException("the value cannot be written as JSON: " + e.getMessage());
    } catch (StackOverflowError e) {
      throw guard.exceeded("the template wrote a value nested too deeply");
    }
    return out.text.toString();
  }

  private static void checkSize(String text, RenderGuard guard) {
    if (text.length() > guard.budget().maxJsonChars()) {
      throw guard.exceeded(
          "JSON of more than " + guard.budget().maxJsonChars() + " characters is not parsed");
    }
  }

  /** Text built by a writer that may not know when to stop: measured at every piece. */
  private static final class BoundedText implements Appendable {
    private final StringBuilder text = new StringBuilder();
    private final RenderGuard guard;

    BoundedText(RenderGuard guard) {
      this.guard = guard;
    }

    @Override
    public Appendable append(CharSequence chars) {
      CharSequence piece = chars == null ? "null" : chars;
      guard.value(text.length() + (long) piece.length());
      text.append(piece);
      return this;
    }

    @Override
    public Appendable append(CharSequence chars, int start, int end) {
      return append((chars == null ? "null" : chars).subSequence(start, end));
    }

    @Override
    public Appendable append(char c) {
      guard.value(text.length() + 1L);
      text.append(c);
      return this;
    }
  }
}
