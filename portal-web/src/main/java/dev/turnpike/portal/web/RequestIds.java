package dev.turnpike.portal.web;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** One id per request, in the {@code X-Request-Id} header and on error pages, to find its logs. */
public final class RequestIds {
  private static final String KEY = "requestId";

  private RequestIds() {}

  public static void assign(RoutingContext ctx) {
    String id = UUID.randomUUID().toString();
    ctx.put(KEY, id);
    ctx.response().putHeader("X-Request-Id", id);
    ctx.next();
  }

  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "-" : id;
  }
}
