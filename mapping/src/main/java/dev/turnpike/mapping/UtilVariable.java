package dev.turnpike.mapping;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code $util}: the developer guide's "$util variables", UTF-8 throughout as it says. Public only
 * because Velocity calls public methods.
 */
public final class UtilVariable {
  private final RenderGuard guard;

  UtilVariable(RenderGuard guard) {
    this.guard = guard;
  }

  /**
   * Escapes with JavaScript string rules as API Gateway does (the rules of Apache Commons Lang's
   * {@code StringEscapeUtils.escapeJavaScript}): {@code '} becomes {@code \'} (the guide warns that
   * this is not valid JSON), {@code "}, {@code \} and {@code /} are escaped with a backslash,
   * control characters as {@code \n}, {@code \t}, ... or {@code \}{@code u00XX}, and every
   * character above 0x7F as {@code \}{@code uXXXX} in upper-case hex.
   */
  public String escapeJavaScript(Object value) {
    if (value == null) {
      return null;
    }
    String text = VtlText.of(value, guard);
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\'' -> out.append("\\'");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '/' -> out.append("\\/");
        case '\b' -> out.append("\\b");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c > 0x7f) {
            String hex = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
            out.append("\\u").append("0".repeat(4 - hex.length())).append(hex);
          } else {
            out.append(c);
          }
        }
      }
    }
    guard.value(out.length());
    return out.toString();
  }

  /**
   * "Stringified" JSON as an object VTL can walk (maps, lists, scalars); text that is not JSON
   * fails the rendering, and text past the budget's JSON size is not parsed.
   */
  public Object parseJson(String json) {
    if (json == null) {
      return null;
    }
    return JsonSupport.parseStrict(json, guard);
  }

  /** {@code application/x-www-form-urlencoded}, so a space becomes {@code +}. */
  public String urlEncode(String text) {
    return text == null ? null : URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  public String urlDecode(String text) {
    return text == null ? null : URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  /** The text's UTF-8 bytes in standard base64 (with padding). */
  public String base64Encode(String text) {
    if (text == null) {
      return null;
    }
    String encoded = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    guard.value(encoded.length());
    return encoded;
  }

  /** Standard or URL-safe base64 to text, read as UTF-8. */
  public String base64Decode(String encoded) {
    if (encoded == null) {
      return null;
    }
    String trimmed = encoded.strip();
    byte[] bytes =
        trimmed.indexOf('-') >= 0 || trimmed.indexOf('_') >= 0
            ? Base64.getUrlDecoder().decode(trimmed)
            : Base64.getMimeDecoder().decode(trimmed);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
