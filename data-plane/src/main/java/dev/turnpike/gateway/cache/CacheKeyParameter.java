package dev.turnpike.gateway.cache;

import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One of a route's {@code cacheKeyParameters}: where in the request a value that tells cached
 * responses apart is read from.
 *
 * @param source path, query string or header
 * @param name the parameter's name (a header's in lower case, as headers compare)
 */
public record CacheKeyParameter(Source source, String name) {
  private static final String PREFIX = "method.request.";

  /** Where a parameter's value comes from. */
  public enum Source {
    PATH,
    QUERYSTRING,
    HEADER
  }

  /**
   * Reads API Gateway's spelling, e.g. {@code method.request.querystring.page}.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static CacheKeyParameter parse(String expression) {
    if (expression == null || !expression.startsWith(PREFIX)) {
      throw new IllegalArgumentException(
          "cache key parameter must be method.request.{path|querystring|header}.NAME, was "
              + expression);
    }
    String rest = expression.substring(PREFIX.length());
    int dot = rest.indexOf('.');
    String name = dot < 0 ? "" : rest.substring(dot + 1);
    if (dot < 0 || name.isEmpty()) {
      throw new IllegalArgumentException(
          "cache key parameter " + expression + " names no parameter");
    }
    return switch (rest.substring(0, dot)) {
      case "path" -> new CacheKeyParameter(Source.PATH, name);
      case "querystring" -> new CacheKeyParameter(Source.QUERYSTRING, name);
      case "header" -> new CacheKeyParameter(Source.HEADER, name.toLowerCase(Locale.ROOT));
      default ->
          throw new IllegalArgumentException(
              "cache key parameter "
                  + expression
                  + " must read a path, querystring or header parameter");
    };
  }

  /** Every value the request carries for this parameter, in order; empty when absent. */
  List<String> values(Map<String, String> pathParameters, MultiMap query, MultiMap headers) {
    return switch (source) {
      case PATH -> {
        String value = pathParameters.get(name);
        yield value == null ? List.of() : List.of(value);
      }
      case QUERYSTRING -> query.getAll(name);
      case HEADER -> headers.getAll(name);
    };
  }
}
