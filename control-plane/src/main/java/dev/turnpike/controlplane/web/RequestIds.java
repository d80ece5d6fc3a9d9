package dev.turnpike.controlplane.web;

import dev.turnpike.logging.LogContext;
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

  /**
   * The request's log fields: its id and, on a tenant's path, the tenant id (only a well-formed
   * one: the path is the caller's text).
   */
  public static LogContext logContext(RoutingContext ctx) {
    return LogContext.EMPTY
        .with(LogContext.REQUEST_ID, of(ctx))
        .with(LogContext.TENANT, wellFormedUuid(ctx.pathParam("tenantId")));
  }

  static String wellFormedUuid(String value) {
    if (value == null) {
      return null;
    }
    try {
      return UUID.fromString(value).toString().equalsIgnoreCase(value) ? value : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
