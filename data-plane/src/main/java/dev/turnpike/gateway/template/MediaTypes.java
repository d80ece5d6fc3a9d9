package dev.turnpike.gateway.template;

import java.util.Locale;

/** Content types as templates are keyed: the type without its parameters, in lower case. */
final class MediaTypes {
  static final String JSON = "application/json";

  private MediaTypes() {}

  /** {@code Application/JSON; charset=utf-8} is {@code application/json}; null for none. */
  static String essence(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String type =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .trim()
            .toLowerCase(Locale.ROOT);
    return type.isEmpty() ? null : type;
  }
}
