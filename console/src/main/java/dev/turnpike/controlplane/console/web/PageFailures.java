package dev.turnpike.controlplane.console.web;

import dev.turnpike.controlplane.auth.JwksTokenVerifier;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.webkit.CsrfGuard;
import dev.turnpike.webkit.oidc.OidcFailure;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every console failure into a friendly HTML page with the right status: never a stack trace,
 * never problem+json. Unexpected failures are logged once with the request id the page shows.
 */
public final class PageFailures implements Handler<RoutingContext> {
  /** Where a route puts what its 413 should say, e.g. the limit its body is held to. */
  public static final String TOO_LARGE = "turnpike.console.tooLarge";

  private static final Logger LOG = LoggerFactory.getLogger(PageFailures.class);

  private final Pages pages;

  public PageFailures(Pages pages) {
    this.pages = pages;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (failure instanceof Pages.SignInRequired) {
      String back = ctx.request().method().name().equals("GET") ? ctx.request().uri() : "/console/";
      ctx.response()
          .setStatusCode(303)
          .putHeader(
              "Location",
              "/console/login?return=" + URLEncoder.encode(back, StandardCharsets.UTF_8))
          .end();
      return;
    }
    int status;
    String title;
    String message;
    if (failure instanceof ApiFailure api) {
      status = api.kind().status();
      title = api.kind().title();
      message = api.detail();
    } else if (failure instanceof NotConfigured) {
      status = 503;
      title = "The console is not configured";
      message = failure.getMessage();
    } else if (failure instanceof CsrfGuard.CsrfRejected) {
      status = 403;
      title = "This form has expired";
      message =
          "The form was not sent from this console session (it may have expired after a sign-in"
              + " or sign-out). Go back, reload the page and send it again.";
    } else if (failure instanceof OidcFailure oidc) {
      status = 502;
      title = "Sign-in failed";
      message = oidc.getMessage();
    } else if (failure instanceof JwksTokenVerifier.InvalidToken
        || failure instanceof JwksTokenVerifier.KeysUnavailable) {
      status = 401;
      title = "Sign-in failed";
      message = "The identity provider's answer could not be verified: " + failure.getMessage();
    } else if (failure == null && ctx.statusCode() > 0) {
      status = ctx.statusCode();
      title = status == 404 ? "Not found" : status == 413 ? "Too large" : "Request failed";
      String tooLarge = ctx.get(TOO_LARGE);
      message =
          status == 413
              ? (tooLarge == null ? "What you sent is larger than this server accepts." : tooLarge)
              : status == 404 ? "There is no such page." : "The request could not be served.";
    } else {
      status = 500;
      String requestId = ctx.get("turnpike.requestId");
      LOG.error(
          "console request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
      title = "Something went wrong";
      message =
          "The console could not complete this request. It was logged"
              + (requestId == null ? "" : " as request " + requestId)
              + "; please try again.";
    }
    String csrf = ctx.session() == null ? "" : CsrfGuard.token(ctx.session());
    String html = pages.statusPage(status, title, message, ConsoleSession.caller(ctx), csrf);
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .end(html);
  }

  /** Every console page while the console is not configured; the message says what is missing. */
  public static final class NotConfigured extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotConfigured(String message) {
      super(message, null, false, false);
    }
  }
}
