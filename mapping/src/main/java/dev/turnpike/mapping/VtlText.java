package dev.turnpike.mapping;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import net.minidev.json.JSONArray;

/**
 * How a value prints when a template writes it ({@code $x}, or inside {@code "...$x..."}).
 *
 * <p>API Gateway's VTL prints what Java's {@code toString} of its values gives, and its JSON values
 * are json-smart's (see {@link JsonSupport}): a JSON object prints as {@code {foo=bar}} (keys and
 * strings without quotes), a JSON array as compact JSON {@code [{"foo":"bar"}]}, so {@code
 * {"foo":[{"nested":"bar"}]}} prints {@code {foo=[{"nested":"bar"}]}}; a list a template builds
 * ({@code [1, 2]}) prints as Java's {@code [1, 2]}. Templates that want JSON call {@code
 * $input.json}. This class gives the same text, but builds it itself so a value that would print
 * enormous (a list holding itself, or a structure doubled by a loop) fails on the budget instead of
 * filling memory.
 *
 * <p>A null value prints nothing: on API Gateway a path that finds nothing, or an unset variable
 * such as {@code $context.identity.apiKey} on a method without keys, leaves an empty string (the
 * same AWS-validated snapshot records {@code {"body": , ...}}).
 */
final class VtlText {
  private VtlText() {}

  static String of(Object value, RenderGuard guard) {
    if (value == null) {
      return "";
    }
    if (value instanceof String s) {
      guard.value(s.length());
      return s;
    }
    if (!(value instanceof Map<?, ?>) && !(value instanceof Collection<?>)) {
      String s = String.valueOf(value);
      guard.value(s.length());
      return s;
    }
    StringBuilder out = new StringBuilder();
    append(out, value, guard, 0);
    guard.built(out.length());
    return out.toString();
  }

  private static void append(StringBuilder out, Object value, RenderGuard guard, int depth) {
    if (depth > JsonSupport.MAX_DEPTH) {
      throw guard.exceeded("the template printed a value nested too deeply");
    }
    if (value instanceof JSONArray array) {
      out.append(JsonSupport.printArray(array, guard));
    } else if (value instanceof CharSequence text) {
      out.append(text);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
      while (entries.hasNext()) {
        Map.Entry<?, ?> entry = entries.next();
        append(out, entry.getKey(), guard, depth + 1);
        out.append('=');
        append(out, entry.getValue(), guard, depth + 1);
        if (entries.hasNext()) {
          out.append(", ");
        }
        guard.value(out.length());
      }
      out.append('}');
    } else if (value instanceof Collection<?> list) {
      out.append('[');
      Iterator<?> items = list.iterator();
      while (items.hasNext()) {
        append(out, items.next(), guard, depth + 1);
        if (items.hasNext()) {
          out.append(", ");
        }
        guard.value(out.length());
      }
      out.append(']');
    } else {
      // Inside a map or list, null prints as Java prints it: "null".
      out.append(value);
    }
    guard.value(out.length());
  }
}
