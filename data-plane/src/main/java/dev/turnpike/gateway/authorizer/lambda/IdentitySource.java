package dev.turnpike.gateway.authorizer.lambda;

import dev.turnpike.contracts.config.ContextVariables;
import dev.turnpike.gateway.authorizer.AuthorizationRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One identity source of an authorizer, parsed once per deployment from API Gateway's syntax: REST
 * API's {@code method.request.header.X}, {@code method.request.querystring.X}, {@code
 * method.request.multivalueheader.X}, {@code method.request.multivaluequerystring.X}, {@code
 * stageVariables.X}, {@code context.X}, or HTTP API's {@code $request.header.X}, {@code
 * $request.querystring.X}, {@code $stageVariables.X}, {@code $context.X}. A multi-value source
 * reads every value of its name, joined by commas, so each value takes part in the cache key.
 */
record IdentitySource(Kind kind, String name, String expression) {
  enum Kind {
    HEADER,
    QUERY,
    ALL_HEADERS,
    ALL_QUERY,
    STAGE_VARIABLE,
    CONTEXT
  }

  /**
   * The {@code $context} / {@code context} variables an identity source may name: the shared list
   * the control plane checks authorizers against when they are saved.
   */
  static final List<String> CONTEXT_VARIABLES = ContextVariables.IDENTITY_SOURCE_NAMES;

  /**
   * @throws IllegalArgumentException for an expression in neither syntax, or naming an unknown
   *     context variable
   */
  static IdentitySource parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("an identity source is empty");
    }
    String source = expression.trim();
    String[][] prefixes = {
      {"method.request.header.", "HEADER"},
      {"$request.header.", "HEADER"},
      {"method.request.querystring.", "QUERY"},
      {"method.request.multivalueheader.", "ALL_HEADERS"},
      {"method.request.multivaluequerystring.", "ALL_QUERY"},
      {"$request.querystring.", "QUERY"},
      {"stageVariables.", "STAGE_VARIABLE"},
      {"$stageVariables.", "STAGE_VARIABLE"},
      {"context.", "CONTEXT"},
      {"$context.", "CONTEXT"},
    };
    for (String[] prefix : prefixes) {
      if (source.startsWith(prefix[0]) && source.length() > prefix[0].length()) {
        Kind kind = Kind.valueOf(prefix[1]);
        String name = source.substring(prefix[0].length());
        if (kind == Kind.CONTEXT && !CONTEXT_VARIABLES.contains(name)) {
          throw new IllegalArgumentException(
              "identity source "
                  + expression
                  + " names a context variable the gateway lacks;"
                  + " known: "
                  + CONTEXT_VARIABLES);
        }
        return new IdentitySource(kind, name, source);
      }
    }
    throw new IllegalArgumentException(
        "identity source "
            + expression
            + " is not a header, query string, stage variable or context variable");
  }

  /** The value in {@code call}, or null when it is absent or empty (the caller then gets 401). */
  String valueIn(AuthorizationRequest call) {
    String value =
        switch (kind) {
          case HEADER -> call.request().getHeader(name);
          case QUERY -> last(query(call.request(), name));
          case ALL_HEADERS -> joined(call.request().headers().getAll(name));
          case ALL_QUERY -> joined(query(call.request(), name));
          case STAGE_VARIABLE -> call.stageVariables().get(name);
          case CONTEXT -> context(call, name);
        };
    return value == null || value.isEmpty() ? null : value;
  }

  private static List<String> query(HttpServerRequest request, String name) {
    String raw = request.query();
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    return new QueryStringDecoder(raw, StandardCharsets.UTF_8, false).parameters().get(name);
  }

  private static String last(List<String> values) {
    return values == null || values.isEmpty() ? null : values.getLast();
  }

  private static String joined(List<String> values) {
    return values == null || values.isEmpty() ? null : String.join(",", values);
  }

  private static String context(AuthorizationRequest call, String name) {
    return switch (name) {
      case "apiId" -> call.apiId();
      case "stage" -> call.stage();
      case "httpMethod" -> call.httpMethod();
      case "resourcePath" -> call.resourcePath();
      case "path" -> call.request().path();
      case "requestId", "extendedRequestId" -> call.requestId();
      case "domainName" ->
          call.request().authority() == null ? null : call.request().authority().host();
      case "identity.sourceIp" -> call.sourceIp();
      case "identity.userAgent" -> call.request().getHeader("user-agent");
      default -> throw new IllegalStateException("unknown context variable " + name);
    };
  }

  /** Whether this is a header, the only kind a TOKEN authorizer reads. */
  boolean isHeader() {
    return kind == Kind.HEADER;
  }
}
