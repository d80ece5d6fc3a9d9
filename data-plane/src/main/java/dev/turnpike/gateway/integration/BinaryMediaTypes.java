package dev.turnpike.gateway.integration;

import java.util.List;
import java.util.Locale;

/**
 * An API's {@code binaryMediaTypes} as API Gateway matches them against a Content-Type: exact
 * types, {@code type/*} and {@code *}{@code /*}, parameters ignored.
 */
public final class BinaryMediaTypes {
  private final List<String> types;

  public BinaryMediaTypes(List<String> types) {
    this.types = types.stream().map(type -> type.trim().toLowerCase(Locale.ROOT)).toList();
  }

  public boolean matches(String contentType) {
    if (contentType == null || types.isEmpty()) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .trim()
            .toLowerCase(Locale.ROOT);
    for (String candidate : types) {
      if (candidate.equals("*/*") || candidate.equals(type)) {
        return true;
      }
      if (candidate.endsWith("/*")
          && type.startsWith(candidate.substring(0, candidate.length() - 1))) {
        return true;
      }
    }
    return false;
  }
}
