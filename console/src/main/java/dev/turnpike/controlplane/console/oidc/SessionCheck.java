package dev.turnpike.controlplane.console.oidc;

import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.auth.JwksTokenVerifier;
import dev.turnpike.controlplane.console.web.ConsoleSession;
import dev.turnpike.webkit.oidc.OidcClient;
import dev.turnpike.webkit.oidc.OidcTokens;
import dev.turnpike.webkit.oidc.SessionEnded;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a console session tied to the identity provider's: at most every {@code interval} it
 * refreshes the session's tokens, and when the provider refuses (the session was ended there, timed
 * out, or its user was disabled) the console session ends too. Concurrent requests of one session
 * share a single refresh ({@link OidcClient#refreshOnce}). When the provider cannot be reached the
 * session is kept and checked again on the next request.
 */
public final class SessionCheck implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(SessionCheck.class);

  private final OidcClient oidc;
  private final JwksTokenVerifier accessTokens;
  private final Duration interval;

  public SessionCheck(OidcClient oidc, JwksTokenVerifier accessTokens, Duration interval) {
    this.oidc = oidc;
    this.accessTokens = accessTokens;
    this.interval = interval;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Caller caller = ConsoleSession.caller(ctx);
    long now = System.currentTimeMillis();
    if (caller == null || now - ConsoleSession.checkedAt(ctx) < interval.toMillis()) {
      ctx.next();
      return;
    }
    OidcTokens tokens = ConsoleSession.tokens(ctx);
    if (tokens == null || tokens.refreshToken() == null) {
      // Nothing to check the session with: it cannot be known to be alive.
      ConsoleSession.signOut(ctx);
      ctx.next();
      return;
    }
    oidc.refreshOnce(ctx.session().id(), tokens)
        .compose(fresh -> sameSubject(fresh, caller))
        .onSuccess(
            fresh -> {
              ConsoleSession.renewed(ctx, fresh, System.currentTimeMillis());
              ctx.next();
            })
        .onFailure(
            failure -> {
              if (failure instanceof SessionEnded) {
                LOG.info("console session of {} ended at the identity provider", caller.label());
                ConsoleSession.signOut(ctx);
              } else {
                LOG.warn(
                    "cannot check the console session of {} at the identity provider: {}",
                    caller.label(),
                    failure.getMessage());
              }
              ctx.next();
            });
  }

  private Future<OidcTokens> sameSubject(OidcTokens fresh, Caller caller) {
    return accessTokens
        .verify(fresh.accessToken())
        .compose(
            verified ->
                verified.subject().equals(caller.subject())
                    ? Future.succeededFuture(fresh)
                    : Future.failedFuture(
                        new SessionEnded("the refreshed tokens name someone else")));
  }
}
