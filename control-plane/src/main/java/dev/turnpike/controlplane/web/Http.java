package dev.turnpike.controlplane.web;

import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.json.Json;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tenant.Access;
import dev.turnpike.controlplane.tx.TenantTransactor;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.logging.LogContext;
import dev.turnpike.webkit.Blocking;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.vertx.ext.web.RoutingContext;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * What every endpoint does the same way: read the path and the body, run the use case off the event
 * loop in a tenant-scoped transaction, and write the result as JSON or hand the failure to the
 * router's failure handler.
 */
public final class Http {
  private final Blocking blocking;
  private final TenantTransactor transactor;

  public Http(Blocking blocking, TenantTransactor transactor) {
    this.blocking = blocking;
    this.transactor = transactor;
  }

  /** The body as {@code type}, read strictly. */
  public <I> I body(RoutingContext ctx, Class<I> type) {
    return JsonBodies.read(ctx.body().buffer(), ctx.request().getHeader("Content-Type"), type);
  }

  /** A path parameter that names a resource; one that is not a UUID names nothing there is. */
  public UUID id(RoutingContext ctx, String param, String what) {
    String value = ctx.pathParam(param);
    try {
      UUID id = UUID.fromString(value);
      if (id.toString().equalsIgnoreCase(value)) {
        return id;
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      // answered below
    }
    throw ApiFailure.notFound(what + " " + value);
  }

  public Caller caller(RoutingContext ctx) {
    return AuthHandler.caller(ctx);
  }

  /**
   * Runs {@code work} in the tenant of the {@code :tenantId} path parameter and answers with its
   * result: {@code status} with a JSON body, or 204 when the result is null.
   */
  public <T> void inTenant(
      RoutingContext ctx, Access access, int status, Function<TenantTx, T> work) {
    Caller caller = caller(ctx);
    UUID tenantId = id(ctx, "tenantId", "Tenant");
    blocking(ctx, status, () -> transactor.inTenant(caller, tenantId, access, work));
  }

  public <T> void blocking(RoutingContext ctx, int status, Callable<T> work) {
    LogContext log = RequestIds.logContext(ctx);
    Span span = ApiTracing.spanOf(ctx);
    if (span != null) {
      log = log.with(LogContext.TRACE_ID, span.getSpanContext().getTraceId());
    }
    LogContext fields = log;
    blocking
        .run(
            ctx.vertx().getOrCreateContext(),
            () -> {
              // The worker thread serves this request alone until the work returns; the span is
              // current there, so what the work hands on (a config record) can name it.
              LogContext.Scope scope = fields.open();
              Scope traced = span == null ? null : span.makeCurrent();
              try {
                return work.call();
              } finally {
                if (traced != null) {
                  traced.close();
                }
                scope.close();
              }
            })
        .onSuccess(result -> send(ctx, status, result))
        .onFailure(ctx::fail);
  }

  public TenantTransactor transactor() {
    return transactor;
  }

  static void send(RoutingContext ctx, int status, Object result) {
    if (result == null) {
      ctx.response().setStatusCode(204).end();
      return;
    }
    Object body = result instanceof Collection<?> items ? Map.of("items", items) : result;
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(Json.write(body));
  }
}
