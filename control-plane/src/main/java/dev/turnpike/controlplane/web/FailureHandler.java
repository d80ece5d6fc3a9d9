package dev.turnpike.controlplane.web;

import dev.turnpike.controlplane.auth.JwksTokenVerifier;
import dev.turnpike.controlplane.db.SqlErrors;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.ProblemKind;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes a response: typed failures keep their kind and message, database
 * constraint violations become 409, a request that found no free database connection within the
 * pool's timeout is a 503 with {@code Retry-After} (it changed nothing, and a client should come
 * back rather than report a fault), anything else is a 500 whose detail says nothing about the
 * cause (the log has it, under the request id).
 */
final class FailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);
  private static final String RETRY_AFTER_SECONDS = "1";

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure == null) {
      byStatus(ctx, ctx.statusCode());
      return;
    }
    switch (failure) {
      case ApiFailure api -> Problems.send(ctx, api);
      case JwksTokenVerifier.InvalidToken invalid ->
          Problems.send(ctx, ProblemKind.UNAUTHENTICATED, invalid.getMessage(), List.of());
      case JwksTokenVerifier.KeysUnavailable unavailable ->
          Problems.send(ctx, ProblemKind.UNAVAILABLE, unavailable.getMessage(), List.of());
      default -> unexpected(ctx, failure);
    }
  }

  private static void unexpected(RoutingContext ctx, Throwable failure) {
    if (SqlErrors.isUniqueViolation(failure)) {
      Problems.send(ctx, ProblemKind.CONFLICT, "A resource with these values exists", List.of());
      return;
    }
    if (SqlErrors.isForeignKeyViolation(failure)) {
      Problems.send(
          ctx,
          ProblemKind.CONFLICT,
          "The change conflicts with resources that refer to this one",
          List.of());
      return;
    }
    if (ctx.statusCode() == 413) {
      byStatus(ctx, 413);
      return;
    }
    if (SqlErrors.isConnectionUnavailable(failure)) {
      RequestIds.logContext(ctx)
          .run(
              () ->
                  LOG.warn(
                      "request {} {} {} found no database connection: {}",
                      RequestIds.of(ctx),
                      ctx.request().method(),
                      ctx.request().path(),
                      failure.toString()));
      ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
      Problems.send(
          ctx,
          ProblemKind.UNAVAILABLE,
          "The service is busy; nothing was changed, try the request again shortly",
          List.of());
      return;
    }
    RequestIds.logContext(ctx)
        .run(
            () ->
                LOG.error(
                    "request {} {} {} failed",
                    RequestIds.of(ctx),
                    ctx.request().method(),
                    ctx.request().path(),
                    failure));
    Problems.send(
        ctx,
        ProblemKind.INTERNAL,
        "The request failed on our side; quote request id " + RequestIds.of(ctx),
        List.of());
  }

  private static void byStatus(RoutingContext ctx, int status) {
    switch (status) {
      case 404 ->
          Problems.send(
              ctx, ProblemKind.NOT_FOUND, "No such resource: " + ctx.request().path(), List.of());
      case 405 ->
          Problems.send(
              ctx,
              ProblemKind.METHOD_NOT_ALLOWED,
              ctx.request().method() + " is not allowed on " + ctx.request().path(),
              List.of());
      case 413 ->
          Problems.send(
              ctx, ProblemKind.PAYLOAD_TOO_LARGE, "The request body is too large", List.of());
      case 415 ->
          Problems.send(
              ctx,
              ProblemKind.UNSUPPORTED_MEDIA_TYPE,
              "Send the body as application/json",
              List.of());
      case 400 ->
          Problems.send(ctx, ProblemKind.MALFORMED_JSON, "The request is malformed", List.of());
      default -> {
        RequestIds.logContext(ctx)
            .run(() -> LOG.error("request {} ended with status {}", RequestIds.of(ctx), status));
        Problems.send(
            ctx,
            ProblemKind.INTERNAL,
            "The request failed on our side; quote request id " + RequestIds.of(ctx),
            List.of());
      }
    }
  }
}
