package dev.turnpike.gateway.authorizer.jwt;

import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * Where a JWT authorizer finds its token: one request header, named in API Gateway's syntax ({@code
 * $request.header.Authorization} as HTTP APIs write it, {@code method.request.header.Authorization}
 * as REST APIs do). The {@code Bearer } prefix is optional, as API Gateway accepts both.
 */
final class TokenSource {
  static final String DEFAULT = "$request.header.Authorization";
  private static final String BEARER = "Bearer ";

  private final String header;

  private TokenSource(String header) {
    this.header = header;
  }

  /**
   * @throws IllegalArgumentException for more than one source or one that is not a header
   */
  static TokenSource of(List<String> identitySources) {
    if (identitySources.isEmpty()) {
      return of(DEFAULT);
    }
    if (identitySources.size() > 1) {
      throw new IllegalArgumentException(
          "a JWT authorizer reads one identity source, not " + identitySources);
    }
    return of(identitySources.getFirst());
  }

  private static TokenSource of(String source) {
    String trimmed = source == null ? "" : source.trim();
    for (String prefix : List.of("$request.header.", "method.request.header.")) {
      if (trimmed.startsWith(prefix) && trimmed.length() > prefix.length()) {
        return new TokenSource(trimmed.substring(prefix.length()));
      }
    }
    throw new IllegalArgumentException(
        "a JWT authorizer's identity source must be a request header, e.g. "
            + DEFAULT
            + ", not "
            + source);
  }

  /** The token the request carries, without its {@code Bearer } prefix; null when none. */
  String token(HttpServerRequest request) {
    String value = request.getHeader(header);
    if (value == null) {
      return null;
    }
    String token = value.trim();
    if (token.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      token = token.substring(BEARER.length()).trim();
    }
    return token.isEmpty() ? null : token;
  }

  String header() {
    return header;
  }
}
