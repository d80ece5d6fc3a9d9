package dev.turnpike.gateway.cache;

import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the key a response is cached under. Every part is written with its length in front, so no
 * value can be crafted to read as another part (a header value holding a separator cannot make two
 * different requests share a key). The tenant, API and stage come first: stages never share.
 */
public final class CacheKey {
  private CacheKey() {}

  /**
   * @param scope the tenant, API and stage ids and the flush generation
   * @param caller the caller's key id or authorizer principal when entries are per caller, null
   *     when the route identifies no caller or the stage shares entries across callers
   */
  public static String of(
      String scope,
      String method,
      String resourcePath,
      List<CacheKeyParameter> parameters,
      Map<String, String> pathParameters,
      MultiMap query,
      MultiMap headers,
      String caller) {
    StringBuilder key = new StringBuilder(96);
    part(key, scope);
    part(key, method);
    part(key, resourcePath);
    part(key, caller == null ? "" : caller);
    key.append(caller == null ? '-' : '+');
    for (CacheKeyParameter parameter : parameters) {
      key.append(parameter.source().ordinal());
      part(key, parameter.name());
      List<String> values = parameter.values(pathParameters, query, headers);
      key.append(values.size()).append('#');
      for (String value : values) {
        part(key, value);
      }
    }
    return key.toString();
  }

  /** The scope part of a stage's keys: a flush raises the generation, so old keys go unread. */
  public static String scope(String tenantId, String apiId, String stage, long flushGeneration) {
    StringBuilder scope = new StringBuilder(64);
    part(scope, tenantId);
    part(scope, apiId);
    part(scope, stage);
    scope.append(flushGeneration);
    return scope.toString();
  }

  private static void part(StringBuilder key, String value) {
    key.append(value.length()).append(':').append(value);
  }
}
