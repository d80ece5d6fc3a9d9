package dev.turnpike.controlplane.api;

import dev.turnpike.controlplane.problem.Validation;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Response headers an owner sets (gateway responses, mock integrations) must be sendable as they
 * are: a gateway node cannot put a name with spaces or a value with a line break on the wire.
 */
final class HeaderRules {
  private static final Pattern NAME = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$");
  private static final Pattern VALUE = Pattern.compile("^[\\t\\x20-\\x7e\\x80-\\uffff]{0,4096}$");

  private HeaderRules() {}

  /** Reports each bad header under {@code pointer}/NAME. */
  static void validate(Validation v, String pointer, Map<String, String> headers) {
    if (headers == null) {
      return;
    }
    headers.forEach(
        (name, value) -> {
          String header = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
          if (!NAME.matcher(name).matches()) {
            v.add(header, "must be a header name: letters, digits and !#$%&'*+.^_`|~-");
          } else if (value == null || !VALUE.matcher(value).matches()) {
            v.add(header, "must be a header value of up to 4096 characters without line breaks");
          }
        });
  }
}
