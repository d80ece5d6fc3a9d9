package dev.turnpike.gateway.template;

import io.vertx.core.MultiMap;

/** Header values a tenant's mapping or template made: control characters would split a response. */
final class HeaderValues {
  private HeaderValues() {}

  static void set(MultiMap headers, String name, String value) {
    if (value == null || !safe(name) || !safe(value) || name.isEmpty()) {
      return;
    }
    headers.set(name, value);
  }

  private static boolean safe(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}
