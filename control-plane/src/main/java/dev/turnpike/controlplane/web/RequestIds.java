package dev.turnpike.controlplane.web;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** A request id per request, echoed in {@code X-Request-Id} and in every problem and log line. */
public final class RequestIds {
  static final String KEY = "turnpike.requestId";
  public static final String HEADER = "X-Request-Id";

  private RequestIds() {}

  static void assign(RoutingContext ctx) {
    String id = UUID.randomUUID().toString();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  public static String of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
