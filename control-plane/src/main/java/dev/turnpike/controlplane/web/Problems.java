package dev.turnpike.controlplane.web;

import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.LimitBreach;
import dev.turnpike.controlplane.problem.ProblemKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Writes RFC 9457 problem+json answers. */
public final class Problems {
  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {}

  public static void send(
      RoutingContext ctx, ProblemKind kind, String detail, List<FieldError> errors) {
    send(ctx, kind, detail, errors, errors.size(), null);
  }

  /** A failure's answer: its first errors with their total, and the limit it names if any. */
  public static void send(RoutingContext ctx, ApiFailure failure) {
    send(
        ctx,
        failure.kind(),
        failure.detail(),
        failure.errors(),
        failure.totalErrors(),
        failure.limit());
  }

  private static void send(
      RoutingContext ctx,
      ProblemKind kind,
      String detail,
      List<FieldError> errors,
      int totalErrors,
      LimitBreach limit) {
    JsonObject body =
        new JsonObject()
            .put("type", kind.type().toString())
            .put("title", kind.title())
            .put("status", kind.status())
            .put("detail", detail)
            .put("instance", ctx.request().path());
    String requestId = RequestIds.of(ctx);
    if (requestId != null) {
      body.put("requestId", requestId);
    }
    if (!errors.isEmpty()) {
      JsonArray list = new JsonArray();
      for (FieldError error : errors) {
        list.add(new JsonObject().put("pointer", error.pointer()).put("message", error.message()));
      }
      body.put("errors", list);
      body.put("totalErrors", totalErrors);
    }
    if (limit != null) {
      JsonObject named =
          new JsonObject()
              .put("name", limit.name())
              .put("setting", limit.setting())
              .put("max", limit.max());
      if (limit.actual() >= 0) {
        named.put("actual", limit.actual());
      }
      body.put("limit", named);
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(kind.status())
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("Cache-Control", "no-store");
    if (kind == ProblemKind.UNAUTHENTICATED) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"turnpike\"");
    }
    ctx.response().end(body.encode());
  }
}
