package dev.turnpike.gateway.http;

import dev.turnpike.gateway.cache.CacheKey;
import dev.turnpike.gateway.cache.CachedResponse;
import dev.turnpike.gateway.cache.ResponseCapture;
import dev.turnpike.gateway.cache.RouteCache;
import dev.turnpike.gateway.integration.HopByHopHeaders;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.runtime.RouteRuntime;
import dev.turnpike.gateway.tracing.SpanAttributes;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Locale;
import java.util.Set;

/**
 * Step 7 (cache lookup) and the cache store of step 10. Runs after the caller was admitted,
 * throttled and counted against its quota, so a cached answer costs a caller what any other does. A
 * route that identifies its callers keeps one entry per caller unless the owner shares them: one
 * caller's response is never served to another caller, and never to another tenant's or stage's
 * (the key starts with tenant, API and stage ids).
 */
final class CacheStep {
  static final String HIT = "HIT";
  static final String MISS = "MISS";

  /** What {@code SUCCEED_WITH_RESPONSE_HEADER} adds (RFC 7234's miscellaneous warning). */
  static final String IGNORED_WARNING =
      "199 turnpike \"Cache-Control max-age=0 ignored: the caller may not invalidate the cache\"";

  private CacheStep() {}

  /**
   * @return the cached response to answer with, or null to call the integration (with its answer's
   *     store prepared when it may be stored)
   * @throws GatewayFailure 403 for a refresh the caller may not ask for, when the stage says so
   */
  static CachedResponse lookup(Exchange exchange) {
    if (exchange.trace == null) {
      return find(exchange);
    }
    long start = System.nanoTime();
    try {
      return find(exchange);
    } finally {
      if (exchange.cacheStatus != null) {
        exchange.trace.recordChild(
            "cache lookup",
            start,
            System.nanoTime(),
            SpanAttributes.CACHE_STATUS,
            exchange.cacheStatus);
      }
    }
  }

  private static CachedResponse find(Exchange exchange) {
    RouteRuntime route = exchange.route;
    RouteCache rule = route.cache();
    HttpServerRequest request = exchange.request;
    String method = request.method().name();
    if (rule == null || !rule.caches(method)) {
      return null;
    }
    boolean identifies = route.apiKeyRequired() || route.authorizer() != null;
    String caller = identifies ? callerOf(exchange) : null;
    if (identifies && caller == null) {
      // A route that identifies callers but did not identify this one: nothing safe to share.
      return null;
    }
    String key =
        CacheKey.of(
            rule.scope(),
            method,
            route.resourcePath(),
            rule.parameters(),
            exchange.pathParameters,
            request.params(),
            request.headers(),
            rule.perCaller() ? caller : null);
    boolean refresh = false;
    if (asksToRefresh(request)) {
      if (!rule.requireAuthorizationForCacheControl() || caller != null) {
        refresh = true;
      } else {
        switch (rule.unauthorizedStrategy()) {
          case FAIL_WITH_403 -> throw new GatewayFailure(GatewayResponseType.ACCESS_DENIED);
          case SUCCEED_WITH_RESPONSE_HEADER ->
              request.response().putHeader("warning", IGNORED_WARNING);
          case SUCCEED_WITHOUT_RESPONSE_HEADER -> {}
        }
      }
    }
    if (refresh) {
      rule.cache().invalidate(key);
    } else {
      CachedResponse hit = rule.cache().get(key);
      if (hit != null) {
        exchange.cacheStatus = HIT;
        exchange.stage.meters().cacheHit();
        return hit;
      }
    }
    exchange.cacheStatus = MISS;
    exchange.stage.meters().cacheMiss();
    exchange.capture =
        new ResponseCapture(rule.maxEntryBytes(), body -> store(exchange, key, body));
    return null;
  }

  /** Sends a cached response: no integration, nothing read, nothing waited for. */
  static void answer(Exchange exchange, CachedResponse cached) {
    HttpServerResponse response = exchange.request.response();
    response.setStatusCode(200);
    response.headers().addAll(cached.headers());
    exchange.status = 200;
    exchange.bytesOut = cached.body().length();
    if (exchange.request.method() == HttpMethod.HEAD) {
      response.end();
    } else {
      response.end(cached.body());
    }
  }

  /**
   * Keeps a 200 the integration sent in full, within the entry bound, without a cookie (a cookie is
   * one client's, never a cache's), with its end-to-end headers. Called as the response ends.
   */
  private static void store(Exchange exchange, String key, Buffer body) {
    HttpServerResponse response = exchange.request.response();
    MultiMap sent = response.headers();
    if (response.getStatusCode() != 200 || sent.contains("set-cookie")) {
      return;
    }
    MultiMap kept = MultiMap.caseInsensitiveMultiMap();
    HopByHopHeaders.copyEndToEnd(sent, kept);
    kept.remove(GatewayRequestHandler.REQUEST_ID_HEADER);
    kept.remove("warning");
    // The framing is the sender's: a hit is sent with the length of the body it holds.
    kept.remove("content-length");
    // Edge headers answer one request's Origin; the edge adds them again to each answer.
    for (String name : Set.copyOf(kept.names())) {
      if (name.toLowerCase(Locale.ROOT).startsWith("access-control-")) {
        kept.remove(name);
      }
    }
    RouteCache rule = exchange.route.cache();
    rule.cache().put(key, new CachedResponse(kept, body, rule.ttlNanos()));
  }

  /** A client's {@code Cache-Control: max-age=0}, API Gateway's per-entry invalidation. */
  static boolean asksToRefresh(HttpServerRequest request) {
    for (String header : request.headers().getAll("cache-control")) {
      for (String directive : header.split(",")) {
        String trimmed = directive.trim();
        if (trimmed.equalsIgnoreCase("max-age=0") || trimmed.equalsIgnoreCase("max-age=\"0\"")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The caller as the route identified it: its key and, behind an authorizer, its principal. Null
   * when the route identified nobody.
   */
  private static String callerOf(Exchange exchange) {
    String keyId = exchange.key == null ? null : exchange.key.record().keyId();
    String principal = exchange.principalId();
    if (keyId == null && principal == null) {
      return null;
    }
    return (keyId == null ? "" : "k" + keyId.length() + ":" + keyId)
        + (principal == null ? "" : "p" + principal.length() + ":" + principal);
  }
}
