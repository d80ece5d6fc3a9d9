package dev.turnpike.portal.web;

import dev.turnpike.logging.LogContext;
import dev.turnpike.portal.api.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into a page a person understands: not signed in goes to sign-in, not
 * registered to the profile form, 403 and 404 get pages of their own, and anything unexpected a
 * page with the request id to quote (the details go to the log, never to the page).
 */
public final class ErrorPages implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorPages.class);

  private final Pages pages;

  public ErrorPages(Pages pages) {
    this.pages = pages;
  }

  /** For the router's error handlers, which know the status but carry no failure. */
  public Handler<RoutingContext> forStatus(int status) {
    return ctx -> answer(ctx, status);
  }

  @Override
  public void handle(RoutingContext ctx) {
    answer(ctx, status(ctx, ctx.failure()));
  }

  private void answer(RoutingContext ctx, int given) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    Throwable failure = ctx.failure();
    String tenant = ctx.pathParam("tenant");
    int status = given;
    if (status == 401 && tenant != null) {
      String back =
          ctx.request().method() == HttpMethod.GET ? ctx.request().uri() : "/portal/" + tenant;
      Pages.redirect(
          ctx,
          "/portal/"
              + tenant
              + "/signin?return="
              + URLEncoder.encode(back, StandardCharsets.UTF_8));
      return;
    }
    if (failure instanceof PortalFailure f
        && f.kind() == PortalFailure.Kind.NOT_REGISTERED
        && tenant != null) {
      Pages.flash(ctx, "info", f.getMessage());
      Pages.redirect(ctx, "/portal/" + tenant + "/profile?welcome=1");
      return;
    }
    String title;
    String message;
    switch (status) {
      case 400, 405, 409, 413 -> {
        title = "That did not work";
        message = failure == null ? "The request was not valid." : failure.getMessage();
      }
      case 401 -> {
        title = "Please sign in";
        message = "Sign in to continue.";
      }
      case 403 -> {
        title = "Not allowed";
        message =
            failure instanceof PortalFailure || failure instanceof ApiError
                ? failure.getMessage()
                : "You are not allowed to do this.";
      }
      case 404 -> {
        title = "Page not found";
        message = "We could not find that page. It may have been deleted, or it is not yours.";
      }
      case 502, 503, 504 -> {
        title = "Temporarily unavailable";
        message =
            "Part of the portal is not answering right now. Please try again in a moment; if it"
                + " keeps happening, quote the request id below.";
      }
      default -> {
        status = 500;
        title = "Something went wrong";
        message =
            "We could not complete your request. Please try again; if it keeps happening, quote"
                + " the request id below.";
      }
    }
    if (status >= 500) {
      String slug = tenant != null && tenant.matches("[a-z0-9-]{1,40}") ? tenant : null;
      LogContext.EMPTY
          .with(LogContext.REQUEST_ID, RequestIds.of(ctx))
          .with(LogContext.TENANT_SLUG, slug)
          .run(
              () ->
                  LOG.error(
                      "request {} {} {} failed",
                      RequestIds.of(ctx),
                      ctx.request().method(),
                      ctx.request().path(),
                      failure));
    }
    Map<String, Object> model = new HashMap<>();
    model.put("title", title);
    model.put("message", message);
    model.put("status", status);
    int code = status;
    if (tenant == null || !tenant.matches("[a-z0-9-]{1,40}")) {
      pages.render(ctx, code, null, "error", model);
      return;
    }
    pages
        .tenant(ctx)
        .onComplete(
            found ->
                pages.render(
                    ctx,
                    code,
                    found.succeeded() ? found.result() : (JsonObject) null,
                    "error",
                    model));
  }

  private static int status(RoutingContext ctx, Throwable failure) {
    if (failure instanceof PortalFailure f) {
      return f.kind().status();
    }
    if (failure instanceof ApiError e) {
      return e.status();
    }
    if (failure == null) {
      return ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    }
    return 500;
  }
}
